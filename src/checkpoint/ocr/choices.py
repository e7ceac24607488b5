"""Settle a check digit that disagrees with the characters the model itself weighed.

Tesseract's LSTM gives, per symbol, the characters it considered (``lstm_choice_mode``; see
:func:`checkpoint.ocr.engine.read_line`). When a field's check digit disagrees after the MRZ library's
own repair (look-alikes by field type, then one look-alike substitution if exactly one fits), the
reading step tries the model's own second choices at the cells that check digit covers: only characters
the field's kind allows there (digits in dates and check digits, letters in codes), one substitution
at a time. A substitution is kept only when it is the one candidate that makes the check digit agree,
and the candidates were few (:data:`MAX_CANDIDATES`): with many, one would fit by chance. Every change
is reported as an :class:`OCRCorrection` with its position and the alternatives the model gave.

The format knows two more characters no check digit covers: a document code's first letter (ICAO 9303
starts TD1 and TD2 codes with A, C or I, passports' with P, visas' with V) and the sex (M, F, X or a
filler). A first letter the format does not use, or a sex that is none of these, is changed only to the
one usual character among those the model weighed there; the second engine must still confirm it
(:mod:`checkpoint.ocr.verify`), like every unchecked character.

Where the model weighed nothing that fits, two other opinions on a cell are heard: the second engine's
reading (:mod:`checkpoint.ocr.verify`), unless the print looks clearly more like our own character,
and the OCR-B character the print matches clearly best (:mod:`checkpoint.ocr.glyphs`). A cell read
right is intact print of our character, so neither overrules one. They settle a check digit only as
the model's alternatives do, and only where the one substitution among few makes every check digit
covering the cell agree, the field's and the composite one both having disagreed
(:func:`settle_by_opinions`). The composite is no independent second check within one field: its 7-3-1
weights run in step with the field's, so a change three cells away fits both alike (and in a document
number, which starts the composite, every change that fits one fits both); it does rule out changes
in step with neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from checkpoint.mrz.checkdigit import fast_check_digit
from checkpoint.mrz.layouts import (
    ALNUM,
    ALPHA,
    DIGIT,
    DOCUMENT_LETTERS,
    LAYOUTS,
    NUMERIC,
    SEX,
    SEXES,
    Check,
    Layout,
)

if TYPE_CHECKING:
    from checkpoint.mrz.result import MRZResult

LETTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ<")
DIGITS: Final = frozenset("0123456789<")
ALLOWED: Final[dict[str, frozenset[str]]] = {
    ALPHA: LETTERS,
    NUMERIC: DIGITS,
    DIGIT: DIGITS,
    ALNUM: LETTERS | DIGITS,
    SEX: SEXES,
}
# At most this many substitutions are tried for one check digit: each fits by chance one time in ten.
MAX_CANDIDATES: Final = 4
# Who proposed a correction (:attr:`OCRCorrection.by`).
BY_MODEL: Final = "model"
BY_OPINIONS: Final = "second opinions"
BY_CREASE: Final = "restored print"


@dataclass(frozen=True, slots=True)
class OCRCorrection:
    """A character the reading step changed: 1-based ``line``, 0-based ``column``, ``from_`` -> ``to``,
    the ``field`` whose check digit confirms it (``document_code`` for a document code's first letter
    and ``sex`` for the sex, which the format confirms; for a character a crease took, the field that
    holds it), the characters weighed there (``alternatives``: our reading first), and ``by`` whom they
    were proposed: our ``model`` (its alternatives, best first), the ``second opinions`` (the second
    engine's reading and the character the print matches best), or the ``restored print`` (the line read
    again with the ink a crease faded restored, which the second engine then confirms where no check
    digit does).
    """

    line: int
    column: int
    from_: str
    to: str
    field: str
    alternatives: str
    by: str = BY_MODEL

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form ``{"line", "column", "from", "to", "field", "alternatives", "by"}``."""
        return {
            "line": self.line,
            "column": self.column,
            "from": self.from_,
            "to": self.to,
            "field": self.field,
            "alternatives": self.alternatives,
            "by": self.by,
        }


def _kind(layout: Layout, line: int, column: int) -> str:
    span = layout.span_at(line, column)
    return ALNUM if span is None else span.kind


def allowed_at(layout: Layout, line: int, column: int) -> frozenset[str]:
    """Return the characters the field at ``line``, ``column`` of ``layout`` may hold."""
    return ALLOWED.get(_kind(layout, line, column), LETTERS | DIGITS)


def _fits(check: Check, rows: Sequence[str]) -> bool:
    data = "".join(rows[line][start:end] for line, start, end in check.parts)
    digit = rows[check.line][check.pos]
    return fast_check_digit(data) == ("0" if digit == "<" else digit)


def covers(check: Check, line: int, column: int) -> bool:
    """True when ``check`` covers the cell at ``line``, ``column``: its digit or a character of its data."""
    return (check.line, check.pos) == (line, column) or any(
        part_line == line and start <= column < end for part_line, start, end in check.parts
    )


def _confirmed(
    layout: Layout,
    check: Check,
    before: Sequence[str],
    after: Sequence[str],
    line: int,
    column: int,
    confirmations: int,
) -> bool:
    """True when the substitution at ``line``, ``column`` that turns ``before`` into ``after`` makes
    ``check`` agree and, past one confirmation, every check digit covering the cell agree, at least
    ``confirmations`` of them having disagreed before."""
    if confirmations == 1:
        return _fits(check, after)
    covering = [other for other in layout.checks if covers(other, line, column)]
    disagreed = sum(not _fits(other, before) for other in covering)
    return disagreed >= confirmations and all(_fits(other, after) for other in covering)


def _settle_checks(
    result: MRZResult,
    layout: Layout,
    alternatives: Sequence[Sequence[str] | None],
    confirmations: int,
    by: str,
) -> tuple[list[str], list[OCRCorrection]]:
    """Settle each of ``result``'s disagreeing check digits through ``alternatives`` (see
    :func:`settle_by_choices`), a substitution counting when ``confirmations`` check digits confirm it
    (:func:`_confirmed`)."""
    rows = list(result.lines)
    corrections: list[OCRCorrection] = []
    for check in layout.checks:
        if result.checks.get(check.name, True) or _fits(check, rows):
            continue
        cells = [(line, column) for line, start, end in check.parts for column in range(start, end)]
        cells.append((check.line, check.pos))
        candidates: list[tuple[int, int, str, str]] = []
        for line, column in cells:
            weighed = alternatives[line] if line < len(alternatives) else None
            if weighed is None or len(weighed) != len(rows[line]):
                continue
            allowed = allowed_at(layout, line, column)
            current = rows[line][column]
            for char in dict.fromkeys(weighed[column][1:]):
                if char != current and char in allowed:
                    candidates.append((line, column, char, weighed[column]))
        if not candidates or len(candidates) > MAX_CANDIDATES:
            continue
        fitting = []
        for line, column, char, weighed_here in candidates:
            trial = list(rows)
            trial[line] = trial[line][:column] + char + trial[line][column + 1 :]
            if _confirmed(layout, check, rows, trial, line, column, confirmations):
                fitting.append((trial, line, column, char, weighed_here))
        if len(fitting) != 1:
            continue
        trial, line, column, char, weighed_here = fitting[0]
        corrections.append(
            OCRCorrection(line + 1, column, rows[line][column], char, check.name, weighed_here, by)
        )
        rows = trial
    return rows, corrections


def settle_by_choices(
    result: MRZResult, alternatives: Sequence[Sequence[str] | None]
) -> tuple[list[str], list[OCRCorrection]]:
    """Return ``result``'s lines with each disagreeing check digit, a document code's unusual first
    letter and a sex the format does not allow, settled through the model's ``alternatives`` (per line,
    per character: the characters the model weighed, its own reading first; ``None`` or a list of
    another length when a line's alternatives are not known), and the corrections made. Lines come back
    unchanged, with no corrections, where nothing settles.
    """
    layout = LAYOUTS.get(result.format or "")
    if layout is None or len(result.lines) != layout.line_count:
        return list(result.lines), []
    rows, corrections = _settle_checks(result, layout, alternatives, 1, BY_MODEL)
    for field, usual in (("document_code", DOCUMENT_LETTERS.get(layout.name, "")), ("sex", SEXES)):
        found = _usual_letter(layout, field, usual, rows, alternatives)
        if found is not None:
            line = found.line - 1
            rows[line] = rows[line][: found.column] + found.to + rows[line][found.column + 1 :]
            corrections.append(found)
    return rows, corrections


def settle_by_opinions(
    result: MRZResult, opinions: Sequence[Sequence[str] | None]
) -> tuple[list[str], list[OCRCorrection]]:
    """Return ``result``'s lines with each disagreeing check digit settled through second ``opinions``
    (per line, per character: our reading first, then the characters the second engine and the print
    put there; ``None`` or a list of another length when not known), and the corrections made.

    As :func:`settle_by_choices`, but a substitution counts only when every check digit covering the
    cell agrees after it and at least two of them (a field's and the composite) disagreed before.
    Formats without a composite check digit (visas) are left as they are.
    """
    layout = LAYOUTS.get(result.format or "")
    if layout is None or len(result.lines) != layout.line_count:
        return list(result.lines), []
    return _settle_checks(result, layout, opinions, 2, BY_OPINIONS)


def _usual_letter(
    layout: Layout,
    field: str,
    usual: Iterable[str],
    rows: Sequence[str],
    alternatives: Sequence[Sequence[str] | None],
) -> OCRCorrection | None:
    """The correction of the first character of ``field`` when it is none of the ``usual`` ones and
    exactly one of the characters the model weighed there is; ``None`` otherwise (and for a layout
    without the field)."""
    span = layout.fields.get(field)
    if span is None:
        return None
    letters = frozenset(usual)
    current = rows[span.line][span.start]
    weighed = alternatives[span.line] if span.line < len(alternatives) else None
    if not letters or current in letters or weighed is None or len(weighed) != len(rows[span.line]):
        return None
    found = [char for char in dict.fromkeys(weighed[span.start][1:]) if char in letters]
    if len(found) != 1:
        return None
    return OCRCorrection(span.line + 1, span.start, current, found[0], field, weighed[span.start])
