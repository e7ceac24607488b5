"""``parse``: from text or lines to an :class:`MRZResult` (strict or lenient, with OCR repair)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import date, datetime
from types import MappingProxyType

from checkpoint.mrz import problems as P
from checkpoint.mrz.decode import Decoded, decode
from checkpoint.mrz.errors import MRZError
from checkpoint.mrz.fastpath import fast_parse
from checkpoint.mrz.layouts import DOCUMENT_LETTERS, Layout
from checkpoint.mrz.problems import Correction, Problem
from checkpoint.mrz.reading import (
    MAX_INPUT,
    Window,
    exact_layout,
    find_licence,
    find_windows,
    ignored_text_warning,
    input_size,
    no_mrz_problem,
    split_input,
    strict_lines,
)
from checkpoint.mrz.realign import find_damaged_window
from checkpoint.mrz.repair import fix_filler_tails, fix_types, search
from checkpoint.mrz.result import MRZResult

logger = logging.getLogger(__name__)


# date.today() asks the clock and the time zone; a parse needs the day, which changes far less often.
_today_cache: tuple[int, date] = (-1, date.min)


def _today() -> date:
    """Return the local date, looked up again when the second changes."""
    global _today_cache
    second = int(time.time())
    if _today_cache[0] != second:
        _today_cache = (second, date.today())
    return _today_cache[1]


def _reference_day(today: object) -> date:
    if today is None:
        return _today()
    if isinstance(today, datetime):
        return today.date()
    if isinstance(today, date):
        return today
    raise MRZError(f"today must be a datetime.date, not {type(today).__name__}")


def _result(
    layout: Layout | None,
    lines: Sequence[str],
    decoded: Decoded,
    warnings: Sequence[Problem] = (),
    corrections: Sequence[Correction] = (),
) -> MRZResult:
    return MRZResult(
        format=None if layout is None else layout.name,
        document_code=decoded.document_code,
        issuing_state=decoded.issuing_state,
        surname=decoded.surname,
        given_names=decoded.given_names,
        document_number=decoded.document_number,
        nationality=decoded.nationality,
        birth_date=decoded.birth_date,
        sex=decoded.sex,
        expiry_date=decoded.expiry_date,
        optional_data=decoded.optional_data,
        optional_data_2=decoded.optional_data_2,
        checks=MappingProxyType(decoded.checks),
        errors=tuple(decoded.errors),
        warnings=(*warnings, *decoded.warnings),
        corrections=tuple(corrections),
        lines=tuple(lines),
    )


def _invalid(problem: Problem) -> MRZResult:
    decoded = Decoded()
    decoded.errors.append(problem)
    return _result(None, (), decoded)


def _repair_warnings(corrections: list[Correction]) -> list[Problem]:
    by_field: dict[str, list[Correction]] = {}
    for c in corrections:
        by_field.setdefault(c.field, []).append(c)
    return [
        Problem(
            P.OCR_REPAIR,
            name,
            group[0].line,
            min(c.column for c in group),
            max(c.column for c in group) + 1,
            f"{len(group)} character(s) read by OCR were replaced: "
            + ", ".join(f"{c.from_}->{c.to} at column {c.column}" for c in group),
        )
        for name, group in by_field.items()
    ]


def _odd_characters(
    layout: Layout, odd: tuple[tuple[int, int, str], ...], known: list[Problem]
) -> list[Problem]:
    """Return an ``invalid_character`` error for each non-MRZ character not already reported."""
    seen = {(p.line, p.start) for p in known if p.code == P.INVALID_CHARACTER}
    problems = []
    for line, col, char in odd:
        if (line + 1, col) in seen:
            continue
        span = layout.span_at(line, col)
        shown = char.encode("unicode_escape").decode("ascii")
        problems.append(
            Problem(
                P.INVALID_CHARACTER,
                "mrz" if span is None else span.name,
                line + 1,
                col,
                col + 1,
                f"{shown!r} is not an MRZ character (0-9, A-Z, <); it shows as '?' in the lines",
            )
        )
    return problems


def _repair(
    layout: Layout, lines: list[str], today: date, earlier: list[Correction]
) -> tuple[list[str], Decoded, list[Correction]]:
    fixed, corrections = fix_types(layout, lines)
    corrections = earlier + corrections
    decoded = decode(layout, fixed, today)
    searched, found, ambiguities = search(layout, fixed, decoded.checks)
    if found:
        decoded = decode(layout, searched, today)
        corrections.extend(found)
    decoded.errors.extend(ambiguities)
    decoded.warnings.extend(_repair_warnings(corrections))
    return searched, decoded, corrections


def _best_window(windows: list[Window], today: date) -> tuple[Window, Decoded]:
    def rank(item: tuple[Window, Decoded]) -> tuple[int, int]:
        window, decoded = item
        letters = DOCUMENT_LETTERS[window.layout.name]
        return len(decoded.errors), 0 if window.lines[0][:1] in letters else 1

    decoded = [(w, decode(w.layout, w.lines, today)) for w in windows]
    return min(decoded, key=rank)


def parse(
    text_or_lines: str | Sequence[str], *, today: date | None = None, strict: bool = False
) -> MRZResult:
    """Parse and validate one machine-readable zone.

    ``text_or_lines`` is one string (lines separated by line breaks) or a sequence of lines. ``today`` is
    the reference day for the century of two-digit years (default: the local date).

    Lenient mode (the default) normalises case, spaces, missing or surplus trailing fillers and stray
    text around the MRZ, refits lines damaged further where the check digits confirm the one reading
    (see :mod:`checkpoint.mrz.realign`), repairs OCR confusions (see :mod:`checkpoint.mrz.repair`) and reports every
    change as a warning or correction; it never raises for any input and returns a result with
    ``format=None`` and a ``no_mrz`` or ``not_text`` error when there is no MRZ.

    Strict mode takes only exact ICAO lines (a string may end with one line break) and repairs nothing.

    Returns an :class:`MRZResult`; ``result.valid`` is true exactly when it has no errors.
    Raises :class:`MRZFormatError` in strict mode when the input is not the lines of a known format, and
    :class:`MRZError` when ``today`` is not a date.
    """
    ref = _today() if today is None else _reference_day(today)
    if strict:
        layout, lines = strict_lines(text_or_lines)
        return fast_parse(layout, lines, ref) or _result(layout, lines, decode(layout, lines, ref))
    if input_size(text_or_lines) > MAX_INPUT:
        return _invalid(
            Problem(
                P.NO_MRZ,
                "mrz",
                None,
                None,
                None,
                f"the input is more than {MAX_INPUT} characters: too much text to hold an MRZ, not searched",
            )
        )
    raw = split_input(text_or_lines)
    if raw is None:
        what = type(text_or_lines).__name__
        return _invalid(
            Problem(
                P.NOT_TEXT, "mrz", None, None, None, f"expected a string or a sequence of strings, not {what}"
            )
        )
    exact = exact_layout(raw, lenient=True)
    warnings: list[Problem] = []
    odd: tuple[tuple[int, int, str], ...] = ()
    if exact is not None:
        layout, lines = exact, raw
        clean = fast_parse(layout, lines, ref)
        if clean is not None:
            return clean
        decoded = decode(layout, lines, ref)
    else:
        windows = find_windows(raw)
        if windows:
            window, decoded = _best_window(windows, ref)
        else:
            # Travel documents first: a driving licence is looked for only where none is found.
            damaged = find_damaged_window(raw, ref) or find_licence(raw)
            if damaged is None:
                return _invalid(no_mrz_problem(raw))
            window, decoded = damaged, decode(damaged.layout, damaged.lines, ref)
        layout, lines, odd = window.layout, window.lines, window.odd
        warnings.extend(window.warnings)
        ignored = ignored_text_warning(raw, window.input_lines)
        if ignored is not None:
            warnings.append(ignored)
    lines, filler_fixes = fix_filler_tails(layout, lines)
    if filler_fixes:
        decoded = decode(layout, lines, ref)
    elif not decoded.errors and not odd:
        return _result(layout, lines, decoded, warnings)
    if decoded.errors:
        lines, decoded, corrections = _repair(layout, lines, ref, filler_fixes)
    else:
        corrections = filler_fixes
        decoded.warnings.extend(_repair_warnings(corrections))
    if odd:
        decoded.errors.extend(_odd_characters(layout, odd, decoded.errors))
    if corrections:
        logger.debug("OCR repair made %d correction(s)", len(corrections))
    return _result(layout, lines, decoded, warnings, corrections)
