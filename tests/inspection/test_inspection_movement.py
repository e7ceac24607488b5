"""Checks on the crossing history: duplicate use, exit with no entry, the 90/180 stay rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from inspection_builders import NOW, Past

from checkpoint.inspection import InspectionConfig, Status
from checkpoint.inspection.checks_movement import MOVEMENT, STAY_RULE
from checkpoint.inspection.stay import Stay, days_in_window, stays_from_movements

STAY = InspectionConfig(stay_rule_nationalities=frozenset({"MNE"}))


def test_same_document_at_another_lane_within_the_window_fails(doc, ctx):
    history = [Past(NOW - timedelta(minutes=12), "entry", lane="1")]
    result = MOVEMENT.run(doc(), ctx(history=history))
    assert (result.status, result.message) == (
        Status.FAIL,
        "Same document at Bozaj lane 1 12 min ago (entry, admit)",
    )


def test_referral_elsewhere_warns_instead_of_failing(doc, ctx):
    # Primary referred the traveller to secondary at lane 5: seeing the document there is expected.
    history = [Past(NOW - timedelta(minutes=8), "entry", lane="1", decision="refer")]
    result = MOVEMENT.run(doc(), ctx(history=history))
    assert (result.status, result.message) == (Status.WARN, "Referred at Bozaj lane 1 8 min ago")
    refused = [*history, Past(NOW - timedelta(minutes=20), "entry", lane="3", decision="refuse")]
    assert MOVEMENT.run(doc(), ctx(history=refused)).status is Status.FAIL  # refused at lane 3: lane shopping


def test_same_document_at_this_lane_warns(doc, ctx):
    history = [Past(NOW - timedelta(minutes=3), "entry", decision="refer")]
    result = MOVEMENT.run(doc(), ctx(history=history))
    assert (result.status, result.message) == (
        Status.WARN,
        "Same document recorded at this lane 3 min ago (refer)",
    )


def test_window_edge_is_inclusive_and_configurable(doc, ctx):
    at_edge = [Past(NOW - timedelta(minutes=30), "entry", lane="1")]
    assert MOVEMENT.run(doc(), ctx(history=at_edge)).status is Status.FAIL
    outside = [Past(NOW - timedelta(minutes=30, seconds=1), "entry", lane="1")]
    assert MOVEMENT.run(doc(), ctx(history=outside)).status is Status.PASS
    wider = InspectionConfig(same_document_minutes=60)
    assert MOVEMENT.run(doc(), ctx(wider, history=outside)).status is Status.FAIL


def test_exit_with_no_recorded_entry_warns(doc, ctx):
    assert MOVEMENT.run(doc(), ctx(direction="exit", history=[])).message == "Exit with no recorded entry"
    refused_entry = [Past(NOW - timedelta(days=3), "entry", decision="refuse")]
    assert MOVEMENT.run(doc(), ctx(direction="exit", history=refused_entry)).status is Status.WARN
    last_was_exit = [Past(NOW - timedelta(days=9), "entry"), Past(NOW - timedelta(days=3), "exit")]
    assert MOVEMENT.run(doc(), ctx(direction="exit", history=last_was_exit)).status is Status.WARN


def test_exit_with_no_entry_in_a_partial_history_is_not_run(doc, ctx):
    # The entry may be older than the history looked up: no claim either way.
    since = NOW - timedelta(days=180)
    result = MOVEMENT.run(doc(), ctx(direction="exit", history=[], history_since=since))
    assert (result.status, result.message) == (
        Status.NOT_RUN,
        f"Exit: no entry since {since.date().isoformat()}, earlier crossings not looked up",
    )
    # An exit last within the partial history is still an exit with no entry after it.
    last_was_exit = [Past(NOW - timedelta(days=9), "entry"), Past(NOW - timedelta(days=3), "exit")]
    partial = ctx(direction="exit", history=last_was_exit, history_since=since)
    assert MOVEMENT.run(doc(), partial).message == "Exit with no recorded entry"


def test_exit_after_entry_passes(doc, ctx):
    history = [Past(NOW - timedelta(days=3), "entry")]
    result = MOVEMENT.run(doc(), ctx(direction="exit", history=history))
    assert (result.status, result.message) == (Status.PASS, "Entry recorded 2026-11-24")


def test_movement_without_history_is_not_run(doc, ctx):
    assert MOVEMENT.run(doc(), ctx(history=None)).status is Status.NOT_RUN


def test_stays_from_movements():
    movements = [(date(2026, 1, 1), "entry"), (date(2026, 1, 10), "exit"), (date(2026, 2, 1), "entry")]
    assert stays_from_movements(movements, open_until=date(2026, 2, 5)) == [
        Stay(date(2026, 1, 1), date(2026, 1, 10)),
        Stay(date(2026, 2, 1), date(2026, 2, 5)),
    ]
    # An exit with no entry has no known start; an entry after an entry closes the first stay there.
    odd = [(date(2026, 1, 5), "exit"), (date(2026, 1, 6), "entry"), (date(2026, 1, 9), "entry")]
    assert stays_from_movements(odd, open_until=date(2026, 1, 9)) == [
        Stay(date(2026, 1, 6), date(2026, 1, 9)),
        Stay(date(2026, 1, 9), date(2026, 1, 9)),
    ]
    with pytest.raises(ValueError, match="'sideways'"):
        stays_from_movements([(date(2026, 1, 1), "sideways")], open_until=date(2026, 1, 2))


def test_days_in_window_counts_both_ends_once_and_clips():
    end = date(2026, 11, 27)
    start = end - timedelta(days=179)
    assert days_in_window([Stay(end, end)], end) == 1
    assert days_in_window([Stay(start - timedelta(days=5), start)], end) == 1  # only the window's first day
    assert days_in_window([Stay(start - timedelta(days=5), start - timedelta(days=1))], end) == 0
    overlapping = [Stay(date(2026, 10, 1), date(2026, 10, 10)), Stay(date(2026, 10, 10), date(2026, 10, 12))]
    assert days_in_window(overlapping, end) == 12


def _stays(*periods: tuple[date, date]) -> list[Past]:
    history = []
    for first, last in periods:
        history.append(Past(datetime(first.year, first.month, first.day, 9, tzinfo=UTC), "entry"))
        history.append(Past(datetime(last.year, last.month, last.day, 17, tzinfo=UTC), "exit"))
    return history


def test_entry_allowed_on_the_90th_day(doc, ctx):
    # 89 days used in the window (2026-06-01 .. 2026-08-28), entering today is day 90.
    history = _stays((date(2026, 6, 1), date(2026, 8, 28)))
    result = STAY_RULE.run(doc(), ctx(STAY, history=history))
    assert (result.status, result.message) == (Status.PASS, "Stay rule: 90 of 90 days used in the last 180")


def test_entry_refused_on_the_91st_day_with_code_f(doc, ctx):
    history = _stays((date(2026, 6, 1), date(2026, 8, 29)))
    result = STAY_RULE.run(doc(), ctx(STAY, history=history))
    assert (result.status, result.message) == (
        Status.FAIL,
        "Stay rule: 91 days in the last 180 with this entry (limit 90)",
    )
    assert result.refusal_code == "F"


def test_days_before_the_window_do_not_count(doc, ctx):
    # Window for 2026-11-27 starts 2026-06-01: a stay ending 2026-05-31 counts nothing.
    history = _stays((date(2026, 2, 1), date(2026, 5, 31)))
    result = STAY_RULE.run(doc(), ctx(STAY, history=history))
    assert result.message == "Stay rule: 1 of 90 days used in the last 180"


def test_overstay_on_exit_fails(doc, ctx):
    history = [Past(datetime(2026, 8, 1, 9, tzinfo=UTC), "entry")]
    result = STAY_RULE.run(doc(), ctx(STAY, direction="exit", history=history))
    assert (result.status, result.message) == (Status.FAIL, "Overstay: 119 days in the last 180 (limit 90)")


def test_refused_crossings_do_not_count_as_stays(doc, ctx):
    history = [Past(datetime(2026, 8, 1, 9, tzinfo=UTC), "entry", decision="refuse")]
    result = STAY_RULE.run(doc(), ctx(STAY, history=history))
    assert result.details["days_used"] == 1


def test_stay_rule_not_run_cases(doc, ctx):
    not_configured = STAY_RULE.run(doc(nationality="UTO"), ctx(STAY))
    assert (not_configured.status, not_configured.message) == (
        Status.NOT_RUN,
        "Stay rule (not configured for UTO)",
    )
    assert STAY_RULE.run(doc(), ctx(STAY, history=None)).status is Status.NOT_RUN
    assert STAY_RULE.run(doc(nationality=""), ctx(STAY)).status is Status.NOT_RUN


def test_stay_rule_not_run_when_the_history_does_not_cover_its_window(doc, ctx):
    history = _stays((date(2026, 9, 1), date(2026, 9, 10)))
    partial = ctx(STAY, history=history, history_since=NOW - timedelta(days=30))
    result = STAY_RULE.run(doc(), partial)
    assert (result.status, result.message) == (
        Status.NOT_RUN,
        "Stay rule: history only from 2026-10-28, needs 2026-06-01",
    )
    covered = ctx(STAY, history=history, history_since=NOW - timedelta(days=180))
    assert STAY_RULE.run(doc(), covered).status is Status.PASS
