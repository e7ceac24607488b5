"""The reading step that settles a disagreeing check digit with the model's own alternatives: it changes
a character only when exactly one of the few the model weighed makes the check digit agree, only to a
character the field allows, and reports every change."""

from __future__ import annotations

import pytest
from checkpoint.mocks.pages import make_page

from checkpoint.mrz import parse
from checkpoint.ocr import read_mrz
from checkpoint.ocr.choices import MAX_CANDIDATES, settle_by_choices, settle_by_opinions
from checkpoint.ocr.locate import TextLine, join_pieces

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
        {
            "line": 2,
            "column": 0,
            "from": "8",
            "to": "B",
            "field": "document_number",
            "alternatives": "8B",
            "by": "model",
        }
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


def test_second_opinions_settle_a_check_digit_only_where_two_check_digits_confirm() -> None:
    # Birth date 600326 read as 600329, with nothing weighed that fits: both the birth date's check digit
    # and the composite one disagree.
    misread = (TRUTH[0], TRUTH[1][:18] + "9" + TRUTH[1][19:])
    result = parse(list(misread))
    assert not result.checks["birth_date"] and not result.checks["composite"]
    # A 7 for the date's first 6 makes the birth date's check digit agree, but not the composite one:
    # the model's own alternatives would take it, second opinions must not.
    wrong = alternatives_for(misread, {(1, 13): "7"})
    lines, corrections = settle_by_choices(result, wrong)
    assert [(c.column, c.to) for c in corrections] == [(13, "7")]
    assert not parse(lines).checks["composite"]
    assert settle_by_opinions(result, wrong) == (list(misread), [])
    # Offered beside the right digit, only the right one is confirmed by both.
    lines, corrections = settle_by_opinions(result, alternatives_for(misread, {(1, 13): "7", (1, 18): "6"}))
    assert tuple(lines) == TRUTH
    assert parse(lines).valid
    assert [c.to_dict() for c in corrections] == [
        {
            "line": 2,
            "column": 18,
            "from": "9",
            "to": "6",
            "field": "birth_date",
            "alternatives": "96",
            "by": "second opinions",
        }
    ]


def test_second_opinions_never_settle_a_visa_which_has_one_check_digit_per_field() -> None:
    visa = make_page("MRV-A", seed=1).lines
    misread = (visa[0], visa[1][:18] + "0" + visa[1][19:])
    result = parse(list(misread))
    assert not result.checks["birth_date"]
    truth = visa[1][18]
    assert settle_by_opinions(result, alternatives_for(misread, {(1, 18): truth})) == (list(misread), [])
    # The model's own alternative would be taken on the one check digit.
    lines, _ = settle_by_choices(result, alternatives_for(misread, {(1, 18): truth}))
    assert tuple(lines) == visa


ID_CARD = (
    "IDFRA90SRYE3WT2<<<<<<<<<<<<<<<",
    "0206064<3308176USA<<<<<<<<<<<6",
    "LI<<OLGA<<<<<<<<<<<<<<<<<<<<<<",
)


def test_a_document_code_letter_the_format_does_not_use_is_settled_by_the_model_s_choice() -> None:
    # No check digit covers the document code, but ICAO 9303 starts a TD1 code with A, C or I.
    misread = ("L" + ID_CARD[0][1:], *ID_CARD[1:])
    result = parse(list(misread))
    assert result.valid
    assert [w.code for w in result.warnings] == ["unusual_document_code"]
    lines, corrections = settle_by_choices(result, alternatives_for(misread, {(0, 0): "IZ"}))
    assert tuple(lines) == ID_CARD
    assert [c.to_dict() for c in corrections] == [
        {
            "line": 1,
            "column": 0,
            "from": "L",
            "to": "I",
            "field": "document_code",
            "alternatives": "LIZ",
            "by": "model",
        }
    ]


def test_a_document_code_is_left_alone_when_the_choice_is_not_one_usual_letter() -> None:
    misread = ("L" + ID_CARD[0][1:], *ID_CARD[1:])
    result = parse(list(misread))
    for weighed in ("", "EZ", "IA"):  # none, none usual, two usual
        lines, corrections = settle_by_choices(result, alternatives_for(misread, {(0, 0): weighed}))
        assert (tuple(lines), corrections) == (misread, [])
    # A usual first letter stays, whatever else the model weighed there.
    lines, corrections = settle_by_choices(parse(list(ID_CARD)), alternatives_for(ID_CARD, {(0, 0): "LC"}))
    assert (tuple(lines), corrections) == (ID_CARD, [])


def test_a_sex_the_format_does_not_allow_is_settled_by_the_model_s_choice() -> None:
    # No check digit covers the sex, but ICAO 9303 allows only M, F, X and a filler there: a T (an F
    # read under a watermark) is changed to the one the model weighed beside it.
    misread = (TRUTH[0], TRUTH[1][:20] + "T" + TRUTH[1][21:])
    result = parse(list(misread))
    assert [problem.code for problem in result.errors] == ["invalid_sex"]
    lines, corrections = settle_by_choices(result, alternatives_for(misread, {(1, 20): "ZF"}))
    assert tuple(lines) == TRUTH
    assert [(c.line, c.column, c.from_, c.to, c.field, c.alternatives) for c in corrections] == [
        (2, 20, "T", "F", "sex", "TZF")
    ]
    for weighed in ("", "ZI", "FM"):  # none, none allowed, two allowed
        lines, corrections = settle_by_choices(result, alternatives_for(misread, {(1, 20): weighed}))
        assert (tuple(lines), corrections) == (misread, [])


def test_a_page_whose_sex_a_watermark_changed_is_read_through_the_model_s_choice() -> None:
    page = make_page("TD1", seed=70065, degrade="watermark")
    result = read_mrz(page.encode(page.natural_format))
    assert result.valid, result.problems
    assert result.lines == page.lines
    assert [(c.field, c.from_, c.to) for c in result.corrections] == [("sex", "T", "F")]


def test_a_line_cut_by_a_hologram_band_is_read_at_full_length() -> None:
    # The band washes the print out across all three lines: each is found in pieces, joined again,
    # and the washed-out stretch is brought back to the line's contrast before reading.
    page = make_page("TD1", seed=20006, degrade="hologram")
    result = read_mrz(page.encode(page.natural_format))
    assert result.lines == page.lines
    assert result.valid, result.problems


def test_pieces_on_one_line_join_and_others_do_not() -> None:
    left = TextLine(start=(100.0, 200.0), end=(600.0, 205.0), char_height=20.0, components=24)
    right = TextLine(start=(750.0, 206.5), end=(1000.0, 209.0), char_height=21.0, components=12)
    below = TextLine(start=(750.0, 240.0), end=(1000.0, 242.5), char_height=20.0, components=12)
    far = TextLine(start=(900.0, 209.0), end=(1100.0, 211.0), char_height=20.0, components=10)
    joined = join_pieces([right, below, left])
    assert len(joined) == 2
    assert joined[0].start == left.start
    assert joined[0].end[0] == pytest.approx(1000.0, abs=0.5)
    assert joined[0].components == 36
    # A piece beyond MAX_JOIN_GAP heights stays apart.
    assert len(join_pieces([left, far])) == 2


def test_a_short_piece_on_the_lines_extension_joins_whatever_its_own_tilt() -> None:
    # Three characters before a hologram band: their centres make a piece tilted 6 degrees, which is
    # noise over three characters; both its ends lie on the line's extension, so it is the line's start.
    line = TextLine(start=(212.5, 361.8), end=(670.5, 357.3), char_height=18.5, components=24)
    start = TextLine(start=(91.0, 363.0), end=(130.0, 367.0), char_height=16.0, components=3)
    (joined,) = join_pieces([line, start])
    assert joined.start[0] == pytest.approx(91.0, abs=0.5)
    assert joined.components == 27
    # A piece as tilted whose far end leaves the line's extension by half a height stays apart.
    across = TextLine(start=(91.0, 363.0), end=(130.0, 373.0), char_height=16.0, components=3)
    assert len(join_pieces([line, across])) == 2


def test_a_line_that_starts_under_a_hologram_band_is_found_whole() -> None:
    # The band washed out four characters after the first three of a TD1's first line: the three
    # were found apart, tilted by the band's edge, and the line was dropped as too short.
    page = make_page("TD1", seed=83000, degrade="hologram")
    result = read_mrz(page.encode(page.natural_format))
    assert result.lines == page.lines
    assert result.valid, result.problems


@pytest.mark.parametrize(
    ("format_name", "seed", "degrade", "cell"),
    [
        ("TD2", 20459, "fold", (2, 26)),  # expiry 270609 read 270605: the second engine reads the 9
        ("TD3", 20305, "fold", (2, 22)),  # expiry 290402 read 250402, by both engines: the print shows a 9
        # birth date 100621 read 700621: the second engine reads the 1 (the page as it was before phone
        # pages were bent)
        ("TD1", 20559, "phone,bend=0", (2, 0)),
    ],
)
def test_a_page_whose_misread_digit_the_model_never_weighed_is_read_through_second_opinions(
    format_name: str, seed: int, degrade: str, cell: tuple[int, int]
) -> None:
    page = make_page(format_name, seed=seed, degrade=degrade)
    result = read_mrz(page.encode(page.natural_format))
    assert result.valid, result.problems
    assert result.lines == page.lines
    assert [(c.line, c.column, c.by) for c in result.corrections] == [(*cell, "second opinions")]
