"""Input forms: strict takes exact ICAO lines only; lenient normalises, finds the MRZ in text, reports."""

from __future__ import annotations

import pytest

from checkpoint.mrz import MRZError, MRZFormatError, MRZResult, parse
from tests.mrz.conftest import TD1, TD3, TODAY


def p(lines: object, strict: bool = False) -> MRZResult:
    return parse(lines, today=TODAY, strict=strict)  # type: ignore[arg-type]


def test_string_list_and_tuple_give_the_same_result() -> None:
    assert p("\n".join(TD3)) == p(list(TD3)) == p(TD3) == p("\r\n".join(TD3) + "\n")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "hello",
        [TD3[0]],
        [TD3[0], TD3[1][:-1]],
        [TD3[0].lower(), TD3[1]],
        [TD3[0], TD3[1] + "<"],
        [" " + TD3[0], TD3[1]],
        [TD3[0], "", TD3[1]],
        "\n".join(TD3) + "\n\n",
        [TD3[0], TD3[1], TD3[1]],
        12,
        None,
        [TD3[0], 5],
        b"P<UTO",
    ],
)
def test_strict_raises_mrz_format_error_for_anything_but_exact_lines(bad: object) -> None:
    with pytest.raises(MRZFormatError) as info:
        p(bad, strict=True)
    assert isinstance(info.value, MRZError) and str(info.value)


def test_strict_error_says_where() -> None:
    with pytest.raises(MRZFormatError, match=r"line 1, column 0: 'p'"):
        p([TD3[0].lower(), TD3[1]], strict=True)
    with pytest.raises(MRZFormatError, match="length 44, 43"):
        p([TD3[0], TD3[1][:-1]], strict=True)
    with pytest.raises(MRZFormatError, match=r"\\x1b"):
        p(["\x1b[31m", TD3[1]], strict=True)


def test_lenient_reports_every_normalisation() -> None:
    text = "  " + TD3[0].lower()[:-2] + "  \n" + TD3[1][:20] + " " + TD3[1][20:] + "\n"
    r = p(text)
    assert r.valid and r.lines == TD3
    got = sorted((w.code, w.line) for w in r.warnings)
    assert got == [("normalised_case", 1), ("padded_line", 1), ("removed_whitespace", 2)]
    padded = next(w for w in r.warnings if w.code == "padded_line")
    assert (padded.start, padded.end) == (42, 44)


def test_lenient_finds_the_mrz_in_ocr_text() -> None:
    text = (
        "REPUBLIC OF UTOPIA\nPASSPORT  PASSEPORT\nSurname ERIKSSON\n\n"
        + TD3[0]
        + "\nnoise\n"
        + TD3[1]
        + "\n3 of 3\n"
    )
    r = p(text)
    assert r.valid and r.lines == TD3
    ignored = [w for w in r.warnings if w.code == "ignored_text"]
    assert (
        len(ignored) == 1
        and "5 input line(s)" in ignored[0].message
        and "1, 2, 3, 6, 8" in ignored[0].message
    )


def test_lenient_picks_the_window_that_checks_among_several() -> None:
    r = p([TD1[0], TD1[1], TD1[2], "7408122F1204159UTO<<<<<<<<<<<6"])  # a stray MRZ-like line after
    assert r.valid and r.format == "TD1" and r.lines == TD1


def test_lenient_html_escaped_fillers_and_merged_lines() -> None:
    r = p(TD3[0].replace("<", "&lt;") + "\n" + TD3[1])
    assert r.valid and "unescaped_text" in [w.code for w in r.warnings]
    r = p(TD3[0] + TD3[1])
    assert r.valid and [w.code for w in r.warnings] == ["split_line", "split_line"]


def test_lenient_trims_surplus_fillers_but_not_surplus_text() -> None:
    r = p([TD3[0] + "<<", TD3[1]])
    assert r.valid and [w.code for w in r.warnings] == ["trimmed_line"]
    # Text after a name that fills its field could be the rest of the name: not cut (see test_realign).
    assert p(["P<UTO" + "A" * 39 + "XY", TD3[1]]).format is None


@pytest.mark.parametrize(
    "junk", ["", "\n\n", "x" * 500, "<" * 44, "\x00\x1b[2J", "P<" * 100, ["a", "b"], [], 3.5, None, {"a": 1}]
)
def test_lenient_never_raises_and_says_why(junk: object) -> None:
    r = p(junk)
    assert (not r.valid and r.errors[0].code in ("no_mrz", "not_text")) or r.format is not None


def test_a_stray_non_mrz_character_is_pointed_at_not_a_lost_mrz() -> None:
    from tests.mrz.conftest import FRA_ID

    bad = [FRA_ID[0], FRA_ID[1][:6] + "?" + FRA_ID[1][7:]]
    r = p(bad)
    assert r.format == "FRA-ID" and not r.valid
    assert [(e.code, e.field, e.line, e.start, e.end) for e in r.errors] == [
        ("invalid_character", "document_number", 2, 6, 7)
    ]
    assert r.checks["document_number"] is False and r.checks["birth_date"] is True
    r = p([TD3[0], TD3[1][:13] + "é" + TD3[1][14:]])  # in a date: reported once, by the date
    assert [(e.code, e.field, e.start) for e in r.errors if e.code == "invalid_character"] == [
        ("invalid_character", "birth_date", 13)
    ]
    assert p([TD3[0], "é" * 3 + TD3[1][3:]]).format is None  # three odd characters: text, not MRZ


def test_guillemets_read_by_ocr_for_fillers() -> None:
    r = p(TD3[0].replace("<<<<", "««") + "\n" + TD3[1])
    assert r.valid and r.lines == TD3 and [w.code for w in r.warnings] == ["unescaped_text"]
