"""``checkpoint read``, ``checkpoint devices`` and ``checkpoint sim``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import checkpoint.drivers
import pytest
from checkpoint.drivers import BarcodeRead, DetectedReader, DocumentRead, MalformedFrame, open_reader
from checkpoint.mocks.pty_device import PtyDevice

from checkpoint.cli import main
from checkpoint.cli.read_command import event_record, readable
from checkpoint.cli.sim_command import read_documents

L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_read_json_prints_one_object_per_event(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["read", "sim://td3?interval=0.05&seed=2", "--count", "2", "--json"])
    assert status == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [record["event"] for record in records] == ["status", "document", "document"]
    assert records[0]["state"] == "connected"
    document = records[1]
    assert document["source"] == "sim://td3?interval=0.05&seed=2"
    assert document["mrz"]["format"] == "TD3" and document["mrz"]["lines"] == document["lines"]
    assert len(document["lines"]) == 2 and document["time"].endswith("+00:00")


def test_read_from_a_serial_simulator(
    serial_reader_sim: Callable[..., PtyDevice], capsys: pytest.CaptureFixture[str]
) -> None:
    device = serial_reader_sim("access-is")
    device.present((L1, L2))
    status = main(["read", f"serial://{device.path}?protocol=access-is", "--count", "1", "--timeout", "10"])
    assert status == 0
    out = capsys.readouterr().out
    assert "document  TD3 valid\n" in out and f"  {L1}\n  {L2}\n" in out


def test_read_reports_an_invalid_mrz_readably(capsys: pytest.CaptureFixture[str]) -> None:
    record = event_record(DocumentRead(source="sim://td3", lines=(L1, L2[:9] + "7" + L2[10:]), raw=b""))
    text = readable(record)
    assert text.startswith("document  TD3 INVALID: ") and "check digit" in text.lower()


def test_device_text_is_escaped_never_obeyed() -> None:
    record = event_record(BarcodeRead(source="s", data="\x1b[2J\x07hi[bold]", symbology="Q", raw=b""))
    line = readable(record)
    assert "\x1b" not in line and "\x07" not in line and "\\x1b[2J\\x07hi[bold]" in line
    assert json.loads(json.dumps(record))["data"] == "\x1b[2J\x07hi[bold]"
    malformed = readable(event_record(MalformedFrame(source="s", raw=b"\x1c\x02P", detail="cut")))
    assert malformed == "malformed cut: 1c 02 50"


def test_read_errors_are_one_line_with_title_and_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["read", f"serial://{tmp_path}/none?protocol=lines"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("checkpoint: Reader not found: there is no serial port") and err.count("\n") == 1
    assert main(["read", "serial:///dev/x?protocl=lines"]) == 2
    err = capsys.readouterr().err
    assert (
        "Reader address not understood" in err
        and "unknown option 'protocl'" in err
        and "expected serial://" in err
    )
    assert main(["read", "nothing-here"]) == 2


def test_read_count_not_reached_before_the_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", "sim://td3?interval=0", "--count", "1", "--timeout", "0.2"]) == 1
    assert "read 0 of 1 documents before the timeout" in capsys.readouterr().err


def test_read_rejects_bad_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["read", "sim://td3", "--count", "0"])
    assert info.value.code == 2 and "greater than 0" in capsys.readouterr().err


def test_devices(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    found = [
        DetectedReader(
            url="serial:///dev/ttyACM0?protocol=access-is", description="Access-IS reader", vid=0xDB5
        )
    ]
    monkeypatch.setattr(checkpoint.drivers, "list_readers", lambda: found)
    assert main(["devices"]) == 0
    assert capsys.readouterr().out == "serial:///dev/ttyACM0?protocol=access-is  Access-IS reader\n"
    assert main(["devices", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["url"] == "serial:///dev/ttyACM0?protocol=access-is" and entry["vid"] == 0xDB5
    monkeypatch.setattr(checkpoint.drivers, "list_readers", lambda: [])
    assert main(["devices"]) == 0
    assert "no readers found" in capsys.readouterr().err


def test_document_file_is_checked_line_by_line(tmp_path: Path) -> None:
    good = tmp_path / "docs.txt"
    good.write_text(f"{L1}\n{L2}\n\n{L1}\n{L2}\n")
    assert read_documents(good) == [(L1, L2), (L1, L2)]
    bad = tmp_path / "bad.txt"
    bad.write_text(f"{L1}\nl898902c3 6UTO\n")
    with pytest.raises(ValueError, match=r"bad.txt:2: ' ', 'c', 'l' cannot appear in an MRZ line"):
        read_documents(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(ValueError, match="no MRZ lines"):
        read_documents(empty)


def test_sim_command_rejects_a_bad_document_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("hello\n")
    assert main(["sim", "lines", "--document", str(bad)]) == 2
    assert "bad.txt:1" in capsys.readouterr().err
    assert main(["sim", "lines", "--document", str(tmp_path / "missing.txt")]) == 2


def test_sim_command_runs_a_device_until_stopped(tmp_path: Path) -> None:
    link = tmp_path / "reader"
    docs = tmp_path / "docs.txt"
    docs.write_text(f"{L1}\n{L2}\n\n{L1}\n{L2[:9]}7{L2[10:]}\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "checkpoint", "sim", "est100", "--link", str(link), "--document", str(docs),
         "--interval", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first == f"est100 simulator on {link}\n"
        assert f"checkpoint read 'serial://{link}?protocol=est100'" in process.stdout.readline()
        with open_reader(f"serial://{link}?protocol=est100") as reader:
            reads = []
            deadline = time.monotonic() + 20
            for event in reader.events(timeout=20):
                if isinstance(event, DocumentRead):
                    reads.append(event.lines)
                if len(reads) == 2 or time.monotonic() > deadline:
                    break
        assert reads[0] == (L1, L2) and reads[1][1][9] == "7"
    finally:
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=20)
    assert status == 0
    assert not link.exists()


def test_devices_escapes_the_descriptor_text_a_device_reports(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = DetectedReader(url="usb://0db5:013a?protocol=hid-wedge", description="OCR\x1b]0;owned\x07 315")
    monkeypatch.setattr(checkpoint.drivers, "list_readers", lambda: [hostile])
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert out == "usb://0db5:013a?protocol=hid-wedge  OCR\\x1b]0;owned\\x07 315\n"
