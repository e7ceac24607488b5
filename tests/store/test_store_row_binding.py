"""Every crossing, shift and watchlist version is bound to the audit chain: with the append-only triggers
dropped (anyone who can write the file can), changing or deleting a record is still found, and named."""

from __future__ import annotations

import sqlite3

import pytest
from store_builders import crossing

from checkpoint.cli import main
from checkpoint.store import StoreUnavailable, open_store, verify_database
from checkpoint.store import migrations as store_migrations
from checkpoint.store import sqlite as store_sqlite
from checkpoint.store.bindings import BINDING_MIGRATION
from checkpoint.store.crossing_sql import CROSSING_COLUMNS


def _tamper(db_path, *statements):
    """Change the file as an attacker would: every append-only trigger dropped first."""
    with sqlite3.connect(db_path) as raw:
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            raw.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            raw.execute(statement)


@pytest.fixture
def recorded(store, shift, clock, tmp_path):
    """Three crossings (one refused), a closed shift and a watchlist; returns the crossing ids."""
    ids = []
    for decision in ("admit", "refuse", "admit"):
        clock.advance(minutes=3)
        extra = {"reason_codes": ("B",)} if decision == "refuse" else {}
        ids.append(store.record_crossing(crossing(shift.shift_id, decision=decision, **extra)).crossing_id)
    listing = tmp_path / "docs.csv"
    listing.write_text("document_number,issuing_state,reason\nX1234567,UTO,stolen\n", encoding="utf-8")
    store.import_watchlist("documents", listing, actor="admin")
    store.close_shift(shift.shift_id, "quiet")
    return ids


def test_intact_records_all_match_their_events(store, recorded):
    report = store.verify_audit()
    assert report.ok, report
    # 3 crossings, the shift's opening and closing, 1 watchlist version and its entries.
    assert report.rows_checked == 7
    assert report.head_hash == store.audit_events()[-1].hash


@pytest.mark.parametrize(
    ("change", "which"),
    [
        ("UPDATE crossings SET decision = 'admit' WHERE decision = 'refuse'", 1),
        ("UPDATE crossings SET surname = 'SMITH' WHERE seq = 1", 0),
        ("UPDATE crossings SET document_number = 'ZZ9999999' WHERE seq = 3", 2),
        ("UPDATE crossings SET time = '2026-01-01T00:00:00.000000+00:00' WHERE seq = 2", 1),
        (
            "UPDATE crossing_checks SET status = 'FAIL' WHERE position = 1 AND crossing_id IN "
            "(SELECT crossing_id FROM crossings WHERE seq = 1)",
            0,
        ),
    ],
)
def test_a_changed_crossing_is_found_and_named(store, recorded, db_path, change, which):
    _tamper(db_path, change)
    report = store.verify_audit()
    assert not report.ok
    assert f"crossing {recorded[which]}" in report.problem
    assert "altered" in report.problem


def test_a_deleted_crossing_is_found_and_named(store, recorded, db_path):
    _tamper(
        db_path,
        f"DELETE FROM crossing_checks WHERE crossing_id = '{recorded[1]}'",
        f"DELETE FROM crossings WHERE crossing_id = '{recorded[1]}'",
    )
    report = store.verify_audit()
    assert not report.ok
    assert f"crossing {recorded[1]}" in report.problem and "deleted" in report.problem


def test_a_changed_shift_or_watchlist_version_is_found(store, recorded, db_path):
    _tamper(db_path, "UPDATE shifts SET close_note = 'nothing to see'")
    assert "the closing of shift" in store.verify_audit().problem
    _tamper(db_path, "UPDATE shifts SET close_note = 'quiet', lane = '9'")
    assert "altered" in store.verify_audit().problem
    _tamper(db_path, "UPDATE shifts SET lane = '2'", "UPDATE watchlist_versions SET entry_count = 0")
    assert "watchlist version" in store.verify_audit().problem


def test_a_changed_or_removed_watchlist_entry_is_found(store, recorded, db_path, tmp_path):
    _tamper(db_path, "UPDATE watchlist_documents SET document_number = 'X7654321'")
    assert "the entries of watchlist version" in store.verify_audit().problem
    _tamper(db_path, "UPDATE watchlist_documents SET document_number = 'X1234567'")
    assert store.verify_audit().ok
    _tamper(db_path, "DELETE FROM watchlist_documents")
    assert "the entries of watchlist version" in store.verify_audit().problem
    # A new import replaces the entries: the old version's are gone on purpose, and that verifies.
    listing = tmp_path / "docs2.csv"
    listing.write_text("document_number,issuing_state,reason\nY1234567,UTO,lost\n", encoding="utf-8")
    store.import_watchlist("documents", listing, actor="admin")
    assert store.verify_audit().ok


_COPIED = ", ".join(CROSSING_COLUMNS)


def test_a_crossing_inserted_without_its_event_is_found(store, recorded, db_path):
    _tamper(
        db_path,
        f"INSERT INTO crossings (seq, {_COPIED}) SELECT seq + 100, crossing_id || 'x', "
        f"{_COPIED.removeprefix('crossing_id, ')} FROM crossings WHERE seq = 1",
    )
    assert not store.verify_audit().ok


def test_cutting_both_tails_is_caught_only_against_a_known_head(store, shift, recorded, db_path, clock):
    clock.advance(minutes=1)
    second = store.open_shift("MNE-0412", "Bozaj road crossing", "2", "entry")
    store.record_crossing(crossing(second.shift_id, document_number="CD7654321"))
    head = store.verify_audit().head_hash
    last = store.audit_events()[-1].seq
    _tamper(
        db_path,
        "DELETE FROM crossing_checks WHERE crossing_id IN (SELECT crossing_id FROM crossings WHERE "
        "document_number = 'CD7654321')",
        "DELETE FROM crossings WHERE document_number = 'CD7654321'",
        f"DELETE FROM audit_events WHERE seq = {last}",
    )
    assert store.verify_audit().ok  # nothing inside says anything is missing
    report = store.verify_audit(expect_head=head)
    assert not report.ok and "expected head" in report.problem


def test_audit_verify_prints_the_head_and_checks_a_known_one(store, recorded, db_path, capsys):
    store.close()
    assert main(["audit", "verify", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    head = out.split("chain head: event ")[1].split()[1]
    assert main(["audit", "verify", "--db", str(db_path), "--expect-head", head]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--db", str(db_path), "--expect-head", "ab" * 32]) == 1
    assert "expected head" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["audit", "verify", "--db", str(db_path), "--expect-head", "nothex"])
    assert usage.value.code == 2


def test_a_database_from_before_binding_is_bound_by_its_migration(tmp_path, monkeypatch, clock):
    """Rows of a database from before binding are bound when it is migrated; its old events still verify."""
    path = tmp_path / "old.db"
    first = [m for m in store_migrations.MIGRATIONS if m.name != BINDING_MIGRATION]
    with monkeypatch.context() as old:  # write as the code before binding did
        old.setattr(store_sqlite, "migrate", lambda db: store_migrations.migrate(db, first))
        old.setattr("checkpoint.store.chain.ROW_HASH_KEY", "unbound")
        old.setattr("checkpoint.store.bindings.crossing_details", lambda record: {})
        with open_store(path, clock=clock) as v1:
            v1.add_officer("MNE-0412", "Ana", "4821", actor="admin")
            shift = v1.open_shift("MNE-0412", "Bozaj", "2", "entry")
            kept = v1.record_crossing(crossing(shift.shift_id)).crossing_id
    before = path.read_bytes()
    report = verify_database(path)  # read-only: verifies the chain, cannot bind rows
    assert report.ok and report.rows_checked == 0
    assert path.read_bytes() == before
    with open_store(path, clock=clock) as migrated:
        report = migrated.verify_audit()
        assert report.ok, report
        assert report.rows_checked == 2  # the crossing and the shift's opening
    _tamper(path, f"UPDATE crossings SET decision = 'refuse' WHERE crossing_id = '{kept}'")
    report = verify_database(path)
    assert not report.ok and f"crossing {kept}" in report.problem


def test_a_sqlite_file_that_is_not_ours_is_refused_and_left_alone(tmp_path, capsys):
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE notes (body TEXT)")
        raw.execute("INSERT INTO notes VALUES ('hello')")
    before = foreign.read_bytes()
    with pytest.raises(StoreUnavailable, match="not a checkpoint database"):
        verify_database(foreign)
    assert main(["audit", "verify", "--db", str(foreign)]) == 2
    assert "not a checkpoint database" in capsys.readouterr().err
    with pytest.raises(StoreUnavailable, match="not a checkpoint database"):
        open_store(foreign)
    assert foreign.read_bytes() == before


def test_verify_never_writes(store, recorded, db_path):
    store.close()
    before = db_path.read_bytes()
    assert verify_database(db_path).ok
    assert db_path.read_bytes() == before
