"""The store's commands: officer, watchlist, audit verify, export, purge; --db and its default."""

from __future__ import annotations

import io
import sqlite3
import stat
import sys

import pytest
from store_builders import PIN

from checkpoint.cli import main
from checkpoint.store import open_store


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "cli.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert (
        main(["officer", "add", "MNE-0412", "--name", "Ana Vuković", "--pin-stdin", "--db", str(path)]) == 0
    )
    return path


def test_officer_add_from_stdin_signs_in_and_is_audited_as_local_admin(db):
    with open_store(db) as store:
        assert store.authenticate("MNE-0412", PIN).name == "Ana Vuković"
        assert store.audit_events()[0].actor.startswith("local:")


def test_officer_add_asks_twice_without_echo(tmp_path, monkeypatch, capsys):
    answers = iter(["2468", "2468"])
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["officer", "add", "MNE-7", "--name", "B", "--db", str(tmp_path / "a.db")]) == 0
    answers = iter(["2468", "8642"])
    assert main(["officer", "add", "MNE-8", "--name", "C", "--db", str(tmp_path / "a.db")]) == 2
    assert "the two PINs differ" in capsys.readouterr().err


def test_officer_add_without_a_terminal_says_to_use_pin_stdin(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    assert main(["officer", "add", "MNE-7", "--name", "B", "--db", str(tmp_path / "a.db")]) == 2
    assert "use --pin-stdin" in capsys.readouterr().err


def test_officer_add_refusals_exit_1(db, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    assert main(["officer", "add", "MNE-9", "--name", "X", "--pin-stdin", "--db", str(db)]) == 1
    assert "4 to 64 characters" in capsys.readouterr().err


def test_officer_unlock(db, capsys):
    with open_store(db) as store:
        for _ in range(5):
            with pytest.raises(Exception, match="PIN"):
                store.authenticate("MNE-0412", "0000")
    assert main(["officer", "unlock", "MNE-0412", "--db", str(db)]) == 0
    with open_store(db) as store:
        assert store.authenticate("MNE-0412", PIN).officer_id == "MNE-0412"
    assert main(["officer", "unlock", "nobody", "--db", str(db)]) == 1


def test_watchlist_import_detects_the_kind_and_reports_bad_lines(db, tmp_path, capsys):
    good = tmp_path / "persons.csv"
    good.write_text("surname,birth_date,reason\nMüller,1970-01-31,alert\n", encoding="utf-8")
    assert (
        main(
            [
                "watchlist",
                "import",
                str(good),
                "--version",
                "P-1",
                "--list-date",
                "2026-11-25",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    assert "persons list P-1 of 2026-11-25 imported: 1 entries" in capsys.readouterr().out
    bad = tmp_path / "docs.csv"
    bad.write_text("document_number,issuing_state,reason\nAB1,ZZX,LOST\n", encoding="utf-8")
    assert main(["watchlist", "import", str(bad), "--db", str(db)]) == 1
    assert f"{bad}:2: issuing_state 'ZZX'" in capsys.readouterr().err
    unknown = tmp_path / "x.csv"
    unknown.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["watchlist", "import", str(unknown), "--db", str(db)]) == 2
    assert "--kind" in capsys.readouterr().err
    assert main(["watchlist", "status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "persons: version P-1 of 2026-11-25, 1 entries" in out and "documents: none loaded" in out


def test_bad_list_date_is_a_usage_error(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["watchlist", "import", str(tmp_path / "x.csv"), "--list-date", "25.11.2026", "--db", str(db)])
    assert exited.value.code == 2
    assert "is not a date YYYY-MM-DD" in capsys.readouterr().err


def test_audit_verify_exit_status_follows_the_chain(db, capsys):
    assert main(["audit", "verify", "--db", str(db)]) == 0
    assert "audit chain intact: 1 events verified" in capsys.readouterr().out
    with sqlite3.connect(db) as raw:
        raw.execute("DROP TRIGGER audit_events_no_update")
        raw.execute("UPDATE audit_events SET actor = 'mallory'")
    assert main(["audit", "verify", "--db", str(db)]) == 1
    assert "audit chain BROKEN at event 1" in capsys.readouterr().err


def test_commands_refuse_a_missing_database_instead_of_creating_one(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    for argv in (["audit", "verify"], ["export"], ["purge", "--older-than", "30"], ["watchlist", "status"]):
        assert main([*argv, "--db", str(missing)]) == 2
        assert "no database at" in capsys.readouterr().err
    assert not missing.exists()


def test_db_defaults_to_xdg_data_home(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CHECKPOINT_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "MNE-1", "--name", "A", "--pin-stdin"]) == 0
    assert (tmp_path / "xdg" / "checkpoint" / "checkpoint.db").is_file()
    monkeypatch.setenv("CHECKPOINT_DB", str(tmp_path / "env.db"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PIN}\n"))
    assert main(["officer", "add", "MNE-1", "--name", "A", "--pin-stdin"]) == 0
    assert (tmp_path / "env.db").is_file()


def test_export_to_stdout_and_to_a_private_file(db, tmp_path, capsys):
    from store_builders import crossing

    with open_store(db) as store:
        shift = store.open_shift("MNE-0412", "Bozaj", "2", "entry")
        store.record_crossing(crossing(shift.shift_id))
    assert main(["export", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("crossing_id,time,")
    assert "PETROVIC" in captured.out and "1 crossings exported" in captured.err
    target = tmp_path / "out.csv"
    assert main(["export", "--output", str(target), "--since", "2000-01-01", "--db", str(db)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    assert main(["export", "--until", "2000-01-01", "--output", str(target), "--db", str(db)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1


def test_purge_command(db, capsys):
    assert main(["purge", "--older-than", "30", "--db", str(db)]) == 0
    assert "purged 0 crossings and 0 audit events older than" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["purge", "--older-than", "zero", "--db", str(db)])
    assert "not a whole number of days" in capsys.readouterr().err
    assert main(["audit", "verify", "--db", str(db)]) == 0


def test_watchlist_import_of_a_missing_file_says_so(db, tmp_path, capsys):
    missing = tmp_path / "lost.csv"
    for extra in ([], ["--kind", "documents"]):
        assert main(["watchlist", "import", str(missing), *extra, "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert f"cannot read the list {missing}: No such file or directory" in err
        assert "header" not in err
