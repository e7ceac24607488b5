"""Every framer bounds what it holds: a line or frame past its limit is reported as a malformed (partial)
frame and reading goes on, so a stuck key, a wedge in the wrong mode or a noisy line cannot fill the
memory, and the next document is still read."""

from __future__ import annotations

import stat
import tracemalloc
from pathlib import Path

import pytest
from checkpoint.drivers import ReaderConfigError, make_reader
from checkpoint.drivers.frames import MrzFrame, PartialFrame
from checkpoint.drivers.framing_est100 import END, STX, decode_message
from checkpoint.drivers.framing_lines import LinesFramer
from checkpoint.drivers.trace import WireTrace
from checkpoint.drivers.usb_wedge_framing import MAX_TYPED_LINE, WedgeFramer
from checkpoint.mocks.usb_reports import wedge_reports

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def test_a_wedge_typing_megabytes_without_a_line_end_holds_a_line_at_most() -> None:
    junk = b"".join(wedge_reports(("ABCDEFGH" * 16,), line_end="none"))  # 128 characters, 4 KB of reports
    framer = WedgeFramer("us")
    frames = []
    tracemalloc.start()
    try:
        for _ in range(300):  # over 1 MB of keystrokes, no line end
            frames += framer.feed(junk, 1.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024, f"{peak} bytes held"
    assert len(frames) == 1 and isinstance(frames[0], PartialFrame)
    assert f"longer than {MAX_TYPED_LINE} characters" in frames[0].detail
    # Reading goes on: after a silence the next document is read.
    framer = WedgeFramer("us", silence=0.3)
    framer.feed(junk, 1.0)
    frames = [f for r in wedge_reports(TD3) for f in framer.feed(r, 2.0)]
    assert [f.lines for f in frames if isinstance(f, MrzFrame)] == [TD3]


def test_a_wedge_line_end_after_an_overlong_run_starts_a_new_read() -> None:
    framer = WedgeFramer("us")
    run = wedge_reports(("A" * (MAX_TYPED_LINE + 5),), line_end="enter")
    frames = [f for r in run for f in framer.feed(r, 1.0)]
    assert [type(f) for f in frames] == [PartialFrame]
    frames = [f for r in wedge_reports(TD3) for f in framer.feed(r, 1.0)]
    assert frames == [MrzFrame(lines=TD3, raw=frames[0].raw)]


def test_a_line_longer_than_an_mrz_line_is_malformed() -> None:
    framer = LinesFramer()
    frames = framer.feed(b"A" * 45 + b"\r", 0.0) + framer.flush(1.0)
    assert len(frames) == 1 and isinstance(frames[0], PartialFrame)
    assert "longer than 44 characters" in frames[0].detail
    # A whole TD3 line of 44 is fine.
    frames = framer.feed(("\r".join(TD3) + "\r\n").encode(), 2.0)
    assert [f.lines for f in frames if isinstance(f, MrzFrame)] == [TD3]


def test_megabytes_of_mrz_characters_without_a_line_end_are_not_held() -> None:
    framer = LinesFramer()
    chunk = b"ABC123<" * 1000
    count = 0
    tracemalloc.start()
    try:
        for _ in range(150):  # 1 MB
            frames = framer.feed(chunk, 0.0)
            assert all(isinstance(f, PartialFrame) and len(f.raw) <= 4 * 44 + 1 for f in frames)
            count += len(frames)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024
    assert count > 1000
    framer.flush(1.0)  # the last piece of the run, whatever it is, ends with the silence
    frames = framer.feed(("\r".join(TD3) + "\r\n").encode(), 1.0)
    assert [f.lines for f in frames if isinstance(f, MrzFrame)] == [TD3]


def test_the_wire_trace_is_private_even_when_the_file_existed(tmp_path: Path) -> None:
    fresh, existing = tmp_path / "fresh.trace", tmp_path / "existing.trace"
    existing.write_text("", encoding="ascii")
    existing.chmod(0o644)
    for path in (fresh, existing):
        trace = WireTrace(path)
        trace.record("RX", b"P<UTOERIKSSON")
        trace.close()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "50 3C 55 54 4F" in path.read_text(encoding="ascii").upper()


def test_an_est100_message_with_an_endless_number_is_malformed_not_a_crash() -> None:
    # Found by benchmarks/fuzz.py: json.loads refuses integers of over 4,300 digits with a ValueError.
    raw = STX + b'PCSign:{"stage":' + b"9" * 5000 + b"}" + END
    frame = decode_message(raw)
    assert isinstance(frame, PartialFrame) and "not UTF-8 JSON" in frame.detail


def test_a_trace_path_with_a_nul_is_a_configuration_error(tmp_path: Path) -> None:
    # Found by benchmarks/fuzz.py: the NUL reached os.open as a ValueError.
    with pytest.raises(ReaderConfigError, match="cannot write the wire trace"):
        make_reader(f"serial://{tmp_path}/tty?protocol=lines&trace={tmp_path}/a%00b")
