"""What is particular to the store on PostgreSQL: append-only rules in the database, hashed text kept
byte for byte, its own migrations, and a pool that outlives a server restart."""

from __future__ import annotations

import time

import psycopg
import pytest
from store_builders import PIN, Clock, crossing

from checkpoint.store import StoreUnavailable
from checkpoint.store.pg_schema import PG_MIGRATIONS, PG_SCHEMA_VERSION
from checkpoint.store.postgres import open_post_store


@pytest.fixture
def post(postgres_db):
    dsn = postgres_db("pg")
    with open_post_store(dsn, clock=Clock(), terminal_id="HQ") as store:
        store.add_officer("MNE-0412", "Ana Vuković", PIN, actor="admin")
        shift = store.open_shift("MNE-0412", "Bozaj", "2", "entry")
        store.record_crossing(crossing(shift.shift_id, surname="VUKOVIĆ"))
        yield dsn, store


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE crossings SET decision = 'refuse'",
        "DELETE FROM crossings",
        "TRUNCATE crossings CASCADE",
        "UPDATE crossing_checks SET status = 'PASS'",
        "DELETE FROM crossing_checks",
        "UPDATE audit_events SET actor = 'someone else'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_database_refuses_to_change_or_delete_records(post, statement):
    dsn, _store = post
    with (
        psycopg.connect(dsn) as raw,
        pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"),
    ):
        raw.execute(statement.encode())


def test_hashed_text_is_stored_and_read_back_byte_for_byte(post):
    dsn, store = post
    event = store.audit("reveal", actor="MNE-0412", details={"name": "Vuković «Ana»", "n": 1.5, "ok": True})
    with psycopg.connect(dsn) as raw:
        row = raw.execute(
            b"SELECT time, details, hash FROM audit_events WHERE seq = %s", (event.seq,)
        ).fetchone()
        types = dict(
            raw.execute(
                b"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'audit_events'"
            ).fetchall()
        )
    assert row == (
        event.time.isoformat(timespec="microseconds"),
        '{"n":1.5,"name":"Vuković «Ana»","ok":true}',
        event.hash,
    )
    assert types["time"] == types["details"] == "text"
    assert store.audit_events(since_seq=event.seq)[0] == event
    assert store.verify_audit().ok


def test_migrations_are_recorded_and_a_newer_database_is_refused(post):
    dsn, store = post
    store.close()
    with open_post_store(dsn) as again:  # reopening applies nothing new
        assert again.terminal_id == "HQ"
    with psycopg.connect(dsn, autocommit=True) as raw:
        rows = raw.execute(b"SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert rows == [(m.version, m.name) for m in PG_MIGRATIONS]
        assert rows[-1][0] == PG_SCHEMA_VERSION
        raw.execute(b"INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
    with pytest.raises(StoreUnavailable, match="schema version 999, newer than this program"):
        open_post_store(dsn)


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(
        StoreUnavailable, match=r"cannot reach the database postgresql://127\.0\.0\.1:1/nothing"
    ):
        open_post_store("host=127.0.0.1 port=1 dbname=nothing user=nobody connect_timeout=2")


def test_the_pool_reconnects_after_the_server_restarts(post, postgres_cluster):
    from checkpoint.store.postgres import PostgresStore

    dsn, first = post
    first.close()
    store = PostgresStore(dsn, wait_s=1.0)
    postgres_cluster.stop_server("fast")
    try:
        with pytest.raises(StoreUnavailable):
            store.get_officer("MNE-0412")
    finally:
        postgres_cluster.start_server()
    try:
        # The pool brings its connections back by itself (with back-off); a caller only retries.
        deadline = time.monotonic() + 30
        while True:
            try:
                officer = store.get_officer("MNE-0412")
                break
            except StoreUnavailable:
                assert time.monotonic() < deadline, "the pool did not reconnect"
        assert officer.name == "Ana Vuković"
        assert store.verify_audit().ok
    finally:
        store.close()


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        (
            "UPDATE audit_events SET actor = 'MNE-9999' WHERE seq = 2",
            "event 2: content does not match its hash",
        ),
        ("DELETE FROM audit_events WHERE seq = 2", "event 2 missing"),
        ("DELETE FROM audit_events WHERE seq >= 3", "the decision event of crossing"),
    ],
)
def test_tampering_with_the_chain_on_the_server_is_reported(post, statement, problem):
    dsn, store = post
    with psycopg.connect(dsn) as raw:
        raw.execute(b"ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        raw.execute(statement.encode())
    report = store.verify_audit()
    assert not report.ok
    assert problem in str(report), report
