"""Last resort of the lenient reader: MRZ lines too long, too short or run together beyond the slack
that :func:`checkpoint.mrz.reading.find_windows` forgives.

It runs only when no window was found, so clean and mildly damaged input never comes here. Each line is
fitted to the format's length in the few ways OCR damages a line, and a fitting is kept only when it is
the one reading that the document itself confirms:

- a line with check digits (the data lines) may have lost or gained up to :data:`_MAX_DATA_SHIFT`
  characters: at its end, as stray characters before it, or as fillers dropped or doubled in a run;
  every fitting is tried, and one is kept only when it is the only one whose check digits all agree
  (after the usual OCR repair);
- a name line has no check digit, so it is only padded or cut at its end, and only when its name field
  then ends in three or more fillers: ICAO names never hold ``<<<``, so the name is complete and
  nothing but fillers was added or junk after the field removed.

MRZ lines run together with spaces between them are split at the spaces first. Every change is
reported as a ``padded_line``, ``trimmed_line`` or ``split_line`` warning at its line and column.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from itertools import product
from typing import Final

from checkpoint.mrz import problems as P
from checkpoint.mrz.decode import decode
from checkpoint.mrz.layouts import NAME_END, NAME_FIELDS, Layout, layout_for
from checkpoint.mrz.problems import Problem
from checkpoint.mrz.reading import (
    LENGTHS,
    LINES_PER_LENGTH,
    MRZ_LINE,
    TO_LETTER,
    Note,
    Window,
    normalise,
    note_warnings,
)
from checkpoint.mrz.repair import fix_filler_tails, fix_types, search

# How far a name line may be from the format's length (PassportEye's cleaner test: 10 characters of junk).
_MAX_NAME_SHIFT: Final = 12
# How far a data line may be: every extra character multiplies the fittings that the check digits judge.
_MAX_DATA_SHIFT: Final = 4
# Groups of lines tried per input: bounds the work on a page of text that is no MRZ.
_MAX_GROUPS: Final = 64

# (fitted text, the warning's code, start column, end column, message) of one way to fit a line
_Fitting = tuple[str, str | None, int, int, str]


def _filler_runs(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, length) of each run of fillers in ``text``."""
    i = 0
    while i < len(text):
        if text[i] == "<":
            j = i
            while j < len(text) and text[j] == "<":
                j += 1
            yield i, j - i
            i = j
        else:
            i += 1


def _end_fittings(text: str, length: int) -> list[_Fitting]:
    k = len(text) - length
    if k == 0:
        return [(text, None, 0, 0, "")]
    if k < 0:
        return [(text + "<" * -k, P.PADDED_LINE, len(text), length, f"added {-k} missing trailing filler(s)")]
    return [(text[:length], P.TRIMMED_LINE, length, length, f"removed {k} character(s) after the line's end")]


def _data_fittings(text: str, length: int) -> list[_Fitting]:
    k = len(text) - length
    fittings = _end_fittings(text, length)
    if k == 0:
        return fittings
    agree = "the one fitting whose check digits agree"
    if k > 0:
        fittings.append(
            (text[k:], P.TRIMMED_LINE, 0, 0, f"removed {k} stray character(s) before the line: {agree}")
        )
    for start, run in _filler_runs(text):
        if k < 0:
            fitted = text[:start] + "<" * -k + text[start:]
            message = f"inserted {-k} missing filler(s) at column {start}: {agree}"
            fittings.append((fitted, P.PADDED_LINE, start, start - k, message))
        elif run >= k:
            fitted = text[:start] + text[start + k :]
            message = f"removed {k} surplus filler(s) at column {start}: {agree}"
            fittings.append((fitted, P.TRIMMED_LINE, start, start, message))
    return fittings


def _pieces(line: str) -> list[tuple[str, list[Note]]]:
    """Return the texts of one input line: the MRZ lines it holds when it is several run together
    with spaces between them, else the line itself."""
    text, notes = normalise(line)
    words = line.split()
    if len(words) in (2, 3):
        words = [normalise(w)[0] for w in words]
        length = len(words[0])
        if (
            length in LINES_PER_LENGTH
            and LINES_PER_LENGTH[length] == len(words)
            and all(len(w) == length for w in words[:-1])
            and "".join(words) == text
        ):
            note = (P.SPLIT_LINE, None, None, f"split a line at its spaces into {len(words)} MRZ lines")
            kept = [n for n in notes if n[0] != P.REMOVED_WHITESPACE]
            return [(w, [*kept, note]) for w in words]
    return [(text, notes)]


def _checked_lines(layout: Layout) -> frozenset[int]:
    return frozenset({c.line for c in layout.checks} | {ln for c in layout.checks for ln, _, _ in c.parts})


def _confirmed(layout: Layout, lines: list[str], names_refitted: bool, today: date) -> tuple[str, ...] | None:
    """Return the repaired lines when the document confirms ``lines`` (every check digit agrees after
    OCR repair and, when a name line was refitted, its name field ends in fillers), else ``None``."""
    lines, _ = fix_filler_tails(layout, lines)
    lines, _ = fix_types(layout, lines)
    decoded = decode(layout, lines, today)
    if not all(decoded.checks.values()):
        lines, found, ambiguities = search(layout, lines, decoded.checks)
        if ambiguities or not found:
            return None
        decoded = decode(layout, lines, today)
    if names_refitted:
        for name in NAME_FIELDS:
            span = layout.fields.get(name)
            if span is not None and not lines[span.line][: span.end].endswith(NAME_END):
                return None
    return tuple(lines) if decoded.checks and all(decoded.checks.values()) else None


def _fit_group(
    group: Sequence[tuple[int, str, list[Note]]], length: int, today: date
) -> tuple[Layout, list[str], list[Problem]] | None:
    first = group[0][1]
    layout = layout_for(len(group), length, first[:5].translate(TO_LETTER))
    if layout is None:
        return None
    checked = _checked_lines(layout)
    options: list[list[_Fitting]] = []
    for n, (_, text, _) in enumerate(group):
        shift = abs(len(text) - length)
        if n in checked:
            if shift > _MAX_DATA_SHIFT:
                return None
            options.append(_data_fittings(text, length))
        else:
            options.append(_end_fittings(text, length))
    names_refitted = any(len(text) != length for n, (_, text, _) in enumerate(group) if n not in checked)
    # Keyed by the repaired reading: fillers inserted into either end of a run of fillers and
    # filler look-alikes (``<<<<LLLL<<``) are one reading, not an ambiguity.
    confirmed: dict[tuple[str, ...], tuple[_Fitting, ...]] = {}
    for choice in product(*options):
        reading = _confirmed(layout, [f[0] for f in choice], names_refitted, today)
        if reading is not None:
            confirmed.setdefault(reading, choice)
    if len(confirmed) != 1:
        return None  # nothing fits, or several readings do: no guessing
    (choice,) = confirmed.values()
    warnings = note_warnings([notes for _, _, notes in group], length)
    warnings.extend(
        Problem(code, "mrz", n, start, end, message)
        for n, (_, code, start, end, message) in enumerate(choice, 1)
        if code is not None
    )
    return layout, [f[0] for f in choice], warnings


def find_damaged_window(raw_lines: Sequence[str], today: date) -> Window | None:
    """Return the one window that damaged lines in ``raw_lines`` fit with every check digit agreeing,
    or ``None`` when there is none or more than one reading fits."""
    texts = [
        (index, text, notes)
        for index, line in enumerate(raw_lines)
        if line.strip()
        for text, notes in _pieces(line)
        if MRZ_LINE.fullmatch(text) is not None
    ]
    tried = 0
    for length in LENGTHS:
        near = [t for t in texts if abs(len(t[1]) - length) <= _MAX_NAME_SHIFT]
        count = LINES_PER_LENGTH[length]
        for first in range(len(near) - count + 1):
            tried += 1
            if tried > _MAX_GROUPS:
                return None
            group = near[first : first + count]
            fitted = _fit_group(group, length, today)
            if fitted is not None:
                layout, lines, warnings = fitted
                return Window(layout, lines, tuple(sorted({t[0] for t in group})), tuple(warnings))
    return None
