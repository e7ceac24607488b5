"""Terminals sync to a post on a real PostgreSQL: every record once, chains verified, copies refused,
watchlists and officers pulled, other lanes' crossings seen by the movement check."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from store_builders import PIN, crossing
from sync_builders import OFFICER, Post, make_post, record

from checkpoint.inspection import InspectionConfig, InspectionContext, inspect
from checkpoint.mrz import parse
from checkpoint.store import AuthenticationFailed, chain
from checkpoint.store.crossing_sql import CROSSING_COLUMNS
from checkpoint.store.post_lanes import refusals
from checkpoint.store.sync import SyncRefused, apply_watchlist, sync_state
from checkpoint.store.sync_server import watchlist_head


@pytest.fixture
def post(postgres_db, tmp_path) -> Iterator[Post]:
    made = make_post(postgres_db("post"), tmp_path)
    yield made
    for store in made.terminals:
        store.close()
    made.hq.close()


def test_two_terminals_push_every_record_once_and_the_chains_verify(post):
    lane1, sync1 = post.terminal("T-LANE1")
    lane2, sync2 = post.terminal("T-LANE2")
    record(lane1, "1", 7)
    record(lane2, "2", 5, number=lambda i: f"CD{i:07d}")
    first1, first2 = sync1.sync_once(), sync2.sync_once()
    assert (first1.crossings_pushed, first2.crossings_pushed) == (7, 5)
    assert post.count("crossings") == 12
    assert post.count("crossing_checks") == 24
    assert post.count("shifts") == 2
    for store in (lane1, lane2):
        assert post.count("terminal_events", "terminal_id = %s", (store.terminal_id,)) == len(
            store.audit_events(limit=10_000)
        )
        assert sync_state(store).describe() == "synced"
    reports = post.hq.verify_terminal_chains()
    assert [(r.terminal_id, r.report.ok) for r in reports] == [("T-LANE1", True), ("T-LANE2", True)]
    # A second push adds nothing.
    again = sync1.sync_once()
    assert (again.events_pushed, again.crossings_pushed) == (0, 0)
    assert post.count("crossings") == 12
    # The text the terminal hashed is the text the post holds, byte for byte.
    local = lane1.audit_events(limit=10_000)
    held = post.rows(
        "SELECT seq, event_id, time, details, prev_hash, hash FROM terminal_events WHERE terminal_id = %s "
        "ORDER BY seq",
        ("T-LANE1",),
    )
    assert [(e.seq, e.event_id, e.prev_hash, e.hash) for e in local] == [
        (r[0], r[1], r[4], r[5]) for r in held
    ]
    with sqlite3.connect(lane1.path) as raw:
        times = raw.execute("SELECT time, details FROM audit_events ORDER BY seq").fetchall()
    assert times == [(r[2], r[3]) for r in held]
    columns = ", ".join(CROSSING_COLUMNS)
    with sqlite3.connect(lane1.path) as raw:
        stored = raw.execute(f"SELECT {columns} FROM crossings ORDER BY crossing_id").fetchall()
    assert stored == post.rows(
        f"SELECT {columns} FROM crossings WHERE terminal_id = 'T-LANE1' ORDER BY crossing_id"
    )
    # Receive times are the post's, and the terminal's crossings are marked synced.
    assert post.count("crossings", "received_at IS NULL") == 0
    assert {c.sync_state for c in lane1.document_history("AB0000001", "MNE")} == {"synced"}


def test_an_admit_at_lane_1_is_a_conflicting_crossing_at_lane_2_after_a_pull(post):
    lane1, sync1 = post.terminal("T-LANE1")
    lane2, sync2 = post.terminal("T-LANE2")
    record(lane1, "1", 1, number=lambda i: "AB1234567")
    sync1.sync_once()
    now = datetime.now(UTC)
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert lane2.document_movements("AB1234567", "MNE", since=since) == []
    pulled = sync2.sync_once()
    assert pulled.pull.crossings == 1
    movements = lane2.document_movements("AB1234567", "MNE", since=since)
    assert [(m.post, m.lane, m.decision) for m in movements] == [("Bozaj", "1", "admit")]
    document = parse(
        "P<MNEPETROVIC<<MARKO<<<<<<<<<<<<<<<<<<<<<<<<<\nAB12345670MNE8005178M3103015<<<<<<<<<<<<<<02"
    )
    context = InspectionContext(
        now=now,
        today=now.date(),
        direction="entry",
        post="Bozaj",
        lane="2",
        history=movements,
        history_since=since,
        config=InspectionConfig(),
    )
    movement = next(r for r in inspect(document, context).results if r.check_id == "travel.movement")
    assert movement.status.value == "FAIL"
    assert "Bozaj lane 1" in movement.message
    state = sync_state(lane2)
    assert state.peers_as_of is not None and abs((now - state.peers_as_of).total_seconds()) < 60
    # Lane 1 does not pull its own crossings back.
    sync1.sync_once()
    assert lane1.document_movements("AB1234567", "MNE", since=since)[0].lane == "1"
    assert len(lane1.document_movements("AB1234567", "MNE", since=since)) == 1


def test_a_copied_terminal_file_is_refused_naming_the_terminal_and_event(post, tmp_path):
    lane1, sync1 = post.terminal("T-LANE1")
    shift_id = record(lane1, "1", 2)
    sync1.sync_once()
    lane1.close()
    shutil.copy(post.folder / "T-LANE1.db", tmp_path / "copy.db")
    from checkpoint.store import open_store
    from checkpoint.store.sync import SyncClient

    original = open_store(post.folder / "T-LANE1.db")
    copy = open_store(tmp_path / "copy.db")
    post.terminals += [original, copy]
    original.record_crossing(crossing(shift_id, document_number="ORIG0001"))
    copied = copy.record_crossing(crossing(shift_id, document_number="COPY0001"))
    SyncClient(original, post.dsn).sync_once()
    with pytest.raises(SyncRefused) as refused:
        SyncClient(copy, post.dsn).sync_once()
    message = str(refused.value)
    event = copy.audit_events(since_seq=refused.value.seq or 0, limit=1)[0]
    assert "terminal T-LANE1" in message and event.event_id in message, message
    assert "copied or rewritten" in message
    assert post.count("crossings", "crossing_id = %s", (copied.crossing_id,)) == 0
    assert [r.event_id for r in post.query(refusals)] == [event.event_id]
    assert sync_state(copy).describe().startswith("refused: terminal T-LANE1")
    assert sync_state(copy).refused_why == "copied or rewritten file"


def test_a_rewritten_history_is_refused_even_with_every_hash_recomputed(post):
    lane1, sync1 = post.terminal("T-LANE1")
    shift_id = record(lane1, "1", 3)
    sync1.sync_once()
    # Someone with write access to the file changes event 3 and recomputes every hash after it.
    with sqlite3.connect(lane1.path) as raw:
        raw.execute("DROP TRIGGER audit_events_no_update")
        rows = raw.execute(
            "SELECT seq, event_id, time, terminal_id, actor, action, subject, details FROM audit_events ORDER BY seq"
        ).fetchall()
        prev = chain.GENESIS_HASH
        for seq, event_id, time, terminal_id, actor, action, subject, details in rows:
            if seq == 3:
                actor = "MNE-9999"
            digest = chain.event_hash(prev, seq, event_id, time, terminal_id, actor, action, subject, details)
            raw.execute(
                "UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (actor, prev, digest, seq),
            )
            prev = digest
    assert lane1.verify_audit().ok  # locally, the rewrite is invisible
    lane1.record_crossing(crossing(shift_id, document_number="NEXT0001"))
    with pytest.raises(SyncRefused, match=r"terminal T-LANE1: event \d+ \(\S+\) does not continue"):
        sync1.sync_once()
    assert post.count("sync_refusals") == 1


def test_an_altered_unsynced_event_is_refused(post):
    lane1, sync1 = post.terminal("T-LANE1")
    record(lane1, "1", 2)
    with sqlite3.connect(lane1.path) as raw:
        raw.execute("DROP TRIGGER audit_events_no_update")
        raw.execute("UPDATE audit_events SET actor = 'MNE-9999' WHERE action = 'decision'")
    with pytest.raises(SyncRefused, match="does not match its hash: it was altered"):
        sync1.sync_once()
    assert post.count("crossings") == 0 and post.count("terminal_events") <= 1


def test_watchlist_v2_reaches_both_terminals_and_a_late_v1_does_not_win(post, tmp_path):
    lane1, sync1 = post.terminal("T-LANE1")
    lane2, sync2 = post.terminal("T-LANE2")
    v1 = tmp_path / "v1.csv"
    v1.write_text(
        "document_number,issuing_state,document_type,reason,reference\nAA0000001,MNE,P,STOLEN,R-1\n"
    )
    v2 = tmp_path / "v2.csv"
    v2.write_text(
        "document_number,issuing_state,document_type,reason,reference\n"
        "AA0000001,MNE,P,STOLEN,R-1\nBB0000002,SRB,P,LOST,R-2\n"
    )
    post.hq.import_watchlist("documents", v1, actor="hq:admin", version="v1")
    with psycopg.connect(post.dsn, autocommit=True) as connection:
        head_v1 = watchlist_head(connection, "documents")
        data_v1 = v1.read_bytes()
    post.hq.import_watchlist("documents", v2, actor="hq:admin", version="v2")
    for store, client in ((lane1, sync1), (lane2, sync2)):
        assert client.sync_once().pull.watchlists == ("documents v2",)
        listed = store.document_watchlist()
        assert listed is not None and listed.version == "v2"
        assert [e.reference for e in listed.lookup("BB0000002", "SRB")] == ["R-2"]
    # v1 arriving late (a slow pull that started before v2 was published) changes nothing.
    assert head_v1 is not None
    assert apply_watchlist(lane1, "documents", head_v1, data_v1) is False
    assert lane1.watchlist_info("documents").version == "v2"
    # A file that does not match its SHA-256 is not applied.
    forged = (head_v1[0] + 10, *head_v1[1:])
    with pytest.raises(Exception, match="does not match its SHA-256"):
        apply_watchlist(lane1, "documents", forged, data_v1 + b"XX0000009,MNE,P,STOLEN,R-9\n")
    assert sync1.sync_once().pull.watchlists == ()


def test_an_officer_deactivated_at_hq_cannot_sign_in_after_the_next_pull(post):
    lane1, sync1 = post.terminal("T-LANE1")
    assert lane1.authenticate(OFFICER, PIN).officer_id == OFFICER
    post.hq.set_officer_active(OFFICER, False, actor="hq:admin")
    assert lane1.authenticate(OFFICER, PIN).active  # not yet pulled
    assert sync1.sync_once().pull.officers_changed == 1
    with pytest.raises(AuthenticationFailed):
        lane1.authenticate(OFFICER, PIN)
    # Lockout counters stay local: a pull does not reset them.
    with sqlite3.connect(lane1.path) as raw:
        failures = raw.execute(
            "SELECT failed_attempts FROM officers WHERE officer_id = ?", (OFFICER,)
        ).fetchone()[0]
    assert failures == 1
    sync1.sync_once()
    with sqlite3.connect(lane1.path) as raw:
        assert (
            raw.execute("SELECT failed_attempts FROM officers WHERE officer_id = ?", (OFFICER,)).fetchone()[0]
            == 1
        )


def test_purge_keeps_what_the_post_does_not_hold_and_says_so(post):
    from datetime import timedelta

    lane1, sync1 = post.terminal("T-LANE1")
    record(lane1, "1", 2)
    sync1.sync_once()
    record(lane1, "1", 3, number=lambda i: f"LATE{i:04d}")
    later = datetime.now(UTC) + timedelta(days=40)
    lane1._clock = lambda: later
    report = lane1.purge(30, actor="local:test")
    assert report.crossings_deleted == 2
    assert report.crossings_kept_unsynced == 3
    assert report.events_kept_unsynced > 0
    assert lane1.verify_audit().ok
    lane1._clock = lambda: datetime.now(UTC)
    assert sync1.sync_once().crossings_pushed == 3
    assert post.count("crossings") == 5


def test_a_terminal_clock_off_by_minutes_is_flagged_and_records_keep_both_times(post, tmp_path):
    from datetime import timedelta

    from checkpoint.store import open_store
    from checkpoint.store.post_lanes import lanes
    from checkpoint.store.sync import SyncClient

    ahead = timedelta(minutes=12)
    store = open_store(tmp_path / "fast.db", terminal_id="T-FAST", clock=lambda: datetime.now(UTC) + ahead)
    post.terminals.append(store)
    client = SyncClient(store, post.dsn)
    client.sync_once()
    record(store, "3", 1)
    report = client.sync_once()
    assert report.clock_skew_s is not None and 11 * 60 < report.clock_skew_s < 13 * 60
    assert sync_state(store).clock_flagged
    [lane] = post.query(lanes)
    assert lane.clock_flagged and lane.terminal_id == "T-FAST" and lane.lane == "3"
    [(terminal_time, received)] = post.rows("SELECT time, received_at FROM crossings")
    skew = datetime.fromisoformat(terminal_time) - datetime.fromisoformat(received)
    assert timedelta(minutes=11) < skew < timedelta(minutes=13)


def test_the_post_takes_a_push_only_on_a_connection_that_commits_it(post):
    from checkpoint.store.sync_server import PushBatch, receive_push

    with psycopg.connect(post.dsn) as connection, pytest.raises(ValueError, match="autocommit"):
        # With autocommit off, the push's transaction would be a savepoint that nothing commits.
        receive_push(connection, PushBatch("c", "T-LANE1", datetime.now(UTC).isoformat()))


def test_corrections_sync_even_for_a_terminal_that_purged_before_it_ever_synced(post, tmp_path):
    from datetime import timedelta

    from checkpoint.store import open_store
    from checkpoint.store.sync import SyncClient

    now = [datetime.now(UTC) - timedelta(days=40)]
    store = open_store(tmp_path / "old.db", terminal_id="T-OLD", clock=lambda: now[0])
    post.terminals.append(store)
    store.add_officer(OFFICER, "Ana", PIN, actor="local")
    shift = store.open_shift(OFFICER, "Bozaj", "4", "entry")
    first = store.record_crossing(crossing(shift.shift_id, document_number="OLD00001"))
    now[0] += timedelta(days=39)
    correction = store.record_crossing(
        crossing(shift.shift_id, document_number="OLD00001", decision="refer", corrects=first.crossing_id,
                 correction_reason="wrong button")
    )  # fmt: skip
    store.purge(
        30, actor="local"
    )  # standalone: by the cutoff; the corrected crossing stays with its correction
    assert store.audit_events(limit=1)[0].seq > 1
    now[0] = datetime.now(UTC)
    report = SyncClient(store, post.dsn).sync_once()
    assert report.crossings_pushed == 2
    assert {r[0] for r in post.rows("SELECT crossing_id FROM crossings")} == {
        first.crossing_id,
        correction.crossing_id,
    }
    [chain_report] = post.hq.verify_terminal_chains()
    assert chain_report.report.ok, chain_report
    assert SyncClient(store, post.dsn).sync_once().crossings_pushed == 0


def test_two_databases_under_one_terminal_name_keep_two_chains_that_each_verify(post, tmp_path):
    """A terminal reinstalled under its old name starts a new chain; it is not taken for a copy."""
    from checkpoint.store import open_store
    from checkpoint.store.sync import SyncClient

    for name in ("before.db", "after.db"):
        store = open_store(tmp_path / name, terminal_id="T-SAME")
        post.terminals.append(store)
        client = SyncClient(store, post.dsn)
        client.sync_once()
        record(store, "5", 2)
        client.sync_once()
    reports = post.hq.verify_terminal_chains()
    assert [(r.terminal_id, r.report.ok) for r in reports] == [("T-SAME", True), ("T-SAME", True)]
    assert len({r.chain_id for r in reports}) == 2


def test_a_shift_closed_after_it_was_pushed_is_closed_at_the_post(post):
    lane1, sync1 = post.terminal("T-LANE1")
    shift_id = record(lane1, "1", 1)
    sync1.sync_once()
    assert post.rows("SELECT closed_at FROM shifts WHERE shift_id = %s", (shift_id,)) == [(None,)]
    lane1.close_shift(shift_id, "quiet night")
    sync1.sync_once()
    [(closed_at, note)] = post.rows(
        "SELECT closed_at, close_note FROM shifts WHERE shift_id = %s", (shift_id,)
    )
    assert closed_at == lane1.get_shift(shift_id).closed_at.isoformat(timespec="microseconds")
    assert note == "quiet night"
    assert sync1.sync_once().events_pushed == 0
