"""A pyusb backend (``usb.backend.IBackend``) with simulated passport readers plugged into it.

Pass it where pyusb takes a backend (``usb.core.find(backend=...)``, or
``open_reader("usb://0db5:013a?protocol=hid-wedge", backend=mock)``) and pyusb sees real descriptors,
reads scripted IN reports, and gets the errors libusb raises: ``USBTimeoutError`` (ETIMEDOUT) when
nothing is queued, ``USBError`` ENODEV after an unplug, EPIPE from a stalled endpoint, EACCES without
permission, EBUSY when claiming an interface the kernel driver still holds. Every kernel-driver detach,
claim, release, attach, halt clearing and output report is written to :attr:`MockUsbDevice.history` so
tests can assert that a driver cleaned up.

Use it like this::

    backend = MockUsbBackend()
    reader = backend.plug("access-is-wedge")
    reader.type_document(["P<UTO...", "L898902C36..."], layout_name="de", line_end="crlf")
"""

from __future__ import annotations

import array
import errno
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from checkpoint.extras import require

require("usb", "the simulated USB readers (checkpoint.mocks.usb_backend)")

import usb.backend  # noqa: E402
import usb.core  # noqa: E402
from checkpoint.mocks.usb_descriptors import (  # noqa: E402
    ConfigurationDescriptor,
    DeviceDescriptor,
    EndpointDescriptor,
    InterfaceDescriptor,
    UsbIdentity,
    identity,
)
from checkpoint.mocks.usb_reports import LineEnd, Release, access_is_mrz_reports, wedge_reports  # noqa: E402

ENABLE_OCR: Final = b"\x02\x80"
DISABLE_OCR: Final = b"\x02\x00"
LANGUAGE_EN_US: Final = 0x0409

_LIBUSB_ERRORS: Final = {
    errno.ENODEV: (-4, "No such device (it may have been disconnected)"),
    errno.EACCES: (-3, "Access denied (insufficient permissions)"),
    errno.EBUSY: (-6, "Resource busy"),
    errno.EPIPE: (-9, "Pipe error"),
    errno.ENOENT: (-5, "Entity not found"),
}


def usb_error(code: int) -> usb.core.USBError:
    """Return the ``USBError`` pyusb's libusb-1.0 backend raises for ``errno`` ``code``."""
    backend_code, text = _LIBUSB_ERRORS[code]
    return usb.core.USBError(text, backend_code, code)


def usb_timeout() -> usb.core.USBTimeoutError:
    """Return the ``USBTimeoutError`` pyusb's libusb-1.0 backend raises when a transfer times out."""
    return usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)


@dataclass(frozen=True, slots=True)
class Pause:
    """A script step: nothing arrives for ``seconds`` (the reader is silent)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Stall:
    """A script step: the IN endpoint stalls (EPIPE) until the host clears the halt."""


@dataclass(frozen=True, slots=True)
class Unplug:
    """A script step: the device is pulled out of the port."""


Step = bytes | Pause | Stall | Unplug


@dataclass(frozen=True, slots=True)
class _Handle:
    """What ``open_device`` returns: the device and the plug generation it was opened in."""

    device: MockUsbDevice
    generation: int


class MockUsbDevice:
    """One simulated reader plugged into a :class:`MockUsbBackend`."""

    def __init__(self, backend: MockUsbBackend, identity: UsbIdentity) -> None:
        self.backend = backend
        self.identity = identity
        self.history: list[str] = []
        self.plugged = True
        self.generation = 0
        self.deny_access = False
        # Interfaces another program has claimed: claiming them fails with EBUSY.
        self.held_elsewhere: set[int] = set()
        self.ocr_enabled = identity.speaks != "access-is-hid"
        self.kernel_driver: dict[int, bool] = {
            i.bInterfaceNumber: True for i in identity.configuration.interfaces
        }
        self.claimed: set[int] = set()
        self.halted: set[int] = set()
        self.script: deque[Step] = deque()
        # Called for more steps when the script runs out (a simulator presenting documents forever).
        self.refill: Callable[[], Iterable[Step]] | None = None
        self._silent_until: float | None = None

    @property
    def descriptor(self) -> DeviceDescriptor:
        """The device descriptor, with the current bus address."""
        return self.identity.device

    def __repr__(self) -> str:
        return f"MockUsbDevice({self.identity.name}, {self.descriptor.idVendor:04x}:{self.descriptor.idProduct:04x})"

    # -- what the test scripts -----------------------------------------------------------------

    def queue(self, *steps: Step) -> None:
        """Append reports and fault steps to what the device sends."""
        with self.backend.condition:
            self.script.extend(steps)
            self.backend.condition.notify_all()

    def type_document(
        self,
        lines: Sequence[str],
        *,
        layout_name: str = "us",
        line_end: LineEnd = "enter",
        release: Release = "always",
    ) -> list[bytes]:
        """Queue the reports a keyboard-wedge reader sends for a document; return them."""
        reports = wedge_reports(lines, layout_name=layout_name, line_end=line_end, release=release)
        self.queue(*reports)
        return reports

    def read_document(self, lines: Sequence[str], **options: int | bool) -> list[bytes]:
        """Queue the reports an Access-IS HID reader sends for a document; return them."""
        reports = access_is_mrz_reports(lines, **options)
        self.queue(*reports)
        return reports

    def unplug(self) -> None:
        """Pull the device out: it leaves the bus and open handles fail with ENODEV."""
        with self.backend.condition:
            if self.plugged:
                self.plugged = False
                self.claimed.clear()
                self.history.append("unplugged")
                self.backend.condition.notify_all()

    def replug(self) -> None:
        """Plug the device back in: a new address, the kernel driver bound again, OCR output off."""
        with self.backend.condition:
            if not self.plugged:
                self.generation += 1
                self.identity = self.identity.with_address(self.descriptor.bus, self.descriptor.address + 1)
                self.plugged = True
                self.halted.clear()
                self.kernel_driver = dict.fromkeys(self.kernel_driver, True)
                self.ocr_enabled = self.identity.speaks != "access-is-hid"
                self.history.append("replugged")
                self.backend.condition.notify_all()

    # -- what the backend does for pyusb ---------------------------------------------------------

    def check(self, handle: _Handle) -> None:
        """Raise ENODEV when ``handle`` belongs to an unplugged device or an earlier plug."""
        if not self.plugged or handle.generation != self.generation:
            raise usb_error(errno.ENODEV)

    def next_report(self, endpoint: int, timeout_ms: int, handle: _Handle) -> bytes:
        """Return the next report for an IN transfer, or raise what the scripted step calls for."""
        condition = self.backend.condition
        end = time.monotonic() + timeout_ms / 1000
        with condition:
            while True:
                self.check(handle)
                if endpoint in self.halted:
                    raise usb_error(errno.EPIPE)
                now = time.monotonic()
                if not self.script and self.refill is not None:
                    self.script.extend(self.refill())
                step = self.script[0] if self.script and self.ocr_enabled else None
                if isinstance(step, Pause) and self._silent_until is None:
                    self._silent_until = now + step.seconds
                if self._silent_until is not None and now >= self._silent_until:
                    self._silent_until = None
                    self.script.popleft()
                    continue
                if step is not None and not isinstance(step, Pause):
                    self.script.popleft()
                    if isinstance(step, Stall):
                        self.halted.add(endpoint)
                        self.history.append(f"stall 0x{endpoint:02x}")
                        raise usb_error(errno.EPIPE)
                    if isinstance(step, Unplug):
                        self.plugged = False
                        self.claimed.clear()
                        self.history.append("unplugged")
                        raise usb_error(errno.ENODEV)
                    return step
                wake = end if self._silent_until is None else min(end, self._silent_until)
                if now >= end:
                    raise usb_timeout()
                condition.wait(wake - now)

    def output_report(self, data: bytes, how: str) -> None:
        """Take an output report from the host (an Access-IS command, or anything else, recorded)."""
        self.history.append(f"{how} {data.hex(' ')}")
        if self.identity.speaks == "access-is-hid":
            with self.backend.condition:
                if data[:2] == ENABLE_OCR:
                    self.ocr_enabled = True
                elif data[:2] == DISABLE_OCR:
                    self.ocr_enabled = False
                self.backend.condition.notify_all()


class MockUsbBackend(usb.backend.IBackend):  # type: ignore[misc]
    """A pyusb backend whose devices are simulated readers. See :mod:`checkpoint.mocks.usb_backend`."""

    def __init__(self) -> None:
        super().__init__()
        self.devices: list[MockUsbDevice] = []
        self.condition = threading.Condition()

    def plug(self, reader: str | UsbIdentity) -> MockUsbDevice:
        """Plug in a reader (an identity or its name, see ``usb_descriptors.IDENTITIES``); return it."""
        chosen = identity(reader) if isinstance(reader, str) else reader
        with self.condition:
            chosen = chosen.with_address(1, len(self.devices) + 2)
            device = MockUsbDevice(self, chosen)
            self.devices.append(device)
            return device

    # -- enumeration and descriptors -----------------------------------------------------------

    def enumerate_devices(self) -> Iterator[MockUsbDevice]:
        with self.condition:
            return iter([device for device in self.devices if device.plugged])

    def get_parent(self, dev: MockUsbDevice) -> None:
        return None

    def get_device_descriptor(self, dev: MockUsbDevice) -> DeviceDescriptor:
        return dev.descriptor

    def get_configuration_descriptor(self, dev: MockUsbDevice, config: int) -> ConfigurationDescriptor:
        if config != 0:
            raise usb_error(errno.ENOENT)
        return dev.identity.configuration

    def get_interface_descriptor(
        self, dev: MockUsbDevice, intf: int, alt: int, config: int
    ) -> InterfaceDescriptor:
        interfaces = self.get_configuration_descriptor(dev, config).interfaces
        if alt != 0 or not 0 <= intf < len(interfaces):
            raise IndexError(f"no interface {intf} alternate {alt}")
        return interfaces[intf]

    def get_endpoint_descriptor(
        self, dev: MockUsbDevice, ep: int, intf: int, alt: int, config: int
    ) -> EndpointDescriptor:
        endpoints = self.get_interface_descriptor(dev, intf, alt, config).endpoints
        if not 0 <= ep < len(endpoints):
            raise IndexError(f"no endpoint {ep} on interface {intf}")
        return endpoints[ep]

    # -- handles, configuration, interfaces ----------------------------------------------------

    def open_device(self, dev: MockUsbDevice) -> _Handle:
        with self.condition:
            if not dev.plugged:
                raise usb_error(errno.ENODEV)
            if dev.deny_access:
                dev.history.append("open denied")
                raise usb_error(errno.EACCES)
            dev.history.append("open")
            return _Handle(dev, dev.generation)

    def close_device(self, dev_handle: _Handle) -> None:
        dev_handle.device.history.append("close")

    def get_configuration(self, dev_handle: _Handle) -> int:
        dev_handle.device.check(dev_handle)
        return dev_handle.device.identity.configuration.bConfigurationValue

    def set_configuration(self, dev_handle: _Handle, config_value: int) -> None:
        dev_handle.device.check(dev_handle)
        dev_handle.device.history.append(f"set configuration {config_value}")

    def set_interface_altsetting(self, dev_handle: _Handle, intf: int, altsetting: int) -> None:
        dev_handle.device.check(dev_handle)

    def is_kernel_driver_active(self, dev_handle: _Handle, intf: int) -> bool:
        device = dev_handle.device
        device.check(dev_handle)
        return device.kernel_driver[intf]

    def detach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        device = dev_handle.device
        device.check(dev_handle)
        if not device.kernel_driver[intf]:
            raise usb_error(errno.ENOENT)
        device.kernel_driver[intf] = False
        device.history.append(f"detach {intf}")

    def attach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        device = dev_handle.device
        try:
            device.check(dev_handle)
            if device.kernel_driver[intf] or intf in device.claimed:
                raise usb_error(errno.EBUSY)
        except usb.core.USBError as exc:
            device.history.append(f"attach {intf} failed: {errno.errorcode[exc.errno]}")
            raise
        device.kernel_driver[intf] = True
        device.history.append(f"attach {intf}")

    def claim_interface(self, dev_handle: _Handle, intf: int) -> None:
        device = dev_handle.device
        device.check(dev_handle)
        if device.kernel_driver[intf] or intf in device.held_elsewhere:
            device.history.append(f"claim {intf} failed: EBUSY")
            raise usb_error(errno.EBUSY)
        device.claimed.add(intf)
        device.history.append(f"claim {intf}")

    def release_interface(self, dev_handle: _Handle, intf: int) -> None:
        device = dev_handle.device
        try:
            device.check(dev_handle)
        except usb.core.USBError:
            device.history.append(f"release {intf} failed: ENODEV")
            raise
        device.claimed.discard(intf)
        device.history.append(f"release {intf}")

    # -- transfers -------------------------------------------------------------------------------

    def intr_read(self, dev_handle: _Handle, ep: int, intf: int, buff: array.array[int], timeout: int) -> int:
        device = dev_handle.device
        if intf not in device.claimed:
            device.check(dev_handle)
            raise usb_error(errno.ENOENT)
        data = device.next_report(ep, timeout, dev_handle)
        count = min(len(data), len(buff))
        buff[:count] = array.array("B", data[:count])
        return count

    def intr_write(
        self, dev_handle: _Handle, ep: int, intf: int, data: array.array[int], timeout: int
    ) -> int:
        device = dev_handle.device
        device.check(dev_handle)
        device.output_report(bytes(data), f"write 0x{ep:02x}")
        return len(data)

    def ctrl_transfer(
        self,
        dev_handle: _Handle,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: array.array[int],
        timeout: int,
    ) -> int:
        device = dev_handle.device
        device.check(dev_handle)
        if bmRequestType == 0x80 and bRequest == 0x06:  # GET_DESCRIPTOR
            answer = self._descriptor(device, wValue >> 8, wValue & 0xFF, wIndex)
            count = min(len(answer), len(data))
            data[:count] = array.array("B", answer[:count])
            return count
        if bmRequestType == 0x21 and bRequest == 0x09:  # HID SET_REPORT
            device.output_report(bytes(data), f"set_report 0x{wValue:04x}")
            return len(data)
        if bmRequestType == 0x21 and bRequest in (0x0A, 0x0B):  # HID SET_IDLE, SET_PROTOCOL
            device.history.append(f"{'set_idle' if bRequest == 0x0A else 'set_protocol'} 0x{wValue:04x}")
            return 0
        raise usb_error(errno.EPIPE)  # a device stalls requests it does not support

    def _descriptor(self, device: MockUsbDevice, kind: int, index: int, language: int) -> bytes:
        if kind == 1:
            return device.descriptor.pack()
        if kind == 2 and index == 0:
            return device.identity.configuration.pack()
        if kind == 3:
            if index == 0:
                return bytes([4, 3]) + LANGUAGE_EN_US.to_bytes(2, "little")
            strings = device.identity.strings
            if 1 <= index <= len(strings):
                text = strings[index - 1].encode("utf-16-le")
                return bytes([2 + len(text), 3]) + text
        raise usb_error(errno.EPIPE)

    def clear_halt(self, dev_handle: _Handle, ep: int) -> None:
        device = dev_handle.device
        device.check(dev_handle)
        with self.condition:
            device.halted.discard(ep)
        device.history.append(f"clear_halt 0x{ep:02x}")

    def reset_device(self, dev_handle: _Handle) -> None:
        dev_handle.device.check(dev_handle)
        dev_handle.device.history.append("reset")
