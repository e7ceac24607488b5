"""``usb://0db5:PID?protocol=access-is-hid``: Access-IS OCR readers in their vendor-HID mode.

Each IN report carries a length byte (bit 7 may be set and is masked off) and that many payload bytes.
The payload stream carries the same frames as the serial protocol, so the serial driver's
:class:`~checkpoint.drivers.framing_access_is.AccessIsFramer` frames it. OCR output is off until the
host sends the output report ``02 80``, which this driver does on every open (and so on every reconnect).
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar, Final

from checkpoint.drivers.address import Option
from checkpoint.drivers.frames import Frame, Framer
from checkpoint.drivers.framing_access_is import AccessIsFramer
from checkpoint.drivers.usb_devices import is_vendor_hid
from checkpoint.drivers.usb_reader import BACKEND_OPTION, UsbHidReader, protocol_option
from checkpoint.drivers.usb_transport import HidInterface

log = logging.getLogger(__name__)

REPORT_SIZE: Final = 8
LENGTH_MASK: Final = 0x7F
ENABLE_OCR: Final = bytes([0x02, 0x80]).ljust(REPORT_SIZE, b"\0")
DISABLE_OCR: Final = bytes([0x02, 0x00]).ljust(REPORT_SIZE, b"\0")


def report_payload(report: bytes) -> bytes:
    """Return the payload bytes an Access-IS IN report carries (``report[0] & 0x7f`` of them).

    A length beyond the report's end yields the bytes that are there (the framer then reports the frame
    as partial if bytes are missing); an empty report yields nothing.
    """
    if not report:
        return b""
    length = report[0] & LENGTH_MASK
    payload = report[1 : 1 + length]
    if len(payload) < length:
        log.debug("access-is-hid: report says %d payload bytes but carries %d", length, len(payload))
    return payload


class AccessIsHidReader(UsbHidReader):
    """An Access-IS reader in HID mode. See :mod:`checkpoint.drivers.usb_access_is`."""

    PROTOCOL = "access-is-hid"
    OPTIONS: ClassVar[tuple[Option, ...]] = (protocol_option("access-is-hid"), BACKEND_OPTION)

    def _make_framer(self) -> Framer:
        return AccessIsFramer()

    def _matches(self, interface: Any) -> bool:
        return is_vendor_hid(interface)

    def _after_open(self, interface: HidInterface) -> None:
        interface.write_report(ENABLE_OCR)

    def _to_stream(self, report: bytes) -> bytes:
        return report_payload(report)

    def _check(self, frame: Frame) -> None:
        log.debug("%s: %s of %d bytes", self.source, type(frame).__name__, len(frame.raw))
