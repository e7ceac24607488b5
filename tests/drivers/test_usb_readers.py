"""USB readers end to end through ``open_reader(url, backend=mock)``: reads, faults, clean-up."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from checkpoint.drivers import (
    DocumentRead,
    MalformedFrame,
    Reader,
    ReaderConfigError,
    ReaderEvent,
    ReaderIOError,
    ReaderNotFound,
    ReaderPermissionDenied,
    ReaderStatus,
    ReaderUnavailable,
    make_reader,
    open_reader,
    usb_transport,
)
from checkpoint.drivers.framing_access_is import encode_mrz
from checkpoint.drivers.usb_access_is import report_payload
from checkpoint.drivers.usb_devices import connected_readers
from checkpoint.drivers.usb_transport import UDEV_RULES, load_backend
from checkpoint.mocks.usb_backend import MockUsbBackend, Pause, Stall, Unplug
from checkpoint.mocks.usb_reports import LINE_ENDS, LineEnd, access_is_hid_reports

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
DOCUMENTS = {"TD1": TD1, "TD2": TD2, "TD3": TD3}

WEDGE = "usb://0db5:013a?protocol=hid-wedge"
ACCESS_IS = "usb://0db5:013b?protocol=access-is-hid"
CLEAN_CLOSE = ["open", "detach 0", "claim 0", "release 0", "attach 0", "close"]


@pytest.fixture
def backend() -> MockUsbBackend:
    return MockUsbBackend()


def documents(events: Iterator[ReaderEvent]) -> list[tuple[str, ...]]:
    return [event.lines for event in events if isinstance(event, DocumentRead)]


def read(reader: Reader, count: int = 1, timeout: float = 5.0) -> list[tuple[str, ...]]:
    """Return the first ``count`` documents the reader reads (fewer if it falls silent for ``timeout``)."""
    found: list[tuple[str, ...]] = []
    for event in reader.events(timeout=timeout):
        if isinstance(event, DocumentRead):
            found.append(event.lines)
            if len(found) == count:
                break
    return found


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
@pytest.mark.parametrize("layout_name", ["us", "uk", "de", "fr"])
def test_wedge_reads_td1_td2_td3_in_every_layout(
    backend: MockUsbBackend, kind: str, layout_name: str
) -> None:
    device = backend.plug("access-is-wedge")
    device.type_document(DOCUMENTS[kind], layout_name=layout_name)
    with open_reader(f"{WEDGE}&layout={layout_name}", backend=backend) as reader:
        assert read(reader) == [DOCUMENTS[kind]]
    assert device.history == CLEAN_CLOSE
    assert device.kernel_driver == {0: True} and device.claimed == set()


@pytest.mark.parametrize("line_end", LINE_ENDS)
def test_wedge_reads_every_line_end_setting(backend: MockUsbBackend, line_end: LineEnd) -> None:
    device = backend.plug("arh-wedge")
    device.type_document(TD1, line_end=line_end, release="on-repeat")
    device.queue(Pause(0.2))  # without line ends only silence tells one document from the next
    device.type_document(TD3, line_end=line_end)
    with open_reader("usb://1b52:4301?protocol=hid-wedge&silence=0.1", backend=backend) as reader:
        assert read(reader, 2) == [TD1, TD3]


def test_the_wrong_layout_gives_wrong_characters_and_a_warning(
    backend: MockUsbBackend, caplog: pytest.LogCaptureFixture
) -> None:
    backend.plug("access-is-wedge").type_document(TD3, layout_name="de")
    with open_reader(WEDGE, backend=backend) as reader:
        (lines,) = read(reader)
    assert lines[0].startswith("P\\UTOERIKSSON\\\\ANNA\\MARIA")
    assert "layout" in caplog.text and "ERIKSSON" not in caplog.text


def test_a_repeated_key_without_release_reads_a_short_line(backend: MockUsbBackend) -> None:
    backend.plug("access-is-wedge").type_document(TD3, release="never")
    with open_reader(f"{WEDGE}&silence=0.1", backend=backend) as reader:
        (lines,) = read(reader)
    assert lines == ("P<UTOERIKSON<ANA<MARIA<", "L898902C36UTO740812F1204159ZE18426B<10")


def test_a_silent_reader_is_not_an_error(backend: MockUsbBackend) -> None:
    device = backend.plug("access-is-wedge")
    device.queue(Pause(0.2))
    with open_reader(WEDGE, backend=backend) as reader:
        events = list(reader.events(timeout=0.4))
    assert [type(event) for event in events] == [ReaderStatus]
    assert device.history == CLEAN_CLOSE


def test_a_stalled_endpoint_is_cleared_and_the_read_goes_on(backend: MockUsbBackend) -> None:
    device = backend.plug("access-is-wedge")
    device.queue(Stall())
    device.type_document(TD2)
    with open_reader(WEDGE, backend=backend) as reader:
        assert read(reader) == [TD2]
    assert "stall 0x81" in device.history and "clear_halt 0x81" in device.history


def test_an_endpoint_that_stays_stalled_is_an_io_error_and_the_reader_recovers(
    backend: MockUsbBackend,
) -> None:
    device = backend.plug("access-is-wedge")
    device.queue(Stall(), Stall())
    device.type_document(TD2)
    with open_reader(WEDGE, backend=backend) as reader:
        events = list(reader.events(timeout=1.0))
    states = [event.state for event in events if isinstance(event, ReaderStatus)]
    assert states == ["connected", "disconnected", "connected"]
    assert documents(iter(events)) == [TD2]
    # The interface was given back after the error and taken again on reopening.
    assert device.history.count("attach 0") == 2 and device.history.count("claim 0") == 2


def test_unplug_mid_document_reports_the_partial_read_then_resumes_on_replug(backend: MockUsbBackend) -> None:
    device = backend.plug("access-is-wedge")
    typed = device.type_document(TD3)
    device.script.clear()
    device.queue(*typed[:60], Unplug())
    events: list[ReaderEvent] = []
    with open_reader(WEDGE, backend=backend) as reader:
        for event in reader.events(timeout=2.0):
            events.append(event)
            if isinstance(event, ReaderStatus) and event.state == "disconnected":
                threading.Timer(0.1, device.replug).start()
                device.type_document(TD1)
            if isinstance(event, DocumentRead):
                break
    kinds = [(type(event).__name__, getattr(event, "state", "")) for event in events]
    assert kinds == [
        ("ReaderStatus", "connected"),
        ("MalformedFrame", ""),
        ("ReaderStatus", "disconnected"),
        ("ReaderStatus", "connected"),
        ("DocumentRead", ""),
    ]
    partial = events[1]
    assert isinstance(partial, MalformedFrame) and partial.raw == b"".join(typed[:60])
    assert "unplugged" in events[2].detail  # type: ignore[attr-defined]
    assert documents(iter(events)) == [TD1]
    # Releasing the unplugged device failed quietly; after the replug it was cleaned up properly.
    assert device.history[-4:] == ["claim 0", "release 0", "attach 0", "close"]
    assert "release 0 failed: ENODEV" in device.history


def test_a_reader_not_plugged_in_is_not_found_and_events_wait_for_it(backend: MockUsbBackend) -> None:
    with pytest.raises(ReaderNotFound, match="0db5:013a"):
        open_reader(WEDGE, backend=backend)
    reader = make_reader(WEDGE, backend=backend)
    device = backend.plug("access-is-wedge")
    device.unplug()
    threading.Timer(0.2, device.replug).start()
    device.type_document(TD3)
    try:
        events = list(reader.events(timeout=0.8))
    finally:
        reader.close()
    assert [event.state for event in events if isinstance(event, ReaderStatus)] == [
        "disconnected",
        "connected",
    ]
    assert documents(iter(events)) == [TD3]


def test_no_permission_names_the_udev_rule_and_claims_nothing(backend: MockUsbBackend) -> None:
    device = backend.plug("access-is-wedge")
    device.deny_access = True
    with pytest.raises(ReaderPermissionDenied) as caught:
        open_reader(WEDGE, backend=backend)
    assert str(UDEV_RULES) in str(caught.value) and "/etc/udev/rules.d/60-checkpoint-readers.rules" in str(
        caught.value
    )
    assert UDEV_RULES.is_file()
    assert device.history == ["open denied"]


def test_an_interface_held_by_another_program_is_given_back_to_the_kernel(backend: MockUsbBackend) -> None:
    device = backend.plug("access-is-wedge")
    device.held_elsewhere.add(0)
    with pytest.raises(ReaderIOError, match="in use by another program"):
        open_reader(WEDGE, backend=backend)
    assert device.history == ["open", "detach 0", "claim 0 failed: EBUSY", "attach 0", "close"]
    assert device.kernel_driver == {0: True}


def test_auto_finds_the_reader_and_leaves_a_plain_keyboard_alone(backend: MockUsbBackend) -> None:
    keyboard = backend.plug("keyboard")
    device = backend.plug("desko-wedge")
    backend.plug("access-is-hid")
    device.type_document(TD3)
    with open_reader("usb://auto?protocol=hid-wedge", backend=backend) as reader:
        assert "DESKO" in reader.describe()
        assert read(reader) == [TD3]
    assert keyboard.history == []
    found = {(f.vid, f.pid, f.reader.protocol) for f in connected_readers(backend)}
    assert found == {(0x1AC2, 0x0100, "hid-wedge"), (0x0DB5, 0x013B, "access-is-hid")}


def test_auto_with_no_reader_says_how_to_name_one(backend: MockUsbBackend) -> None:
    backend.plug("keyboard")
    with pytest.raises(ReaderNotFound, match=r"usb://VID:PID\?protocol=hid-wedge"):
        open_reader("usb://auto", backend=backend)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("usb://0db5?protocol=hid-wedge", "VID:PID"),
        ("usb://0db5:013a?protocol=hid-wedge&layout=jp", "layout=us|uk|de|fr"),
        ("usb://0db5:013a?protocol=morse", "protocol=hid-wedge|access-is-hid"),
        ("usb://0db5:013a?backend=winusb", "libusb-package"),
        ("usb://0db5:013a?silence=-1", "greater than 0"),
        ("usb://0db5:013a?baud=9600", "unknown option 'baud'"),
    ],
)
def test_bad_addresses_say_what_is_expected(url: str, message: str) -> None:
    with pytest.raises(ReaderConfigError, match=message):
        make_reader(url)


def test_a_backend_option_that_is_no_backend_is_refused() -> None:
    with pytest.raises(ReaderConfigError, match="not a pyusb backend"):
        open_reader(WEDGE, backend=object())


# -- Access-IS in HID mode ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "payload"),
    [
        ("03 1c 02 50 00 00", "1c 02 50"),
        ("83 1c 02 50 00 00", "1c 02 50"),  # bit 7 of the length byte is masked off
        ("00 00 00", ""),
        ("05 03 1d", "03 1d"),  # says more than it carries: what is there
        ("", ""),
    ],
)
def test_report_payload(report: str, payload: str) -> None:
    assert report_payload(bytes.fromhex(report)) == bytes.fromhex(payload)


@pytest.mark.parametrize("chunk", [1, 2, 7, 30, 63])
def test_access_is_frames_are_reassembled_across_reports(chunk: int) -> None:
    from checkpoint.drivers.framing_access_is import AccessIsFramer

    framer = AccessIsFramer()
    frames = []
    for report in access_is_hid_reports(encode_mrz(TD3), chunk=chunk, flag=chunk % 2 == 1):
        frames.extend(framer.feed(report_payload(report), 0.0))
    assert [frame.lines for frame in frames] == [TD3]  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_access_is_hid_reads_td1_td2_td3_after_enabling_ocr(backend: MockUsbBackend, kind: str) -> None:
    device = backend.plug("access-is-hid")
    device.read_document(DOCUMENTS[kind], chunk=20)
    assert not device.ocr_enabled
    with open_reader(ACCESS_IS, backend=backend) as reader:
        assert read(reader) == [DOCUMENTS[kind]]
    assert device.history == [
        "open",
        "detach 0",
        "claim 0",
        "write 0x02 02 80 00 00 00 00 00 00",
        "release 0",
        "attach 0",
        "close",
    ]


def test_access_is_hid_without_out_endpoint_enables_ocr_by_set_report(backend: MockUsbBackend) -> None:
    device = backend.plug("access-is-hid-ep0")
    device.read_document(TD3)
    with open_reader("usb://0db5:0127?protocol=access-is-hid", backend=backend) as reader:
        assert read(reader) == [TD3]
    assert "set_report 0x0200 02 80 00 00 00 00 00 00" in device.history


def test_access_is_hid_enables_ocr_again_after_a_replug(backend: MockUsbBackend) -> None:
    device = backend.plug("access-is-hid")
    device.queue(Unplug())
    with open_reader(ACCESS_IS, backend=backend) as reader:
        for event in reader.events(timeout=2.0):
            if isinstance(event, ReaderStatus) and event.state == "disconnected":
                device.replug()
                device.read_document(TD1)
            if isinstance(event, DocumentRead):
                assert event.lines == TD1
                break
        else:
            pytest.fail("no document after the replug")
    assert device.history.count("write 0x02 02 80 00 00 00 00 00 00") == 2


# -- backends ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["auto", "libusb1", "libusb-package"])
def test_named_backends_load_a_libusb(name: str) -> None:
    """libusb-1.0 (tools/setup.sh) and libusb-package (a dependency) are installed wherever tests run."""
    backend = load_backend(name)
    assert callable(backend.enumerate_devices)


def test_a_backend_that_cannot_load_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkpoint.drivers.usb_wedge import UsbWedgeReader

    assert UsbWedgeReader.is_usable()
    monkeypatch.setattr(usb_transport, "_load_named", lambda name: None)
    assert not UsbWedgeReader.is_usable()
    assert UsbWedgeReader.discover() == []
    with pytest.raises(ReaderUnavailable, match=r"apt install libusb-0\.1-4"):
        load_backend("libusb0")
    with pytest.raises(ReaderUnavailable, match="pip install libusb-package"):
        open_reader(WEDGE)


def test_discovery_lists_each_connected_reader_once_with_the_address_that_opens_it(
    backend: MockUsbBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checkpoint.drivers import list_readers, registry, usb_reader

    # Only the USB entries (and the USB simulator, which must list nothing): other discoveries are slow.
    usb_entries = {key: target for key, target in registry.BUILTIN_DRIVERS.items() if "usb" in target}
    assert set(usb_entries) == {"usb", "usb:hid-wedge", "usb:access-is-hid", "sim:hid-wedge"}
    monkeypatch.setattr(registry, "BUILTIN_DRIVERS", usb_entries)
    backend.plug("keyboard")
    backend.plug("access-is-wedge")
    backend.plug("access-is-hid")
    monkeypatch.setattr(usb_reader, "load_backend", lambda name: backend)
    usb_found = list_readers()
    assert sorted((found.url, found.description) for found in usb_found) == [
        ("usb://0db5:013a?protocol=hid-wedge", "Access-IS reader (virtual keyboard)"),
        ("usb://0db5:013b?protocol=access-is-hid", "Access-IS reader (HID)"),
    ]
    for found in usb_found:
        with open_reader(found.url, backend=backend) as reader:
            assert f"{found.vid:04x}:{found.pid:04x}" in reader.describe()
