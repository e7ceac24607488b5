"""What the USB readers share: the ``usb://VID:PID|auto`` address, the backend option, the read loop.

A USB reader is a :class:`HidInterface` (transport) feeding reports to a framer (framing); subclasses
choose the interface, the framer and what to send after opening. Unplugging raises
:class:`ReaderDisconnected` out of ``_read_events``, after the document in progress has been reported as
a :class:`MalformedFrame`; :meth:`Reader.events` then polls for the device and reopens it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from checkpoint.drivers.address import Option, ReaderAddress
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderConfigError, ReaderDisconnected, ReaderError, ReaderNotFound
from checkpoint.drivers.events import ReaderEvent
from checkpoint.drivers.frames import Frame, Framer, frame_event
from checkpoint.drivers.registry import DetectedReader
from checkpoint.drivers.usb_devices import KNOWN_READERS, UsbProtocol, connected_readers
from checkpoint.drivers.usb_transport import BACKEND_NAMES, HidInterface, load_backend, parse_vid_pid

from checkpoint.extras import require

# pyusb is imported where it is used; without it, a usb:// address fails here, when its driver loads.
require("usb", "the usb:// readers")

log = logging.getLogger(__name__)

PROTOCOLS: tuple[UsbProtocol, ...] = ("hid-wedge", "access-is-hid")

BACKEND_OPTION = Option(
    "backend",
    default="auto",
    choices=BACKEND_NAMES,
    help="the USB library: a pyusb backend object, or libusb1, libusb0, libusb-package, auto",
)


class UsbHidReader(Reader):
    """Base of the USB HID readers.

    Subclasses set ``PROTOCOL`` and ``OPTIONS`` (with a ``protocol`` option) and implement
    ``_make_framer`` and ``_matches``; ``_after_open``, ``_to_stream``, ``_check``, ``_parse_target`` and
    ``_backend`` have defaults.
    """

    SCHEME = "usb"
    TARGET_FORM = "VID:PID|auto"
    PROTOCOL: ClassVar[UsbProtocol]
    OPTIONS: ClassVar[tuple[Option, ...]] = ()

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        super().__init__(address, **overrides)
        if self.options["protocol"] != self.PROTOCOL:
            raise ReaderConfigError(
                f"reader address {address.url!r}: this driver speaks protocol={self.PROTOCOL}, not "
                f"{self.options['protocol']!r}; expected {self.expected_form()}"
            )
        self.target = self._parse_target(address)
        self._interface: HidInterface | None = None
        self._framer: Framer = self._make_framer()
        self._identity = ""

    # -- hooks for the subclasses ------------------------------------------------------------------

    def _parse_target(self, address: ReaderAddress) -> tuple[int, int] | None:
        """Return the VID:PID the address names, or None for ``auto``; raise ReaderConfigError."""
        if address.target.lower() == "auto":
            return None
        try:
            return parse_vid_pid(address.target)
        except ValueError as exc:
            raise ReaderConfigError(
                f"reader address {address.url!r}: {exc}; expected {self.expected_form()}"
            ) from exc

    def _backend(self) -> Any:
        """Return the pyusb backend to use (the ``backend`` option)."""
        return load_backend(self.options["backend"])

    def _make_framer(self) -> Framer:
        raise NotImplementedError

    def _matches(self, interface: Any) -> bool:
        raise NotImplementedError

    def _after_open(self, interface: HidInterface) -> None:
        """Send what the device needs after opening (the default: nothing)."""

    def _to_stream(self, report: bytes) -> bytes:
        """Return the bytes of ``report`` the framer takes (the default: the whole report)."""
        return report

    def _check(self, frame: Frame) -> None:
        """Look at a frame before it becomes an event (logging only)."""

    # -- Reader hooks ------------------------------------------------------------------------------

    def _open(self) -> None:
        backend = self._backend()
        vid, pid = self.target or self._find_auto(backend)
        interface = HidInterface(backend, vid, pid, self._matches, what=f"a {self.PROTOCOL} reader")
        self._interface = interface
        interface.open()
        self._identity = next(
            (row.name for row in KNOWN_READERS if row.vid == vid and row.pid in (pid, None)), "USB reader"
        )
        self._after_open(interface)

    def _find_auto(self, backend: Any) -> tuple[int, int]:
        for found in connected_readers(backend, self.PROTOCOL):
            return found.vid, found.pid
        raise ReaderNotFound(
            f"no known USB passport reader speaking {self.PROTOCOL} is connected; name the device as "
            f"usb://VID:PID?protocol={self.PROTOCOL} if yours is not in the table"
        )

    def _close(self) -> None:
        for frame in self._framer.reset():
            log.debug("%s: dropped a document in progress on close (%d bytes)", self.source, len(frame.raw))
        if self._interface is not None:
            self._interface.close()
            self._interface = None

    def describe(self) -> str:
        """Return the device's name and address, e.g. ``Access-IS reader (HID) 0db5:013b``."""
        if self._interface is None:
            return self.source
        return f"{self._identity} {self._interface.name}"

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        interface = self._interface
        if interface is None:
            raise ReaderDisconnected(f"{self.source} is not open")
        end = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            frame_deadline = self._framer.deadline()
            wait = min(end, frame_deadline) if frame_deadline is not None else end
            try:
                report = interface.read(max(wait - now, 0.001))
            except ReaderDisconnected:
                # The document in progress is reported before the disconnection, never dropped.
                self._pending.extend(self._events(self._framer.reset()))
                raise
            now = time.monotonic()
            frames = self._framer.feed(self._to_stream(report), now) if report else self._framer.flush(now)
            if frames:
                return list(self._events(frames))
            if now >= end:
                return []

    def _events(self, frames: Iterable[Frame]) -> Iterator[ReaderEvent]:
        for frame in frames:
            self._check(frame)
            yield frame_event(frame, self.source)

    @classmethod
    def is_usable(cls) -> bool:
        """Return True when pyusb finds a libusb to use (system libusb-1.0/0.1 or libusb-package)."""
        try:
            load_backend("auto")
        except ReaderError as exc:
            log.debug("usb drivers unusable: %s", exc)
            return False
        return True

    @classmethod
    def discover(cls) -> list[DetectedReader]:
        """Return the connected readers speaking this driver's protocol (none when USB cannot be listed)."""
        try:
            backend = load_backend("auto")
        except ReaderError as exc:
            log.debug("usb discovery skipped: %s", exc)
            return []
        return [
            DetectedReader(
                url=f"usb://{found.vid:04x}:{found.pid:04x}?protocol={cls.PROTOCOL}",
                description=found.reader.name,
                device=f"bus {found.bus} device {found.address}",
                vid=found.vid,
                pid=found.pid,
            )
            for found in connected_readers(backend, cls.PROTOCOL)
        ]


def protocol_option(default: UsbProtocol) -> Option:
    """Return the ``protocol`` option of a USB driver whose own protocol is ``default``."""
    return Option("protocol", default=default, choices=PROTOCOLS, help="how the reader sends the MRZ")
