"""Crossings: append-only, unique ids, the rules of a decision, corrections, history, shift summary."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from store_builders import crossing

from checkpoint.store import CheckRecord, HitDisposition, InvalidRecord, NotFound

FAIL_CHECK = CheckRecord("watchlist.document", 1, "FAIL", "On the lost/stolen list: STOLEN", "v7@2026-11-26")


def test_recorded_crossing_reads_back_whole(store, shift):
    new = crossing(
        shift.shift_id,
        hits=(HitDisposition("watchlist.person", "SIS-9", "not the person", 78),),
        checks=(
            *crossing(shift.shift_id).checks,
            CheckRecord("watchlist.person", 1, "WARN", "Possible", "p3", {"score": 78}),
        ),
    )
    recorded = store.record_crossing(new)
    assert store.get_crossing(recorded.crossing_id) == recorded
    assert (recorded.post, recorded.lane, recorded.direction, recorded.officer_id, recorded.terminal_id) == (
        "Bozaj road crossing",
        "2",
        "entry",
        "MNE-0412",
        "T-TEST",
    )
    assert recorded.checks[-1].details == {"score": 78}
    assert recorded.hits[0].disposition == "not the person"
    assert recorded.sync_state == "pending"
    assert uuid.UUID(recorded.crossing_id).version == 7


def test_crossing_is_linked_to_the_chain_and_audited(store, shift):
    head = store.audit_events()[-1]
    recorded = store.record_crossing(crossing(shift.shift_id))
    event = store.audit_events()[-1]
    assert recorded.audit_prev_hash == head.hash == event.prev_hash
    assert (event.action, event.subject, event.actor) == ("decision", recorded.crossing_id, "MNE-0412")
    # The audit event refers to the crossing; it does not copy the traveller's data.
    assert "PETROVIC" not in str(event.details) and "AB1234567" not in str(event.details)


def test_ids_are_unique_across_many_records(store, shift):
    ids = {store.record_crossing(crossing(shift.shift_id)).crossing_id for _ in range(50)}
    assert len(ids) == 50


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE crossings SET decision = 'refuse'",
        "DELETE FROM crossings",
        "UPDATE crossing_checks SET status = 'PASS'",
        "DELETE FROM crossing_checks",
        "UPDATE audit_events SET actor = 'someone else'",
        "DELETE FROM audit_events",
    ],
)
def test_database_refuses_to_change_or_delete_records(store, shift, db_path, statement):
    store.record_crossing(crossing(shift.shift_id))
    with sqlite3.connect(db_path) as raw, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(statement)


def test_admit_over_a_fail_needs_an_override_reason(store, shift):
    with pytest.raises(
        InvalidRecord, match=r"admitting over a FAIL \(watchlist.document\) needs a written override"
    ):
        store.record_crossing(crossing(shift.shift_id, checks=(FAIL_CHECK,)))
    ok = store.record_crossing(
        crossing(shift.shift_id, checks=(FAIL_CHECK,), override_reason="Reported found; confirmed by SIRENE")
    )
    assert ok.override_reason == "Reported found; confirmed by SIRENE"


def test_refusal_needs_reason_codes(store, shift):
    with pytest.raises(InvalidRecord, match="reason code"):
        store.record_crossing(crossing(shift.shift_id, decision="refuse"))
    assert store.record_crossing(
        crossing(shift.shift_id, decision="refuse", reason_codes=("A",))
    ).reason_codes == ("A",)


def test_bad_status_or_decision_or_naive_time_refused(store, shift):
    with pytest.raises(InvalidRecord, match="status 'OK'"):
        store.record_crossing(crossing(shift.shift_id, checks=(CheckRecord("x", 1, "OK", "m"),)))
    with pytest.raises(InvalidRecord, match="decision must be"):
        store.record_crossing(crossing(shift.shift_id, decision="wave through"))
    with pytest.raises(InvalidRecord, match="timezone-aware"):
        store.record_crossing(crossing(shift.shift_id, time=datetime(2026, 1, 1)))


def test_closed_or_unknown_shift_refused(store, shift):
    store.close_shift(shift.shift_id, "handover")
    with pytest.raises(InvalidRecord, match="is closed"):
        store.record_crossing(crossing(shift.shift_id))
    with pytest.raises(NotFound):
        store.record_crossing(crossing("no-such-shift"))
    with pytest.raises(InvalidRecord, match="already closed"):
        store.close_shift(shift.shift_id)


def test_correction_is_a_new_linked_record_and_history_shows_the_latest(store, shift, clock):
    first = store.record_crossing(crossing(shift.shift_id, decision="refer"))
    clock.advance(minutes=20)
    fixed = store.record_crossing(
        crossing(
            shift.shift_id,
            decision="admit",
            corrects=first.crossing_id,
            correction_reason="secondary cleared",
        )
    )
    assert store.get_crossing(first.crossing_id).decision == "refer"  # the original is untouched
    history = store.document_history("AB1234567", "MNE")
    assert [c.crossing_id for c in history] == [fixed.crossing_id]
    assert history[0].corrects == first.crossing_id


def test_correction_rules(store, shift):
    first = store.record_crossing(crossing(shift.shift_id))
    with pytest.raises(InvalidRecord, match="needs a reason"):
        store.record_crossing(crossing(shift.shift_id, corrects=first.crossing_id))
    with pytest.raises(NotFound):
        store.record_crossing(crossing(shift.shift_id, corrects="nope", correction_reason="typo"))
    second = store.record_crossing(
        crossing(shift.shift_id, corrects=first.crossing_id, correction_reason="typo")
    )
    with pytest.raises(InvalidRecord, match=f"already corrected by {second.crossing_id}"):
        store.record_crossing(crossing(shift.shift_id, corrects=first.crossing_id, correction_reason="again"))


def test_history_is_newest_first_per_document_and_limited(store, shift, clock):
    for minutes in range(5):
        clock.advance(minutes=minutes + 1)
        store.record_crossing(crossing(shift.shift_id))
    store.record_crossing(crossing(shift.shift_id, document_number="ZZ999"))
    history = store.document_history("AB1234567", "MNE")
    assert len(history) == 5
    assert [c.time for c in history] == sorted((c.time for c in history), reverse=True)
    assert len(store.document_history("AB1234567", "MNE", limit=2)) == 2
    assert store.document_history("AB1234567", "SRB") == []
    assert len(store.document_history("ab12345<67", "MNE<")) == 5  # fillers and case ignored


def test_shift_summary_counts_and_open_referrals(store, shift, clock):
    store.record_crossing(crossing(shift.shift_id))
    store.record_crossing(crossing(shift.shift_id))
    referred = store.record_crossing(crossing(shift.shift_id, decision="refer"))
    still_open = store.record_crossing(crossing(shift.shift_id, decision="refer"))
    store.record_crossing(
        crossing(shift.shift_id, corrects=referred.crossing_id, correction_reason="cleared")
    )
    summary = store.close_shift(shift.shift_id, "Lane 2 printer jams")
    assert dict(summary.counts) == {("entry", "admit"): 3, ("entry", "refer"): 1}
    assert summary.total == 4
    assert summary.open_referrals == (still_open.crossing_id,)
    assert summary.shift.close_note == "Lane 2 printer jams"
    assert store.audit_events()[-1].action == "shift.close"


def test_explicit_crossing_time_is_kept_in_utc(store, shift):
    moment = datetime(2026, 11, 27, 9, 30, tzinfo=UTC) + timedelta(microseconds=5)
    recorded = store.record_crossing(
        crossing(shift.shift_id, time=moment, birth_date=None, expiry_date=date(2030, 1, 1))
    )
    again = store.get_crossing(recorded.crossing_id)
    assert again.time == moment and again.birth_date is None


def test_document_movements_cover_the_whole_window_without_limit(store, shift, clock):
    from datetime import timedelta as td

    from checkpoint.inspection import InspectionConfig, InspectionContext, Status
    from checkpoint.inspection.checks_movement import STAY_RULE

    # A daily commuter: an entry every morning and an exit every evening for 100 days, 200 crossings.
    exit_shift = store.open_shift("MNE-0412", "Bozaj road crossing", "2", "exit")
    start = clock.now - td(days=100)
    for day in range(100):
        morning = start + td(days=day)
        store.record_crossing(crossing(shift.shift_id, time=morning))
        store.record_crossing(crossing(exit_shift.shift_id, time=morning + td(hours=9)))
    other = store.record_crossing(crossing(shift.shift_id, time=start - td(days=300)))
    since = clock.now - td(days=180)
    movements = store.document_movements("AB1234567", "MNE", since=since)
    assert len(movements) == 200
    assert other.crossing_id not in {m.crossing_id for m in movements}
    assert [m.time for m in movements] == sorted((m.time for m in movements), reverse=True)
    assert len(store.document_history("AB1234567", "MNE")) == 50  # the display list stays short
    context = InspectionContext(
        now=clock.now,
        today=clock.now.date(),
        direction="entry",
        history=movements,
        history_since=since,
        config=InspectionConfig(stay_rule_nationalities=frozenset({"MNE"})),
    )

    class Read:
        nationality = "MNE"

    result = STAY_RULE.run(Read(), context)  # type: ignore[arg-type]
    assert (result.status, result.details["days_used"]) == (Status.FAIL, 101)  # 100 days + today's entry


def test_document_movements_apply_corrections_and_need_an_aware_time(store, shift):
    first = store.record_crossing(crossing(shift.shift_id, decision="refer"))
    store.record_crossing(crossing(shift.shift_id, corrects=first.crossing_id, correction_reason="cleared"))
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert [m.decision for m in store.document_movements("AB1234567", "MNE", since=since)] == ["admit"]
    with pytest.raises(InvalidRecord, match="timezone-aware"):
        store.document_movements("AB1234567", "MNE", since=datetime(2026, 1, 1))


def test_a_referral_stays_open_until_the_second_line_resolves_it(store, shift) -> None:
    from dataclasses import replace as _replace

    from checkpoint.store import InvalidRecord
    from checkpoint.store.migrations import MIGRATIONS, SCHEMA_VERSION
    from checkpoint.store.records import Companion

    assert MIGRATIONS[-1].version == SCHEMA_VERSION
    referred = store.record_crossing(
        _replace(
            crossing(shift.shift_id),
            decision="refer",
            companions=(Companion("visa", "VC", "D", "VD1234567", reference="", source="manual"),),
        )
    )
    assert [c.crossing_id for c in store.open_referrals(shift.post)] == [referred.crossing_id]
    assert store.open_referrals("elsewhere") == []
    assert store.get_crossing(referred.crossing_id).companions[0].document_number == "VD1234567"
    admitted = store.record_crossing(crossing(shift.shift_id))
    with pytest.raises(InvalidRecord, match="not a referral"):
        store.record_crossing(
            _replace(
                crossing(shift.shift_id),
                kind="resolution",
                corrects=admitted.crossing_id,
                correction_reason="second line",
            )
        )
    with pytest.raises(InvalidRecord, match="admitting or refusing"):
        store.record_crossing(
            _replace(
                crossing(shift.shift_id),
                decision="refer",
                kind="resolution",
                corrects=referred.crossing_id,
                correction_reason="x",
            )
        )
    resolved = store.record_crossing(
        _replace(
            crossing(shift.shift_id),
            decision="refuse",
            reason_codes=("C",),
            remarks="No visa for the stated purpose",
            kind="resolution",
            corrects=referred.crossing_id,
            correction_reason="second line: interview",
        )
    )
    assert store.open_referrals(shift.post) == []
    assert (resolved.kind, resolved.corrects, resolved.remarks) == (
        "resolution",
        referred.crossing_id,
        "No visa for the stated purpose",
    )
    assert store.get_crossing(resolved.crossing_id).kind == "resolution"
    assert [c.kind for c in store.shift_crossings(shift.shift_id)][:1] == ["resolution"]
    assert store.verify_audit().ok


def test_the_next_shift_finds_the_last_closed_shift_and_its_note(store, shift) -> None:
    assert store.last_closed_shift() is None
    store.close_shift(shift.shift_id, "Lane 2 printer jams")
    last = store.last_closed_shift(shift.post)
    assert last is not None and (last.shift_id, last.close_note) == (shift.shift_id, "Lane 2 printer jams")
    assert store.last_closed_shift("elsewhere") is None
