"""Settle a check digit that disagrees with the characters the model itself weighed.

Tesseract's LSTM gives, per symbol, the characters it considered (``lstm_choice_mode``; see
:func:`checkpoint.ocr.engine.read_line`). When a field's check digit disagrees after the MRZ library's
own repair (look-alikes by field type, then one look-alike substitution if exactly one fits), the
reading step tries the model's own second choices at the cells that check digit covers: only characters
the field's kind allows there (digits in dates and check digits, letters in codes), one substitution
at a time. A substitution is kept only when it is the one candidate that makes the check digit agree,
and the candidates were few (:data:`MAX_CANDIDATES`): with many, one would fit by chance. Every change
is reported as an :class:`OCRCorrection` with its position and the alternatives the model gave.

The format knows one more character no check digit covers: a document code's first letter (ICAO 9303
starts TD1 and TD2 codes with A, C or I, passports' with P, visas' with V). A first letter the format
does not use is changed only to the one usual letter among those the model weighed there; the second
engine must still confirm it (:mod:`checkpoint.ocr.verify`), like every unchecked character.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(frozen=True, slots=True)
class OCRCorrection:
    """A character the reading step changed: 1-based ``line``, 0-based ``column``, ``from_`` -> ``to``,
    the ``field`` whose check digit confirms it (``document_code`` for a document code's first letter,
    which the format confirms), and the model's ``alternatives`` there (best first).
    """

    line: int
    column: int
    from_: str
    to: str
    field: str
    alternatives: str

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form ``{"line", "column", "from", "to", "field", "alternatives"}``."""
        return {
            "line": self.line,
            "column": self.column,
            "from": self.from_,
            "to": self.to,
            "field": self.field,
            "alternatives": self.alternatives,
        }


def _kind(layout: Layout, line: int, column: int) -> str:
    for span in layout.fields.values():
        if span.line == line and span.start <= column < span.end:
            return span.kind
    return ALNUM


def _fits(check: Check, rows: Sequence[str]) -> bool:
    data = "".join(rows[line][start:end] for line, start, end in check.parts)
    digit = rows[check.line][check.pos]
    return fast_check_digit(data) == ("0" if digit == "<" else digit)


def settle_by_choices(
    result: MRZResult, alternatives: Sequence[Sequence[str] | None]
) -> tuple[list[str], list[OCRCorrection]]:
    """Return ``result``'s lines with each disagreeing check digit, and a document code's unusual first
    letter, settled through the model's ``alternatives`` (per line, per character: the characters the
    model weighed, its own reading first; ``None`` or a list of another length when a line's
    alternatives are not known), and the corrections made. Lines come back unchanged, with no
    corrections, where nothing settles.
    """
    layout = LAYOUTS.get(result.format or "")
    rows = list(result.lines)
    if layout is None or len(rows) != layout.line_count:
        return rows, []
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
            allowed = ALLOWED.get(_kind(layout, line, column), LETTERS | DIGITS)
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
            if _fits(check, trial):
                fitting.append((trial, line, column, char, weighed_here))
        if len(fitting) != 1:
            continue
        trial, line, column, char, weighed_here = fitting[0]
        corrections.append(
            OCRCorrection(line + 1, column, rows[line][column], char, check.name, weighed_here)
        )
        rows = trial
    code = _usual_document_code(layout, rows, alternatives)
    if code is not None:
        line = code.line - 1
        rows[line] = rows[line][: code.column] + code.to + rows[line][code.column + 1 :]
        corrections.append(code)
    return rows, corrections


def _usual_document_code(
    layout: Layout, rows: Sequence[str], alternatives: Sequence[Sequence[str] | None]
) -> OCRCorrection | None:
    """The correction of a document code's first letter that the format does not use, when exactly one
    of the letters the model weighed there is one it uses; ``None`` otherwise."""
    letters = DOCUMENT_LETTERS.get(layout.name, "")
    span = layout.fields["document_code"]
    current = rows[span.line][span.start]
    weighed = alternatives[span.line] if span.line < len(alternatives) else None
    if not letters or current in letters or weighed is None or len(weighed) != len(rows[span.line]):
        return None
    usual = [char for char in dict.fromkeys(weighed[span.start][1:]) if char in letters]
    if len(usual) != 1:
        return None
    return OCRCorrection(span.line + 1, span.start, current, usual[0], "document_code", weighed[span.start])
