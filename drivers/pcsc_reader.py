"""``pcsc://auto`` or ``pcsc://READER-NAME``: an e-passport chip read through a PC/SC reader (pyscard).

The reader watches its PC/SC reader(s) for a card. When a card arrives it yields ``DocumentPresent``; as
soon as it knows the access key (``mrz=`` / ``can=`` in the address, or the MRZ handed to
:meth:`PcscReader.supply_mrz` by the client or by another reader that swiped the data page) it reads and
verifies the chip with :func:`checkpoint.emrtd.read_chip` and yields one ``DocumentRead`` whose ``chip``
holds the outcome. Taking the document away yields ``DocumentRemoved``; the next card is read afresh.

``auto`` watches every reader pcscd lists; a name picks one (the full name as ``pcsc_scan`` or
``checkpoint devices`` shows it, or a part of it that names one reader only). Trust anchors for passive
authentication come from ``csca=FOLDER`` (CSCA certificates and CRLs) and ``master_list=FILE`` (an ICAO
master list); without them the signature chain is reported NOT RUN, never passed.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote

from checkpoint.drivers.address import Option, ReaderAddress, positive_float
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderConfigError, ReaderDisconnected, ReaderError, ReaderNotFound
from checkpoint.drivers.events import ChipOutcome, DocumentPresent, DocumentRead, DocumentRemoved, ReaderEvent
from checkpoint.drivers.pcsc_transport import PcscContext, PcscTransport, check
from checkpoint.drivers.registry import DetectedReader
from smartcard import scard

from checkpoint.emrtd import AccessKey, ChipError, TrustStore, read_chip

log = logging.getLogger(__name__)


def mrz_lines(text: str) -> tuple[str, ...]:
    """Split an MRZ given as one string into its lines: any run of characters outside the MRZ alphabet
    (a newline, ``|``, ``,``, a space) separates two lines.
    """
    return tuple(line for line in re.split(r"[^A-Z0-9<]+", text.upper()) if line)


def _can(value: str) -> str:
    if not value.isdigit():
        raise ValueError("expected the card access number's digits")
    return value


def _existing_path(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.exists():
        raise ValueError(f"{path} does not exist")
    return path


def load_trust(csca: Path | None, master_list: Path | None) -> TrustStore | None:
    """Return the trust anchors from a folder of CSCA certificates (and CRLs) and/or an ICAO master
    list; None when neither is given. Raises :class:`ReaderConfigError` when a file cannot be read.
    """
    if csca is None and master_list is None:
        return None
    store = TrustStore()
    try:
        if csca is not None:
            store = store.merged(TrustStore.from_folder(csca))
        if master_list is not None:
            store = store.merged(TrustStore.from_master_list(master_list))
    except (OSError, ValueError) as exc:
        raise ReaderConfigError(f"the CSCA trust anchors cannot be loaded: {exc}") from exc
    return store


class PcscReader(Reader):
    """A PC/SC chip reader. See :mod:`checkpoint.drivers.pcsc_reader`."""

    SCHEME: ClassVar[str] = "pcsc"
    TARGET_FORM: ClassVar[str] = "auto|READER-NAME"
    OPTIONS: ClassVar[tuple[Option, ...]] = (
        Option("mrz", convert=mrz_lines, metavar="LINES", help="the printed MRZ, lines separated by '|'"),
        Option("can", convert=_can, metavar="DIGITS", help="the card access number printed on the data page"),
        Option("csca", convert=_existing_path, metavar="FOLDER", help="CSCA certificates and CRLs to trust"),
        Option("master_list", convert=_existing_path, metavar="FILE", help="an ICAO master list to trust"),
        Option(
            "wait",
            default=3.0,
            convert=positive_float,
            metavar="SECONDS",
            help="paired with a data-page reader: how long to wait for the chip after the swipe",
        ),
    )

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        super().__init__(address, **overrides)
        self.target = unquote(address.target).strip("/") or "auto"
        self.trust = load_trust(self.options["csca"], self.options["master_list"])
        self._key_lock = threading.Lock()
        self._printed: tuple[str, ...] = ()
        self._key: AccessKey | None = None
        if self.options["mrz"]:
            self.supply_mrz(self.options["mrz"])
        elif self.options["can"]:
            self._key = AccessKey.from_can(self.options["can"])
        self._context: PcscContext | None = None
        self._watched: list[str] = []
        self._states: dict[str, int] = {}
        self._present: set[str] = set()
        self._read: set[str] = set()  # readers whose present card has been read
        self._read_with: dict[str, bytes] = {}  # reader -> the key its present card was read with

    # -- the access key ----------------------------------------------------------------------------

    def supply_mrz(self, lines: Sequence[str]) -> None:
        """Use the printed MRZ ``lines`` as the access key of the card now on the reader (or the next one).

        Safe from any thread. Raises :class:`ReaderConfigError` when no chip key can be derived from
        them (an unreadable zone, a visa).
        """
        try:
            key = AccessKey.from_mrz(list(lines))
        except ValueError as exc:
            raise ReaderConfigError(f"no chip access key in this MRZ: {exc}") from exc
        with self._key_lock:
            self._printed, self._key = tuple(lines), key

    def supply_can(self, can: str) -> None:
        """Use the card access number ``can`` as the access key (PACE only). Safe from any thread."""
        key = AccessKey.from_can(can)
        with self._key_lock:
            self._printed, self._key = (), key

    # -- discovery ---------------------------------------------------------------------------------

    @classmethod
    def discover(cls) -> list[DetectedReader]:
        """Return the PC/SC readers pcscd lists (none when pcscd is not running)."""
        try:
            context = PcscContext()
        except ReaderError:
            return []
        try:
            names = context.readers()
        except ReaderError:
            names = []
        finally:
            context.release()
        return [
            DetectedReader(url=f"pcsc://{quote(name)}", description=f"PC/SC chip reader {name}", device=name)
            for name in names
        ]

    # -- hooks -------------------------------------------------------------------------------------

    def describe(self) -> str:
        """Return e.g. ``PC/SC chip reader Virtual PCD 00 00``."""
        return "PC/SC chip reader " + (", ".join(self._watched) or self.target)

    def _open(self) -> None:
        self._context = PcscContext()
        names = self._context.readers()
        if not names:
            raise ReaderNotFound("no PC/SC reader is connected: plug one in and check it with pcsc_scan")
        self._watched = self._pick(names)
        self._states = {}
        self._present = set()
        self._read = set()
        self._read_with = {}

    def _pick(self, names: list[str]) -> list[str]:
        if self.target == "auto":
            return names
        if self.target in names:
            return [self.target]
        matches = [name for name in names if self.target.lower() in name.lower()]
        if len(matches) == 1:
            return matches
        listed = "; ".join(names)
        if not matches:
            raise ReaderNotFound(f"no PC/SC reader is called {self.target!r}; the readers are: {listed}")
        raise ReaderConfigError(
            f"{self.target!r} names more than one PC/SC reader ({listed}); give the full name"
        )

    def _close(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            context.release()

    def stop(self) -> None:
        """End a running :meth:`events` iteration soon, cutting a status wait short."""
        super().stop()
        context = self._context
        if context is not None:
            try:
                context.cancel()
            except Exception as exc:  # the context may be released under us
                log.debug("cancelling the PC/SC wait: %s", exc)

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        events = self._poll(timeout)
        with self._key_lock:
            have_key = self._key is not None
        if have_key:
            for name in sorted(self._present - self._read):
                events.append(self._read_card(name))
        return events

    def _poll(self, timeout: float) -> list[ReaderEvent]:
        context = self._context
        if context is None:
            raise ReaderDisconnected("the PC/SC context is closed")
        states = [(name, self._states.get(name, scard.SCARD_STATE_UNAWARE)) for name in self._watched]
        hresult, changed = scard.SCardGetStatusChange(context.handle, max(int(timeout * 1000), 0), states)
        if hresult in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
            return []
        check(hresult, "waiting for a card")
        events: list[ReaderEvent] = []
        for name, state, _atr in changed:
            if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE | scard.SCARD_STATE_UNAVAILABLE):
                raise ReaderDisconnected(f"the PC/SC reader {name!r} went away")
            self._states[name] = state & ~scard.SCARD_STATE_CHANGED
            present = bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_MUTE
            if present and name not in self._present:
                self._present.add(name)
                events.append(DocumentPresent(source=self.source))
            elif not present and name in self._present:
                self._present.discard(name)
                self._read.discard(name)
                self._read_with.pop(name, None)
                events.append(DocumentRemoved(source=self.source))
        return events

    def read_present_card(self, *, wait: float) -> ChipOutcome:
        """Read the chip on the reader now with the key supplied, waiting up to ``wait`` seconds for a
        card to arrive. For a reader paired with an MRZ reader, which calls it right after the swipe.

        A card still on the reader that was read with another document's key is the previous
        document, left behind: the read waits for it to be replaced, and says so if it is not. Returns
        the outcome ("absent" when no card came).
        """
        deadline = time.monotonic() + wait
        with self._key_lock:
            key = self._key
        assert key is not None
        self._poll(0)
        while True:
            fresh = [n for n in sorted(self._present) if self._read_with.get(n, key.password) == key.password]
            if fresh:
                event = self._read_card(fresh[0])
                assert event.chip is not None
                return event.chip
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._poll(min(remaining, 0.1))  # the pairing reports the document's presence, not this
        readers = ", ".join(self._watched)
        if self._present:
            return ChipOutcome(
                state="failed",
                title="Previous document on the chip reader",
                detail="the chip on the reader is the previous document's, not taken off: put this document "
                "on the chip reader and present it again",
                error="PreviousDocument",
                reader=readers,
            )
        return ChipOutcome(
            state="absent",
            title="No chip",
            detail=f"no chip answered within {wait:g} s: a document issued before chips, or a chip that does not work",
            reader=readers,
        )

    def _read_card(self, name: str) -> DocumentRead:
        """Read the card in ``name`` once; a failure is reported in the event, never raised, except when
        the reader itself went away.
        """
        context = self._context
        if context is None:
            raise ReaderDisconnected("the PC/SC context is closed")
        with self._key_lock:
            printed, key = self._printed, self._key
        assert key is not None
        self._read.add(name)
        self._read_with[name] = key.password
        report = None
        outcome: ChipOutcome
        transport: PcscTransport | None = None
        try:
            transport = PcscTransport(context, name)
            report = read_chip(transport, key, trust=self.trust, printed_mrz=printed or None)
        except ChipError as exc:
            log.debug("%s: chip read failed: %s", name, exc)
            outcome = ChipOutcome(
                state="failed", title=exc.title, detail=str(exc), error=type(exc).__name__, reader=name
            )
        except ReaderError:
            raise  # the reader itself went away: the contract reports it and reconnects
        except Exception as exc:
            # A chip's bytes are data: one that trips the library is reported, never a crashed reader.
            log.debug("%s: chip read broke on the chip's data", name, exc_info=True)
            outcome = ChipOutcome(
                state="failed",
                title="Chip data not understood",
                detail=f"the chip's answer could not be processed ({type(exc).__name__})",
                error=type(exc).__name__,
                reader=name,
            )
        else:
            outcome = ChipOutcome(state="read", report=report, reader=name)
        finally:
            if transport is not None:
                transport.close()
        lines = printed
        raw = b""
        if report is not None:
            dg1 = report.data_groups.get(1)
            raw = dg1.raw if dg1 is not None else b""
            if not lines and report.dg1 is not None:
                lines = tuple(report.dg1.lines)
        return DocumentRead(source=self.source, lines=lines, raw=raw, chip=outcome)
