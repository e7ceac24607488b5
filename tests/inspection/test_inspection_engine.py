"""The engine: order, suggestion, reason codes, containment of a broken check; config and reasons."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from inspection_builders import NOW, DocAlert, DocList

from checkpoint.inspection import (
    DEFAULT_CHECKS,
    SCHENGEN_ANNEX_V_PART_B,
    Check,
    InspectionConfig,
    InspectionContext,
    ReasonTable,
    Status,
    Suggestion,
    Verdict,
    inspect,
)


def test_every_check_runs_once_in_review_order_with_versions(doc, ctx):
    inspection = inspect(doc(), ctx())
    assert [r.check_id for r in inspection.results] == [
        "mrz.validity",
        "document.dates",
        "document.specimen",
        "document.country_codes",
        "document.visa",
        "person.minor",
        "watchlist.document",
        "watchlist.person",
        "travel.movement",
        "travel.stay_rule",
        "chip.access",
        "chip.signature",
        "chip.data_groups",
        "chip.genuine",
        "chip.mrz_match",
    ]
    assert all(r.version >= 1 for r in inspection.results)


def test_clean_document_is_clear_even_with_stay_rule_not_configured(doc, ctx):
    inspection = inspect(doc(), ctx())
    assert inspection.by_id("travel.stay_rule").status is Status.NOT_RUN
    assert inspection.suggestion is Suggestion.CLEAR
    assert inspection.suggested_reason_codes == ()
    assert not inspection.failed


def test_missing_watchlist_makes_attention_never_clear(doc, ctx):
    inspection = inspect(doc(), ctx(document_watchlist=None))
    assert inspection.by_id("watchlist.document").status is Status.NOT_RUN
    assert inspection.suggestion is Suggestion.ATTENTION


def test_warn_makes_attention(doc, ctx):
    assert inspect(doc(birth_date=date(2015, 1, 1)), ctx()).suggestion is Suggestion.ATTENTION


def test_fail_makes_refer_with_reason_codes_in_table_order(doc, ctx):
    stolen = DocList([DocAlert("AB1234567", "MNE")])
    inspection = inspect(doc(expiry_date=date(2020, 1, 1)), ctx(document_watchlist=stolen))
    assert inspection.suggestion is Suggestion.REFER
    assert inspection.suggested_reason_codes == ("A",)
    assert inspection.failed


def test_reason_codes_absent_from_the_table_are_not_proposed(doc, ctx):
    table = ReasonTable.from_rows([("X1", "local reason")])
    inspection = inspect(doc(expiry_date=date(2020, 1, 1)), ctx(), reasons=table)
    assert inspection.suggestion is Suggestion.REFER
    assert inspection.suggested_reason_codes == ()


def test_a_check_that_raises_is_not_run_and_draws_attention(doc, ctx, caplog):
    def broken(document, context):
        raise RuntimeError(f"boom with {document.surname}")

    checks = (Check("custom.broken", 3, "Broken check", broken),)
    with caplog.at_level(logging.DEBUG, logger="checkpoint.inspection"):
        inspection = inspect(doc(), ctx(), checks=checks)
    result = inspection.results[0]
    assert (result.status, result.message) == (Status.NOT_RUN, "Broken check: internal error (RuntimeError)")
    assert inspection.suggestion is Suggestion.ATTENTION
    # The exception text holds personal data: it never reaches a log record above DEBUG.
    assert all("PETROVIC" not in r.getMessage() for r in caplog.records if r.levelno > logging.DEBUG)
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_custom_check_result_carries_its_id_and_version(doc, ctx):
    check = Check("custom.ok", 2, "Always fine", lambda d, c: Verdict(Status.PASS, "fine", "data-1"))
    result = inspect(doc(), ctx(), checks=(check,)).results[0]
    assert (result.check_id, result.version, result.data_version) == ("custom.ok", 2, "data-1")


def test_by_id_unknown_raises_keyerror(doc, ctx):
    with pytest.raises(KeyError):
        inspect(doc(), ctx(), checks=()).by_id("nope")


def test_default_checks_have_unique_ids():
    ids = [c.check_id for c in DEFAULT_CHECKS]
    assert len(ids) == len(set(ids))


def test_status_and_suggestion_have_symbols_besides_colour():
    assert [s.symbol for s in Status] == ["✔", "▲", "✖", "·"]
    assert Status.NOT_RUN.value == "NOT RUN"
    assert [s.symbol for s in Suggestion] == ["✔", "▲", "✖"]


def test_context_rejects_naive_time_and_bad_direction():
    with pytest.raises(ValueError, match="timezone-aware"):
        InspectionContext(now=datetime(2026, 1, 1), today=date(2026, 1, 1), direction="entry")
    with pytest.raises(ValueError, match="'in'"):
        InspectionContext(now=NOW, today=NOW.date(), direction="in")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minor_age": -1}, "minor_age must not be negative"),
        ({"stay_limit_days": 200}, "stay rule"),
        ({"person_hit_score": 60}, "person scores"),
    ],
)
def test_config_rejects_nonsense(changes, message):
    with pytest.raises(ValueError, match=message):
        InspectionConfig(**changes)


def test_schengen_table_has_letters_a_to_i():
    assert [r.code for r in SCHENGEN_ANNEX_V_PART_B] == list("ABCDEFGHI")
    assert "90 days" in SCHENGEN_ANNEX_V_PART_B.get("F").text
    assert "F" in SCHENGEN_ANNEX_V_PART_B and "Z" not in SCHENGEN_ANNEX_V_PART_B


def test_reason_table_lookup_and_validation_errors():
    with pytest.raises(KeyError, match="valid codes: A, B"):
        SCHENGEN_ANNEX_V_PART_B.get("Z")
    assert SCHENGEN_ANNEX_V_PART_B.validate(["A", "H"]) == ("A", "H")
    with pytest.raises(KeyError):
        SCHENGEN_ANNEX_V_PART_B.validate(["A", "Q"])


def test_reason_table_from_rows_normalises_and_reports_the_bad_row():
    table = ReasonTable.from_rows([(" r1 ", " overstay   risk "), ("r2", "no visa")])
    assert [(r.code, r.text) for r in table] == [("R1", "overstay risk"), ("R2", "no visa")]
    with pytest.raises(ValueError, match="reason row 2: code 'R 2'"):
        ReasonTable.from_rows([("R1", "a"), ("R 2", "b")])
    with pytest.raises(ValueError, match="reason row 1: code 'R1' has no text"):
        ReasonTable.from_rows([("R1", "  ")])
    with pytest.raises(ValueError, match="appears twice"):
        ReasonTable.from_rows([("R1", "a"), ("r1", "b")])
    with pytest.raises(ValueError, match="at least one"):
        ReasonTable.from_rows([])


def test_local_time_zone_decides_the_calendar_day(doc, ctx):
    # 23:30 UTC on 26 Nov is 27 Nov at a post two hours east: the exit check reports the local day.
    from datetime import timedelta, timezone

    from inspection_builders import Past

    east = timezone(timedelta(hours=2))
    history = [Past(datetime(2026, 11, 26, 23, 30, tzinfo=UTC), "entry")]
    now = datetime(2026, 11, 28, 10, tzinfo=east)
    result = inspect(doc(), ctx(now=now, today=now.date(), direction="exit", history=history)).by_id(
        "travel.movement"
    )
    assert result.message == "Entry recorded 2026-11-27"


def test_config_from_mapping_as_read_from_toml():
    import tomllib

    table = tomllib.loads(
        """
        expiry_warning_days = 30
        stay_rule_nationalities = ["usa", "GBR"]
        attention_if_not_run = ["mrz.validity"]
        """
    )
    config = InspectionConfig.from_mapping(table)
    assert config.expiry_warning_days == 30
    assert config.stay_rule_nationalities == frozenset({"USA", "GBR"})
    assert config.attention_if_not_run == frozenset({"mrz.validity"})
    assert config.minor_age == 18


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"expiry_days": 3}, "unknown inspection setting 'expiry_days'; known: attention_if_not_run"),
        ({"minor_age": "18"}, "'minor_age' must be a whole number, got '18'"),
        ({"minor_age": True}, "'minor_age' must be a whole number"),
        ({"stay_rule_nationalities": "USA"}, "'stay_rule_nationalities' must be a list of strings"),
        ({"stay_rule_nationalities": [1]}, "must be a list of strings"),
        ({"minor_age": -2}, "must not be negative"),
    ],
)
def test_config_from_mapping_names_the_bad_setting(table, message):
    with pytest.raises(ValueError, match=message):
        InspectionConfig.from_mapping(table)
