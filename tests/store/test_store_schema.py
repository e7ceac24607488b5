"""Opening a database: migrations in order and recorded, WAL and foreign keys, owner-only file mode."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from checkpoint.store import StoreUnavailable, open_store
from checkpoint.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, migrate


def test_new_database_records_every_migration_once(store, db_path):
    store.close()
    again = open_store(db_path)  # reopening applies nothing new
    again.close()
    with sqlite3.connect(db_path) as raw:
        rows = raw.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows == [(m.version, m.name) for m in MIGRATIONS]
    assert rows[-1][0] == SCHEMA_VERSION


def test_wal_mode_and_foreign_keys(store, db_path):
    with store._read() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_database_and_its_wal_are_owner_only(store, shift, db_path):
    # A write leaves the -wal and -shm files next to the database while the store is open.
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        assert path.exists(), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700


def test_existing_loose_file_mode_is_tightened(tmp_path):
    path = tmp_path / "loose.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    open_store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_migrations_apply_in_order_and_a_failing_one_leaves_nothing(tmp_path):
    raw = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    steps = (
        Migration(1, "one", ("CREATE TABLE a (x)",)),
        Migration(2, "two", ("CREATE TABLE b (y)", "INSERT INTO b VALUES (1)")),
    )
    assert migrate(raw, steps) == [1, 2]
    assert migrate(raw, steps) == []
    broken = (*steps, Migration(3, "three", ("CREATE TABLE c (z)", "INSERT INTO nowhere VALUES (1)")))
    with pytest.raises(sqlite3.OperationalError):
        migrate(raw, broken)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "c" not in tables  # the failed migration rolled back entirely
    assert [r[0] for r in raw.execute("SELECT version FROM schema_migrations")] == [1, 2]


def test_database_from_a_newer_program_is_refused(store, db_path):
    store.close()
    with sqlite3.connect(db_path) as raw:
        raw.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
    with pytest.raises(StoreUnavailable, match="schema version 999, newer than this program"):
        open_store(db_path)


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable, match="not a usable checkpoint database"):
        open_store(path)


def test_terminal_id_is_made_once_and_kept(tmp_path):
    with open_store(tmp_path / "t.db") as first:
        made = first.terminal_id
    with open_store(tmp_path / "t.db") as second:
        assert second.terminal_id == made
    assert made.startswith("T-")


@pytest.mark.sqlite_only
def test_review_path_queries_use_indexes(store):
    with store._read() as db:
        history = db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM crossings c WHERE c.document_number = ? AND c.issuing_state = ? "
            "AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = c.crossing_id) ORDER BY c.time DESC LIMIT 50",
            ("X", "Y"),
        ).fetchall()
        documents = db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM watchlist_documents WHERE version_id = ? AND document_number = ? "
            "AND issuing_state = ?",
            (1, "X", "Y"),
        ).fetchall()
        persons = db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM watchlist_persons WHERE version_id = ?1 AND (birth_date = ?2 OR "
            "birth_date IS NULL)",
            (1, "1980-01-01"),
        ).fetchall()
        movements = db.execute(
            "EXPLAIN QUERY PLAN SELECT c.crossing_id FROM crossings c WHERE c.document_number = ? "
            "AND c.issuing_state = ? AND c.time >= ? "
            "AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = c.crossing_id) ORDER BY c.time DESC",
            ("X", "Y", "2026"),
        ).fetchall()
    assert "USING INDEX crossings_document (document_number=? AND issuing_state=? AND time>?)" in " ".join(
        str(r[3]) for r in movements
    )
    plan = " | ".join(str(row[3]) for row in history)
    assert "USING INDEX crossings_document" in plan and "crossings_corrects" in plan, plan
    assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan
    assert "USING INDEX watchlist_documents_lookup" in " ".join(str(r[3]) for r in documents)
    assert "watchlist_persons_birth" in " ".join(str(r[3]) for r in persons)


@pytest.mark.sqlite_only
def test_movements_with_other_lanes_use_indexes(store):
    from checkpoint.store.sqlite import _MOVEMENTS

    key = ("X", "Y", "2026")
    with store._read() as db:
        plan = " | ".join(str(r[3]) for r in db.execute(f"EXPLAIN QUERY PLAN {_MOVEMENTS}", key + key))
    assert "USING INDEX crossings_document" in plan and "USING INDEX remote_crossings_document" in plan, plan
    assert "SCAN" not in plan, plan
