"""USB transport through pyusb: find a reader, take its HID interface from the kernel, move reports.

Knows nothing of MRZs. Converts pyusb's errors at the boundary: ``ENODEV`` becomes
:class:`ReaderDisconnected`, ``EACCES`` a :class:`ReaderPermissionDenied` naming the udev rule to
install, a timeout is no error at all (``read`` returns ``None``), a stalled endpoint is cleared once.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

from checkpoint.drivers.errors import (
    ReaderConfigError,
    ReaderDisconnected,
    ReaderIOError,
    ReaderNotFound,
    ReaderPermissionDenied,
    ReaderUnavailable,
)

log = logging.getLogger(__name__)

UDEV_RULES: Final = Path(__file__).with_name("60-checkpoint-readers.rules")
BACKEND_NAMES: Final = ("auto", "libusb1", "libusb0", "libusb-package")

_INSTALL_HINTS: Final = {
    "libusb1": "install libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0), or use backend=libusb-package",
    "libusb0": "install libusb-0.1 (Debian/Ubuntu: apt install libusb-0.1-4), or use backend=libusb1",
    "libusb-package": "install the Python package libusb-package (pip install libusb-package)",
    "auto": "install libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0) or pip install libusb-package",
}

HID_CLASS: Final = 3
ENDPOINT_IN: Final = 0x80
TRANSFER_INTERRUPT: Final = 0x03

# HID class request SET_REPORT (HID 1.11 §7.2.2): host-to-device, class, interface.
SET_REPORT_REQUEST_TYPE: Final = 0x21
SET_REPORT: Final = 0x09
OUTPUT_REPORT: Final = 0x0200

InterfaceMatch = Callable[[Any], bool]


def load_backend(spec: object) -> Any:
    """Return the pyusb backend that ``spec`` names, or ``spec`` itself when it is a backend object.

    ``auto`` (or ``None``) tries the system libusb-1.0, then the one bundled by ``libusb-package``, then
    libusb-0.1. Raises :class:`ReaderUnavailable` when the named library cannot be loaded and
    :class:`ReaderConfigError` for an unknown name.
    """
    if spec is not None and not isinstance(spec, str):
        if not callable(getattr(spec, "enumerate_devices", None)):
            raise ReaderConfigError(f"backend={spec!r} is not a pyusb backend (usb.backend.IBackend)")
        return spec
    name = spec or "auto"
    if name not in BACKEND_NAMES:
        raise ReaderConfigError(f"unknown USB backend {name!r}; expected one of {', '.join(BACKEND_NAMES)}")
    for candidate in ("libusb1", "libusb-package", "libusb0") if name == "auto" else (name,):
        backend = _load_named(candidate)
        if backend is not None:
            log.debug("usb: using the %s backend", candidate)
            return backend
    raise ReaderUnavailable(f"the USB library for backend={name} could not be loaded: {_INSTALL_HINTS[name]}")


def _load_named(name: str) -> Any:
    try:
        if name == "libusb-package":
            import libusb_package

            return libusb_package.get_libusb1_backend()
        if name == "libusb0":
            import usb.backend.libusb0

            return usb.backend.libusb0.get_backend()
        import usb.backend.libusb1

        return usb.backend.libusb1.get_backend()
    except ImportError as exc:
        log.debug("usb: backend %s not importable: %s", name, exc)
        return None


def parse_vid_pid(target: str) -> tuple[int, int]:
    """Return ``(vid, pid)`` from ``"0db5:013a"``; raise ``ValueError`` when it is not that form."""
    vid_text, sep, pid_text = target.partition(":")
    try:
        if not sep or len(vid_text) != 4 or len(pid_text) != 4:
            raise ValueError
        return int(vid_text, 16), int(pid_text, 16)
    except ValueError:
        raise ValueError(
            f"{target!r} is not a USB VID:PID pair of four hex digits each, e.g. 0db5:013a"
        ) from None


def find_devices(backend: Any, **match: Any) -> Iterator[Any]:
    """Yield the pyusb devices matching the descriptor fields in ``match``; nothing when USB cannot be listed."""
    import usb.core

    try:
        yield from usb.core.find(find_all=True, backend=backend, **match)
    except usb.core.USBError as exc:
        log.debug("usb: cannot list devices: %s", exc)


def hid_interfaces(device: Any) -> Iterator[Any]:
    """Yield the HID interfaces of ``device``'s first configuration."""
    import usb.core

    try:
        configuration = device[0]
    except (IndexError, ValueError, usb.core.USBError) as exc:
        log.debug("usb: %04x:%04x has no configuration: %s", device.idVendor, device.idProduct, exc)
        return
    for interface in configuration:
        if interface.bInterfaceClass == HID_CLASS:
            yield interface


def _errno(exc: BaseException) -> int | None:
    return getattr(exc, "errno", None) or getattr(exc, "backend_error_code", None)


def permission_message(vid: int, pid: int) -> str:
    """Return what to tell a person who may not open the device ``vid:pid``."""
    return (
        f"no permission to open the USB reader {vid:04x}:{pid:04x}. Install the udev rule shipped with "
        f"checkpoint: sudo cp {UDEV_RULES} /etc/udev/rules.d/60-checkpoint-readers.rules && sudo udevadm "
        "control --reload && sudo udevadm trigger, then unplug and replug the reader (see docs/usb.md)"
    )


class HidInterface:
    """One HID interface of one USB device, taken from the kernel driver and claimed for our reads.

    ``open`` finds the device by VID:PID, detaches the kernel driver if one is bound, and claims the
    interface; ``close`` releases it and gives it back to the kernel. Safe to close after a failed open.
    """

    def __init__(self, backend: Any, vid: int, pid: int, match: InterfaceMatch, *, what: str) -> None:
        self.backend = backend
        self.vid = vid
        self.pid = pid
        self.match = match
        self.what = what
        self.device: Any = None
        self.number = 0
        self.in_endpoint = 0
        self.in_size = 8
        self.out_endpoint: int | None = None
        self._detached = False
        self._claimed = False

    @property
    def name(self) -> str:
        """The device as messages name it: ``0db5:013a``."""
        return f"{self.vid:04x}:{self.pid:04x}"

    def open(self) -> None:
        """Find and claim the interface. Raises :class:`ReaderNotFound`, :class:`ReaderPermissionDenied`
        or :class:`ReaderIOError`."""
        import usb.core
        import usb.util

        devices = list(find_devices(self.backend, idVendor=self.vid, idProduct=self.pid))
        if not devices:
            raise ReaderNotFound(f"no USB device {self.name} is connected (looking for {self.what})")
        device = devices[0]
        self.device = device
        interface = next((i for i in hid_interfaces(device) if self.match(i)), None)
        if interface is None:
            raise ReaderNotFound(f"the USB device {self.name} has no interface for {self.what}")
        self.number = interface.bInterfaceNumber
        for endpoint in interface:
            if endpoint.bmAttributes & 0x03 != TRANSFER_INTERRUPT:
                continue
            if endpoint.bEndpointAddress & ENDPOINT_IN:
                self.in_endpoint, self.in_size = endpoint.bEndpointAddress, endpoint.wMaxPacketSize
            else:
                self.out_endpoint = endpoint.bEndpointAddress
        if not self.in_endpoint:
            raise ReaderNotFound(
                f"the USB device {self.name} has no interrupt IN endpoint on interface {self.number}"
            )
        try:
            if self._kernel_driver_active():
                device.detach_kernel_driver(self.number)
                self._detached = True
                log.debug("usb %s: detached the kernel driver from interface %d", self.name, self.number)
            usb.util.claim_interface(device, self.number)
            self._claimed = True
        except usb.core.USBError as exc:
            raise self._convert(exc, "claim interface") from exc

    def _kernel_driver_active(self) -> bool:
        try:
            return bool(self.device.is_kernel_driver_active(self.number))
        except NotImplementedError:
            return False  # macOS and Windows have no kernel-driver detaching

    def read(self, timeout: float) -> bytes | None:
        """Return the next IN report, or ``None`` when none comes within ``timeout`` seconds.

        Raises :class:`ReaderDisconnected` when the device went away and :class:`ReaderIOError` for
        other transfer failures. A stalled endpoint is cleared and read again once.
        """
        import usb.core

        milliseconds = max(1, int(timeout * 1000))
        for attempt in (1, 2):
            try:
                data = self.device.read(self.in_endpoint, self.in_size, milliseconds)
            except usb.core.USBTimeoutError:
                return None
            except usb.core.USBError as exc:
                code = _errno(exc)
                if code == errno.ETIMEDOUT:
                    return None
                if code == errno.EPIPE and attempt == 1:
                    log.debug(
                        "usb %s: endpoint 0x%02x stalled; clearing the halt", self.name, self.in_endpoint
                    )
                    self._clear_halt()
                    continue
                raise self._convert(exc, "read") from exc
            report = bytes(data)
            log.debug("usb %s: in %s", self.name, report.hex(" "))
            return report
        return None  # pragma: no cover - the loop returns or raises

    def _clear_halt(self) -> None:
        import usb.core

        try:
            self.device.clear_halt(self.in_endpoint)
        except usb.core.USBError as exc:
            raise self._convert(exc, "clear the stalled endpoint") from exc

    def write_report(self, report: bytes, timeout: float = 1.0) -> None:
        """Send an output report: on the interrupt OUT endpoint, or by SET_REPORT when there is none.

        Raises :class:`ReaderDisconnected` or :class:`ReaderIOError`.
        """
        import usb.core

        log.debug("usb %s: out %s", self.name, report.hex(" "))
        milliseconds = max(1, int(timeout * 1000))
        try:
            if self.out_endpoint is not None:
                self.device.write(self.out_endpoint, report, milliseconds)
            else:
                self.device.ctrl_transfer(
                    SET_REPORT_REQUEST_TYPE, SET_REPORT, OUTPUT_REPORT, self.number, report, milliseconds
                )
        except usb.core.USBError as exc:
            raise self._convert(exc, "send a report") from exc

    def close(self) -> None:
        """Release the interface, give it back to the kernel driver and free the handle. Never raises."""
        import usb.core
        import usb.util

        device, self.device = self.device, None
        if device is None:
            return
        steps: list[tuple[str, Callable[[], object]]] = []
        if self._claimed:
            steps.append(("release interface", lambda: usb.util.release_interface(device, self.number)))
        if self._detached:
            steps.append(("re-attach the kernel driver", lambda: device.attach_kernel_driver(self.number)))
        steps.append(("free the device", lambda: usb.util.dispose_resources(device)))
        for what, step in steps:
            try:
                step()
            except (usb.core.USBError, NotImplementedError) as exc:
                # An unplugged device cannot be released or re-attached; the kernel does it on replug.
                log.debug("usb %s: could not %s: %s", self.name, what, exc)
        self._claimed = self._detached = False

    def _convert(self, exc: BaseException, doing: str) -> Exception:
        code = _errno(exc)
        if code == errno.ENODEV:
            return ReaderDisconnected(f"the USB reader {self.name} was unplugged ({doing}: {exc})")
        if code in (errno.EACCES, errno.EPERM):
            return ReaderPermissionDenied(permission_message(self.vid, self.pid))
        if code == errno.EBUSY:
            return ReaderIOError(
                f"the USB reader {self.name} is in use by another program (interface {self.number} busy); "
                "close the other program and try again"
            )
        return ReaderIOError(f"USB reader {self.name}: could not {doing}: {exc}")
