"""The reading step that settles a disagreeing check digit with the model's own alternatives: it changes
a character only when exactly one of the few the model weighed makes the check digit agree, only to a
character the field allows, and reports every change."""

from __future__ import annotations

from checkpoint.mocks.pages import make_page

from checkpoint.mrz import parse
from checkpoint.ocr import read_mrz
from checkpoint.ocr.choices import MAX_CANDIDATES, settle_by_choices

TRUTH = ("P<D<<DE<LA<CRUZ<<OLGA<<<<<<<<<<<<<<<<<<<<<<<", "BZ56508734NLD6003265F3404115SSTXVF7<<<<<<<72")


def alternatives_for(lines: tuple[str, ...], extra: dict[tuple[int, int], str]) -> list[tuple[str, ...]]:
    """Each cell weighs only itself, except the cells ``extra`` names."""
    return [
        tuple(char + extra.get((row, column), "") for column, char in enumerate(line))
        for row, line in enumerate(lines)
    ]


def test_a_misread_the_model_doubted_is_settled_by_the_check_digit() -> None:
    misread = (TRUTH[0], "8" + TRUTH[1][1:])
    result = parse(list(misread))
    # The MRZ library alone cannot choose: three look-alike readings fit the check digit.
    assert not result.valid
    lines, corrections = settle_by_choices(result, alternatives_for(misread, {(1, 0): "B", (1, 4): "S"}))
    assert tuple(lines) == TRUTH
    assert parse(lines).valid
    assert [c.to_dict() for c in corrections] == [
        {"line": 2, "column": 0, "from": "8", "to": "B", "field": "document_number", "alternatives": "8B"}
    ]


def test_nothing_is_changed_when_no_alternative_fits() -> None:
    misread = (TRUTH[0], "8" + TRUTH[1][1:])
    result = parse(list(misread))
    lines, corrections = settle_by_choices(result, alternatives_for(misread, {(1, 0): "H"}))
    assert corrections == []
    assert not parse(lines).valid


def test_only_characters_the_field_allows_are_tried() -> None:
    # Birth date 600326 read as 600329: the model also weighed a letter there, which a date cannot hold.
    misread = (TRUTH[0], TRUTH[1][:18] + "9" + TRUTH[1][19:])
    result = parse(list(misread))
    assert not result.checks["birth_date"]
    _, corrections = settle_by_choices(result, alternatives_for(misread, {(1, 18): "G"}))
    assert corrections == []
    lines, corrections = settle_by_choices(result, alternatives_for(misread, {(1, 18): "G6"}))
    assert tuple(lines) == TRUTH
    assert [(c.column, c.from_, c.to, c.field) for c in corrections] == [(18, "9", "6", "birth_date")]


def test_too_many_candidates_is_a_guess_and_is_not_made() -> None:
    misread = (TRUTH[0], TRUTH[1][:18] + "9" + TRUTH[1][19:])
    result = parse(list(misread))
    # Every cell of the date offers two digits: one would fit by chance.
    crowd = {(1, column): "6" + "0" for column in range(13, 19)}
    assert len(crowd) * 2 > MAX_CANDIDATES
    lines, corrections = settle_by_choices(result, alternatives_for(misread, crowd))
    assert corrections == []
    assert tuple(lines) == misread


def test_two_fitting_alternatives_are_left_in_doubt() -> None:
    misread = (TRUTH[0], TRUTH[1][:18] + "9" + TRUTH[1][19:])
    result = parse(list(misread))
    # 6 at the last cell fits; so does changing the birth date's check digit from 5 to 8.
    _, corrections = settle_by_choices(result, alternatives_for(misread, {(1, 18): "6", (1, 19): "8"}))
    fitting = parse(list((TRUTH[0], TRUTH[1][:18] + "9" + "8" + TRUTH[1][20:])))
    assert fitting.checks["birth_date"]
    assert corrections == []


def test_unknown_alternatives_change_nothing() -> None:
    misread = (TRUTH[0], "8" + TRUTH[1][1:])
    result = parse(list(misread))
    assert settle_by_choices(result, [None, None]) == (list(result.lines), [])


def test_phone_photo_read_valid_with_the_correction_reported() -> None:
    # A 12-megapixel photo at 28 degrees: the model reads the document number's B as 8; its own
    # alternatives and the check digit settle it.
    page = make_page("TD3", seed=1, degrade="phone")
    result = read_mrz(page.encode(page.natural_format))
    assert result.lines == page.lines
    assert result.valid, result.problems
    assert [(c.line, c.column, c.from_, c.to) for c in result.corrections] == [(2, 0, "8", "B")]
    assert "B" in result.corrections[0].alternatives
    assert result.to_dict()["corrections"][0]["field"] == "document_number"  # type: ignore[index]
