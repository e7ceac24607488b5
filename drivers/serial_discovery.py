"""Finding serial readers: USB serial ports matched against the known reader identities.

The VID:PID table comes from ``protocols/usb-readers.md``. pyserial's port lister does not see ptys, so
every function takes the lister as an argument (``list_ports``), and tests pass their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from checkpoint.drivers.registry import DetectedReader


class PortInfo(Protocol):
    """What discovery reads of a port: pyserial's ``ListPortInfo`` has these attributes."""

    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None
    description: str


PortLister = Callable[[], Iterable[PortInfo]]


@dataclass(frozen=True, slots=True)
class KnownReader:
    """A reader identity: USB vendor (and product, or any when None), who makes it, and its protocol."""

    vid: int
    pid: int | None
    vendor: str
    protocol: str


# More specific entries (with a product id) first.
KNOWN_SERIAL_READERS: tuple[KnownReader, ...] = (
    KnownReader(0x0DB5, 0x0139, "Access-IS (CDC serial)", "access-is"),
    KnownReader(0x0DB5, None, "Access-IS", "access-is"),
    KnownReader(0x0C2E, None, "Honeywell", "honeywell"),
    KnownReader(0x0536, None, "Honeywell", "honeywell"),
    KnownReader(0x1AC2, None, "DESKO", "lines"),
    KnownReader(0x1B52, None, "ARH", "lines"),
    KnownReader(0x053A, None, "PrehKeyTec", "lines"),
    KnownReader(0x1FFA, None, "Elyctis", "lines"),
    KnownReader(0x1EAB, None, "Newland", "lines"),
)


def identify(vid: int | None, pid: int | None) -> KnownReader | None:
    """Return the known reader with this USB identity, or None."""
    for known in KNOWN_SERIAL_READERS:
        if vid == known.vid and (known.pid is None or pid == known.pid):
            return known
    return None


def system_ports() -> list[PortInfo]:
    """Return the serial ports the operating system lists (pyserial's ``comports``)."""
    from serial.tools.list_ports import comports

    return list(comports())


def discover_serial(list_ports: PortLister | None = None) -> list[DetectedReader]:
    """Return the serial ports that belong to known readers, each with the address that opens it."""
    found = []
    for port in (list_ports or system_ports)():
        known = identify(port.vid, port.pid)
        if known is None:
            continue
        found.append(
            DetectedReader(
                url=f"serial://{port.device}?protocol={known.protocol}",
                description=f"{known.vendor} reader ({port.description})",
                device=port.device,
                vid=port.vid,
                pid=port.pid,
                serial_number=port.serial_number or "",
            )
        )
    return found


def find_port(protocol: str, list_ports: PortLister | None = None) -> str | None:
    """Return the device path of the first known reader speaking ``protocol``, or None."""
    for reader in discover_serial(list_ports):
        if reader.url.endswith(f"?protocol={protocol}"):
            return reader.device
    return None
