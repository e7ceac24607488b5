"""A data-page reader paired with a chip antenna: ``ANY-READER-ADDRESS&chip=CHIP-ADDRESS``.

Many posts swipe the data page through one device (a serial or USB MRZ reader, a scanner) and read the
chip with another (a PC/SC reader). Adding ``chip=`` to the data-page reader's address pairs them: each
MRZ the first reads is the access key with which the second reads the chip on its antenna, and the
client sees one ``DocumentRead`` per document, the printed lines with the chip's outcome. For example::

    serial:///dev/ttyACM0?protocol=access-is&chip=pcsc://auto
    sim://td3?interval=0&chip=pcsc://auto
    usb://0db5:013a?protocol=hid-wedge&chip=pcsc%3A%2F%2Fauto%3Fcsca%3D%2Fetc%2Fcheckpoint%2Fcsca

The chip address is one option value, so its own options are percent-encoded (``?`` as ``%3F``, ``=`` as
``%3D``, ``&`` as ``%26``). The chip reader's ``wait`` option says how long to wait for the chip after the
swipe. When the chip reader cannot be opened the data-page reader still works, and every document says
the chip was not read and why.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import Any, ClassVar, Protocol
from urllib.parse import urlencode, urlsplit, urlunsplit

from checkpoint.drivers.address import ReaderAddress
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderConfigError, ReaderError
from checkpoint.drivers.events import ChipOutcome, DocumentRead, ReaderEvent

log = logging.getLogger(__name__)


class ChipAntenna(Protocol):
    """What the pairing needs of a chip reader (:class:`checkpoint.drivers.pcsc_reader.PcscReader` is one)."""

    def supply_mrz(self, lines: tuple[str, ...]) -> None: ...

    def read_present_card(self, *, wait: float) -> ChipOutcome: ...


def without_option(address: ReaderAddress, name: str) -> str:
    """Return ``address``'s URL without the option ``name``."""
    parts = urlsplit(address.url)
    query = urlencode([(key, value) for key, value in address.options.items() if key != name], safe="/:<")
    return urlunsplit(parts._replace(query=query))


class ChipPairedReader(Reader):
    """A data-page reader whose documents' chips are read by a chip reader. See the module's notes."""

    SCHEME: ClassVar[str] = "paired"

    def __init__(self, address: ReaderAddress, page: Reader, chip: Reader) -> None:
        super().__init__(dataclasses.replace(address, options={}))
        self.address = address
        if not (
            callable(getattr(chip, "supply_mrz", None)) and callable(getattr(chip, "read_present_card", None))
        ):
            raise ReaderConfigError(
                f"reader address {address.url!r}: chip={chip.address.url!r} is not a chip reader "
                "(expected e.g. chip=pcsc://auto)"
            )
        self.page = page
        self.chip = chip
        self._chip_error: ReaderError | None = None

    def __getattr__(self, name: str) -> Any:
        # What the data-page reader offers besides the contract (a simulator's present(), say).
        if name in ("page", "chip"):
            raise AttributeError(name)
        return getattr(self.page, name)

    def describe(self) -> str:
        """Return both devices' descriptions."""
        chip = (
            self.chip.describe()
            if self._chip_error is None
            else f"chip reader unavailable: {self._chip_error}"
        )
        return f"{self.page.describe()} + {chip}"

    def _open(self) -> None:
        self.page._open()
        try:
            self.chip._open()
        except ReaderError as exc:
            log.debug("%s: chip reader not available: %s", self.source, exc)
            self._chip_error = exc
        else:
            self._chip_error = None

    def _close(self) -> None:
        self.chip._close()
        self.page._close()

    def stop(self) -> None:
        """End a running :meth:`events` iteration soon."""
        super().stop()
        self.page.stop()
        self.chip.stop()

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        events = []
        for event in self.page._read_events(timeout):
            if isinstance(event, DocumentRead) and event.chip is None and event.lines:
                event = dataclasses.replace(event, source=self.source, chip=self._read_chip(event.lines))
            elif event.source == self.page.source:
                event = dataclasses.replace(event, source=self.source)
            events.append(event)
        return events

    def _read_chip(self, lines: tuple[str, ...]) -> ChipOutcome:
        if self._chip_error is not None:
            return ChipOutcome(
                state="unavailable",
                title=self._chip_error.title,
                detail=f"the chip reader is not available: {self._chip_error}",
                error=type(self._chip_error).__name__,
            )
        chip: Any = self.chip
        try:
            chip.supply_mrz(lines)
        except ReaderConfigError as exc:
            # A visa, or a zone too damaged to give the key: there is no chip to open with it.
            return ChipOutcome(
                state="absent", title="No chip key", detail=f"no chip read: {exc}", error=type(exc).__name__
            )
        try:
            outcome: ChipOutcome = chip.read_present_card(wait=float(chip.options.get("wait", 3.0)))
        except ReaderError as exc:
            self._chip_error = exc
            return ChipOutcome(
                state="unavailable",
                title=exc.title,
                detail=f"the chip reader went away: {exc}",
                error=type(exc).__name__,
            )
        return outcome


def pair(address: ReaderAddress, chip_url: str, make: Any, options: dict[str, Any]) -> ChipPairedReader:
    """Return the data-page reader of ``address`` (less its ``chip`` option) paired with ``chip_url``'s.

    ``make`` is the registry's reader factory. Raises :class:`ReaderConfigError` for a malformed address.
    """
    if "chip=" in chip_url.partition("?")[2]:
        raise ReaderConfigError(f"reader address {address.url!r}: a chip reader cannot itself be paired")
    page = make(without_option(address, "chip"), **options)
    chip = make(chip_url)
    return ChipPairedReader(address, page, chip)
