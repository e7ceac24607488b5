"""Which driver serves which address: a lazy table of the built-in drivers merged with the
``checkpoint.readers`` entry-point group, so third-party drivers plug in the same way.

A table key is a scheme (``serial``) or a scheme and protocol (``usb:hid-wedge``). For an address with
``protocol=P`` the key ``scheme:P`` is tried first, then ``scheme``; a driver found under the bare scheme
reads the ``protocol`` option itself. Modules are imported only when their driver is asked for, and an
import failure names the missing dependency.
"""

from __future__ import annotations

import importlib
import logging
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from checkpoint.drivers.address import parse_address
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderConfigError, ReaderError, ReaderUnavailable

from checkpoint.extras import MissingExtra

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "checkpoint.readers"

# key -> "module:Class". The simulator lives in checkpoint.mocks and is reached only through this entry.
BUILTIN_DRIVERS: dict[str, str] = {
    "sim": "checkpoint.mocks.sim_reader:SimReader",
    "serial": "checkpoint.drivers.serial_reader:SerialReader",
    "usb": "checkpoint.drivers.usb_wedge:UsbWedgeReader",
    "usb:hid-wedge": "checkpoint.drivers.usb_wedge:UsbWedgeReader",
    "usb:access-is-hid": "checkpoint.drivers.usb_access_is:AccessIsHidReader",
    "sim:hid-wedge": "checkpoint.mocks.usb_sim:SimWedgeReader",
    "sane": "checkpoint.drivers.sane_reader:SaneReader",
    "folder": "checkpoint.drivers.folder:FolderReader",
    "pcsc": "checkpoint.drivers.pcsc_reader:PcscReader",
}


class ReaderPluginWarning(UserWarning):
    """A third-party driver's entry point was not used (its name is a built-in driver's)."""


# Entry points already reported, so that a conflict is warned about once per process.
_reported: set[tuple[str, str]] = set()


def _table() -> dict[str, str]:
    table = dict(BUILTIN_DRIVERS)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in BUILTIN_DRIVERS:
            if (entry.name, entry.value) not in _reported:
                _reported.add((entry.name, entry.value))
                owner = entry.dist.name if entry.dist is not None else "an installed distribution"
                warnings.warn(
                    f"the {ENTRY_POINT_GROUP!r} entry point {entry.name} = {entry.value} of {owner} reuses "
                    f"the name of a built-in driver and is not used; register it under another name "
                    f"(e.g. {entry.name.partition(':')[0]}:YOUR-PROTOCOL)",
                    ReaderPluginWarning,
                    stacklevel=3,
                )
            continue
        table.setdefault(entry.name, entry.value)
    return table


def _load(key: str, target: str) -> type[Reader]:
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except MissingExtra as exc:
        raise ReaderUnavailable(f"the {key!r} reader driver cannot be loaded: {exc}") from exc
    except ImportError as exc:
        # Name the module that is really missing (a plugin's own dependency, say), not just the plugin.
        missing = exc.name or module_name
        whose = (
            ""
            if key in BUILTIN_DRIVERS
            else f" {target!r} (registered as a {ENTRY_POINT_GROUP!r} entry point)"
        )
        raise ReaderUnavailable(
            f"the {key!r} reader driver{whose} cannot be loaded: the Python module {missing!r} is missing ({exc})"
        ) from exc
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, Reader)):
        raise ReaderUnavailable(f"the {key!r} reader driver {target!r} is not a checkpoint Reader class")
    return cls


def driver_class(scheme: str, protocol: str | None = None) -> type[Reader]:
    """Return the driver class for ``scheme`` (and ``protocol``).

    Raises :class:`ReaderConfigError` listing the known schemes and protocols when there is none, and
    :class:`ReaderUnavailable` when the driver's module cannot be imported.
    """
    table = _table()
    for key in ([f"{scheme}:{protocol}"] if protocol else []) + [scheme]:
        if key in table:
            return _load(key, table[key])
    known = ", ".join(sorted(table)) or "none"
    if protocol and any(key.startswith(f"{scheme}:") or key == scheme for key in table):
        protocols = sorted(key.partition(":")[2] for key in table if key.startswith(f"{scheme}:"))
        raise ReaderConfigError(
            f"no {scheme!r} reader speaks protocol {protocol!r}; known protocols: {', '.join(protocols)}"
        )
    raise ReaderConfigError(f"no reader driver for the scheme {scheme!r}; known drivers: {known}")


def make_reader(url: str, **options: Any) -> Reader:
    """Return an unopened reader for ``url``; ``options`` override the address's own.

    Its :meth:`Reader.events` opens it, and waits for the device when it is not there yet. Raises
    :class:`ReaderConfigError` or :class:`ReaderUnavailable`.
    """
    address = parse_address(url)
    chip_url = options.pop("chip", None) or address.options.get("chip")
    if isinstance(chip_url, str) and address.scheme != "pcsc":
        # A data-page reader paired with a chip antenna: see checkpoint.drivers.chip_pairing.
        from checkpoint.drivers.chip_pairing import pair

        return pair(address, chip_url, make_reader, options)
    protocol = options.get("protocol", address.options.get("protocol"))
    cls = driver_class(address.scheme, protocol if isinstance(protocol, str) else None)
    return cls(address, **options)


def open_reader(url: str, **options: Any) -> Reader:
    """Return the reader for ``url``, opened. Use it as a context manager.

    Raises :class:`ReaderConfigError` for a malformed address or option, and the other
    :class:`ReaderError` subclasses when the device cannot be opened.
    """
    reader = make_reader(url, **options)
    reader.open()
    return reader


@dataclass(frozen=True, slots=True)
class DetectedReader:
    """A device found by :func:`list_readers`, with the address that opens it."""

    url: str
    description: str
    device: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str = ""


Discoverer = Callable[[], Iterable[DetectedReader]]


def list_readers(discoverers: Iterable[Discoverer] | None = None) -> list[DetectedReader]:
    """Return the reader devices found on this machine, with the address to open each.

    ``discoverers`` replaces the built-in discovery (each driver class's ``discover`` classmethod), so
    tests can list simulated devices. A driver whose dependencies are missing is skipped.
    """
    if discoverers is None:
        found: list[Discoverer] = []
        for key, target in _table().items():
            try:
                cls = _load(key, target)
            except ReaderError as exc:
                log.debug("list_readers: skipping %s: %s", key, exc)
                continue
            discover = getattr(cls, "discover", None)
            if discover is not None and discover not in found:
                found.append(discover)
        discoverers = found
    readers: list[DetectedReader] = []
    for discover in discoverers:
        readers.extend(discover())
    return readers
