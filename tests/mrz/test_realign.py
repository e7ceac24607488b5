"""Lines damaged beyond the lenient slack: fitted only where the document's own check digits (or a
complete name) confirm the one reading, every change reported at its position."""

from __future__ import annotations

import pytest

from checkpoint.mrz import MRZResult, parse
from checkpoint.mrz import parser as parser_module
from checkpoint.mrz.problems import Problem
from tests.mrz.conftest import TD1, TD2, TD3, TODAY


def p(lines: object) -> MRZResult:
    return parse(lines, today=TODAY)  # type: ignore[arg-type]


def layout_warnings(r: MRZResult) -> list[tuple[str, int | None, int | None, int | None]]:
    codes = ("padded_line", "trimmed_line", "split_line")
    return [(w.code, w.line, w.start, w.end) for w in r.warnings if w.code in codes]


def test_junk_after_a_complete_name_line_is_cut() -> None:
    r = p([TD3[0] + "EXTRACHARS", TD3[1]])
    assert r.valid and r.lines == TD3 and r.given_names == "ANNA MARIA"
    assert layout_warnings(r) == [("trimmed_line", 1, 44, 44)]


def test_a_name_line_far_short_is_padded_when_its_name_is_complete() -> None:
    r = p([TD3[0][:33], TD3[1]])  # 11 fillers short, but ends in "<<<<<<<<": the name is whole
    assert r.valid and r.lines == TD3
    assert layout_warnings(r) == [("padded_line", 1, 33, 44)]
    assert p([TD3[0][:30], TD3[1]]).format is None  # 14 short: further than any OCR damage we fit


def test_a_name_line_cut_inside_the_name_is_not_guessed() -> None:
    assert p(["P<UTOERIKSSON<<ANNA<MA", TD3[1]]).format is None
    assert p(["P<UTOERIKSSON<<ANNA<", TD3[1]]).format is None  # MARIA may have been lost after ANNA<


def test_a_stray_character_before_a_data_line_is_dropped() -> None:
    r = p([TD3[0], "1" + TD3[1]])
    assert r.valid and r.lines == TD3 and r.document_number == "L898902C3"
    assert layout_warnings(r) == [("trimmed_line", 2, 0, 0)]


def test_characters_after_a_data_line_are_dropped() -> None:
    r = p([TD3[0], TD3[1] + "X7"])
    assert r.valid and r.lines == TD3
    assert layout_warnings(r) == [("trimmed_line", 2, 44, 44)]


def test_a_filler_dropped_inside_a_data_line_goes_back_where_the_check_digits_agree() -> None:
    damaged = TD3[1][:37] + TD3[1][40:]  # three of the five fillers after ZE184226B lost
    r = p([TD3[0], damaged])
    assert r.valid and r.lines == TD3 and r.optional_data == "ZE184226B"
    assert layout_warnings(r) == [("padded_line", 2, 37, 40)]


def test_doubled_fillers_inside_a_data_line_are_removed() -> None:
    r = p([TD2[0], TD2[1][:30] + "<<<" + TD2[1][30:]])
    assert r.valid and r.lines == TD2
    assert [w[0] for w in layout_warnings(r)] == ["trimmed_line"]


def test_no_fitting_is_taken_when_no_check_digit_confirms_it() -> None:
    # A character lost inside the document number: every fitting shifts a field under its check digit.
    assert p([TD3[0], TD3[1][:3] + TD3[1][6:]]).format is None


def test_three_td1_lines_run_together_with_spaces_are_split() -> None:
    r = p("noise\n" + f"{TD1[0]} {TD1[1]} {TD1[2][:20]}")
    assert r.valid and r.format == "TD1" and r.lines == TD1 and r.given_names == "ANNA MARIA"
    assert layout_warnings(r) == [
        ("split_line", 1, 0, 30),
        ("split_line", 2, 0, 30),
        ("split_line", 3, 0, 30),
        ("padded_line", 3, 20, 30),
    ]


def test_every_warning_points_into_the_lines() -> None:
    r = p([TD3[0] + "EXTRACHARS", "1" + TD3[1]])
    assert r.valid
    for w in r.warnings:
        if w.line is not None:
            assert isinstance(w, Problem) and 1 <= w.line <= len(r.lines)
            assert w.start is not None and w.end is not None and 0 <= w.start <= w.end <= 44


@pytest.mark.parametrize(
    "lines",
    [TD3, [TD3[0].lower(), TD3[1]], [TD3[0] + "<<", TD3[1]], ["junk", *TD3], [TD3[0], TD3[1][:-1] + "7"]],
)
def test_input_the_usual_reader_takes_never_comes_here(
    lines: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("the damaged-line fallback ran")

    monkeypatch.setattr(parser_module, "find_damaged_window", refuse)
    assert p(lines).format == "TD3"


def test_a_page_of_near_mrz_junk_is_refused_quickly() -> None:
    # 300 lines of MRZ characters near the TD3 length, none confirmed by check digits: bounded work.
    junk = "\n".join(("A<1<B<<2" * 6)[i % 7 : i % 7 + 40] for i in range(300))
    assert p(junk).format is None
