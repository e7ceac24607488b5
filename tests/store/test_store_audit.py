"""The audit chain: verify finds the first altered, deleted or inserted event; purge keeps it verifiable."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime

import pytest
from store_builders import crossing

from checkpoint.store import CrossingQuery, InvalidRecord, open_store
from checkpoint.store.chain import event_hash


def _tamper(db_path, *statements, params=()):
    """Change the database the way an attacker with file access would: triggers dropped first."""
    with sqlite3.connect(db_path) as raw:
        raw.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        raw.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        raw.execute("DROP TRIGGER IF EXISTS crossings_no_delete")
        raw.execute("DROP TRIGGER IF EXISTS crossing_checks_no_delete")
        for statement in statements:
            raw.execute(statement, params)


@pytest.fixture
def busy(store, shift, clock):
    """A store with a dozen events: officer, shift, crossings, a search."""
    for _ in range(8):
        clock.advance(minutes=2)
        store.record_crossing(crossing(shift.shift_id))
    store.search_crossings(CrossingQuery(text="AB1234567"), purpose="supervisor spot check", actor="MNE-0412")
    return store


def test_intact_chain_verifies(busy):
    report = busy.verify_audit()
    assert report.ok, report
    assert (report.events_checked, report.first_seq, report.last_seq) == (11, 1, 11)
    assert str(report) == "audit chain intact: 11 events verified (events 1-11); 9 records match their events"


def test_altered_event_is_reported_at_its_number(busy, db_path):
    _tamper(db_path, "UPDATE audit_events SET actor = 'MNE-9999' WHERE seq = 5")
    report = busy.verify_audit()
    assert not report.ok
    assert report.broken_seq == 5
    assert "altered" in report.problem
    assert str(report).startswith("audit chain BROKEN at event 5:")


def test_altered_details_detected(busy, db_path):
    _tamper(
        db_path, """UPDATE audit_events SET details = replace(details, '"admit"', '"refuse"') WHERE seq = 4"""
    )
    assert busy.verify_audit().broken_seq == 4


def test_deleted_event_is_reported_as_missing(busy, db_path):
    _tamper(db_path, "DELETE FROM audit_events WHERE seq = 6")
    report = busy.verify_audit()
    assert (report.ok, report.broken_seq) == (False, 6)
    assert report.problem == "event 6 missing (deleted)"


def test_deleted_then_renumbered_is_a_broken_link(busy, db_path):
    _tamper(
        db_path,
        "DELETE FROM audit_events WHERE seq = 6",
        "UPDATE audit_events SET seq = seq - 1 WHERE seq > 6",
    )
    report = busy.verify_audit()
    assert report.broken_seq == 6 and "link to the previous event" in report.problem


def test_inserted_event_with_a_valid_own_hash_still_breaks_the_next_link(busy, db_path):
    with sqlite3.connect(db_path) as raw:
        seq5 = raw.execute("SELECT hash, time, terminal_id FROM audit_events WHERE seq = 5").fetchone()
    forged_hash = event_hash(seq5[0], 6, "forged", seq5[1], seq5[2], "MNE-0412", "sign_in", "MNE-0412", "{}")
    with sqlite3.connect(db_path) as raw:
        raw.execute("DROP TRIGGER audit_events_no_update")
        raw.execute("UPDATE audit_events SET seq = -seq WHERE seq > 5")
        raw.execute("UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0")
        raw.execute(
            "INSERT INTO audit_events VALUES (6, 'forged', ?, ?, 'MNE-0412', 'sign_in', 'MNE-0412', '{}', ?, ?)",
            (seq5[1], seq5[2], seq5[0], forged_hash),
        )
    report = busy.verify_audit()
    assert not report.ok
    assert report.broken_seq == 7  # the forged event links well; the one after it no longer does


def test_appended_event_without_the_chain_hash_is_detected(busy, db_path):
    _tamper(
        db_path,
        "INSERT INTO audit_events VALUES (12, 'x', '2026-11-27T09:00:00.000000+00:00', 'T', 'a', 'export', '', '{}', "
        "'bogus', 'bogus')",
    )
    assert busy.verify_audit().broken_seq == 12


def test_cutting_the_tail_is_detected_through_the_crossings(busy, db_path):
    _tamper(db_path, "DELETE FROM audit_events WHERE seq >= 9")
    report = busy.verify_audit()
    assert not report.ok and "decision event of crossing" in report.problem


def test_search_requires_a_purpose_and_records_it(store, shift):
    with pytest.raises(InvalidRecord, match="purpose"):
        store.search_crossings(CrossingQuery(text="PETROVIC"), purpose="  ", actor="MNE-0412")
    with pytest.raises(InvalidRecord, match="criterion"):
        store.search_crossings(CrossingQuery(), purpose="curious", actor="MNE-0412")
    store.record_crossing(crossing(shift.shift_id))
    store.record_crossing(crossing(shift.shift_id, surname="PETERS", document_number="CD1"))
    found = store.search_crossings(CrossingQuery(text="petro"), purpose="case 2026/118", actor="MNE-0412")
    assert [c.surname for c in found] == ["PETROVIC"]
    assert (
        len(store.search_crossings(CrossingQuery(text="CD1"), purpose="case 2026/118", actor="MNE-0412")) == 1
    )
    event = store.audit_events()[-2]
    assert (event.action, event.details["purpose"], event.details["results"]) == (
        "search",
        "case 2026/118",
        1,
    )


def test_search_wildcards_are_literal(store, shift):
    store.record_crossing(crossing(shift.shift_id))
    assert store.search_crossings(CrossingQuery(text="%"), purpose="p", actor="a") == []
    assert store.search_crossings(CrossingQuery(text="_ETROVIC"), purpose="p", actor="a") == []


def test_export_writes_every_crossing_and_is_audited(store, shift):
    store.record_crossing(crossing(shift.shift_id))
    store.record_crossing(
        crossing(shift.shift_id, decision="refuse", reason_codes=("A", "H"), surname="=CMD()")
    )
    out = io.StringIO()
    assert store.export_crossings(out, actor="supervisor") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["decision"] for r in rows] == ["admit", "refuse"]
    assert rows[1]["reason_codes"] == "A;H"
    assert rows[1]["surname"] == "'=CMD()"  # a spreadsheet must not run it
    assert rows[0]["checks"] == "mrz.validity:1:PASS;watchlist.document:1:PASS"
    assert rows[0]["document_number"] == "AB1234567"
    event = store.audit_events()[-1]
    assert (event.action, event.actor, event.details["rows"]) == ("export", "supervisor", 2)
    assert "q.since" not in event.details  # an unfiltered export says so by naming no criteria


def test_purge_removes_old_records_and_the_chain_still_verifies(store, shift, clock, db_path):
    old = store.record_crossing(crossing(shift.shift_id))
    clock.advance(days=40)
    recent = store.record_crossing(crossing(shift.shift_id))
    report = store.purge(30, actor="retention-job")
    assert (report.crossings_deleted, report.events_deleted) == (1, 3)  # officer.add, shift.open, decision
    assert report.chain_starts_at == 4
    with pytest.raises(Exception, match="no crossing"):
        store.get_crossing(old.crossing_id)
    assert store.get_crossing(recent.crossing_id).crossing_id == recent.crossing_id
    verified = store.verify_audit()
    assert verified.ok, verified
    assert verified.first_seq == 4
    purge_event = store.audit_events()[-1]
    assert purge_event.action == "purge" and purge_event.details["crossings_deleted"] == 1
    # Appending after a purge continues the chain.
    store.record_crossing(crossing(shift.shift_id))
    assert store.verify_audit().ok
    # A second purge moves the anchor again, still verifiable.
    clock.advance(days=40)
    store.purge(30, actor="retention-job")
    assert store.verify_audit().ok


def test_purge_keeps_an_old_crossing_that_a_kept_correction_points_to(store, shift, clock):
    old = store.record_crossing(crossing(shift.shift_id, decision="refer"))
    clock.advance(days=40)
    fix = store.record_crossing(
        crossing(shift.shift_id, corrects=old.crossing_id, correction_reason="cleared")
    )
    assert store.purge(30, actor="retention-job").crossings_deleted == 0
    assert store.get_crossing(old.crossing_id).crossing_id == old.crossing_id
    assert store.verify_audit().ok
    clock.advance(days=40)
    assert store.purge(30, actor="retention-job").crossings_deleted == 2  # the whole chain, newest first
    assert store.document_history("AB1234567", "MNE") == []
    assert fix.corrects == old.crossing_id


def test_moving_the_anchor_after_a_purge_is_detected(store, shift, clock, db_path):
    store.record_crossing(crossing(shift.shift_id))
    clock.advance(days=40)
    store.record_crossing(crossing(shift.shift_id))
    store.purge(30, actor="retention-job")
    # Hide the first kept event by moving the anchor past it: every remaining link is still sound.
    _tamper(
        db_path,
        "UPDATE audit_anchor SET first_seq = 5, prev_hash = (SELECT prev_hash FROM audit_events WHERE seq = 5)",
        "DELETE FROM audit_events WHERE seq = 4",
    )
    report = store.verify_audit()
    assert not report.ok and "starting point was moved" in report.problem


def test_purge_refuses_less_than_a_day(store):
    with pytest.raises(InvalidRecord, match="at least 1 day"):
        store.purge(0, actor="x")


def test_purged_personal_data_is_gone_from_the_file(store, shift, clock, db_path):
    store.record_crossing(crossing(shift.shift_id, surname="ZYXWVUTSRQ"))
    clock.advance(days=40)
    store.purge(30, actor="retention-job")
    store.close()
    assert b"ZYXWVUTSRQ" not in db_path.read_bytes()
    with open_store(db_path) as reopened:
        assert reopened.verify_audit().ok


def test_audit_rejects_malformed_action(store):
    with pytest.raises(InvalidRecord, match="lower-case"):
        store.audit("Drop Table", actor="x")
    with pytest.raises(InvalidRecord, match="audit detail 'when'"):
        store.audit("reveal", actor="x", details={"when": datetime(2026, 1, 1)})  # type: ignore[dict-item]
    assert store.verify_audit().ok and store.audit_events() == []
    event = store.audit("reveal", actor="MNE-0412", subject="crossing-1", details={"field": "mrz"})
    assert json.loads(json.dumps(dict(event.details))) == {"field": "mrz"}
    assert event.time == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


class _BoothWritesDuringExport(io.StringIO):
    """An export target that records a crossing while the export is being written (a slow pipe)."""

    def __init__(self, store, shift_id):
        super().__init__()
        self.store, self.shift_id, self.recorded = store, shift_id, []

    def write(self, text):
        if not self.recorded:
            self.recorded.append(self.store.record_crossing(crossing(self.shift_id)).crossing_id)
        return super().write(text)


def test_export_streams_from_a_snapshot_without_blocking_the_booth(store, shift):
    for _ in range(3):
        store.record_crossing(crossing(shift.shift_id))
    out = _BoothWritesDuringExport(store, shift.shift_id)
    assert (
        store.export_crossings(out, actor="supervisor") == 3
    )  # the snapshot, not the crossing added meanwhile
    assert out.recorded and out.recorded[0] not in out.getvalue()
    assert [e.action for e in store.audit_events()][-2:] == ["export", "decision"]
    assert store.verify_audit().ok


def test_export_batches_come_in_record_order(store, shift, clock):
    from checkpoint.store.crossing_sql import iter_crossings

    ids = []
    for _ in range(7):
        clock.advance(seconds=1)
        ids.append(store.record_crossing(crossing(shift.shift_id)).crossing_id)
    store.record_crossing(crossing(shift.shift_id, document_number="OTHER1"))
    with store._read() as db:
        streamed = [
            c.crossing_id for c in iter_crossings(db, "c.document_number = ?", ["AB1234567"], batch=3)
        ]
    assert streamed == ids  # three batches: 3 + 3 + 1
    out = io.StringIO()
    assert store.export_crossings(out, actor="x", query=CrossingQuery(document_number="AB1234567")) == 7
    assert [row["crossing_id"] for row in csv.DictReader(io.StringIO(out.getvalue()))] == ids
    assert store.audit_events()[-1].details == {"rows": 7, "q.document_number": "AB1234567"}


def test_in_memory_store_exports_too(clock):
    with open_store(":memory:", clock=clock) as memory:
        memory.add_officer("A1", "A", "4821", actor="x")
        shift = memory.open_shift("A1", "P", "1", "exit")
        memory.record_crossing(crossing(shift.shift_id))
        assert memory.export_crossings(io.StringIO(), actor="x") == 1
