"""Which USB devices are passport readers, and how to talk to each (``protocols/usb-readers.md``).

Used by ``usb://auto`` and by :func:`checkpoint.drivers.list_readers`. A row with a product ID names
one model; a row without names a vendor whose readers type the MRZ as a boot keyboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

from checkpoint.drivers.usb_transport import find_devices, hid_interfaces

UsbProtocol = Literal["hid-wedge", "access-is-hid"]

ACCESS_IS: Final = 0x0DB5


@dataclass(frozen=True, slots=True)
class KnownReader:
    """One row of the discovery table."""

    vid: int
    pid: int | None
    name: str
    protocol: UsbProtocol


KNOWN_READERS: Final[tuple[KnownReader, ...]] = (
    KnownReader(ACCESS_IS, 0x013A, "Access-IS reader (virtual keyboard)", "hid-wedge"),
    KnownReader(ACCESS_IS, 0x013B, "Access-IS reader (HID)", "access-is-hid"),
    KnownReader(ACCESS_IS, 0x0120, "Access-IS OCR/MSR reader (HID)", "access-is-hid"),
    KnownReader(ACCESS_IS, 0x0127, "Access-IS OCR/MSR reader (HID)", "access-is-hid"),
    KnownReader(ACCESS_IS, 0x013E, "Access-IS OCR/MSR reader (HID)", "access-is-hid"),
    KnownReader(0x1B52, 0x4301, "ARH MRZ reader", "hid-wedge"),
    KnownReader(0x1AC2, None, "DESKO reader", "hid-wedge"),
    KnownReader(0x053A, None, "PrehKeyTec reader", "hid-wedge"),
    KnownReader(0x1FFA, None, "Elyctis reader", "hid-wedge"),
    KnownReader(0x0C2E, None, "Honeywell reader", "hid-wedge"),
    KnownReader(0x0536, None, "Honeywell reader", "hid-wedge"),
    KnownReader(0x1EAB, None, "Newland reader", "hid-wedge"),
)


def is_boot_keyboard(interface: Any) -> bool:
    """True for an HID boot-protocol keyboard interface (class 3, subclass 1, protocol 1)."""
    return bool(interface.bInterfaceSubClass == 1 and interface.bInterfaceProtocol == 1)


def is_vendor_hid(interface: Any) -> bool:
    """True for an HID interface that is not a boot keyboard or mouse (the Access-IS report interface)."""
    return bool(interface.bInterfaceSubClass == 0)


def identify(device: Any) -> KnownReader | None:
    """Return the table row for ``device``, or None when it is not a reader we know.

    A vendor-wide row applies only when the device has a boot-keyboard interface.
    """
    for row in KNOWN_READERS:
        if row.vid != device.idVendor:
            continue
        if row.pid == device.idProduct:
            return row
        if row.pid is None and any(is_boot_keyboard(i) for i in hid_interfaces(device)):
            return row
    return None


@dataclass(frozen=True, slots=True)
class FoundReader:
    """A connected USB reader: its identity, bus position and table row."""

    vid: int
    pid: int
    bus: int | None
    address: int | None
    reader: KnownReader


def connected_readers(backend: Any, protocol: UsbProtocol | None = None) -> Iterator[FoundReader]:
    """Yield the known readers connected through ``backend`` (those speaking ``protocol`` when given)."""
    for device in find_devices(backend):
        row = identify(device)
        if row is not None and (protocol is None or row.protocol == protocol):
            yield FoundReader(device.idVendor, device.idProduct, device.bus, device.address, row)
