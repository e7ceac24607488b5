"""The post's commands: post init, watchlist import and audit verify on PostgreSQL, sync, post lanes."""

from __future__ import annotations

import io
import signal
import sqlite3
import subprocess
import sys
import time

import psycopg
import pytest
from store_builders import PIN
from sync_builders import record

from checkpoint.cli import main
from checkpoint.store import open_store


def _url(dsn: str) -> str:
    """The libpq key=value string as a postgresql:// URL (the form the commands document)."""
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    return f"postgresql://{info['user']}@/{info['dbname']}?host={info['host']}&port={info['port']}"


def test_a_post_is_set_up_synced_to_and_verified_from_the_command_line(
    postgres_db, tmp_path, monkeypatch, capsys
):
    url = _url(postgres_db("cli"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["post", "init", "--db", url, "--admin", "HQ-1", "--name", "Head Office", "--pin-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "MNE-0412", "--name", "Ana", "--pin-stdin", "--db", url]) == 0
    listing = tmp_path / "docs.csv"
    listing.write_text(
        "document_number,issuing_state,document_type,reason,reference\nAA0000001,MNE,P,STOLEN,R-1\n"
    )
    assert main(["watchlist", "import", str(listing), "--db", url, "--version", "hq-7"]) == 0
    capsys.readouterr()
    # A terminal made by its first local officer, then synced.
    terminal = tmp_path / "lane1.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "LOCAL-1", "--name", "Local", "--pin-stdin", "--db", str(terminal)]) == 0
    assert main(["sync", "--db", str(terminal), "--server", url]) == 0
    out = capsys.readouterr().out
    assert "watchlist documents hq-7 applied" in out and "2 officer accounts updated" in out
    with open_store(terminal) as store:
        record(store, "1", 3)
    assert main(["sync", "--db", str(terminal), "--server", url]) == 0
    assert "pushed 3 crossings" in capsys.readouterr().out
    assert main(["audit", "verify", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "audit chain intact" in out and "terminal " in out and out.count("intact") == 2
    assert main(["post", "lanes", "--db", url]) == 0
    assert "Bozaj lane 1: terminal T-" in capsys.readouterr().out
    # HQ deactivates the officer; the terminal applies it on its next sync.
    assert main(["post", "deactivate", "MNE-0412", "--db", url]) == 0
    assert main(["sync", "--db", str(terminal), "--server", url]) == 0
    with sqlite3.connect(terminal) as raw:
        assert raw.execute("SELECT active FROM officers WHERE officer_id = 'MNE-0412'").fetchone()[0] == 0


def test_a_broken_terminal_chain_at_the_post_fails_audit_verify(postgres_db, tmp_path, monkeypatch, capsys):
    dsn = postgres_db("broken")
    url = _url(dsn)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["post", "init", "--db", url, "--admin", "HQ-1", "--name", "Head Office", "--pin-stdin"]) == 0
    terminal = tmp_path / "lane1.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "MNE-0412", "--name", "Ana", "--pin-stdin", "--db", str(terminal)]) == 0
    with open_store(terminal) as store:
        record(store, "1", 2)
    assert main(["sync", "--db", str(terminal), "--server", url]) == 0
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("ALTER TABLE terminal_events DISABLE TRIGGER terminal_events_append_only")
        connection.execute("UPDATE terminal_events SET actor = 'MNE-9999' WHERE seq = 3")
    capsys.readouterr()
    assert main(["audit", "verify", "--db", url]) == 1
    assert "event 3" in capsys.readouterr().err


def test_sync_without_a_server_or_with_an_unreachable_one(tmp_path, monkeypatch, capsys):
    terminal = tmp_path / "lane1.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "MNE-0412", "--name", "Ana", "--pin-stdin", "--db", str(terminal)]) == 0
    monkeypatch.delenv("CHECKPOINT_SERVER", raising=False)
    assert main(["sync", "--db", str(terminal)]) == 2
    assert "--server" in capsys.readouterr().err
    assert main(["sync", "--db", str(terminal), "--server", "postgresql://nobody@127.0.0.1:1/none"]) == 2
    assert "cannot sync with postgresql://127.0.0.1:1/none" in capsys.readouterr().err
    assert main(["purge", "--older-than", "1", "--db", str(terminal)]) == 0


@pytest.mark.parametrize(
    ("stop_signal", "sigint_at_start"),
    [
        # Ctrl-C in the terminal the watcher was started from.
        (signal.SIGINT, signal.SIG_DFL),
        # `kill` or a service manager's stop, the watcher started in the background by a shell without
        # job control (SIGINT ignored, so Ctrl-C could not stop it).
        (signal.SIGTERM, signal.SIG_IGN),
    ],
    ids=["ctrl-c", "sigterm-from-background"],
)
def test_sync_watch_keeps_pushing_until_stopped(
    postgres_db, tmp_path, monkeypatch, stop_signal, sigint_at_start
):
    url = _url(postgres_db("watch"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["post", "init", "--db", url, "--admin", "HQ-1", "--name", "Head Office", "--pin-stdin"]) == 0
    terminal = tmp_path / "lane1.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "MNE-0412", "--name", "Ana", "--pin-stdin", "--db", str(terminal)]) == 0
    watcher = subprocess.Popen(
        [sys.executable, "-m", "checkpoint", "sync", "--db", str(terminal), "--server", url, "--watch",
         "--interval", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # The disposition the child starts with, whatever this test's own (pytest run in the background
        # inherits SIGINT ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, sigint_at_start),
    )  # fmt: skip
    try:
        assert watcher.stdout is not None
        assert "officer accounts updated" in watcher.stdout.readline()
        with open_store(terminal) as store:
            record(store, "1", 2)
        deadline = time.monotonic() + 30
        line = ""
        while "pushed 2 crossings" not in line and time.monotonic() < deadline:
            line = watcher.stdout.readline()
        assert "pushed 2 crossings" in line
    finally:
        watcher.send_signal(stop_signal)
        try:
            watcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            watcher.kill()
            watcher.wait()
    assert watcher.returncode == 0, watcher.stderr.read() if watcher.stderr else ""


def test_run_refuses_a_server_that_is_not_a_postgresql_url(tmp_path, monkeypatch, capsys):
    terminal = tmp_path / "lane1.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "MNE-0412", "--name", "Ana", "--pin-stdin", "--db", str(terminal)]) == 0
    assert main(["run", "--db", str(terminal), "--server", "/srv/post.db"]) == 2
    assert "is not a PostgreSQL URL" in capsys.readouterr().err
