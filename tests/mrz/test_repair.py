"""OCR repair: by field type, by check-digit search (unique fix or reported ambiguity), and the
substitutions a check digit cannot see. Lenient mode only."""

from __future__ import annotations

from checkpoint.mrz import Correction, MRZResult, check_digit, compose, parse
from checkpoint.mrz.repair import INVISIBLE_SUBSTITUTIONS
from tests.mrz.conftest import TD3, TODAY, with_char, with_text


def p(lines: object, strict: bool = False) -> MRZResult:
    return parse(lines, today=TODAY, strict=strict)  # type: ignore[arg-type]


def doc(number: str) -> tuple[str, ...]:
    return compose(
        issuing_state="UTO",
        surname="A",
        document_number=number,
        nationality="UTO",
        birth_date="740812",
        expiry_date="300101",
    )


def test_letters_in_numeric_positions_become_digits() -> None:
    bad = with_text(TD3, 2, 13, "74O8I2")  # birth date with O and I
    r = p(bad)
    assert r.valid and r.birth_date is not None and r.lines == TD3
    assert r.corrections == (
        Correction(2, 15, "O", "0", "birth_date"),
        Correction(2, 17, "I", "1", "birth_date"),
    )
    assert [w.code for w in r.warnings] == ["ocr_repair"]
    assert (r.warnings[0].field, r.warnings[0].start, r.warnings[0].end) == ("birth_date", 15, 18)


def test_every_numeric_confusion_and_check_digit_positions() -> None:
    for letter, digit in {
        "O": "0",
        "Q": "0",
        "D": "0",
        "I": "1",
        "L": "1",
        "Z": "2",
        "S": "5",
        "G": "6",
        "B": "8",
    }.items():
        lines = compose(
            issuing_state="UTO",
            surname="A",
            document_number="1",
            nationality="UTO",
            birth_date=f"7{digit}0101",
            expiry_date="300101",
        )
        r = p(with_char(lines, 2, 14, letter))
        assert r.valid and r.lines == lines, letter
    r = p(with_char(TD3, 2, 43, "O"))  # composite check digit 0 read as O
    assert r.valid and r.corrections == (Correction(2, 43, "O", "0", "composite_check"),)


def test_digits_in_alphabetic_positions_become_letters() -> None:
    r = p(with_text(TD3, 1, 0, "P<UT0ER1KSSON"))
    assert r.valid and r.surname == "ERIKSSON" and r.issuing_state == "UTO"
    assert [(c.column, c.from_, c.to, c.field) for c in r.corrections] == [
        (4, "0", "O", "issuing_state"),
        (7, "1", "I", "names"),
    ]


def test_strict_mode_repairs_nothing() -> None:
    r = p(with_text(TD3, 2, 13, "74O812"), strict=True)
    assert not r.valid and r.corrections == () and r.birth_date is None
    assert "invalid_character" in [e.code for e in r.errors]


def test_unique_reading_that_fits_the_check_digit_is_kept() -> None:
    lines = doc("AB1234567")
    r = p(with_char(lines, 2, 6, "S"))  # 5 read as S, two digits on each side
    assert r.valid and r.document_number == "AB1234567"
    assert r.corrections == (Correction(2, 6, "S", "5", "document_number"),)
    lines = doc("L898902C3")
    r = p(with_char(lines, 2, 3, "B"))  # 8 read as B
    assert r.valid and r.document_number == "L898902C3"
    assert r.corrections == (Correction(2, 3, "B", "8", "document_number"),)


def test_a_character_that_fits_in_with_its_neighbours_is_not_repaired() -> None:
    # A repair there would as often turn another misread into a valid-looking wrong number: the
    # prefix's edge (AB|1), the end of the number, or a number with a second odd character (C in L898902C3).
    for number, line, col, char in (
        ("AB1234567", 2, 2, "I"),
        ("L898902C3", 2, 5, "O"),
        ("12345678", 2, 7, "B"),
    ):
        r = p(with_char(doc(number), line, col, char))
        assert not r.valid and r.corrections == ()
        assert r.document_number != number


def test_misread_check_digit_is_not_repaired_into_the_field() -> None:
    # Any single substitution that matches a wrong check digit would break the composite: no repair.
    lines = doc("X50821537")
    for digit in "123456789":
        r = p(with_char(lines, 2, 9, digit))
        assert r.document_number == "X50821537" and r.corrections == ()
        assert [e.field for e in r.errors if e.code == "check_digit"] == ["document_number", "composite"]


def test_personal_number_repair() -> None:
    lines = compose(
        issuing_state="UTO",
        surname="A",
        document_number="1",
        nationality="UTO",
        birth_date="740812",
        expiry_date="300101",
        optional_data="AB1234567",
    )
    r = p(with_char(lines, 2, 34, "S"))  # 5 read as S
    assert r.valid and r.optional_data == "AB1234567"
    assert r.corrections == (Correction(2, 34, "S", "5", "optional_data"),)
    r = p(with_char(TD3, 2, 36, "8"))  # ZE184226B: B read as 8, at the end: not repaired
    assert not r.valid and {e.code for e in r.errors} == {"check_digit"} and r.corrections == ()


def test_invisible_substitutions_are_known_and_never_decided_by_the_check_digit() -> None:
    assert {("L", "1"), ("G", "6"), ("<", "0")} <= INVISIBLE_SUBSTITUTIONS
    for a, b in INVISIBLE_SUBSTITUTIONS:
        assert check_digit("AB" + a + "45") == check_digit("AB" + b + "45")
    lines = doc("AB1234567")
    misread = with_char(lines, 2, 2, "L")  # 1 read as L: the check digit still agrees
    r = p(misread)
    assert r.valid and r.document_number == "ABL234567" and r.corrections == ()
    r = p(with_char(TD3, 2, 35, "G"))  # ZE184226B with 6 read as G: every check digit still agrees
    assert r.valid and r.optional_data == "ZE18422GB" and r.corrections == ()


def test_french_id_autocorrect_case_from_cheminfo() -> None:
    r = p(["1DFRATE5T<NAME<<<<<<<<<<<<<<<<0CHE02", "I7I0GVA123451RO8ERTA<<<<<<<9IIZ3IIF2"])
    assert r.valid and r.format == "FRA-ID"
    assert r.lines == ("IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02", "1710GVA123451ROBERTA<<<<<<<9112311F2")
    # cheminfo reports the same positions (0-based lines there).
    assert sorted((c.line - 1, c.column, c.from_, c.to) for c in r.corrections) == [
        (0, 0, "1", "I"),
        (0, 7, "5", "S"),
        (1, 0, "I", "1"),
        (1, 2, "I", "1"),
        (1, 15, "8", "B"),
        (1, 28, "I", "1"),
        (1, 29, "I", "1"),
        (1, 30, "Z", "2"),
        (1, 32, "I", "1"),
        (1, 33, "I", "1"),
    ]


def test_k_and_l_read_for_fillers_at_the_end_of_the_names() -> None:
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<KLLLLLLLLLLLLLLKLK"
    r = p([line1, TD3[1]])
    assert r.valid and r.given_names == "ANNA MARIA" and r.lines == TD3
    assert {c.field for c in r.corrections} == {"names"} and len(r.corrections) == 18
    assert [w.code for w in r.warnings] == ["ocr_repair"]
    # A name that ends in K or L without a filler tail of three or more is left alone.
    r = p(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<KL", TD3[1]])
    assert r.given_names == "ANNA MARIA KL" and r.corrections == ()
    assert p(["P<UTOERIKSSON<<ANNA<MARIA<KLL" + "<" * 15, TD3[1]]).given_names == "ANNA MARIA KLL"
    assert p([line1, TD3[1]], strict=True).given_names.startswith("ANNA MARIA KL")


def test_k_and_l_for_fillers_in_an_empty_personal_number_are_checked_by_its_digit() -> None:
    lines = compose(
        issuing_state="UTO",
        surname="A",
        document_number="L898902C3",
        nationality="UTO",
        birth_date="740812",
        expiry_date="120415",
    )
    want = lines[1]
    assert want[28:43] == "<" * 14 + "0"
    r = p([lines[0], want[:32] + "LLLLLLL" + want[39:]])
    assert r.valid and r.lines[1] == want and r.optional_data == ""
    assert [(c.field, c.from_, c.to) for c in r.corrections] == [("optional_data", "L", "<")] * 7
