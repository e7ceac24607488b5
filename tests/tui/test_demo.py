"""``checkpoint demo``: lands on the inspection screen with the demo officer and shift, presents a
document on ``p``, and its seeded lists make the watchlisted sample documents hit."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from datetime import date
from pathlib import Path

import pytest
from checkpoint.mocks.documents import WATCHLISTED, SampleDocument, sample_document
from checkpoint.mocks.sim_reader import SimReader
from tui_fakes import frozen_clock, screen_text, sync, until

from checkpoint.cli import main
from checkpoint.cli.demo_command import prepare_demo
from checkpoint.cli.run_command import read_reasons
from checkpoint.tui.screens.inspection import InspectionScreen

TODAY = date(2026, 11, 27)


def watchlisted_sample(surname: str) -> SampleDocument:
    """Return a watchlisted sample document of the identity with ``surname`` (the first seed giving it)."""
    for seed in range(100):
        document = sample_document("watchlisted", "TD3", seed=seed, today=TODAY)
        if document.fields["surname"] == surname:
            return document
    raise AssertionError(f"no watchlisted sample of {surname}")


@sync
async def test_demo_lands_on_inspection_and_its_lists_hit_the_watchlisted_samples(tmp_path: Path) -> None:
    app, store = prepare_demo(tmp_path, ["sim://mixed?interval=0&today=2026-11-27"], frozen_clock)
    reader = app.readers[0]
    assert isinstance(reader, SimReader)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
            await until(pilot, lambda: "Reader ● ok" in screen_text(app))
            assert "Demo crossing · Lane 1 · ENTRY" in screen_text(app)
            assert "Officer DEMO-0001" in screen_text(app)
            assert "p Present" in screen_text(app)

            await pilot.press("p")
            await until(pilot, lambda: app.screen.review is not None)
            await pilot.press("r", "enter")
            await until(pilot, lambda: "Waiting for a document" in screen_text(app))

            stolen, wanted = WATCHLISTED
            reader.present(watchlisted_sample(stolen.surname).lines)
            await until(pilot, lambda: stolen.surname in screen_text(app))
            shown = screen_text(app)
            assert "✖ REFER TO SECONDARY" in shown
            assert "✖ FAIL    On the lost/stolen list: STOLEN (ref DEMO-SLTD-0001" in shown
            await pilot.press("r", "enter")
            await until(pilot, lambda: "Waiting for a document" in screen_text(app))

            reader.present(watchlisted_sample(wanted.surname).lines)
            await until(pilot, lambda: wanted.surname in screen_text(app))
            shown = screen_text(app)
            assert "✖ REFER TO SECONDARY" in shown
            assert "(ref DEMO-ALERT-0001)" in shown
    finally:
        store.close()


def test_demo_refuses_a_bad_reader_address_with_the_expected_form(capsys: object) -> None:
    status = main(["demo", "--reader", "sim://nonsense"])
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert status == 2
    assert "unknown document kind 'nonsense'" in err and "sim://" in err


def test_run_refuses_a_missing_database_rather_than_make_an_empty_one(capsys: object, tmp_path: Path) -> None:
    status = main(["run", "--reader", "sim://td3", "--db", str(tmp_path / "none.db")])
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert status == 2
    assert "no database at" in err and "checkpoint officer add" in err
    assert not (tmp_path / "none.db").exists()


def test_run_refuses_a_bad_reader(capsys: object, tmp_path: Path) -> None:
    status = main(["run", "--reader", "nothing-like-a-url", "--db", str(tmp_path / "t.db")])
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert status == 2
    assert "has no scheme" in err
    assert not (tmp_path / "t.db").exists()


def test_a_post_reason_table_is_read_from_csv(tmp_path: Path) -> None:
    table = tmp_path / "reasons.csv"
    table.write_text("code,text\nR1,no visa\nr2, forged stamp \n\n")
    assert [(r.code, r.text) for r in read_reasons(table)] == [("R1", "no visa"), ("R2", "forged stamp")]


def test_a_bad_reason_table_is_refused_naming_the_row(capsys: object, tmp_path: Path) -> None:
    table = tmp_path / "reasons.csv"
    table.write_text("R1,no visa\nR2\n")
    status = main(["run", "--db", str(tmp_path / "t.db"), "--reasons", str(table)])
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert status == 2
    assert "reasons.csv: reason row 2 has 1 cells; expected code,text" in err


def read_until(fd: int, seen: bytearray, wanted: bytes, timeout: float) -> bool:
    """Read the terminal ``fd`` into ``seen`` until ``wanted`` is in it, the other side closes or
    ``timeout`` seconds pass; return whether ``wanted`` came."""
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the process has closed its end
            break
        if not chunk:
            break
        seen += chunk
    return wanted in seen


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_ends_the_demo_as_quitting_does(tmp_path: Path, signum: int) -> None:
    """``kill`` or a closed terminal ends the client cleanly: the screen is given back to the shell
    (the terminal leaves the alternate screen) and the demo's throwaway folder is removed."""
    terminal, process_end = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 110, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "checkpoint", "demo", "--reader", "sim://td3"],
        stdin=process_end,
        stdout=process_end,
        stderr=process_end,
        env={**os.environ, "TMPDIR": str(tmp_path), "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(process_end)
    seen = bytearray()
    try:
        assert read_until(terminal, seen, b"CHECKPOINT", 120), bytes(seen[-2000:])
        assert [path.name[:16] for path in tmp_path.iterdir()] == ["checkpoint-demo-"]
        drawn = len(seen)
        process.send_signal(signum)
        # Read what it writes while it ends: a full terminal would block it.
        read_until(terminal, seen, b"\x1b[?1049l", 60)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(terminal)
    assert b"\x1b[?1049l" in seen[drawn:]  # out of the alternate screen: the shell's screen is back
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_while_the_demo_sets_up_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    """Before the app runs (the demo's database and lists take seconds to make), a signal ends the
    command cleanly too: its throwaway folder is removed and the previous handlers are back."""
    from checkpoint.cli import demo_command

    made: list[Path] = []

    def prepare_then_signal(folder: Path, reader_urls: object) -> object:
        (folder / "demo.db").write_bytes(b"half made")
        made.append(folder)
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler runs at once, in this (the main) thread
        raise AssertionError("the signal did not end the set-up")

    monkeypatch.setattr(demo_command, "prepare_demo", prepare_then_signal)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    before = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGHUP)}
    assert main(["demo"]) == 0
    assert made and made[0].parent == tmp_path and list(tmp_path.iterdir()) == []
    assert {number: signal.getsignal(number) for number in before} == before
