"""The visa check against the post's visa table and the passport it is presented with, and minors
travelling with an adult, with a consent letter, or alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from inspection_builders import FakeDocument

from checkpoint.inspection import InspectionConfig, Status
from checkpoint.inspection.checks_person import MINOR
from checkpoint.inspection.checks_visa import VISA

TABLE = InspectionConfig(
    visa_required_nationalities=frozenset({"RUS"}), visa_exempt_nationalities=frozenset({"MNE"})
)
PASSPORT = FakeDocument(nationality="RUS", issuing_state="RUS", surname="IVANOV", given_names="SERGEI")
VISA_DOC = replace(PASSPORT, document_code="VC", issuing_state="D", document_number="VD1234567")


def test_visa_required_and_none_presented_fails_with_code_c(ctx):
    result = VISA.run(PASSPORT, ctx(TABLE))
    assert (result.status, result.message) == (Status.FAIL, "Visa required for RUS: none presented")
    assert result.refusal_code == "C"


def test_exempt_passes_and_unconfigured_says_not_run(doc, ctx):
    assert VISA.run(doc(), ctx(TABLE)).message == "Visa exempt (MNE)"
    unconfigured = VISA.run(doc(nationality="BRA"), ctx(TABLE))
    assert (unconfigured.status, unconfigured.message) == (
        Status.NOT_RUN,
        "Visa rule (not configured for BRA)",
    )
    assert VISA.run(PASSPORT, ctx(TABLE, direction="exit")).status is Status.PASS


def test_the_holders_own_valid_visa_passes(ctx):
    result = VISA.run(PASSPORT, ctx(TABLE, visa=VISA_DOC))
    assert (result.status, result.message) == (Status.PASS, "Visa VD1234567 until 2031-03-01, holder matches")


def test_a_visa_of_another_holder_fails_naming_what_differs(ctx):
    other = replace(VISA_DOC, surname="PETROV", birth_date=date(1990, 1, 1))
    result = VISA.run(PASSPORT, ctx(TABLE, visa=other))
    assert result.status is Status.FAIL
    assert result.message == "Visa VD1234567 is not this holder's: name, birth date differ"


def test_expired_or_not_yet_valid_visa_fails(ctx):
    expired = VISA.run(PASSPORT, ctx(TABLE, visa=replace(VISA_DOC, expiry_date=date(2026, 1, 1))))
    assert (expired.status, expired.message) == (Status.FAIL, "Visa VD1234567 expired 2026-01-01")
    early = VISA.run(PASSPORT, ctx(TABLE, visa=VISA_DOC, visa_valid_from=date(2026, 12, 1)))
    assert (early.status, early.message) == (Status.FAIL, "Visa VD1234567 not yet valid: from 2026-12-01")


def test_a_visa_presented_alone_asks_for_its_passport(ctx):
    assert VISA.run(VISA_DOC, ctx(TABLE)).status is Status.WARN


CHILD = date(2016, 5, 1)  # 10 on the crossing date


def test_a_minor_alone_fails_under_the_posts_minimum_age(doc, ctx):
    rule = InspectionConfig(min_age_alone=16)
    result = MINOR.run(doc(birth_date=CHILD), ctx(rule))
    assert result.status is Status.FAIL
    assert result.message == "Minor (10) alone: under 16 needs an adult or a consent letter"
    # Without the rule a minor alone is looked at, not refused.
    assert MINOR.run(doc(birth_date=CHILD), ctx()).status is Status.WARN


def test_a_minor_with_an_adult_or_a_consent_letter_passes(doc, ctx):
    rule = InspectionConfig(min_age_alone=16)
    adult = FakeDocument(surname="PETROVIC", birth_date=date(1980, 1, 1))
    with_adult = MINOR.run(doc(birth_date=CHILD), ctx(rule, accompanying_adult=adult))
    assert (with_adult.status, with_adult.message) == (Status.PASS, "Minor (10) accompanied by PETROVIC (46)")
    letter = MINOR.run(doc(birth_date=CHILD), ctx(rule, consent_reference="NOT-2026-118"))
    assert (letter.status, letter.message) == (Status.PASS, "Minor (10) with consent letter NOT-2026-118")
    child_companion = FakeDocument(surname="PETROVIC", birth_date=date(2012, 1, 1))
    assert (
        MINOR.run(doc(birth_date=CHILD), ctx(rule, accompanying_adult=child_companion)).status is Status.WARN
    )


def test_the_stay_rule_passes_exempt_nationalities_and_says_not_run_for_unlisted(doc, ctx):
    from checkpoint.inspection.checks_movement import STAY_RULE

    config = InspectionConfig(stay_rule_exempt_nationalities=frozenset({"MNE"}))
    exempt = STAY_RULE.run(doc(), ctx(config))
    assert (exempt.status, exempt.message) == (Status.PASS, "Stay rule does not apply to MNE")
    assert STAY_RULE.run(doc(nationality="BRA"), ctx(config)).status is Status.NOT_RUN
