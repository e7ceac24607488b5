"""Checks on the holder: minor, lost/stolen document list, person alerts with a score."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from inspection_builders import DocAlert, DocList, PersonEntry, PersonList

from checkpoint.inspection import InspectionConfig, Status, score_person
from checkpoint.inspection.checks_person import DOCUMENT_WATCHLIST, MINOR, PERSON_WATCHLIST
from checkpoint.inspection.names import name_similarity, name_variants


def test_minor_on_the_day_before_the_18th_birthday(doc, ctx):
    result = MINOR.run(doc(birth_date=date(2008, 11, 28)), ctx())
    assert (result.status, result.message) == (Status.WARN, "Minor: 17 years old on the crossing date")


def test_adult_on_the_18th_birthday(doc, ctx):
    result = MINOR.run(doc(birth_date=date(2008, 11, 27)), ctx())
    assert (result.status, result.message) == (Status.PASS, "Adult (18)")


def test_leap_day_birthday_comes_of_age_on_first_of_march(doc, ctx):
    born = date(2008, 2, 29)
    assert MINOR.run(doc(birth_date=born), ctx(today=date(2026, 2, 28))).status is Status.WARN
    assert MINOR.run(doc(birth_date=born), ctx(today=date(2026, 3, 1))).status is Status.PASS


def test_minor_age_is_configurable(doc, ctx):
    result = MINOR.run(doc(birth_date=date(2006, 1, 1)), ctx(InspectionConfig(minor_age=21)))
    assert result.status is Status.WARN


def test_minor_not_run_without_birth_date_and_fails_for_future_birth(doc, ctx):
    assert MINOR.run(doc(birth_date=None), ctx()).status is Status.NOT_RUN
    assert MINOR.run(doc(birth_date=date(2026, 12, 1)), ctx()).status is Status.FAIL


def test_document_on_the_list_fails_with_reason_and_list_version(doc, ctx):
    alerts = DocList([DocAlert("AB1234567", "MNE", "P", "STOLEN", "SLTD-77")])
    result = DOCUMENT_WATCHLIST.run(doc(), ctx(document_watchlist=alerts))
    assert result.status is Status.FAIL
    assert result.message == "On the lost/stolen list: STOLEN (ref SLTD-77, list 2026-11-26, 1 day old)"
    assert result.data_version == "v7@2026-11-26"
    assert result.refusal_code == "A"


def test_document_hit_needs_number_issuer_and_type(doc, ctx):
    alerts = DocList(
        [
            DocAlert("AB1234567", "SRB"),  # other issuer
            DocAlert("AB1234567", "MNE", "I"),  # other type
            DocAlert("AB1234568", "MNE"),  # other number
        ]
    )
    result = DOCUMENT_WATCHLIST.run(doc(), ctx(document_watchlist=alerts))
    assert (result.status, result.message) == (
        Status.PASS,
        "Not on the lost/stolen list (list 2026-11-26, 1 day old)",
    )
    any_type = DocList([DocAlert("AB1234567", "MNE", None)])
    assert DOCUMENT_WATCHLIST.run(doc(), ctx(document_watchlist=any_type)).status is Status.FAIL


def test_document_number_fillers_do_not_hide_a_hit(doc, ctx):
    alerts = DocList([DocAlert("AB12345", "MNE")])
    assert (
        DOCUMENT_WATCHLIST.run(doc(document_number="AB12345<<"), ctx(document_watchlist=alerts)).status
        is Status.FAIL
    )


def test_document_list_missing_or_data_missing_is_not_run(doc, ctx):
    assert DOCUMENT_WATCHLIST.run(doc(), ctx(document_watchlist=None)).status is Status.NOT_RUN
    assert DOCUMENT_WATCHLIST.run(doc(document_number=""), ctx()).status is Status.NOT_RUN
    assert DOCUMENT_WATCHLIST.run(doc(issuing_state=""), ctx()).status is Status.NOT_RUN


def test_stale_document_list_warns(doc, ctx):
    old = DocList([], list_date=date(2026, 11, 1))
    result = DOCUMENT_WATCHLIST.run(doc(), ctx(document_watchlist=old))
    assert result.status is Status.WARN
    assert "stale" in result.message and "26 days old" in result.message


def test_names_normalise_to_the_mrz_alphabet():
    assert name_variants("Müller") == {"MULLER", "MUELLER"}
    assert name_similarity("MUELLER", "HANS PETER", "Müller", "Hans-Peter") == 1.0
    # Swapped surname and given name still match exactly.
    assert name_similarity("MARKO", "PETROVIC", "PETROVIC", "MARKO") == 1.0
    assert name_similarity("SMITH", "JOHN", "JONES", "MARY") < 0.6


def test_cyrillic_list_entry_matches_its_icao_transliteration():
    assert name_variants("Иванов") == {"IVANOV"}  # no plain-Latin spelling: only the transliteration
    assert name_similarity("IVANOV", "SERGEI", "Иванов", "Сергей") >= 0.9


def test_names_without_letters_or_far_apart_score_zero():
    assert name_similarity("PETROVIC", "MARKO", "123", "456") == 0.0
    assert name_similarity("LI", "", "MONTGOMERYWORTHINGTON", "") == 0.0


def test_score_same_person_is_100_and_dual_national_85():
    entry = PersonEntry("Petrović", "Marko", date(1980, 5, 17), "MNE")
    assert score_person("PETROVIC", "MARKO", date(1980, 5, 17), "MNE", entry) == 100
    assert score_person("PETROVIC", "MARKO", date(1980, 5, 17), "SRB", entry) == 85


def test_score_other_birth_date_is_0_and_unknown_birth_date_lowers_it():
    entry = PersonEntry("PETROVIC", "MARKO", date(1980, 5, 17), "MNE")
    assert score_person("PETROVIC", "MARKO", date(1980, 7, 18), "MNE", entry) == 0
    assert score_person("PETROVIC", "MARKO", date(1981, 5, 17), "MNE", entry) == 0
    unknown = PersonEntry("PETROVIC", "MARKO", None, "MNE")
    assert score_person("PETROVIC", "MARKO", date(1980, 5, 17), "MNE", unknown) == 90


def test_person_hit_fails_with_score_and_code_h(doc, ctx):
    alerts = PersonList([PersonEntry("PETROVIC", "MARKO", date(1980, 5, 17), "MNE", "Entry ban", "SIS-9")])
    result = PERSON_WATCHLIST.run(doc(), ctx(person_watchlist=alerts))
    assert result.status is Status.FAIL
    assert result.message == "Person alert match 100%: Entry ban (ref SIS-9)"
    assert result.details["score"] == 100
    assert result.refusal_code == "H"
    assert alerts.asked[0] == date(1980, 5, 17)  # then the near dates, for slips


@pytest.mark.parametrize(
    ("listed", "why"),
    [
        (date(1980, 5, 16), "birth date one day off"),
        (date(1980, 6, 17), "birth date one month off"),
        (date(1980, 4, 17), "birth date one month off"),
    ],
)
def test_a_near_birth_date_is_a_partial_match_with_the_reason_never_a_pass(doc, ctx, listed, why):
    alerts = PersonList([PersonEntry("PETROVIC", "MARKO", listed, "MNE", "Entry ban", "SIS-9")])
    result = PERSON_WATCHLIST.run(doc(), ctx(person_watchlist=alerts))
    assert result.status is Status.WARN
    assert result.message == f"Partial person alert 80% ({why}): compare details (ref SIS-9)"
    assert result.details["partial"] == why


def test_day_and_month_swapped_is_a_partial_match(doc, ctx):
    alerts = PersonList([PersonEntry("PETROVIC", "MARKO", date(1980, 3, 4), "MNE", reference="SIS-2")])
    result = PERSON_WATCHLIST.run(doc(birth_date=date(1980, 4, 3)), ctx(person_watchlist=alerts))
    assert result.status is Status.WARN
    assert "birth date day and month swapped" in result.message


def test_a_name_matching_only_through_transliteration_is_partial(doc, ctx):
    alerts = PersonList([PersonEntry("Иванов", "Сергей", date(1980, 5, 17), "RUS", reference="SIS-7")])
    result = PERSON_WATCHLIST.run(
        doc(surname="IVANOV", given_names="SERGEJ", nationality="RUS"), ctx(person_watchlist=alerts)
    )
    assert result.status is Status.WARN
    assert "(name transliterated differently)" in result.message and "SIS-7" in result.message
    # The ICAO transliteration itself, or the name spelled as listed (accents aside), is a clean hit.
    exact = PERSON_WATCHLIST.run(
        doc(surname="IVANOV", given_names="SERGEI", nationality="RUS"), ctx(person_watchlist=alerts)
    )
    assert exact.status is Status.FAIL
    alerts = PersonList([PersonEntry("Petrović", "Marko", date(1980, 5, 17), "MNE", reference="SIS-1")])
    assert PERSON_WATCHLIST.run(doc(), ctx(person_watchlist=alerts)).status is Status.FAIL


def test_similar_name_warns_as_possible_match(doc, ctx):
    alerts = PersonList([PersonEntry("PETROVSKI", "MIRKO", date(1980, 5, 17), None, reference="SIS-4")])
    result = PERSON_WATCHLIST.run(doc(), ctx(person_watchlist=alerts))
    assert result.status is Status.WARN, result
    assert result.message.startswith("Possible person alert ")
    assert 70 <= int(result.details["score"]) < 85


def test_unrelated_names_pass(doc, ctx):
    alerts = PersonList([PersonEntry("JOHANSSON", "ERIK", date(1980, 5, 17), "SWE")])
    result = PERSON_WATCHLIST.run(doc(), ctx(person_watchlist=alerts))
    assert (result.status, result.message) == (Status.PASS, "No person alert (list 2026-11-26, 1 day old)")
    assert result.data_version == "p3@2026-11-26"


def test_thresholds_are_configurable(doc, ctx):
    alerts = PersonList([PersonEntry("PETROVIC", "MARKO", date(1980, 5, 17), "SRB")])  # scores 85
    strict = InspectionConfig(person_hit_score=90, person_possible_score=80)
    assert PERSON_WATCHLIST.run(doc(), ctx(strict, person_watchlist=alerts)).status is Status.WARN


def test_person_check_not_run_without_list_or_name(doc, ctx):
    assert PERSON_WATCHLIST.run(doc(), ctx(person_watchlist=None)).status is Status.NOT_RUN
    assert PERSON_WATCHLIST.run(doc(surname=" "), ctx()).status is Status.NOT_RUN


def test_unknown_birth_date_asks_for_every_entry(doc, ctx):
    alerts = PersonList([PersonEntry("PETROVIC", "MARKO", date(1970, 1, 1), "MNE")])
    result = PERSON_WATCHLIST.run(doc(birth_date=None), ctx(person_watchlist=alerts))
    assert alerts.asked == [None]
    assert result.status is Status.FAIL  # 100 x 0.9 = 90: the birth date could not rule it out


_NAMES = st.text(alphabet="ABCEIKLMNOPRSTUV ", min_size=1, max_size=14)


@given(_NAMES, _NAMES, _NAMES, _NAMES, st.sampled_from(["MNE", "SRB", ""]), st.integers(50, 100))
def test_early_pruning_never_changes_whether_an_alert_reaches_a_threshold(sa, ga, sb, gb, nat, threshold):
    from checkpoint.inspection.checks_person import _score
    from checkpoint.inspection.names import NameMatcher

    alert = PersonEntry(sb, gb, None, "MNE")
    full = score_person(sa, ga, date(1980, 1, 1), nat, alert)
    pruned = _score(NameMatcher(sa, ga), date(1980, 1, 1), nat, alert, threshold)[0]
    assert (pruned >= threshold) == (full >= threshold)
    if pruned:
        assert pruned == full
