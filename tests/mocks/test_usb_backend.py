"""The mock pyusb backend as pyusb itself sees it: descriptors, transfers, errors, the record it keeps."""

from __future__ import annotations

import errno
import time

import pytest
import usb.control
import usb.core
import usb.util
from checkpoint.mocks.usb_backend import MockUsbBackend, Pause, Stall, Unplug
from checkpoint.mocks.usb_descriptors import IDENTITIES, identity
from checkpoint.mocks.usb_reports import access_is_hid_reports, wedge_reports

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def find(backend: MockUsbBackend, vid: int, pid: int) -> usb.core.Device:
    device = usb.core.find(backend=backend, idVendor=vid, idProduct=pid)
    assert device is not None
    return device


def test_pyusb_sees_a_boot_keyboard_reader_with_real_descriptors() -> None:
    backend = MockUsbBackend()
    backend.plug("access-is-wedge")
    device = find(backend, 0x0DB5, 0x013A)
    assert (device.manufacturer, device.product, device.serial_number) == (
        "Access IS",
        "OCR315 Keyboard",
        "SIM0001",
    )
    interface = device.get_active_configuration()[(0, 0)]
    assert (interface.bInterfaceClass, interface.bInterfaceSubClass, interface.bInterfaceProtocol) == (
        3,
        1,
        1,
    )
    (endpoint,) = list(interface)
    assert endpoint.bEndpointAddress == 0x81 and endpoint.wMaxPacketSize == 8
    assert usb.util.endpoint_type(endpoint.bmAttributes) == usb.util.ENDPOINT_TYPE_INTR
    assert bytes(interface.extra_descriptors)[:2] == b"\x09\x21"  # the HID class descriptor
    raw = bytes(usb.control.get_descriptor(device, 18, usb.util.DESC_TYPE_DEVICE, 0))
    assert raw == bytes.fromhex("12 01 00 02 00 00 00 08 b5 0d 3a 01 00 01 01 02 03 01")
    configuration = bytes(usb.control.get_descriptor(device, 255, usb.util.DESC_TYPE_CONFIG, 0))
    assert len(configuration) == int.from_bytes(configuration[2:4], "little") == 9 + 9 + 9 + 7


@pytest.mark.parametrize("name", sorted(IDENTITIES))
def test_every_identity_enumerates_with_its_ids(name: str) -> None:
    backend = MockUsbBackend()
    backend.plug(name)
    chosen = identity(name)
    device = find(backend, chosen.device.idVendor, chosen.device.idProduct)
    assert device.product == chosen.strings[1]
    assert len(list(device.get_active_configuration())) == len(chosen.configuration.interfaces)


def test_the_stream_for_p_less_than_u_matches_the_datasheet_example() -> None:
    reports = wedge_reports(["P<U"], layout_name="us", line_end="enter")
    assert b"".join(reports).hex(" ") == (
        "02 00 13 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00 36 00 00 00 00 00 00 00 00 00 00 00 00 00 "
        "02 00 18 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 28 00 00 00 00 00 00 00 00 00 00 00 00 00"
    )


def test_german_crlf_stream() -> None:
    reports = wedge_reports(["Z<"], layout_name="de", line_end="crlf", release="on-repeat")
    assert [report.hex() for report in reports] == [
        "02001c0000000000",  # Z is where US has Y
        "0000640000000000",  # < is the ISO key, unshifted
        "0000280000000000",  # CR: Enter
        "01000d0000000000",  # LF: Ctrl+J
        "0000000000000000",
    ]


def test_access_is_reports_carry_a_length_byte_and_padding() -> None:
    reports = access_is_hid_reports(b"\x1c\x02ABC\x03\x1d", report_size=8, chunk=4, flag=True)
    assert [report.hex(" ") for report in reports] == ["84 1c 02 41 42 00 00 00", "83 43 03 1d 00 00 00 00"]


def test_reads_return_queued_reports_then_time_out_like_libusb() -> None:
    backend = MockUsbBackend()
    reader = backend.plug("access-is-wedge")
    reader.queue(b"\x02\x00\x13\x00\x00\x00\x00\x00")
    device = find(backend, 0x0DB5, 0x013A)
    device.detach_kernel_driver(0)
    assert bytes(device.read(0x81, 8, 100)) == b"\x02\x00\x13\x00\x00\x00\x00\x00"
    started = time.monotonic()
    with pytest.raises(usb.core.USBTimeoutError) as caught:
        device.read(0x81, 8, 50)
    assert caught.value.errno == errno.ETIMEDOUT
    assert time.monotonic() - started >= 0.04
    usb.util.dispose_resources(device)


def test_a_pause_is_silence_for_that_long() -> None:
    backend = MockUsbBackend()
    reader = backend.plug("access-is-wedge")
    reader.queue(Pause(0.15), b"\x00" * 8)
    device = find(backend, 0x0DB5, 0x013A)
    device.detach_kernel_driver(0)
    with pytest.raises(usb.core.USBTimeoutError):
        device.read(0x81, 8, 50)
    assert bytes(device.read(0x81, 8, 1000)) == b"\x00" * 8
    usb.util.dispose_resources(device)


def test_faults_raise_the_errors_libusb_raises() -> None:
    backend = MockUsbBackend()
    reader = backend.plug("access-is-wedge")
    reader.queue(Stall(), b"\x00" * 8, Unplug())
    device = find(backend, 0x0DB5, 0x013A)
    with pytest.raises(usb.core.USBError) as busy:
        usb.util.claim_interface(device, 0)  # the kernel's keyboard driver still holds it
    assert busy.value.errno == errno.EBUSY
    device.detach_kernel_driver(0)
    with pytest.raises(usb.core.USBError) as stalled:
        device.read(0x81, 8, 100)
    assert stalled.value.errno == errno.EPIPE
    with pytest.raises(usb.core.USBError):
        device.read(0x81, 8, 100)  # still halted
    device.clear_halt(0x81)
    assert bytes(device.read(0x81, 8, 100)) == b"\x00" * 8
    with pytest.raises(usb.core.USBError) as gone:
        device.read(0x81, 8, 100)
    assert gone.value.errno == errno.ENODEV
    assert usb.core.find(backend=backend, idVendor=0x0DB5) is None
    assert reader.history == [
        "open",
        "claim 0 failed: EBUSY",
        "detach 0",
        "claim 0",
        "stall 0x81",
        "clear_halt 0x81",
        "unplugged",
    ]


def test_no_permission_is_eacces() -> None:
    backend = MockUsbBackend()
    backend.plug("access-is-wedge").deny_access = True
    device = find(backend, 0x0DB5, 0x013A)
    with pytest.raises(usb.core.USBError) as caught:
        device.is_kernel_driver_active(0)
    assert caught.value.errno == errno.EACCES


def test_a_replugged_device_has_a_new_address_and_its_kernel_driver_back() -> None:
    backend = MockUsbBackend()
    reader = backend.plug("access-is-wedge")
    device = find(backend, 0x0DB5, 0x013A)
    device.detach_kernel_driver(0)
    reader.unplug()
    with pytest.raises(usb.core.USBError) as gone:
        device.read(0x81, 8, 10)
    assert gone.value.errno == errno.ENODEV
    reader.replug()
    again = find(backend, 0x0DB5, 0x013A)
    assert again.address == device.address + 1
    assert again.is_kernel_driver_active(0)
    with pytest.raises(usb.core.USBError):  # the old handle stays dead
        device.read(0x81, 8, 10)


def test_an_access_is_reader_sends_nothing_until_ocr_is_enabled() -> None:
    backend = MockUsbBackend()
    reader = backend.plug("access-is-hid")
    reader.read_document(TD3)
    device = find(backend, 0x0DB5, 0x013B)
    device.detach_kernel_driver(0)
    with pytest.raises(usb.core.USBTimeoutError):
        device.read(0x81, 64, 30)
    device.write(0x02, b"\x02\x80" + bytes(6), 100)
    first = bytes(device.read(0x81, 64, 100))
    assert first[0] == 63 and first[1:3] == b"\x1c\x02"
    assert "write 0x02 02 80 00 00 00 00 00 00" in reader.history
    usb.util.dispose_resources(device)


def test_unknown_identity_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="access-is-wedge"):
        MockUsbBackend().plug("no-such-reader")
