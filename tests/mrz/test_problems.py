"""Every problem code: where it points (line, columns), what it says; the code set is complete."""

from __future__ import annotations

import pytest

from checkpoint.mrz import MRZResult, Problem, compose, parse
from checkpoint.mrz.problems import ERROR_CODES, WARNING_CODES
from tests.mrz.conftest import TD1, TD3, TODAY, with_char, with_text


def p(lines: object, strict: bool = False) -> MRZResult:
    return parse(lines, today=TODAY, strict=strict)  # type: ignore[arg-type]


def only(result: MRZResult, code: str) -> Problem:
    found = [e for e in (*result.errors, *result.warnings) if e.code == code]
    assert len(found) == 1, (result.errors, result.warnings)
    return found[0]


def where(problem: Problem) -> tuple[str, int | None, int | None, int | None]:
    return problem.field, problem.line, problem.start, problem.end


def test_check_digit_error_has_expected_found_and_position() -> None:
    r = p(with_char(TD3, 2, 19, "3"), strict=True)
    e = only(r, "check_digit") if len(r.errors) == 1 else r.errors[0]
    assert not r.valid
    assert (e.code, *where(e), e.expected, e.found) == ("check_digit", "birth_date", 2, 19, 20, "2", "3")
    assert e.to_dict() == {
        "code": "check_digit",
        "field": "birth_date",
        "line": 2,
        "start": 19,
        "end": 20,
        "message": e.message,
        "expected": "2",
        "found": "3",
    }
    assert [x.field for x in r.errors] == ["birth_date", "composite"]
    assert r.checks == {
        "document_number": True,
        "birth_date": False,
        "expiry_date": True,
        "optional_data": True,
        "composite": False,
    }


def test_tampered_birth_date_fails_its_digit_and_the_composite() -> None:
    r = p(with_char(TD3, 2, 14, "5"), strict=True)  # 7408122 -> 7508122
    assert [e.field for e in r.errors] == ["birth_date", "composite"]


@pytest.mark.parametrize(
    ("line", "column", "char", "field", "start", "end", "text"),
    [
        (2, 15, "13", "birth_date", 15, 17, "month 13"),
        (2, 17, "42", "birth_date", 17, 19, "day 42"),
        (2, 23, "00", "expiry_date", 23, 25, "month 00"),
    ],
)
def test_impossible_dates_point_at_the_wrong_part(
    line: int, column: int, char: str, field: str, start: int, end: int, text: str
) -> None:
    r = p(with_text(TD3, line, column, char), strict=True)
    e = only(r, "invalid_date")
    assert where(e) == (field, line, start, end)
    assert text in e.message
    assert getattr(r, field) is None


def test_thirtieth_of_february_is_impossible_and_29th_needs_a_leap_year() -> None:
    def doc(birth: str) -> list[str]:
        return with_text(TD3, 2, 13, birth)  # check digits stay wrong: the date error is what is looked at

    e = only(p(doc("740230")), "invalid_date")
    assert (e.start, e.end) == (17, 19)
    assert p(doc("000229")).birth_date is not None  # 2000 was a leap year
    assert p(
        compose(
            issuing_state="UTO",
            surname="A",
            document_number="1",
            nationality="UTO",
            birth_date="000229",
            expiry_date="300101",
        )
    ).valid
    e = only(p(doc("010229")), "invalid_date")
    assert "2001-02" in e.message


def test_letter_in_a_date_is_an_invalid_character_in_strict_mode() -> None:
    r = p(with_char(TD3, 2, 13, "X"), strict=True)
    e = only(r, "invalid_character")
    assert where(e) == ("birth_date", 2, 13, 14)
    assert r.birth_date is None


def test_digit_in_a_name_is_an_invalid_character() -> None:
    r = p(with_char(TD3, 1, 7, "4"), strict=True)
    assert where(only(r, "invalid_character")) == ("names", 1, 7, 8)


def test_unknown_country_codes() -> None:
    r = p(with_char(TD3, 1, 2, "Q"), strict=True)  # QTO
    e = only(r, "unknown_country_code")
    assert where(e) == ("issuing_state", 1, 2, 5) and "QTO" in e.message
    r = p(with_char(TD3, 2, 11, "<"), strict=True)  # U<O: a filler inside the code
    assert where(only(r, "unknown_country_code")) == ("nationality", 2, 10, 13)


def test_invalid_sex() -> None:
    r = p(with_char(TD3, 2, 20, "Y"), strict=True)
    assert where(only(r, "invalid_sex")) == ("sex", 2, 20, 21)
    assert r.sex == "Y"


def test_invalid_and_unusual_document_codes() -> None:
    r = p(with_char(TD3, 1, 0, "<"), strict=True)
    assert where(only(r, "invalid_document_code")) == ("document_code", 1, 0, 2)
    r = p(with_char(TD1, 1, 0, "R"), strict=True)  # "R<" is no ICAO TD1 code but a letter: warn
    assert r.valid and where(only(r, "unusual_document_code")) == ("document_code", 1, 0, 1)


def test_invalid_overflow() -> None:
    # "<" in the check-digit position but a continuation of a single character: no number, no digit.
    lines = [
        "I<UTOD23145890<7<<<<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ]
    e = only(p(lines, strict=True), "invalid_overflow")
    assert where(e) == ("document_number", 1, 5, 16)


def test_overflow_with_wrong_check_digit_points_into_the_optional_data() -> None:
    lines = [
        "I<UTOD23145890<7348<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ]
    e = p(lines, strict=True).errors[0]
    assert (e.code, *where(e), e.expected, e.found) == ("check_digit", "document_number", 1, 18, 19, "9", "8")


def test_not_text_and_no_mrz_in_lenient_mode() -> None:
    r = p(12345)
    assert (r.format, r.valid, [e.code for e in r.errors]) == (None, False, ["not_text"])
    assert r.errors[0].line is None
    r = p("hello\nworld")
    assert (r.format, [e.code for e in r.errors], r.lines) == (None, ["no_mrz"], ())
    assert r.to_dict()["checks"] == {} and r.to_dict()["birth_date"] is None


# Two characters read as I, each with two digits on either side: which one is misread?
TD3_12345678 = compose(issuing_state="UTO", surname="A", document_number="12345678", nationality="UTO",
                       birth_date="740812", expiry_date="300101")  # fmt: skip

_BELGIAN = [
    "I<BEL000590240<6013<<<<<<<<<<<",
    "9401013F2710017BEL<<<<<<<<<<<0",
    "SPECIMEN<<SPECIMEN<<<<<<<<<<<<",
]
# One input per documented code, each of which must produce it.
EXAMPLES: dict[str, object] = {
    "not_text": 42,
    "no_mrz": "no machine-readable zone here",
    "invalid_character": with_char(TD3, 1, 7, "4"),
    "invalid_document_code": with_char(TD3, 1, 0, "<"),
    "unknown_country_code": with_char(TD3, 1, 2, "Q"),
    "invalid_sex": with_char(TD3, 2, 20, "Y"),
    "invalid_date": with_text(TD3, 2, 15, "13"),
    "check_digit": with_char(TD3, 2, 19, "3"),
    "invalid_overflow": ["I<UTOD23145890<7<<<<<<<<<<<<<<", *TD1[1:]],
    "ambiguous_repair": with_char(with_char(TD3_12345678, 2, 2, "I"), 2, 5, "I"),
    "partial_date": with_text(TD3, 2, 17, "<<"),
    "name_truncated": ["P<UTO" + "A" * 39, TD3[1]],
    "overflow_check_with_filler": _BELGIAN,
    "unusual_document_code": with_char(TD1, 1, 0, "R"),
    "ocr_repair": with_char(TD3, 2, 43, "O"),
    "normalised_case": [TD3[0].lower(), TD3[1]],
    "removed_whitespace": [TD3[0][:10] + " " + TD3[0][10:], TD3[1]],
    "unescaped_text": [TD3[0].replace("<", "&lt;"), TD3[1]],
    "padded_line": [TD3[0][:-2], TD3[1]],
    "trimmed_line": [TD3[0] + "<", TD3[1]],
    "split_line": TD3[0] + TD3[1],
    "ignored_text": ["PASSPORT", *TD3],
    "not_travel_document": "D1FRA13AA000026181231MARTIN<<9",
}


def test_every_documented_code_has_an_example_that_produces_it() -> None:
    assert set(EXAMPLES) == ERROR_CODES | WARNING_CODES
    for code, example in EXAMPLES.items():
        r = parse(example, today=TODAY)  # type: ignore[arg-type]
        produced = {e.code for e in r.errors} | {w.code for w in r.warnings}
        assert code in produced, (code, produced)
        assert (code in ERROR_CODES) == (code in {e.code for e in r.errors})
