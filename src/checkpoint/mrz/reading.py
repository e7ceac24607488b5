"""Turn what a caller hands to :func:`parse` into MRZ lines: exact (strict) or found in text (lenient)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, cast

from checkpoint.mrz import problems as P
from checkpoint.mrz.errors import MRZFormatError
from checkpoint.mrz.layouts import Layout, layout_for, licence_layout
from checkpoint.mrz.problems import Problem

MRZ_LINE: Final = re.compile(r"[0-9A-Z<]+")
_WHITESPACE: Final = re.compile(r"\s+")
_ODD_CHARACTER: Final = re.compile(r"[^0-9A-Z<]")
_ESCAPED_FILLER: Final = re.compile(r"&lt;?", re.IGNORECASE)
# Lines this many characters short of or over a format's length are still taken (fillers added/removed).
_SLACK: Final = 2
LENGTHS: Final = (30, 36, 44)
LINES_PER_LENGTH: Final = {30: 3, 36: 2, 44: 2}
# Lines of these exact lengths are MRZ lines run together (OCR or a reader that drops line breaks).
_MERGED: Final = {90: (30, 3), 72: (36, 2), 88: (44, 2)}
TO_LETTER: Final = str.maketrans("012568", "OIZSGB")
# Enough to find an MRZ in a page of OCR text; bounds the work on pathological input.
_MAX_WINDOWS: Final = 64

#: Stands in the lines for a character that is no MRZ character (kept so that its position is reported).
ODD: Final = "?"
# A line with more characters than this that are no MRZ characters is text, not a damaged MRZ line.
_MAX_ODD: Final = 2

SHAPES: Final = (
    "2 lines of 44 (TD3, MRV-A), 2 of 36 (TD2, MRV-B, French ID) or 3 of 30 (TD1) characters 0-9 A-Z <"
    " (or a driving licence: 3 lines of 9, 30 and 30, Swiss; 1 line of 30, French)"
)


MAX_INPUT: Final = 64 * 1024
"""The most characters a lenient parse looks at: an MRZ with the text an OCR page read puts around it is
a few kilobytes; more is no MRZ, and a bound keeps a parse of hostile input fast."""
MAX_STRICT_INPUT: Final = 3 * (44 + 2)
"""The most characters exact ICAO lines take (three lines with CR LF; TD3's two are fewer)."""


def input_size(text_or_lines: object) -> int:
    """Return how many characters the input holds (0 for what is neither text nor lines of text),
    stopping early past MAX_INPUT."""
    if isinstance(text_or_lines, str):
        return len(text_or_lines)
    if not isinstance(text_or_lines, Sequence):
        return 0
    total = 0
    for item in text_or_lines:
        total += len(item) + 1 if isinstance(item, str) else 0
        if total > MAX_INPUT:
            break
    return total


def split_input(text_or_lines: object) -> list[str] | None:
    """Return the input's lines (a string split at line breaks, or each string of a sequence split),
    or ``None`` when it is neither a string nor a sequence of strings."""
    if isinstance(text_or_lines, str):
        return text_or_lines.splitlines()
    # A list or tuple (what readers give) skips the slower check against the Sequence ABC.
    if type(text_or_lines) not in (list, tuple) and not isinstance(text_or_lines, Sequence):
        return None
    lines: list[str] = []
    for item in cast("Sequence[object]", text_or_lines):
        if not isinstance(item, str):
            return None
        lines.extend(item.splitlines() or [""])
    return lines


def exact_layout(lines: Sequence[str], lenient: bool = False) -> Layout | None:
    """Return the layout when ``lines`` are exactly the lines of a known format, else ``None``.

    ``lenient`` reads digits in the document code and issuing state as their look-alike letters
    (``1DFRA`` is a French ID card) when choosing the layout.
    """
    count = len(lines)
    if not 1 <= count <= 3 or not lines[0]:
        return None
    # One regular-expression match over all the lines (none holds a line break): the hot path.
    if MRZ_LINE.fullmatch("".join(lines)) is None:
        return None
    first = lines[0]
    length = len(first)
    if count == 1 or len(lines[1]) != length or (count == 3 and len(lines[2]) != length):
        # No travel document has these shapes: a driving licence or nothing.
        return licence_layout(lines)
    if lenient and first[0].isdigit():
        # "1DFRA" is a French card read by OCR. Only the first character can change the layout: no
        # digit looks like the other letters layout_for looks at (D, F, R, A, V).
        first = first[:5].translate(TO_LETTER)
    return layout_for(count, length, first)


def strict_lines(text_or_lines: object) -> tuple[Layout, list[str]]:
    """Return the layout and lines of input that must be exact ICAO lines.

    A string may end with one line break and use ``\\r\\n``; nothing else is forgiven.
    Raises :class:`MRZFormatError` saying what is wrong and where.
    """
    size = input_size(text_or_lines)
    if size > MAX_STRICT_INPUT:
        shown = f"more than {MAX_INPUT}" if size > MAX_INPUT else str(size)
        raise MRZFormatError(
            f"the input is {shown} characters: exact ICAO lines are at most {MAX_STRICT_INPUT} (3 x 44 and line"
            " breaks)"
        )
    if isinstance(text_or_lines, str):
        lines = text_or_lines.split("\n")
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
        lines = [line.removesuffix("\r") for line in lines]
    elif isinstance(text_or_lines, Sequence) and all(isinstance(x, str) for x in text_or_lines):
        lines = list(text_or_lines)
    else:
        raise MRZFormatError(
            f"expected a string or a sequence of strings, not {type(text_or_lines).__name__}"
        )
    layout = exact_layout(lines)
    if layout is not None:
        return layout, lines
    for n, line in enumerate(lines, 1):
        bad = next((i for i, c in enumerate(line) if c not in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"), -1)
        if bad >= 0:
            char = line[bad].encode("unicode_escape").decode("ascii")
            raise MRZFormatError(f"line {n}, column {bad}: {char!r} is not an MRZ character (0-9, A-Z, <)")
    lengths = ", ".join(str(len(line)) for line in lines) or "none"
    raise MRZFormatError(f"expected {SHAPES}; got {len(lines)} line(s) of length {lengths}")


#: A change made while reading a line: (warning code, start column, end column, message); ``None``
#: columns stand for the whole line.
Note = tuple[str, int | None, int | None, str]


@dataclass(frozen=True, slots=True)
class Window:
    """Candidate MRZ lines found in lenient input, with what was changed to read them."""

    layout: Layout
    lines: list[str]
    input_lines: tuple[int, ...]  # 0-based indexes of the input lines used
    warnings: tuple[Problem, ...]
    odd: tuple[tuple[int, int, str], ...] = ()  # (line, column, character) of non-MRZ characters


@dataclass(slots=True)
class _Candidate:
    index: int
    text: str
    notes: list[Note]
    odd: list[str] | None = None  # the characters shown as ODD in ``text``, left to right


def normalise(line: str) -> tuple[str, list[Note]]:
    """Return ``line`` as MRZ text (unescaped fillers, capitals, no spaces) and what was changed."""
    notes: list[Note] = []
    text = line.strip()
    if "&" in text:
        unescaped = _ESCAPED_FILLER.sub("<", text)
        if unescaped != text:
            notes.append((P.UNESCAPED_TEXT, None, None, "read '&lt;' as the filler '<'"))
            text = unescaped
    if "\u00ab" in text or "\u2039" in text:
        notes.append((P.UNESCAPED_TEXT, None, None, "read '\u00ab' as '<<' and '\u2039' as '<'"))
        text = text.replace("\u00ab", "<<").replace("\u2039", "<")
    upper = text.upper()
    if upper != text:
        notes.append((P.NORMALISED_CASE, None, None, "read lowercase letters as capitals"))
    squeezed = _WHITESPACE.sub("", upper)
    if squeezed != upper:
        notes.append((P.REMOVED_WHITESPACE, None, None, "removed spaces inside the line"))
    return squeezed, notes


def _fit(text: str, notes: list[Note], merge: bool = True) -> list[_Candidate] | None:
    for length in LENGTHS:
        if len(text) < length - _SLACK or len(text) > length + _SLACK:
            continue
        fitted_notes = list(notes)
        if len(text) < length:
            fitted_notes.append(
                (P.PADDED_LINE, len(text), length, f"added {length - len(text)} missing trailing filler(s)")
            )
            text = text + "<" * (length - len(text))
        elif len(text) > length:
            if text[length:].strip("<"):
                return None
            fitted_notes.append(
                (P.TRIMMED_LINE, length, length, f"removed {len(text) - length} surplus filler(s)")
            )
            text = text[:length]
        return [_Candidate(-1, text, fitted_notes)]
    merged = _MERGED.get(len(text)) if merge else None
    if merged is not None:
        length, count = merged
        note = (P.SPLIT_LINE, None, None, f"split a line of {len(text)} characters into {count} MRZ lines")
        return [_Candidate(-1, text[i * length : (i + 1) * length], [*notes, note]) for i in range(count)]
    return None


def note_warnings(notes_per_line: Sequence[Sequence[Note]], length: int | Sequence[int]) -> list[Problem]:
    """Return the warnings for what was changed while reading each line (line numbers from 1); a note
    without columns covers its whole line: ``length`` long, or ``length[n]`` when the lines differ."""
    lengths = [length] * len(notes_per_line) if isinstance(length, int) else length
    return [
        Problem(code, "mrz", n, 0 if start is None else start, size if end is None else end, message)
        for n, (notes, size) in enumerate(zip(notes_per_line, lengths, strict=True), 1)
        for code, start, end, message in notes
    ]


def find_windows(raw_lines: Sequence[str]) -> list[Window]:
    """Return every run of consecutive lines in ``raw_lines`` that has the shape of a known MRZ format.

    Lines that cannot be MRZ lines are skipped, so noise between MRZ lines does not hide them.
    """
    runs: list[list[_Candidate]] = []
    run: list[_Candidate] = []
    for index, line in enumerate(raw_lines):
        read = _candidate(index, line, LENGTHS[0] - _SLACK)
        if read is None:
            continue
        fitted = _fit(read.text, read.notes, merge=read.odd is None)
        if fitted is None:
            continue  # OCR noise may sit even between the MRZ lines
        for candidate in fitted:
            candidate.index = index
            candidate.odd = read.odd
            if run and len(run[-1].text) != len(candidate.text):
                runs.append(run)
                run = []
            run.append(candidate)
    if run:
        runs.append(run)
    windows: list[Window] = []
    for run in runs:
        length = len(run[0].text)
        count = LINES_PER_LENGTH[length]
        for first in range(len(run) - count + 1):
            chosen = run[first : first + count]
            lines = [c.text for c in chosen]
            layout = layout_for(count, length, lines[0][:5].translate(TO_LETTER))
            if layout is None:
                continue
            windows.append(_window(layout, chosen))
            if len(windows) >= _MAX_WINDOWS:
                return windows
    return windows


def _candidate(index: int, line: str, minimum: int) -> _Candidate | None:
    """Return input line ``index`` normalised, its non-MRZ characters shown as :data:`ODD`, or ``None``
    when it is blank, holds too many of them to be a damaged MRZ line, or is shorter than ``minimum``."""
    text, notes = normalise(line)
    if not text:
        return None
    odd: list[str] | None = None
    if MRZ_LINE.fullmatch(text) is None:
        odd = _ODD_CHARACTER.findall(text)
        if len(odd) > _MAX_ODD or len(text) < minimum:
            return None
        text = _ODD_CHARACTER.sub(ODD, text)
    return _Candidate(index, text, notes, odd)


def _window(layout: Layout, chosen: Sequence[_Candidate]) -> Window:
    """Return the window of ``layout`` read from the candidate lines ``chosen``."""
    warnings = tuple(note_warnings([c.notes for c in chosen], [len(c.text) for c in chosen]))
    odd_positions = tuple(
        (n, col, char)
        for n, c in enumerate(chosen)
        if c.odd
        for col, char in zip((i for i, x in enumerate(c.text) if x == ODD), c.odd, strict=False)
    )
    return Window(
        layout, [c.text for c in chosen], tuple(sorted({c.index for c in chosen})), warnings, odd_positions
    )


def find_licence(raw_lines: Sequence[str]) -> Window | None:
    """Return the driving licence in ``raw_lines`` (normalised as :func:`find_windows` does, each line
    at its exact length), or ``None``. Looked for only where no travel document was found.
    """
    candidates = [c for index, line in enumerate(raw_lines) if (c := _candidate(index, line, 0)) is not None]
    for count in (3, 1):
        for first in range(len(candidates) - count + 1):
            chosen = candidates[first : first + count]
            layout = licence_layout([c.text for c in chosen])
            if layout is not None:
                return _window(layout, chosen)
    return None


def ignored_text_warning(raw_lines: Sequence[str], used: tuple[int, ...]) -> Problem | None:
    """Return the warning that lists the non-blank input lines outside the MRZ, or ``None``."""
    ignored = [n + 1 for n, line in enumerate(raw_lines) if n not in used and line.strip()]
    if not ignored:
        return None
    listed = ", ".join(map(str, ignored[:10])) + (" ..." if len(ignored) > 10 else "")
    return Problem(
        P.IGNORED_TEXT,
        "mrz",
        None,
        None,
        None,
        f"ignored {len(ignored)} input line(s) around the MRZ: {listed}",
    )


def no_mrz_problem(raw_lines: Sequence[str]) -> Problem:
    """Return the ``no_mrz`` error describing what the input held instead."""
    texts = [line.strip() for line in raw_lines if line.strip()]
    longest = max((len(t) for t in texts), default=0)
    return Problem(
        P.NO_MRZ,
        "mrz",
        None,
        None,
        None,
        f"no MRZ found: expected {SHAPES}; the input has {len(texts)} non-empty line(s), the longest"
        f" {longest} characters",
    )
