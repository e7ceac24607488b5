"""OCR repair never makes a valid-looking wrong document out of one damaged character.

Property: take a valid MRZ whose document number has a common shape (digits, perhaps after a letter
prefix and before one trailing letter), change any one character a check digit covers to any other
MRZ character: if the result is valid, its document number is the original's, except where the two
differ only by characters of equal value modulo 10, which no 7-3-1 check digit can tell apart by
design (``0``/``<``/``A``/``K``/``U``, ``1``/``L``, ...).

Why the shape: a check digit is satisfied by one reading in ten, so for *any* repair some other valid
number exists one arbitrary change away (a letter run of two inside digits, ``12AB34`` read ``127B34``,
looks exactly like a misread ``B`` in ``127834``). Numbers with two letter-digit islands are the same
(see ``benchmarks/repair_safety.py``, which measures every shape).
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkpoint.mrz import compose, parse
from checkpoint.mrz.checkdigit import VALUES
from checkpoint.mrz.layouts import LAYOUTS
from checkpoint.mrz.repair import islands
from tests.mrz.conftest import TODAY, with_char

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
ALPHABET = LETTERS + DIGITS + "<"
FORMATS = ("TD1", "TD2", "TD3", "MRV-A", "MRV-B")


@st.composite
def numbers(draw: st.DrawFn) -> str:
    prefix = draw(st.text(LETTERS, max_size=3))
    digits = draw(st.text(DIGITS, min_size=4, max_size=9 - len(prefix)))
    suffix = draw(st.text(LETTERS, max_size=min(1, 9 - len(prefix) - len(digits))))
    return prefix + digits + suffix


def _covered(fmt: str) -> list[tuple[int, int]]:
    layout = LAYOUTS[fmt]
    spots = {(c.line, c.pos) for c in layout.checks}
    for check in layout.checks:
        for line, start, end in check.parts:
            spots.update((line, col) for col in range(start, end))
    return sorted(spots)


def _indistinguishable(a: str, b: str) -> bool:
    a, b = a.ljust(9, "<"), b.ljust(9, "<")
    return len(a) == len(b) and all(VALUES[x] % 10 == VALUES[y] % 10 for x, y in zip(a, b, strict=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(FORMATS),
    number=numbers(),
    optional=st.text(LETTERS + DIGITS, max_size=4),
    where=st.integers(min_value=0),
    char=st.sampled_from(ALPHABET),
)
def test_no_single_change_comes_back_valid_with_another_document_number(
    fmt: str, number: str, optional: str, where: int, char: str
) -> None:
    lines = compose(
        fmt,
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA",
        document_number=number,
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2030, 1, 1),
        optional_data=optional,
    )
    original = parse(lines, today=TODAY)
    assert original.valid
    spots = _covered(fmt)
    line, col = spots[where % len(spots)]
    if lines[line][col] == char:
        return
    result = parse(with_char(lines, line + 1, col, char), today=TODAY)
    if result.valid and result.document_number != original.document_number:
        assert _indistinguishable(result.document_number, original.document_number), (
            lines,
            (line, col, char),
            result.document_number,
            result.corrections,
        )


def test_a_repair_is_made_only_at_the_one_character_out_of_place() -> None:
    assert islands("12345O789") == [5]  # a letter with two digits on each side
    assert islands("AB1234567") == []  # a prefix is no misread
    assert islands("L898902C3") == []  # the C has one digit to its right: too little to go on
    assert islands("96C0M846G") == []  # C and 0 each have a neighbour of their own kind
    assert islands("12O45<<<<") == [2]  # fillers are skipped


def test_two_odd_characters_are_not_guessed_between_but_the_readings_are_listed() -> None:
    lines = compose(issuing_state="UTO", surname="A", document_number="12345678", nationality="UTO",
                    birth_date="740812", expiry_date="300101")  # fmt: skip
    damaged = with_char(with_char(lines, 2, 2, "I"), 2, 5, "I")  # two characters read as I
    result = parse(damaged, today=TODAY)
    assert not result.valid and result.corrections == () and result.document_number == "12I45I78"
    [ambiguous] = [e for e in result.errors if e.code == "ambiguous_repair"]
    assert "2 characters look misread" in ambiguous.message
    assert "(12145I78<, 12I45178<)" in ambiguous.message
