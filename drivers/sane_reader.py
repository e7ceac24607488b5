"""``sane://DEVICE`` and ``sane://auto``: a flatbed or sheet-fed page scanner through SANE, then OCR.

Flatbeds do not say when a document is on the glass, so a scan happens on request: once when the reader
opens (unless ``scan_on_open=0``) and each time :meth:`SaneReader.request_scan` is called (the client's
"scan" key). The transport is Debian's ``scanimage`` (sane-utils) in a subprocess: it works with every
SANE backend, and a wedged backend can be killed without taking the application down.

``scanimage`` exits with the SANE status code of the failure, which names it exactly: no document,
jammed, cover open, I/O error, device busy become :class:`ReaderStatus` ``error`` events with a message
an officer can act on; the reader stays open and the next scan may succeed.

Extra device options go in ``options=NAME:VALUE,NAME:VALUE`` and are passed as ``--NAME=VALUE``, e.g.
``sane://pnm:0?options=filename:/srv/page.pnm`` for SANE's ``pnm`` test backend, which returns the PNM
file named by its ``filename`` option (default ``/tmp/input.ppm``) as the scanned page.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable
from typing import Any, ClassVar, Final

from checkpoint.drivers.address import Option, ReaderAddress, flag, positive_float, positive_int
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderNotFound, ReaderUnavailable
from checkpoint.drivers.events import ReaderEvent, ReaderStatus
from checkpoint.drivers.page_ocr import page_events
from checkpoint.drivers.registry import DetectedReader

log = logging.getLogger(__name__)

SCANIMAGE: Final = "scanimage"
# SANE_Status values, which scanimage uses as its exit status; the message says what to do.
SANE_STATUS_MESSAGES: Final[dict[int, str]] = {
    2: "the scan was cancelled",
    3: "the scanner is busy (another program is using it): wait, then scan again",
    4: "the scanner rejected the scan settings (invalid argument)",
    6: "the document is jammed in the scanner: clear it, then scan again",
    7: "no document in the scanner: place the page on the glass or in the feeder, then scan again",
    8: "the scanner cover is open: close it, then scan again",
    9: "the scanner reported an I/O error: check its cable and power, then scan again",
    10: "the scanner ran out of memory: scan at a lower resolution",
    11: "access to the scanner was denied: check the user's permissions (scanner group)",
}
_OPTION_NAME: Final = re.compile(r"^[a-z][a-z0-9-]*$")


def _extra_options(value: str) -> tuple[tuple[str, str], ...]:
    """Convert ``NAME:VALUE,NAME:VALUE`` into pairs; ``ValueError`` for a malformed item."""
    pairs: list[tuple[str, str]] = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        name, sep, setting = item.partition(":")
        if not sep or not _OPTION_NAME.match(name):
            raise ValueError(f"expected NAME:VALUE items separated by commas, got {item!r}")
        pairs.append((name, setting))
    return tuple(pairs)


_SIGNAL_NOTE: Final = re.compile(r"^(scanimage: )?received signal \d+$")
# What scanimage says as a signal stops it: the reason only when it says nothing else.
_STOPPING_NOTE: Final = re.compile(r"^(scanimage: )?(trying to stop scanner|aborting)$")


def scan_failure_message(returncode: int, stderr: str) -> str:
    """Return the message for a failed ``scanimage`` run from its exit status and error output."""
    # scanimage ends with status 0 and no page when a second signal arrives while it stops a scan.
    reason = (
        "the scanner sent no page: scan again" if returncode == 0 else SANE_STATUS_MESSAGES.get(returncode)
    )
    # scanimage reports a signal that reached it while it shut down ("received signal 13" when its
    # output pipe closed first): that is how it ended, not why the scan failed.
    lines = [line for line in stderr.strip().splitlines() if _SIGNAL_NOTE.search(line) is None]
    reasons = [line for line in lines if _STOPPING_NOTE.search(line.strip()) is None]
    said = " ".join(line.removeprefix("scanimage: ").strip() for line in (reasons or lines)[-2:])
    if reason is None:
        reason = "the scan failed"
    return f"{reason} (SANE: {said})" if said else reason


class SaneReader(Reader):
    """A SANE page scanner read through ``scanimage``; see the module documentation."""

    SCHEME: ClassVar[str] = "sane"
    TARGET_FORM: ClassVar[str] = "DEVICE|auto"
    OPTIONS: ClassVar[tuple[Option, ...]] = (
        Option("resolution", default=300, convert=positive_int, metavar="DPI", help="scan resolution"),
        Option(
            "mode", default="", metavar="MODE", help="scan mode, e.g. Gray or Color (device default if empty)"
        ),
        Option(
            "options",
            default=(),
            convert=_extra_options,
            metavar="NAME:VALUE,...",
            help="extra device options",
        ),
        Option(
            "scan_on_open",
            default=True,
            convert=flag,
            metavar="1|0",
            help="scan once as soon as the reader opens",
        ),
        Option(
            "timeout",
            default=120.0,
            convert=positive_float,
            metavar="SECONDS",
            help="longest time one scan may take",
        ),
    )

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        super().__init__(address, **overrides)
        self.device = ""
        self._requested = threading.Event()

    @classmethod
    def is_usable(cls) -> bool:
        """True when ``scanimage`` is installed."""
        return shutil.which(SCANIMAGE) is not None

    @classmethod
    def discover(cls) -> list[DetectedReader]:
        """Return the scanners SANE lists, each with its ``sane://`` address."""
        if not cls.is_usable():
            return []
        try:
            listing = subprocess.run(
                [SCANIMAGE, "-f", "%d\t%v %m%n", "-L"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.debug("sane discovery failed: %s", exc)
            return []
        found = []
        for line in listing.stdout.splitlines():
            device, _, description = line.partition("\t")
            if device.strip():
                found.append(
                    DetectedReader(
                        url=f"sane://{device.strip()}", description=description.strip(), device=device
                    )
                )
        return found

    def describe(self) -> str:
        """Return the SANE device in use."""
        return f"SANE scanner {self.device or self.address.target}"

    def request_scan(self) -> None:
        """Ask for one scan; it happens in the thread iterating :meth:`events`. Thread-safe."""
        self._requested.set()

    def _open(self) -> None:
        if not self.is_usable():
            raise ReaderUnavailable(
                "the sane:// reader needs the scanimage program: install Debian's sane-utils package"
            )
        target = self.address.target
        devices = [reader.url.removeprefix("sane://") for reader in self.discover()]
        if target == "auto":
            if not devices:
                raise ReaderNotFound(
                    "no SANE scanner found (scanimage -L lists none): plug in and power on the scanner"
                )
            self.device = devices[0]
        elif target in devices:
            self.device = target
        else:
            known = ", ".join(devices) or "none"
            raise ReaderNotFound(f"SANE scanner {target!r} not found; scanners SANE lists: {known}")
        if self.options["scan_on_open"]:
            self._requested.set()

    def _close(self) -> None:
        self._requested.clear()

    def _command(self) -> list[str]:
        command = [SCANIMAGE, "-d", self.device, "--format=pnm", f"--resolution={self.options['resolution']}"]
        if self.options["mode"]:
            command.append(f"--mode={self.options['mode']}")
        command.extend(f"--{name}={value}" for name, value in self.options["options"])
        return command

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        if not self._requested.wait(timeout):
            return []
        self._requested.clear()
        command = self._command()
        log.debug("%s: %s", self.source, " ".join(command))
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=float(self.options["timeout"]),
                check=False,
                env=os.environ.copy(),
            )
        except subprocess.TimeoutExpired:
            return [self._error(f"the scan took longer than {self.options['timeout']} s and was stopped")]
        except OSError as exc:
            return [self._error(f"scanimage could not be started: {exc.strerror or exc}")]
        if done.returncode != 0 or not done.stdout:
            return [
                self._error(scan_failure_message(done.returncode, done.stderr.decode("utf-8", "replace")))
            ]
        events: list[ReaderEvent] = []
        if self._last_status is not None and self._last_status[0] == "error":
            self._report("connected", self.describe())
            events.extend(self._pending)
            self._pending.clear()
        page, _ = page_events(self.source, f"scan from {self.device}", done.stdout)
        return events + page

    def _error(self, message: str) -> ReaderStatus:
        self._last_status = ("error", message)
        return ReaderStatus(source=self.source, state="error", detail=message)
