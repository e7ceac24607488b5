"""Scoring: the worst mistake costs the most; the draw of cases is reproducible from the seed."""

from __future__ import annotations

import pytest

from checkpoint.training.packs import pack_path
from checkpoint.training.scenario import load_scenario
from checkpoint.training.session import MAX_POINTS, draw_cases, score_case

BASICS = load_scenario(pack_path("basics"))
GENUINE = BASICS.case("genuine-german-passport")
EXPIRED = BASICS.case("expired-passport")  # refuse, reason A
MINOR = BASICS.case("minor-alone")  # refer


@pytest.mark.parametrize(
    ("case_id", "decision", "reasons", "mistake"),
    [
        ("expired-passport", "refuse", ["A"], ""),
        ("expired-passport", "refuse", ["A", "B"], ""),
        ("genuine-german-passport", "admit", [], ""),
        ("minor-alone", "refer", [], ""),
        ("expired-passport", "admit", [], "admitted a traveller who should not have been admitted"),
        ("minor-alone", "admit", [], "admitted a traveller who should not have been admitted"),
        ("genuine-german-passport", "refuse", ["A"], "refused a genuine traveller"),
        ("genuine-german-passport", "refer", [], "referred a genuine traveller"),
        ("expired-passport", "refuse", ["H"], "refused on the wrong reason"),
        ("expired-passport", "refer", [], "referred where a refusal was due"),
        ("minor-alone", "refuse", ["E"], "refused where a referral was due"),
    ],
)
def test_each_decision_gets_its_mistake(
    case_id: str, decision: str, reasons: list[str], mistake: str
) -> None:
    outcome = score_case(BASICS.case(case_id), decision, reasons, (), 12.5)
    assert outcome.mistake == mistake
    assert outcome.missed == bool(mistake)
    assert outcome.seconds == 12.5


def test_the_worst_mistakes_cost_the_most() -> None:
    admitted = score_case(EXPIRED, "admit", [], (), 1).points
    refused_genuine = score_case(GENUINE, "refuse", ["A"], (), 1).points
    wrong_reason = score_case(EXPIRED, "refuse", ["H"], (), 1).points
    right = score_case(EXPIRED, "refuse", ["A"], (), 1).points
    assert admitted < refused_genuine < wrong_reason < right == MAX_POINTS


def test_looking_at_what_mattered_is_recorded() -> None:
    assert score_case(EXPIRED, "refuse", ["A"], {"document.dates"}, 1).looked is True
    assert score_case(EXPIRED, "refuse", ["A"], {"page", "purpose"}, 1).looked is False


def test_the_draw_is_reproducible_from_the_seed_and_honours_the_count() -> None:
    first = [c.case_id for c in draw_cases(BASICS, 5, 42)]
    assert first == [c.case_id for c in draw_cases(BASICS, 5, 42)]
    assert len(set(first)) == 5
    assert first != [c.case_id for c in draw_cases(BASICS, 5, 43)]
    assert [c.case_id for c in draw_cases(BASICS, None, None)] == [c.case_id for c in BASICS.cases]
    with pytest.raises(ValueError, match="between 1 and 13"):
        draw_cases(BASICS, 14, 1)
