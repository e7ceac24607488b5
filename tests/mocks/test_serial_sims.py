"""The pty simulators seen from the host side with plain pyserial: the bytes they put on the wire."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import serial
from checkpoint.drivers import framing_access_is, framing_est100, framing_honeywell
from checkpoint.mocks.pty_device import PtyDevice
from checkpoint.mocks.serial_sims import SIMULATORS, HoneywellSimulator, make_simulator

L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD3 = (L1, L2)

Sim = Callable[..., PtyDevice]


def read_until(port: serial.Serial, done: Callable[[bytes], bool], timeout: float = 10.0) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while not done(data) and time.monotonic() < deadline:
        data += port.read(max(1, port.in_waiting))
    return data


def host(device: PtyDevice) -> serial.Serial:
    port = serial.Serial(device.path, timeout=0.05, exclusive=True)
    time.sleep(0.05)  # let the device see the port open
    return port


def test_table_of_simulators() -> None:
    assert set(SIMULATORS) == {"access-is", "honeywell", "est100", "lines"}
    with pytest.raises(ValueError, match="no simulator for protocol 'morse'"):
        make_simulator("morse")
    with pytest.raises(ValueError, match="unknown fault melt"):
        make_simulator("lines", faults=["melt"])


def test_access_is_frame_on_the_wire(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("access-is")
    with host(device) as port:
        device.present(TD3)
        data = read_until(port, lambda d: d.endswith(b"\x03\x1d"))
    assert data == framing_access_is.encode_mrz(TD3)


def test_est100_messages_on_the_wire(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("est100")
    with host(device) as port:
        device.present(TD3)
        data = read_until(port, lambda d: d.count(b"\x03\r\n") == 3)
    assert data == framing_est100.encode_document(TD3)


def test_documents_wait_until_the_host_opens_the_port(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("lines")
    sent = device.present(TD3)
    assert not sent.sent.wait(0.2)
    with host(device) as port:
        data = read_until(port, lambda d: d.count(b"\r\n") == 2)
    # The simulator marks the document sent just after its write returns: the host may read the bytes
    # first, on a loaded machine.
    assert sent.sent.wait(5) and data == f"{L1}\r\n{L2}\r\n".encode()


@pytest.mark.parametrize("protocol", sorted(SIMULATORS))
def test_noise_truncate_and_split_faults(protocol: str, serial_reader_sim: Sim) -> None:
    device = serial_reader_sim(protocol, seed=11)
    device.pause_after_truncate = 0.0
    clean = device.encode(TD3)
    if protocol == "honeywell":
        device.triggered_until = time.monotonic() + 60  # type: ignore[attr-defined]
        device.settings["OCRENA"] = "1"  # type: ignore[attr-defined]
    with host(device) as port:
        noisy = device.present(TD3, faults=["noise"])
        assert noisy.sent.wait(10)
        if protocol == "honeywell":
            device.triggered_until = time.monotonic() + 60  # type: ignore[attr-defined]
        truncated = device.present(TD3, faults=["truncate"])
        assert truncated.sent.wait(10)
        if protocol == "honeywell":
            device.triggered_until = time.monotonic() + 60  # type: ignore[attr-defined]
        split = device.present(TD3, faults=["split"])
        assert split.sent.wait(10)
        data = read_until(port, lambda d: len(d) >= len(noisy.data) + len(truncated.data) + len(clean))
    noise = noisy.data[: -len(clean)]
    assert noisy.data.endswith(clean) and 1 <= len(noise) <= 8
    assert all(byte in device.NOISE for byte in noise)
    assert clean.startswith(truncated.data) and 2 <= len(truncated.data) < len(clean)
    assert split.data == clean
    assert data == noisy.data + truncated.data + clean


def test_bad_check_and_one_line_faults(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("access-is")
    with host(device) as port:
        device.present(TD3, faults=["bad-check"])
        device.present(TD3, faults=["one-line"])
        data = read_until(port, lambda d: d.count(b"\x03\x1d") == 2)
    assert data == framing_access_is.encode_mrz((L1, L2[:9] + "7" + L2[10:])) + framing_access_is.encode_mrz(
        (L1,)
    )


def test_unplug_and_replug_keep_the_link(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("access-is")
    link = Path(device.path)
    port = host(device)
    device.unplug()
    with pytest.raises(serial.SerialException):
        for _ in range(20):
            port.read(1)
    port.close()
    assert not device.plugged and not link.exists()  # the link dangles, as a vanished tty does
    device.replug()
    assert device.plugged and link.exists() and link.is_symlink()
    with host(device) as port:
        device.present(TD3)
        assert read_until(port, lambda d: d.endswith(b"\x03\x1d")) == framing_access_is.encode_mrz(TD3)


def test_honeywell_answers_menu_commands(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    assert isinstance(device, HoneywellSimulator)

    def ask(port: serial.Serial, text: str) -> bytes:
        port.write(framing_honeywell.encode_menu_command(text))
        return read_until(port, framing_honeywell.reply_complete)

    with host(device) as port:
        assert ask(port, "ocrena1!") == b"OCRENA1\x06!"
        assert ask(port, "ocrena1;xyzabc1;allena7.") == b"OCRENA1\x06;XYZABC1\x05;ALLENA7\x15."
        assert ask(port, "ocrena?.") == b"OCRENA1\x06."
        assert ask(port, "ocrena^.") == b"OCRENA0\x06."
        assert ask(port, "ocrats*.") == b"OCRATS0-3\x06."
    assert device.settings["OCRENA"] == "1" and device.settings["ALLENA"] == "1"
    assert device.commands[0] == "ocrena1!"


def test_honeywell_reads_only_while_triggered_and_a_read_ends_the_trigger(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    assert isinstance(device, HoneywellSimulator)
    device.trigger_timeout = 0.3
    with host(device) as port:
        port.write(framing_honeywell.encode_menu_command("ocrena1!"))
        read_until(port, framing_honeywell.reply_complete)
        first = device.present(TD3)
        second = device.present(TD3)
        assert not first.sent.wait(0.2)  # not triggered
        port.write(framing_honeywell.TRIGGER)
        assert first.sent.wait(10)
        assert read_until(port, lambda d: len(d) >= 89) == framing_honeywell.encode_mrz(TD3)
        assert not second.sent.wait(0.2)  # the read ended the trigger
        port.write(framing_honeywell.TRIGGER + framing_honeywell.UNTRIGGER)
        assert not second.sent.wait(0.2)  # untriggered again
        port.write(framing_honeywell.TRIGGER)
        time.sleep(0.05)
        assert second.sent.wait(10)


def test_honeywell_trigger_times_out(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    assert isinstance(device, HoneywellSimulator)
    device.trigger_timeout = 0.1
    device.settings["OCRENA"] = "1"
    with host(device) as port:
        port.write(framing_honeywell.TRIGGER)
        time.sleep(0.3)
        late = device.present(TD3)
        assert not late.sent.wait(0.2)


def test_honeywell_sends_nothing_with_ocr_disabled(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    with host(device) as port:
        port.write(framing_honeywell.TRIGGER)
        presented = device.present(TD3)
        assert not presented.sent.wait(0.3)


def test_honeywell_power_cycle_forgets_ram_settings_and_keeps_stored_ones(serial_reader_sim: Sim) -> None:
    device = serial_reader_sim("honeywell")
    assert isinstance(device, HoneywellSimulator)
    with host(device) as port:
        port.write(framing_honeywell.encode_menu_command("ocrena1!"))
        read_until(port, framing_honeywell.reply_complete)
        port.write(framing_honeywell.encode_menu_command("allena0."))
        read_until(port, framing_honeywell.reply_complete)
    assert device.settings["OCRENA"] == "1" and device.settings["ALLENA"] == "0"
    device.unplug()
    device.replug()
    assert device.settings["OCRENA"] == "0" and device.settings["ALLENA"] == "0"
