"""The serial driver against the simulators on real ptys: every protocol, every fault, unplug and replug."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import serial
from checkpoint.drivers import (
    DocumentPresent,
    DocumentRead,
    DocumentRemoved,
    MalformedFrame,
    Reader,
    ReaderConfigError,
    ReaderEvent,
    ReaderIOError,
    ReaderNotFound,
    ReaderPermissionDenied,
    ReaderStatus,
    list_readers,
    make_reader,
    open_reader,
    serial_discovery,
)
from checkpoint.drivers.serial_reader import SerialReader
from checkpoint.mocks.pty_device import PtyDevice

L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD3 = (L1, L2)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
PROTOCOLS = ["access-is", "honeywell", "est100", "lines"]
# Short quiet times keep the tests fast; waits below are generous so a slow machine never fails them.
FAST = "silence=0.1&frame_timeout=0.3&reconnect_max=0.2"

Sim = Callable[..., PtyDevice]


def collect(
    reader: Reader, until: Callable[[list[ReaderEvent]], bool], timeout: float = 10.0
) -> list[ReaderEvent]:
    """Iterate the reader's events until ``until(events)`` holds (or ``timeout`` passes)."""
    events: list[ReaderEvent] = []
    deadline = time.monotonic() + timeout
    for event in reader.events(timeout=timeout):
        events.append(event)
        if until(events) or time.monotonic() > deadline:
            break
    return events


def documents(events: list[ReaderEvent]) -> list[tuple[str, ...]]:
    return [event.lines for event in events if isinstance(event, DocumentRead)]


def reads(n: int) -> Callable[[list[ReaderEvent]], bool]:
    return lambda events: len(documents(events)) + sum(isinstance(e, MalformedFrame) for e in events) >= n


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_each_protocol_reads_td3_and_td1(protocol: str, serial_reader_sim: Sim) -> None:
    device = serial_reader_sim(protocol)
    with open_reader(f"serial://{device.path}?protocol={protocol}&{FAST}") as reader:
        device.present(TD3)
        device.present(TD1)
        events = collect(reader, reads(2))
    assert documents(events) == [TD3, TD1]
    (read, _) = [event for event in events if isinstance(event, DocumentRead)]
    assert read.source == reader.source and read.raw  # the frame's bytes come along
    assert isinstance(events[0], ReaderStatus) and events[0].state == "connected"
    if protocol == "est100":
        kinds = [type(event) for event in events if not isinstance(event, ReaderStatus)]
        assert kinds[:3] == [DocumentPresent, DocumentRead, DocumentRemoved]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("fault", ["split", "noise"])
def test_split_and_noise_lose_nothing(protocol: str, fault: str, serial_reader_sim: Sim) -> None:
    device = serial_reader_sim(protocol, faults=[fault], seed=7)
    with open_reader(f"serial://{device.path}?protocol={protocol}&{FAST}") as reader:
        for _ in range(3):
            device.present(TD3)
        device.present(TD1)
        events = collect(reader, reads(4))
    assert documents(events) == [TD3, TD3, TD3, TD1]
    assert not [event for event in events if isinstance(event, MalformedFrame)]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_truncated_frame_is_reported_with_its_bytes_then_the_next_document_reads(
    protocol: str, serial_reader_sim: Sim
) -> None:
    device = serial_reader_sim(protocol, seed=3)
    with open_reader(f"serial://{device.path}?protocol={protocol}&{FAST}") as reader:
        sent = device.present(TD3, faults=["truncate"])
        device.present(TD3)
        events = collect(reader, lambda events: len(documents(events)) >= 1)
    malformed = [event for event in events if isinstance(event, MalformedFrame)]
    assert (
        len(malformed) == 1 and sent.data.endswith(malformed[0].raw.lstrip(b"\x00")) and malformed[0].detail
    )
    assert documents(events) == [TD3]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_bad_check_digit_and_one_line_are_read_as_sent(protocol: str, serial_reader_sim: Sim) -> None:
    """The driver does not judge the MRZ (the parser does): it hands over exactly what came."""
    device = serial_reader_sim(protocol)
    with open_reader(f"serial://{device.path}?protocol={protocol}&{FAST}") as reader:
        device.present(TD3, faults=["bad-check"])
        device.present(TD3, faults=["one-line"])
        events = collect(reader, reads(2))
    bad_line_2 = L2[:9] + "7" + L2[10:]
    assert documents(events) == [(L1, bad_line_2), (L1,)]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unplug_reports_disconnected_then_reconnects_and_reads_again(
    protocol: str, serial_reader_sim: Sim
) -> None:
    device = serial_reader_sim(protocol)
    reader = make_reader(f"serial://{device.path}?protocol={protocol}&{FAST}")
    states: list[str] = []

    def on_status(events: list[ReaderEvent]) -> bool:
        event = events[-1]
        if isinstance(event, ReaderStatus):
            states.append(event.state)
            if states == ["connected"]:
                device.present(TD3)
            elif states == ["connected", "disconnected"]:
                threading.Timer(0.3, device.replug).start()
            elif states == ["connected", "disconnected", "connected"]:
                device.present(TD1)
        elif isinstance(event, DocumentRead) and len(documents(events)) == 1:
            device.unplug()
        return len(documents(events)) == 2

    with reader:
        events = collect(reader, on_status, timeout=15)
    assert states == ["connected", "disconnected", "connected"]
    assert documents(events) == [TD3, TD1]
    if protocol == "honeywell":
        # the set-up was sent again after the reopen
        assert device.commands == ["ocrena1;ocrats2!", "ocrena1;ocrats2!"]


def test_unplug_fault_of_the_simulator(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("access-is", faults=["unplug"])
    device.unplug_time = 0.3
    with open_reader(f"serial://{device.path}?protocol=access-is&{FAST}") as reader:
        device.present(TD3)
        device.present(TD1)
        events = collect(reader, lambda events: len(documents(events)) == 2, timeout=15)
    states = [event.state for event in events if isinstance(event, ReaderStatus)]
    assert documents(events) == [TD3, TD1]
    assert states[:3] == ["connected", "disconnected", "connected"]


def test_a_reader_started_before_the_device_waits_for_it(tmp_path: Path) -> None:
    from checkpoint.mocks.serial_sims import AccessIsSimulator

    link = tmp_path / "later"
    device = AccessIsSimulator(link=link)
    reader = make_reader(f"serial://{link}?protocol=access-is&{FAST}")
    timer = threading.Timer(0.3, device.start)
    timer.start()
    try:
        events = collect(
            reader, lambda events: isinstance(events[-1], ReaderStatus) and events[-1].state == "connected"
        )
        device.present(TD3)
        events += collect(reader, reads(1))
    finally:
        timer.join()
        reader.close()
        device.stop()
    states = [event.state for event in events if isinstance(event, ReaderStatus)]
    assert states == ["disconnected", "connected"]
    assert "there is no serial port" in next(e.detail for e in events if isinstance(e, ReaderStatus))
    assert documents(events) == [TD3]


def test_honeywell_reads_only_while_triggered(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    device.present(TD3)  # nobody has triggered: the imager keeps it
    time.sleep(0.2)
    assert not device.received
    with open_reader(f"serial://{device.path}?protocol=honeywell&{FAST}") as reader:
        events = collect(reader, reads(1))
    assert documents(events) == [TD3]
    assert device.received.startswith(b"\x16M\rocrena1;ocrats2!\x16T\r")


def test_honeywell_refused_setup_is_a_clear_error(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    with pytest.raises(ReaderConfigError, match=r"refused .*XYZABC1 \(ENQ\).*OCRENA7 \(NAK\)"):
        open_reader(f"serial://{device.path}?protocol=honeywell&setup=xyzabc1;ocrena7!")


def test_honeywell_silent_device_times_out(serial_reader_sim: Sim, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkpoint.drivers import ReaderTimeout, serial_protocols

    monkeypatch.setattr(serial_protocols, "MENU_REPLY_TIMEOUT", 0.3)
    device = serial_reader_sim("access-is")  # answers nothing
    with pytest.raises(ReaderTimeout, match="did not answer the set-up command"):
        open_reader(f"serial://{device.path}?protocol=honeywell")


def test_wire_trace_is_a_hex_dump_of_both_directions(serial_reader_sim: Sim, tmp_path: Path) -> None:
    device = serial_reader_sim("honeywell")
    trace = tmp_path / "wire.txt"
    with open_reader(f"serial://{device.path}?protocol=honeywell&trace={trace}&{FAST}") as reader:
        device.present(TD3)
        collect(reader, reads(1))
    text = trace.read_text()
    assert " TX 19 bytes" in text and "16 4d 0d 6f 63 72 65 6e 61 31" in text
    assert " RX 18 bytes" in text and "4f 43 52 45 4e 41 31 06 3b" in text
    assert "|P<UTOERIKSSON<<A|" in text


# --- errors a person can act on -------------------------------------------------------------------


def test_missing_port(tmp_path: Path) -> None:
    with pytest.raises(ReaderNotFound, match=r"there is no serial port .*nothing-here.*plugged in"):
        open_reader(f"serial://{tmp_path}/nothing-here?protocol=lines")


def test_permission_problem_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, for whom file modes mean nothing: make the open fail as it does for a user.
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise serial.SerialException(
            errno.EACCES, "could not open port /dev/ttyS9: [Errno 13] Permission denied"
        )

    monkeypatch.setattr(serial, "Serial", refuse)
    with pytest.raises(ReaderPermissionDenied, match="dialout") as info:
        open_reader("serial:///dev/ttyS9?protocol=lines")
    assert info.value.title == "No permission to use the reader"


def test_port_in_use_by_another_program(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("lines")
    with (
        open_reader(f"serial://{device.path}?protocol=lines"),
        pytest.raises(ReaderIOError, match="in use by another program"),
    ):
        open_reader(f"serial://{device.path}?protocol=lines")


@pytest.mark.parametrize(
    "url,message",
    [
        (
            "serial:///dev/x?protocol=lines&speed=9600",
            r"unknown option 'speed'.*expected serial://PATH\|auto\?",
        ),
        (
            "serial:///dev/x?protocol=morse",
            r"protocol='morse' is not valid.*access-is, honeywell, est100, lines",
        ),
        ("serial:///dev/x?baudrate=fast", r"baudrate='fast' is not valid"),
    ],
)
def test_bad_options_show_the_expected_form(url: str, message: str) -> None:
    with pytest.raises(ReaderConfigError, match=message):
        make_reader(url)


# --- discovery ------------------------------------------------------------------------------------


class Port:
    def __init__(self, device: str, vid: int | None, pid: int | None) -> None:
        self.device, self.vid, self.pid = device, vid, pid
        self.serial_number: str | None = "A1"
        self.description = "USB serial"


def test_discovery_matches_the_vid_pid_table() -> None:
    ports = [
        Port("/dev/ttyACM0", 0x0DB5, 0x0139),
        Port("/dev/ttyS0", None, None),
        Port("/dev/ttyACM1", 0x0C2E, 1),
    ]
    found = serial_discovery.discover_serial(lambda: ports)
    assert [reader.url for reader in found] == [
        "serial:///dev/ttyACM0?protocol=access-is",
        "serial:///dev/ttyACM1?protocol=honeywell",
    ]
    assert found[0].vid == 0x0DB5 and found[0].serial_number == "A1"


def test_auto_opens_the_discovered_pty(serial_reader_sim: Sim, monkeypatch: pytest.MonkeyPatch) -> None:
    device = serial_reader_sim("access-is")
    monkeypatch.setattr(SerialReader, "list_ports", staticmethod(lambda: [Port(device.path, 0x0DB5, 0x0139)]))
    assert [reader.device for reader in list_readers([SerialReader.discover])] == [device.path]
    with open_reader("serial://auto?protocol=access-is") as reader:
        device.present(TD3)
        assert documents(collect(reader, reads(1))) == [TD3]


def test_auto_with_nothing_plugged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SerialReader, "list_ports", staticmethod(lambda: []))
    with pytest.raises(ReaderNotFound, match="no est100 reader with a known USB identity"):
        open_reader("serial://auto?protocol=est100")


@pytest.mark.parametrize(
    "protocol,baud,parity", [("est100", 256000, "O"), ("honeywell", 115200, "N"), ("access-is", 9600, "N")]
)
def test_line_settings_reach_pyserial(
    protocol: str, baud: int, parity: str, serial_reader_sim: Sim, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Linux pty forces 8 bits and no parity whatever is asked, so look at what the driver asks for.
    asked: list[dict[str, Any]] = []
    real = serial.Serial

    def recording(**kwargs: Any) -> serial.Serial:
        asked.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(serial, "Serial", recording)
    device = serial_reader_sim(protocol)
    with open_reader(f"serial://{device.path}?protocol={protocol}") as reader:
        assert reader.describe().endswith(f"({protocol}, {baud} 8{parity}1)")
    (kwargs,) = asked
    assert (kwargs["baudrate"], kwargs["bytesize"], kwargs["parity"], kwargs["stopbits"]) == (
        baud,
        8,
        parity,
        1,
    )
    assert kwargs["exclusive"] is True


def test_baudrate_option_overrides_the_protocol_default(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    with open_reader(f"serial://{device.path}?protocol=honeywell&baudrate=9600") as reader:
        assert reader.describe().endswith("(honeywell, 9600 8N1)")
