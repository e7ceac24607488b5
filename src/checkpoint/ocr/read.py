"""``read_mrz``: page image in, MRZ out.

Pipeline: load (EXIF honoured) -> find the long evenly printed text lines at any angle
(:mod:`checkpoint.ocr.locate`) -> keep the MRZ group (parallel lines of equal length next to each
other) -> decide which way is up by reading the lines both ways -> cut each line level and read it
twice, at two scales, Otsu-thresholded and as grey -> a third reading settles a disagreement -> repair and judge
through :func:`checkpoint.mrz.parse` -> a second engine confirms the characters no check digit covers
(:mod:`checkpoint.ocr.verify`), the print itself settling a disagreement in our favour only where it
clearly shows our character (:mod:`checkpoint.ocr.glyphs`) -> where a crease crosses the MRZ, its lines
are read again with the ink it faded restored (:mod:`checkpoint.ocr.crease`): a character no check digit
covers that then reads otherwise is not vouched for, and a page refused is judged again on the restored
lines (:func:`_read_past_crease`). A page whose first readings already make a valid MRZ that the second
engine confirms is not read a second time. The lines of a page are read side
by side, one Tesseract engine per thread (``READ_THREADS``).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import cv2
import numpy as np

from checkpoint.mrz.layouts import ALNUM, DOCUMENT_LETTERS, LAYOUTS, NAME_END, NAME_FIELDS
from checkpoint.mrz.problems import INVALID_SEX, UNKNOWN_COUNTRY_CODE, UNUSUAL_DOCUMENT_CODE
from checkpoint.ocr.choices import (
    BY_CREASE,
    OCRCorrection,
    allowed_at,
    covers,
    settle_by_choices,
    settle_by_opinions,
)
from checkpoint.ocr.crease import REACH as CREASE_REACH
from checkpoint.ocr.crease import find_crease, restore_crease
from checkpoint.ocr.engine import MODEL_DIR, MODEL_NAME, LineReading, read_line, without_fillers_past_end
from checkpoint.ocr.glyphs import MIN_MATCH, WHOLE_MATCH, print_favours, print_shows
from checkpoint.ocr.image import ImageSource, load_image
from checkpoint.ocr.locate import (
    END_MARGIN,
    Plane,
    TextLine,
    binarise,
    crop_line,
    find_text_lines,
    mrz_plane,
)
from checkpoint.ocr.result import OCRLine, OCRResult
from checkpoint.ocr.verify import (
    VERIFIER_INSTALL_HINT,
    VERIFIER_MODEL,
    Cell,
    Coverage,
    cell_characters,
    checked_choice,
    contested_checked_letters,
    contradicted_digits,
    coverage,
    creased_partners,
    erased_doubts,
    faded_doubts,
    faded_strokes,
    filler_doubts,
    hidden_confusions,
    locally_disputed,
    look_alike_doubts,
    plausible_doubts,
    restored_characters,
    restored_doubts,
    settled_by_print,
    unconfirmed_cells,
    unsettled_twins,
    unshown_by_restored_print,
    unveiled_partners,
    upheld_by_print,
    verifier_dir,
)

if TYPE_CHECKING:
    from checkpoint.mrz.result import MRZResult

log = logging.getLogger(__name__)

MRZ_LENGTHS = (30, 36, 44)
# Lines of one MRZ are parallel, equally long and about 1.8 character heights apart.
MAX_ANGLE_DEGREES = 8.0
MIN_LENGTH_RATIO = 0.8
MAX_SPACING_IN_HEIGHTS = 3.2
# Lines of one MRZ have about one character height: within this ratio (the marks of guilloche found as
# a line were half as high).
MAX_HEIGHT_RATIO = 1.5
# A line this share of the longest one's length or more is tried as the MRZ's first line when the
# longest has no neighbour to make an MRZ with.
MIN_REF_LENGTH_RATIO = 0.75
# A TD1's middle line that a band or a fold cut short (its first characters too faded to be found) is
# taken between its neighbours when it is at least this share of their length and lies halfway between
# them, within this share of their distance: it spans what they span.
MIN_MIDDLE_LENGTH_RATIO = 0.4
MAX_MIDDLE_OFFSET = 0.2
# Below this mean confidence a line is reported as doubtful even when two readings agree.
MIN_LINE_CONFIDENCE = 70.0
# Character height of the first reading's line crops (the second and third use other scales).
CHAR_PX = 40.0
# How many neighbours either side of a cell the second engine is shown with, in turn, when it read
# nothing in the cell within the line (see _reread_cell).
REREAD_NEIGHBOURS = (1, 2)
# Disputed cells this many or more side by side are a reading a cell off, not a doubt about each cell.
SHIFTED_RUN = 3
# Character heights at which the model's alternatives are gathered to settle a check digit.
SETTLE_SCALES = (CHAR_PX, CHAR_PX * 0.75, CHAR_PX * 1.25)
# Lines are read side by side: Tesseract lets go of the GIL while it recognises, and each thread keeps
# its own engine (checkpoint.ocr.engine), so a page's two or three lines take the time of one per core.
READ_THREADS = min(4, os.cpu_count() or 1)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _forget_pool() -> None:
    """In a forked child the pool's threads do not exist: start a new pool there when one is needed."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


T = TypeVar("T")


def _all(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Return the results of ``calls``, in order, run side by side on the line readers' threads. The
    calls only read lines: none of them waits for another, so the shared pool cannot deadlock.
    """
    global _pool
    if len(calls) < 2 or READ_THREADS < 2:
        return [call() for call in calls]
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="checkpoint-ocr")
        pool = _pool
    return [future.result() for future in [pool.submit(call) for call in calls]]


def _angle_between(a: TextLine, b: TextLine) -> float:
    (ax, ay), (bx, by) = a.direction, b.direction
    cos = abs(ax * bx + ay * by)
    return math.degrees(math.acos(min(1.0, cos)))


def mrz_group(lines: Sequence[TextLine]) -> list[TextLine]:
    """Return the MRZ lines among ``lines`` (longest first): the longest line and the parallel lines of
    about its length and character height stacked next to it, at most three. Where the longest line has
    no such neighbour but another line of nearly its length (:data:`MIN_REF_LENGTH_RATIO`) has, one no
    shorter than it, that line's group: dense security print below an MRZ can be found as a longer line
    of small marks. Empty when ``lines`` is.
    """
    if not lines:
        return []
    longest = _group_around(lines[0], lines)
    if len(longest) > 1:
        return longest
    for ref in lines[1:]:
        if ref.length < MIN_REF_LENGTH_RATIO * lines[0].length:
            break
        group = _group_around(ref, lines)
        if len(group) > 1 and ref.length >= MIN_LENGTH_RATIO * max(line.length for line in group):
            return group
    return longest


def _beside(line: TextLine, ref: TextLine) -> bool:
    """True when ``line`` could be a line of the MRZ that ``ref`` is one of: parallel to it (within
    :data:`MAX_ANGLE_DEGREES`) and of its character height (within :data:`MAX_HEIGHT_RATIO`)."""
    return (
        _angle_between(line, ref) <= MAX_ANGLE_DEGREES
        and 1 / MAX_HEIGHT_RATIO <= line.char_height / ref.char_height <= MAX_HEIGHT_RATIO
    )


def _group_around(ref: TextLine, lines: Sequence[TextLine]) -> list[TextLine]:
    """Return ``ref`` and the parallel lines of ``lines`` of about its length and character height
    stacked next to it, at most three in all (see :func:`mrz_group`)."""
    dx, dy = ref.direction
    normal = (-dy, dx)

    def offset(line: TextLine) -> float:
        return (line.centre[0] - ref.centre[0]) * normal[0] + (line.centre[1] - ref.centre[1]) * normal[1]

    def along(line: TextLine) -> float:
        return (line.centre[0] - ref.centre[0]) * dx + (line.centre[1] - ref.centre[1]) * dy

    similar = [
        line
        for line in lines
        if _beside(line, ref)
        and line.length >= MIN_LENGTH_RATIO * ref.length
        and abs(along(line)) <= 0.2 * ref.length
    ]
    similar.sort(key=offset)
    index = similar.index(ref)
    group = [ref]
    limit = MAX_SPACING_IN_HEIGHTS * max(line.char_height for line in similar)
    for step in (-1, 1):
        position = index
        while 0 <= position + step < len(similar) and len(group) < 3:
            if abs(offset(similar[position + step]) - offset(similar[position])) > limit:
                break
            position += step
            group.append(similar[position])
    if len(group) == 1:
        group += _cut_short_middle(ref, [line for line in similar if line is not ref], lines, offset, limit)
    return group


def _cut_short_middle(
    ref: TextLine,
    others: Sequence[TextLine],
    lines: Sequence[TextLine],
    offset: Callable[[TextLine], float],
    limit: float,
) -> list[TextLine]:
    """Return the outer line of a TD1 that lies two line spacings (at most 2 ``limit``) from ``ref`` among
    ``others`` (parallel lines of about its length) and the middle line between them, found cut short
    among ``lines`` (a hologram's band faded its first characters) and made to span what they span;
    empty when there is no such pair. ``offset`` gives a line's distance from ``ref`` across it.
    """
    for outer in others:
        gap = offset(outer)
        if not limit < abs(gap) <= 2 * limit:
            continue
        for middle in lines:
            if (
                middle is ref
                or middle is outer
                or not _beside(middle, ref)
                or middle.length < MIN_MIDDLE_LENGTH_RATIO * ref.length
                or abs(offset(middle) - gap / 2) > MAX_MIDDLE_OFFSET * abs(gap)
            ):
                continue
            (ax, ay), (bx, by) = ref.direction, outer.direction
            start, end = (outer.start, outer.end) if ax * bx + ay * by > 0 else (outer.end, outer.start)
            spanned = dataclasses.replace(
                middle,
                start=((ref.start[0] + start[0]) / 2, (ref.start[1] + start[1]) / 2),
                end=((ref.end[0] + end[0]) / 2, (ref.end[1] + end[1]) / 2),
                bend=ref.bend if ref.bend and outer.bend else (),
            )
            # Only a line cut short at an end: its print lies within what its neighbours span.
            along = [_along(spanned, point) for point in (middle.start, middle.end)]
            if (
                min(along) >= -0.5 * middle.char_height
                and max(along) <= spanned.length + 0.5 * middle.char_height
            ):
                return [outer, spanned]
    return []


def _along(line: TextLine, point: tuple[float, float]) -> float:
    """Return how far ``point`` lies along ``line`` from its start, in pixels."""
    dx, dy = line.direction
    return (point[0] - line.start[0]) * dx + (point[1] - line.start[1]) * dy


def _in_reading_order(lines: list[TextLine], flip: bool) -> list[TextLine]:
    """Return ``lines`` top to bottom as the text stands (turned by 180 degrees with ``flip``)."""
    dx, dy = lines[0].direction
    if flip:
        dx, dy = -dx, -dy
    normal = (-dy, dx)
    return sorted(lines, key=lambda line: line.centre[0] * normal[0] + line.centre[1] * normal[1])


def _column_direction(ordered: list[TextLine], flip: bool) -> tuple[float, float] | None:
    """Return the unit direction from each MRZ line to the next (all lines start and end in the same
    print columns), or ``None`` for a single line or when it is far from square to the lines.
    """
    if len(ordered) < 2:
        return None
    ends = [(line.end, line.start) if flip else (line.start, line.end) for line in ordered]
    steps = [
        ((b[0][0] - a[0][0] + b[1][0] - a[1][0]) / 2, (b[0][1] - a[0][1] + b[1][1] - a[1][1]) / 2)
        for a, b in itertools.pairwise(ends)
    ]
    sx, sy = float(np.mean([s[0] for s in steps])), float(np.mean([s[1] for s in steps]))
    norm = math.hypot(sx, sy)
    if norm == 0:
        return None
    ux, uy = sx / norm, sy / norm
    dx, dy = ordered[0].direction if not flip else (-ordered[0].direction[0], -ordered[0].direction[1])
    # Between the columns and the square to the line: a slant of more than 25 degrees is no MRZ.
    if ux * -dy + uy * dx < math.cos(math.radians(25)):
        return None
    return ux, uy


def _name_starts_with_filler(result: MRZResult) -> bool:
    """True when the MRZ's name field begins with ``<`` (TD1: line 3, column 1; others: line 1, column 6)."""
    if result.format is None:
        return False
    row, column = (2, 0) if result.format == "TD1" else (0, 5)
    lines = result.lines
    return len(lines) > row and len(lines[row]) > column and lines[row][column] == "<"


def _number_starts_with_filler(result: MRZResult) -> int | None:
    """Return the line (0-based) of ``result``'s document number when the number begins with ``<``;
    ``None`` otherwise. ICAO 9303 writes a document number from its field's first character and pads it
    with fillers after it: a filler first is a character the OCR took for ``<``, and where that is a
    ``K`` whose strokes a photo lost (``K`` and ``<`` are both 0 to the check digit), nothing else
    sees it."""
    span = LAYOUTS[result.format].fields.get("document_number") if result.format in LAYOUTS else None
    if span is None or len(result.lines) <= span.line or len(result.lines[span.line]) <= span.start:
        return None
    return span.line if result.lines[span.line][span.start] == "<" else None


def _stray_name_letters(result: MRZResult) -> dict[int, list[int]]:
    """Return, by line (0-based), the columns (0-based) of the letters in a name field of ``result``
    after the fillers that end a name (:data:`checkpoint.mrz.layouts.NAME_END`); empty when there are
    none. They are print that is no name (a crease, a speck, a hologram's edge read as a letter), and
    no check digit covers a name."""
    layout = LAYOUTS.get(result.format or "")
    if layout is None:
        return {}
    stray: dict[int, list[int]] = {}
    for name in NAME_FIELDS:
        span = layout.fields.get(name)
        if span is None or len(result.lines) <= span.line:
            continue
        field = result.lines[span.line][span.start : span.end]
        ended = field.find(NAME_END)
        if ended < 0:
            continue
        columns = [span.start + at for at in range(ended, len(field)) if field[at] != "<"]
        if columns:
            stray.setdefault(span.line, []).extend(columns)
    return stray


def _plausibility(texts: list[str], parse: Callable[[list[str]], MRZResult]) -> tuple[int, bool]:
    """Score how much ``texts`` look like an upright MRZ (check digits that agree, then line lengths),
    and say whether they are beyond doubt upright: an MRZ without errors and at least three check
    digits agreeing, which text read upside down never gives.
    """
    result = parse(texts)
    agreeing = sum(1 for ok in result.checks.values() if ok)
    lengths = sum(1 for text in texts if len(text) in MRZ_LENGTHS)
    return 10 * agreeing + lengths, result.valid and agreeing >= 3


# Reads one line image; with ``choices`` true, also keeps the characters the model weighed per cell.
Reader = Callable[[np.ndarray, bool], LineReading]
# How the print stands in the image beyond each line's own direction: the direction of its columns, or
# in a photo at a steep angle the MRZ's plane (see crop_line).
Frame = tuple[float, float] | Plane | None


def _first_crop(grey: np.ndarray, line: TextLine, flip: bool, down: Frame) -> np.ndarray:
    """Return ``line`` cut at :data:`CHAR_PX`, grey: where a crease is looked for. Otsu-thresholded
    (:func:`binarise`), it is the image the first reading, the second engine's check and the settling
    of check digits all look at."""
    return crop_line(grey, line, flip=flip, char_px=CHAR_PX, down=down)


def _readings(
    grey: np.ndarray, line: TextLine, flip: bool, read: Reader, down: Frame, first_crop: np.ndarray
) -> list[Callable[[], LineReading]]:
    """The independent readings of one line, in the order they are tried: Otsu threshold, the
    unbinarised grey and adaptive threshold, at different character heights. The adaptive threshold
    comes third: on clean print it turns specks at the crop's ends into extra characters, so as the
    second reading it disagreed with the first on most clean pages and cost a third. The first reads
    ``first_crop`` (:func:`_first_crop`) and keeps the characters the model weighed
    (``alternatives``): the second engine's check and the settling of check digits look at this very
    crop, and asking for them here costs less than reading it again.
    """

    def located(reading: LineReading, char_px: float) -> LineReading:
        first = END_MARGIN * char_px  # where crop_line puts the first character centre
        length = down.length if isinstance(down, Plane) else line.length / line.char_height
        ends = (first, first + length * char_px)
        return without_fillers_past_end(dataclasses.replace(reading, expected_ends=ends), MRZ_LENGTHS)

    def otsu(char_px: float) -> Callable[[], LineReading]:
        return lambda: located(
            read(binarise(crop_line(grey, line, flip=flip, char_px=char_px, down=down)), False), char_px
        )

    def adaptive(char_px: float) -> Callable[[], LineReading]:
        def reading() -> LineReading:
            crop = crop_line(grey, line, flip=flip, char_px=char_px, down=down)
            block = (int(char_px) * 2) | 1
            binary = cv2.adaptiveThreshold(
                crop, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 10
            )
            return located(read(binary, False), char_px)

        return reading

    def plain(char_px: float) -> Callable[[], LineReading]:
        return lambda: located(
            read(crop_line(grey, line, flip=flip, char_px=char_px, down=down), False), char_px
        )

    return [
        lambda: located(read(first_crop, True), CHAR_PX),
        plain(CHAR_PX * 1.25),
        adaptive(CHAR_PX * 0.75),
        otsu(CHAR_PX * 0.8),
        adaptive(CHAR_PX * 1.2),
    ]


def _repaired(texts: list[str], parse: Callable[[list[str]], MRZResult]) -> list[str]:
    """Return ``texts`` as the parser repairs them, or unchanged when it cannot make an MRZ of them.

    A repair in a field of letters and digits (a Z among digits made 2 to meet the field's check digit)
    is a guess from the text alone, and is left out: readings are compared as they were read there. The
    parse of the lines agreed on makes it again, where it is held against what our model weighed
    (:func:`_unweighed_repairs`).
    """
    result = parse(texts)
    if result.format is None or len(result.lines) != len(texts):
        return list(texts)
    if not result.corrections:
        return list(result.lines)
    kinds = coverage(result.format, result.checks).kinds
    lines = list(result.lines)
    for correction in result.corrections:
        number, column = correction.line - 1, correction.column
        if kinds.get(Cell(number, column)) == ALNUM and column < len(lines[number]):
            lines[number] = lines[number][:column] + correction.from_ + lines[number][column + 1 :]
    return lines


def _shown_wrong(lines: list[str], index: int, other: str, parse: Callable[[list[str]], MRZResult]) -> bool:
    """True when ``other``, another reading of line ``index`` of ``lines``, differs from it only where the
    format shows ``other`` wrong: each differing cell is covered by a check digit that ``lines`` satisfy
    and ``other`` breaks, one that covers no other differing cell (a check digit confirms one
    substitution, not two), or is the document code's first letter, where ``other`` has a letter the
    format does not use and ``lines`` one it does, or lies in a state code that ``other`` makes none of
    ICAO 9303's and ``lines`` has as one (``TRA`` for ``FRA``). Such a reading backs ``lines``: the two
    agree everywhere else, and where they differ the check digits or the format side with ``lines``.
    """
    ours = lines[index]
    if len(other) != len(ours) or other == ours:
        return False
    result = parse(lines)
    layout = LAYOUTS.get(result.format or "")
    theirs = parse([*lines[:index], other, *lines[index + 1 :]])
    if layout is None or theirs.format != result.format:
        return False
    differing = [column for column, (a, b) in enumerate(zip(ours, other, strict=True)) if a != b]
    code = layout.fields["document_code"]
    letters = DOCUMENT_LETTERS.get(layout.name, "")
    for column in differing:
        if (
            (index, column) == (code.line, code.start)
            and ours[column] in letters
            and other[column] not in letters
        ):
            continue
        if _unknown_code_at(theirs, index, column) and not _unknown_code_at(result, index, column):
            continue
        broken = [
            check
            for check in layout.checks
            if result.checks.get(check.name)
            and not theirs.checks.get(check.name, True)
            and covers(check, index, column)
            and not any(covers(check, index, elsewhere) for elsewhere in differing if elsewhere != column)
        ]
        if not broken:
            return False
    return True


def _unknown_code_at(result: MRZResult, index: int, column: int) -> bool:
    """True when ``result`` reports a state code that is none of ICAO 9303's in the field holding column
    ``column`` of line ``index``."""
    return any(
        problem.code == UNKNOWN_COUNTRY_CODE
        and problem.line == index + 1
        and problem.start is not None
        and problem.end is not None
        and problem.start <= column < problem.end
        for problem in result.errors
    )


def _agree(
    firsts: list[LineReading],
    readers: list[list[Callable[[], LineReading]]],
    parse: Callable[[list[str]], MRZResult],
    seconds: Sequence[LineReading] | None = None,
) -> tuple[list[OCRLine], list[dict[int, str]]]:
    """Read each line a second time and take what both readings say *after check-digit repair* (so an
    O read for a 0 in a date does not count as a disagreement, but a G read for a 6 in a name does).
    While a line's readings disagree it is read again another way, up to the number of readers; a
    text at least two readings give, and more than give any other, wins. A reading also counts for a
    text it differs from only where the format shows it wrong (:func:`_shown_wrong`: an O for a 0 in a
    document number whose check digit the text satisfies, a T for the I of an ID card's code), as a
    reading repair makes equal to it counts. Only readings whose characters sit on an even grid vote
    (one with a character read twice or lost does not, even when repair makes it look right), and those
    of the very characters of one that does. A line without a winner keeps the first reading,
    unconfirmed. ``seconds`` are the second readings
    (``readers[line][1]``) when the caller has made them already. Also returns, per line, by column, the
    other characters our readings had where they disagreed (the columns of ``OCRLine.disputed``).
    """
    count = len(firsts)
    versions: list[tuple[list[LineReading], list[str]]] = [
        (firsts, _repaired([r.text for r in firsts], parse))
    ]
    if seconds is not None:
        versions.append((list(seconds), _repaired([r.text for r in seconds], parse)))

    def winner(index: int) -> tuple[str, list[LineReading]] | None:
        votes: dict[str, dict[int, LineReading]] = {}
        # A reading of a length no MRZ line has does not vote, even if the parser's lenient
        # normalisation (dropping a stray filler) would make it look right.
        even = {
            readings[index].text
            for readings, _ in versions
            if readings[index].evenly_spaced and len(readings[index].text) in MRZ_LENGTHS
        }
        for readings, repaired in versions:
            reading = readings[index]
            # One whose boxes stray off the grid (grey print, a watermark's strokes touching them) votes
            # with an evenly spaced reading of the very same characters: it read none twice or lost one.
            if reading.text in even:
                votes.setdefault(repaired[index], {})[id(reading)] = reading
        if len(votes) > 1:
            # A reading the format shows wrong where it differs from another backs that other one.
            context = versions[0][1]
            backed: dict[str, dict[int, LineReading]] = {}
            for text, voters in votes.items():
                lines = [*context[:index], text, *context[index + 1 :]]
                backed[text] = dict(voters)
                for other, others in votes.items():
                    if other != text and _shown_wrong(lines, index, other, parse):
                        backed[text].update(others)
            votes = backed
        ranked = sorted(votes.items(), key=lambda item: len(item[1]), reverse=True)
        if (
            not ranked
            or len(ranked[0][1]) < 2
            or (len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1]))
        ):
            return None
        return ranked[0][0], list(ranked[0][1].values())

    for attempt in range(len(versions), len(readers[0]) if readers else 0):
        disputed = [index for index in range(count) if winner(index) is None]
        if not disputed:
            break
        extra = list(firsts)
        for index, reading in zip(
            disputed, _all([readers[index][attempt] for index in disputed]), strict=True
        ):
            extra[index] = reading
        versions.append((extra, _repaired([reading.text for reading in extra], parse)))

    def disputed_characters(index: int, text: str) -> dict[int, str]:
        """The columns where a reading that voted on line ``index`` has another character than ``text``,
        with those characters."""
        columns: dict[int, str] = {}
        for readings, repaired in versions:
            reading, other = readings[index], repaired[index]
            if reading.evenly_spaced and len(reading.text) in MRZ_LENGTHS and len(other) == len(text):
                for column, (a, b) in enumerate(zip(other, text, strict=True)):
                    if a != b and a not in columns.get(column, ""):
                        columns[column] = columns.get(column, "") + a
        return dict(sorted(columns.items()))

    lines: list[OCRLine] = []
    others: list[dict[int, str]] = []
    for index in range(count):
        won = winner(index)
        if won is None:
            reading, text = firsts[index], versions[0][1][index]
            others.append(disputed_characters(index, text))
            lines.append(
                OCRLine(
                    text,
                    reading.mean_confidence,
                    reading.min_confidence,
                    confirmed=False,
                    disputed=tuple(others[-1]),
                )
            )
            continue
        text, votes = won
        confidences = tuple(value for vote in votes for value in vote.confidences) or (0.0,)
        others.append(disputed_characters(index, text))
        lines.append(
            OCRLine(
                text,
                float(np.mean(confidences)),
                min(confidences),
                confirmed=True,
                disputed=tuple(others[-1]),
            )
        )
    return lines, others


def _reread_cell(crop: np.ndarray, grid: list[float], column: int, directory: Path) -> dict[int, str]:
    """Return the verifier's reading of cell ``column`` of the line image ``crop`` (print cells centred at
    ``grid``) cut out with one neighbour either side, then, while it reads nothing there, with more
    (``REREAD_NEIGHBOURS``), as :func:`cell_characters` gives it: empty when it still reads nothing there.
    Whatever it reads counts, ours or not: a wider window only gives the engine more print to find its
    bearings (it read OCR-B's ``TA7`` as ``TA``, the ``A`` off its cell, and ``ITA7`` in full).
    """
    pitch = (grid[-1] - grid[0]) / max(1, len(grid) - 1)
    # A white margin of one character height either side, as a line crop has.
    margin = crop.shape[0]
    for neighbours in REREAD_NEIGHBOURS:
        left = max(0, round(grid[column] - (neighbours + 0.5) * pitch))
        right = min(crop.shape[1], round(grid[column] + (neighbours + 0.5) * pitch))
        window = cv2.copyMakeBorder(crop[:, left:right], 0, 0, margin, margin, cv2.BORDER_CONSTANT, value=255)
        reading = read_line(window, model_dir=directory, model=VERIFIER_MODEL)
        found = cell_characters(reading, [centre - left + margin for centre in grid])
        if column in found:
            return {column: found[column]}
    return {}


def _grid(line: TextLine, reading: LineReading, text: str) -> list[float]:
    """Return the centres (pixels) of ``text``'s print cells on ``line``'s crop at :data:`CHAR_PX`:
    ``reading``'s character centres where they sit on an even grid, one per character (a photo's
    perspective makes the pitch change along the line), the line's own even pitch otherwise.
    """
    if reading.evenly_spaced and len(reading.centres) == len(text):
        return list(reading.centres)
    first = END_MARGIN * CHAR_PX
    pitch = line.length * CHAR_PX / line.char_height / max(1, len(text) - 1)
    return [first + pitch * column for column in range(len(text))]


def _opinions(
    crops: Sequence[np.ndarray],
    grids: Sequence[list[float]],
    result: MRZResult,
    verifier_readings: Sequence[LineReading],
) -> list[tuple[str, ...]]:
    """Return, per line of ``result`` and per character, our reading and after it the second opinions on
    each cell that two disagreeing check digits cover (:func:`checkpoint.ocr.choices.settle_by_opinions`
    needs no other): the verifier's character there, unless the print looks clearly more like ours
    (:func:`checkpoint.ocr.glyphs.print_favours`), and the OCR-B character the print favours clearly
    over ours (:func:`checkpoint.ocr.glyphs.print_shows`). Fillers are left out both ways (the verifier
    reads OCR-B's ``<`` unreliably). ``crops`` are the line images at :data:`CHAR_PX`, ``grids`` their
    print cells, ``verifier_readings`` the verifier's readings of them (none when it is not installed).
    """
    layout = LAYOUTS[result.format or ""]
    failing = [check for check in layout.checks if not result.checks.get(check.name, True)]
    cells: dict[int, list[int]] = {}
    for number, text in enumerate(result.lines):
        cells[number] = [
            column
            for column in range(len(text))
            if text[column] != "<" and sum(covers(check, number, column) for check in failing) >= 2
        ]
    heard = {
        number: cell_characters(reading, grids[number])
        for number, reading in enumerate(verifier_readings)
        if cells.get(number)
    }
    opinions: list[tuple[str, ...]] = []
    for number, text in enumerate(result.lines):
        weighed = list(text)
        grid = grids[number]
        pitch = (grid[-1] - grid[0]) / max(1, len(grid) - 1)
        for column in cells[number]:
            ours, centre = text[column], grid[column]
            verifier_says = heard.get(number, {}).get(column)
            # Print that looks clearly like our character is not overruled: a cell read right is intact.
            if verifier_says not in (None, "<", ours) and not print_favours(
                crops[number], centre, pitch, ours, verifier_says
            ):
                weighed[column] += verifier_says
            allowed = allowed_at(layout, number, column) - {"<"}
            printed = print_shows(crops[number], centre, pitch, ours, allowed)
            if printed is not None:
                weighed[column] += printed
        opinions.append(tuple(weighed))
    return opinions


def _choices_reading(crop: np.ndarray, model_dir: Path, model: str) -> Callable[[], LineReading]:
    """Return a call that reads ``crop`` with the characters the model weighed for each one."""
    return lambda: read_line(crop, model_dir=model_dir, model=model, choices=True)


def _verifier_reading(crop: np.ndarray, directory: Path) -> Callable[[], LineReading]:
    """Return a call that reads ``crop`` with the second engine (:data:`VERIFIER_MODEL`, in ``directory``)."""
    return lambda: read_line(crop, model_dir=directory, model=VERIFIER_MODEL)


def _second_engine_cells(
    ordered: list[TextLine],
    firsts: list[LineReading],
    result: MRZResult,
    verifier_readings: Sequence[LineReading],
) -> tuple[list[list[float]], list[dict[int, str]], Coverage]:
    """Return, per line of ``result``, the print cells' grid (from the first reading, see :func:`_grid`),
    the characters the second engine read in each cell, and the columns the check digits cover."""
    grids = [
        _grid(line, reading, text) for line, reading, text in zip(ordered, firsts, result.lines, strict=False)
    ]
    seen = [cell_characters(reading, grid) for reading, grid in zip(verifier_readings, grids, strict=False)]
    return grids, seen, coverage(result.format, result.checks)


def _unspent_checks(result: MRZResult, disputed: Sequence[Mapping[int, str]]) -> dict[str, bool]:
    """Return ``result``'s checks, with those whose data holds a cell our readings disagreed on, with a
    character that could stand there and that the check digit tells from ours (``disputed``, per line
    by column; a run of :data:`SHIFTED_RUN` or more is a reading a cell off and does not count), taken
    as not agreeing. The check digit chose between the readings there, and cannot also vouch for the
    field's other characters: a second misread can meet it (an expiry read 250305 for 290303, its check
    digit 5 either way, where our readings had 3 and 5 at the end)."""
    layout = LAYOUTS.get(result.format or "")
    if layout is None:
        return dict(result.checks)
    covered = coverage(result.format, result.checks)
    cells = {
        (number, column)
        for number, others in enumerate(disputed)
        for column in _unshifted(others)
        if number < len(result.lines)
        and column < len(result.lines[number])
        and checked_choice(others[column], result.lines[number][column], Cell(number, column), covered)
    }
    checks = dict(result.checks)
    for check in layout.checks:
        if (
            any((line, column) in cells for line, start, end in check.parts for column in range(start, end))
            or (check.line, check.pos) in cells
        ):
            checks[check.name] = False
    return checks


def _unshifted(columns: Iterable[int]) -> list[int]:
    """Return the disputed ``columns`` of a line, in order, that are no part of a run of
    :data:`SHIFTED_RUN` consecutive ones or more (a reading that lost or gained a character is a cell
    off all along such a run, and says nothing about any one cell of it)."""
    runs: list[list[int]] = []
    for column in sorted(columns):
        if runs and column == runs[-1][-1] + 1:
            runs[-1].append(column)
        else:
            runs.append([column])
    return [column for run in runs if len(run) < SHIFTED_RUN for column in run]


def _unconfirmed(
    ordered: list[TextLine],
    firsts: list[LineReading],
    result: MRZResult,
    disputed: Sequence[Mapping[int, str]] | None,
    crops: Sequence[np.ndarray],
    verifier_readings: Sequence[LineReading],
    directory: Path,
    greys: Sequence[np.ndarray] = (),
) -> list[Cell] | None:
    """Return the cells of ``result`` that the second engine does not confirm and no check digit covers
    or tells from a look-alike (see :mod:`checkpoint.ocr.verify`), and those where our model hesitated
    between its character and one whose print holds it, unless the print shows ours intact
    (:func:`checkpoint.ocr.verify.erased_doubts`): empty when none is in doubt.
    ``verifier_readings`` are its readings of the line images ``crops`` (at :data:`CHAR_PX`).
    ``firsts`` are the MRZ model's readings of the same crops, with the characters it weighed: where one
    sits on the grid, its centres place the print cells (a photo's perspective makes the pitch change
    along the line). ``disputed`` gives, per line, by column, the other characters our own readings had
    where they disagreed; those that could stand there (:func:`_plausible_disputes`) keep the second
    engine's objection in the cell standing, and one whose print holds ours and more puts the cell in
    doubt (:func:`checkpoint.ocr.verify.erased_doubts`), as does any where the cell's print binarised
    on its own (from ``greys``, the grey line images ``crops`` were made from; none, no such test)
    cannot tell it from ours (:func:`checkpoint.ocr.verify.locally_disputed`) or brings back ink of a
    character whose print holds ours (:func:`checkpoint.ocr.verify.unveiled_partners`), or holds a
    letter where the second engine read a filler that our model weighed too
    (:func:`checkpoint.ocr.verify.filler_doubts`). None when the lines were read once, and then None
    too when the second engine reads another character in a cell no check digit covers: whether its
    objection stands takes our readings' disagreements. A check digit that chose between our readings
    in a cell of its field covers none of it here (:func:`_unspent_checks`).
    """
    grids, seen, _ = _second_engine_cells(ordered, firsts, result, verifier_readings)
    covered = coverage(result.format, _unspent_checks(result, disputed or ()))
    doubtful = unconfirmed_cells(result.lines, covered, seen)
    for cell in doubtful:
        if cell.column not in seen[cell.line]:
            # The verifier put nothing in the cell (it ran it into a neighbour): ask it about the cell
            # and its neighbours alone.
            seen[cell.line].update(_reread_cell(crops[cell.line], grids[cell.line], cell.column, directory))
    doubtful = unconfirmed_cells(result.lines, covered, seen)
    if doubtful and disputed is None:
        return None
    contested = contested_checked_letters(result.lines, covered, seen)
    look_alikes = look_alike_doubts(result.lines, covered, seen)
    look_alikes = settled_by_print(look_alikes, result.lines, covered, seen, crops, grids, greys)
    # Where our model hesitated between a character and one whose print holds it, the second engine's
    # word is no evidence: the first readings kept the characters it found likely, on these very crops.
    likely = [
        cell_characters(reading, grid, reading.ranked) for reading, grid in zip(firsts, grids, strict=False)
    ]
    disagreed = _plausible_disputes(result, disputed or ())
    # Each cell once, though several rules find it (a problem names its columns).
    erased = list(
        dict.fromkeys(
            erased_doubts(result.lines, covered, likely, crops, grids, disagreed)
            + filler_doubts(result.lines, covered, seen, likely, crops, grids)
            + locally_disputed(result.lines, covered, disagreed, greys, grids)
            + unveiled_partners(result.lines, covered, crops, greys, grids)
            + faded_strokes(result.lines, covered, crops, greys, grids)
        )
    )
    if doubtful or contested:
        # Which of the verifier's objections our model weighs too: the first readings kept what it
        # weighed, on these very crops.
        weighed = [
            cell_characters(reading, grid, reading.alternatives)
            for reading, grid in zip(firsts, grids, strict=False)
        ]
        if doubtful and disputed is not None:
            plausible = plausible_doubts(doubtful, result.lines, covered, seen, weighed, disagreed)
            backed = upheld_by_print(
                [cell for cell in doubtful if cell not in plausible],
                result.lines,
                covered,
                seen,
                crops,
                grids,
            )
            settled = settled_by_print(plausible, result.lines, covered, seen, crops, grids, greys, disagreed)
            doubtful = settled + backed
        # Where our model itself hesitated between twins, only print that shows our letter whole clears it.
        hidden = unsettled_twins(
            hidden_confusions(contested, result.lines, weighed),
            result.lines,
            covered,
            crops,
            grids,
            minimum=WHOLE_MATCH,
        )
        hidden += unsettled_twins(contested, result.lines, covered, crops, grids)
        hidden += contradicted_digits(contested, result.lines, covered, crops, grids)
        doubtful += [cell for cell in dict.fromkeys(hidden) if cell not in doubtful]
    doubtful += [cell for cell in look_alikes if cell not in doubtful]
    return doubtful + [cell for cell in erased if cell not in doubtful]


def _plausible_disputes(result: MRZResult, disputed: Sequence[Mapping[int, str]]) -> list[dict[int, str]]:
    """Return, per line of ``result``, by column, the characters of ``disputed`` (what our other readings
    had where they disagreed) that could stand there: the MRZ stays valid with any one of them, and the
    cell is no part of a run of :data:`SHIFTED_RUN` disputed cells or more (:func:`_unshifted`).
    """
    from checkpoint.mrz import parse

    plausible: list[dict[int, str]] = []
    for number, text in enumerate(result.lines):
        others = disputed[number] if number < len(disputed) else {}
        kept: dict[int, str] = {}
        for column in _unshifted(others):
            if column >= len(text):
                continue
            trial = list(result.lines)
            fitting = ""
            for char in others[column]:
                trial[number] = text[:column] + char + text[column + 1 :]
                if parse(trial).valid:
                    fitting += char
            if fitting:
                kept[column] = fitting
        plausible.append(kept)
    return plausible


def _verify(
    ordered: list[TextLine],
    firsts: list[LineReading],
    result: MRZResult,
    disputed: Sequence[Mapping[int, str]],
    crops: Sequence[np.ndarray],
    verifier_readings: Sequence[LineReading],
    greys: Sequence[np.ndarray] = (),
) -> tuple[list[str], list[Cell]]:
    """Return the problems the second engine finds with ``result``'s unchecked characters, and the
    cells they are about (those :func:`_unconfirmed` returns, ``greys`` as there): both empty when it
    confirms them all, or one problem saying it is not installed (``verifier_readings`` then empty).
    """
    directory = verifier_dir()
    if directory is None or not verifier_readings:
        return [
            f"the second OCR model ({VERIFIER_MODEL}.traineddata) is not installed, so characters no check "
            f"digit covers cannot be confirmed: {VERIFIER_INSTALL_HINT}"
        ], []
    doubtful = (
        _unconfirmed(ordered, firsts, result, disputed, crops, verifier_readings, directory, greys) or []
    )
    return [
        f"line {number}: neither a second OCR engine nor the print confirms the character(s) at column(s) "
        f"{columns}, which no check digit confirms (none covers them, or theirs chose between our "
        "readings) or tells from a look-alike; they may be misread"
        for number, columns in _columns_by_line(doubtful).items()
    ], doubtful


def _field_at(format_name: str | None, cell: Cell) -> str:
    """Return the name of the field of ``format_name``'s layout that holds ``cell`` (empty if none)."""
    layout = LAYOUTS.get(format_name or "")
    span = None if layout is None else layout.span_at(cell.line, cell.column)
    return "" if span is None else span.name


def _columns_by_line(cells: Sequence[Cell]) -> dict[int, str]:
    """Return the columns of ``cells`` as a problem names them, by line: 1-based, in order. Positions
    only: the characters themselves are personal data."""
    by_line: dict[int, list[int]] = {}
    for cell in cells:
        by_line.setdefault(cell.line + 1, []).append(cell.column + 1)
    return {number: ", ".join(map(str, sorted(columns))) for number, columns in by_line.items()}


def _reading_problems(result: MRZResult, ocr_lines: Sequence[OCRLine]) -> list[str]:
    """Return what the readings themselves say against ``result`` (read as ``ocr_lines``): a name that
    starts with a filler or goes on after its closing fillers, a document number that starts with a
    filler, a line two readings disagree on or read with low confidence."""
    problems: list[str] = []
    if _name_starts_with_filler(result):
        # ICAO 9303 always has a primary identifier; a name field that starts with a filler is a letter
        # the OCR took for '<' (a K whose stem was lost, say).
        problems.append(
            "the name field starts with a filler: the first letter of the name was probably misread"
        )
    number_line = _number_starts_with_filler(result)
    if number_line is not None:
        problems.append(
            f"line {number_line + 1}: the document number starts with a filler: its first character was "
            "probably misread"
        )
    for line_index, columns in _stray_name_letters(result).items():
        # Positions only: the characters themselves are personal data.
        problems.append(
            f"line {line_index + 1}: the name field goes on after its closing fillers, at column(s) "
            f"{', '.join(str(column + 1) for column in columns)}: print that is no name (a crease, a speck) "
            "was probably read as letters"
        )
    for number, line in enumerate(ocr_lines, start=1):
        if not line.confirmed:
            problems.append(f"line {number}: two readings of the line disagree; it may be misread")
        elif line.confidence < MIN_LINE_CONFIDENCE:
            problems.append(f"line {number}: read with low confidence ({line.confidence:.0f}%)")
    return problems


def _unweighed_repairs(result: MRZResult, firsts: Sequence[LineReading]) -> list[str]:
    """Return a problem for each line where the MRZ library's repair put a character our model never
    weighed for that cell in its first reading (``firsts``, in the order of ``result``'s lines).

    The library repairs from the text alone: where a check digit fails, it changes a character that
    looks out of place among its neighbours (a Z among digits to a 2). A misread elsewhere in the field
    can cause the failure, and the repair then makes a wrong document valid (hologram page 104045: a
    washed 3 read U, and the Z beside it, which every reading read, changed to 2 to fit). The print
    is the better witness: a repair the model did not weigh is a guess against it.
    """
    columns: dict[int, list[int]] = {}
    for correction in result.corrections:
        number = correction.line - 1
        weighed = ""
        if number < len(firsts) and number < len(result.lines):
            first = firsts[number]
            if len(first.alternatives) == len(result.lines[number]) > correction.column:
                weighed = first.alternatives[correction.column]
        if correction.to not in weighed:
            columns.setdefault(correction.line, []).append(correction.column + 1)
    # Positions only: the characters themselves are personal data.
    return [
        f"line {number}: the check digits were met only by changing column(s) "
        f"{', '.join(str(column) for column in cells)} to a character the print was not read as: "
        "another character of the field may be misread"
        for number, cells in columns.items()
    ]


@dataclasses.dataclass(frozen=True)
class _Restored:
    """The lines of an MRZ that a crease crosses, read again with the ink it faded restored
    (:mod:`checkpoint.ocr.crease`): per line, the binary print (restored where the crease faded ink, the
    first crop elsewhere) and its cells' grid (from the first reading); by line number, the readings of
    the restored lines; per line, what they read in the cells the restoration reached, and the column
    where the crease crosses it."""

    prints: list[np.ndarray]
    grids: list[list[float]]
    readings: dict[int, LineReading]
    seen: list[dict[int, str]]
    creases: list[float]


def _restore(
    ordered: list[TextLine],
    firsts: list[LineReading],
    lines: Sequence[str],
    greys: Sequence[np.ndarray],
    crops: Sequence[np.ndarray],
    read: Reader,
    choices: bool,
) -> _Restored | None:
    """Return the lines ``lines`` of an MRZ read again where a crease crosses it, or ``None`` when none
    does or it faded no ink. ``greys`` and ``crops`` are the first readings' (``firsts``) line images at
    :data:`CHAR_PX`, grey and binarised; ``read`` reads with our model, keeping the characters it
    weighed when ``choices`` (which judging a refused page again on the restored lines needs, and which
    costs about a fifth more time).
    """
    columns = find_crease(greys, CHAR_PX)
    if columns is None:
        return None
    restored = {
        number: crop
        for number, crop in enumerate(
            restore_crease(grey, column, CHAR_PX) for grey, column in zip(greys, columns, strict=True)
        )
        if crop is not None
    }
    if not restored:
        return None
    log.debug("a crease crosses the MRZ at %s: %d line(s) read again", columns, len(restored))
    again = list(restored)
    readings = _all([functools.partial(read, restored[number], choices) for number in again])
    grids = [_grid(line, reading, text) for line, reading, text in zip(ordered, firsts, lines, strict=False)]
    seen: list[dict[int, str]] = [{} for _ in lines]
    prints = list(crops)
    for number, reading in zip(again, readings, strict=True):
        grid = grids[number]
        # The cells the restoration reached: within REACH of the crease, give or take half a cell.
        reach = CREASE_REACH * CHAR_PX + (abs(grid[1] - grid[0]) / 2 if len(grid) > 1 else 0.0)
        seen[number] = {
            column: char
            for column, char in cell_characters(reading, grid).items()
            if abs(grid[column] - columns[number]) <= reach
        }
        prints[number] = restored[number]
    return _Restored(
        prints, grids, dict(zip(again, readings, strict=True)), seen, [float(c) for c in columns]
    )


def _crease_doubts(result: MRZResult, restored: _Restored | None) -> list[Cell]:
    """Return the cells of ``result`` near a crease across the MRZ where the line, read again with the
    ink the crease took restored (``restored``), holds another character that no check digit tells from
    ours, and the restored print does not clearly show ours
    (:func:`checkpoint.ocr.verify.restored_doubts`), or where the restored print looks like a character
    whose print holds ours and more, nearly as much as like ours
    (:func:`checkpoint.ocr.verify.faded_doubts`), or where a character with more ink on the crease fits
    the print beside it as well as ours (:func:`checkpoint.ocr.verify.creased_partners`): empty without
    a crease.
    """
    if restored is None:
        return []
    covered = coverage(result.format, result.checks)
    return _restored_doubts(result.lines, covered, restored)


def _restored_doubts(
    lines: Sequence[str], covered: Coverage, restored: _Restored, minimum: float = MIN_MATCH
) -> list[Cell]:
    """Return the cells of ``lines`` near a crease where the restored reading holds another character
    that the restored print does not clearly refute (looking like it at least ``minimum``,
    :func:`checkpoint.ocr.verify.restored_doubts`), or where the restored print looks like a character
    holding ours and more (:func:`checkpoint.ocr.verify.faded_doubts`), or fits one with more ink on the
    crease as well beside it (:func:`checkpoint.ocr.verify.creased_partners`)."""
    args = (lines, covered, restored.seen, restored.prints, restored.grids)
    hidden = creased_partners(*args, restored.creases)
    return list(dict.fromkeys(restored_doubts(*args, minimum=minimum) + faded_doubts(*args) + hidden))


def _read_past_crease(
    ordered: list[TextLine],
    firsts: list[LineReading],
    verifier_readings: Sequence[LineReading],
    result: MRZResult,
    ocr_lines: Sequence[OCRLine],
    disputed: Sequence[Mapping[int, str]],
    doubted: Sequence[Cell],
    restored: _Restored,
    parse: Callable[[list[str]], MRZResult],
) -> tuple[MRZResult, tuple[OCRLine, ...], list[OCRCorrection]] | None:
    """Return a refused ``result`` read again where a crease crosses the MRZ, with its lines
    (``ocr_lines`` with the new text) and the characters changed; ``None`` when that is no valid MRZ
    whose every character the check digits or the second engine and the print confirm.

    A crease can fade a stroke until the print shows another character (an ``O`` that lost a side
    reads ``C``, a ``P`` whose bowl faded ``F``) or none clearly. The restored lines (``restored``) are
    judged as first readings are: a character the restored reading holds instead of ours, where the
    restored print clearly shows it (:func:`checkpoint.ocr.verify.restored_characters`), takes our
    character's place; then the MRZ must be valid, and the second engine reads the restored print,
    which must confirm every character no check digit covers as on any page (:func:`_verify`), our
    replaced character counting as one more reading that disagreed there. Where the restored reading
    still holds another character, the restored print must clearly show ours. The cells the first
    reading was refused for (``doubted``, by the second engine or the crease) must lie where the
    restoration reached, and the restored print must show their character, clearly more than any
    other character our readings had there (:func:`checkpoint.ocr.verify.unshown_by_restored_print`):
    the second engine, reading print the restoration changed, is no independent witness there.

    ``firsts`` are the first readings of the lines (``ordered``), ``verifier_readings`` the second
    engine's readings of their crops, and ``disputed`` what our other readings had where they
    disagreed, per line.
    """
    covered = coverage(result.format, result.checks)
    changed = restored_characters(result.lines, covered, restored.seen, restored.prints, restored.grids)
    lines = list(result.lines)
    others = [dict(line) for line in disputed] + [{} for _ in range(len(lines) - len(disputed))]
    for cell, char in changed.items():
        text = lines[cell.line]
        others[cell.line][cell.column] = others[cell.line].get(cell.column, "") + text[cell.column]
        lines[cell.line] = text[: cell.column] + char + text[cell.column + 1 :]
    again = parse(lines)
    if not again.valid or again.format != result.format or len(again.lines) != len(ocr_lines):
        return None
    retold = tuple(
        dataclasses.replace(line, text=text) for line, text in zip(ocr_lines, again.lines, strict=True)
    )
    if _reading_problems(again, retold):
        return None
    directory = verifier_dir()
    if directory is None or len(verifier_readings) != len(firsts):
        return None
    heard = _all([_verifier_reading(restored.prints[number], directory) for number in restored.readings])
    verifier_readings = list(verifier_readings)
    for number, reading in zip(restored.readings, heard, strict=True):
        verifier_readings[number] = reading
    firsts = [restored.readings.get(number, first) for number, first in enumerate(firsts)]
    covered = coverage(again.format, again.checks)
    if unshown_by_restored_print(
        doubted, again.lines, covered, others, restored.seen, restored.prints, restored.grids
    ):
        return None
    if _verify(ordered, firsts, again, others, restored.prints, verifier_readings)[0]:
        return None
    # The restored reading must not hold another character where the restored print does not clearly
    # show ours (on a page refused once, a blot the restoration made counts as much as a character), nor
    # the restored print look like a character that a crease could have cut ours from.
    if _restored_doubts(again.lines, covered, restored, minimum=0.0):
        return None
    corrections = [
        OCRCorrection(
            cell.line + 1,
            cell.column,
            result.lines[cell.line][cell.column],
            char,
            _field_at(result.format, cell),
            result.lines[cell.line][cell.column] + char,
            BY_CREASE,
        )
        for cell, char in changed.items()
    ]
    return again, retold, corrections


def _confirmed_at_once(
    ordered: list[TextLine],
    firsts: list[LineReading],
    crops: Sequence[np.ndarray],
    verifier_readings: Sequence[LineReading],
    directory: Path | None,
    parse: Callable[[list[str]], MRZResult],
    greys: Sequence[np.ndarray] = (),
) -> list[OCRLine] | None:
    """Return the lines of the first readings ``firsts`` when they need no second reading of ours: each
    on the grid at its line's full length, read with good confidence, together a valid MRZ (every check
    digit agreeing, no unusual document code, a name that does not start with a filler, no repair of
    the MRZ library's to a character our model did not weigh: :func:`_unweighed_repairs`) whose every
    character the check digits or the second engine confirm (:func:`_unconfirmed`, from its
    ``verifier_readings`` of the same ``crops``), our model having weighed no other character wherever
    the check digits do not vouch for one. None otherwise: the lines are then read again and judged as
    usual. A second reading of our own model shares the model's habits, where the check digits and an
    independent engine do not. ``directory`` holds the second engine's model (None when not installed);
    ``greys`` are the grey line images ``crops`` were made from (see :func:`_unconfirmed`).
    """
    if directory is None or not verifier_readings:
        return None
    if not all(
        reading.evenly_spaced
        and len(reading.text) in MRZ_LENGTHS
        and reading.mean_confidence >= MIN_LINE_CONFIDENCE
        for reading in firsts
    ):
        return None
    result = parse(_repaired([reading.text for reading in firsts], parse))
    if (
        _unweighed_repairs(result, firsts)
        or not result.valid
        or not all(result.checks.values())
        or len(result.lines) != len(firsts)
        or any(problem.code == UNUSUAL_DOCUMENT_CODE for problem in result.warnings)
        or _name_starts_with_filler(result)
    ):
        return None
    # The second engine is not asked about fillers (it reads them as anything): where no check digit
    # vouches for a cell, our model must have weighed no other character there.
    covered = coverage(result.format, result.checks)
    for number, (reading, text) in enumerate(zip(firsts, result.lines, strict=True)):
        if len(reading.ranked) != len(text):
            return None
        for column, likely in enumerate(reading.ranked):
            cell = Cell(number, column)
            if len(likely) > 1 and (cell not in covered.checked or cell in covered.letters):
                return None
    if _unconfirmed(ordered, firsts, result, None, crops, verifier_readings, directory, greys) != []:
        return None
    return [
        OCRLine(text, reading.mean_confidence, reading.min_confidence, confirmed=True)
        for text, reading in zip(result.lines, firsts, strict=True)
    ]


def _settle(
    grey: np.ndarray,
    ordered: list[TextLine],
    firsts: list[LineReading],
    flip: bool,
    down: Frame,
    result: MRZResult,
    parse: Callable[[list[str]], MRZResult],
    model_dir: Path,
    model: str,
    crops: Sequence[np.ndarray],
    verifier_readings: Sequence[LineReading],
) -> tuple[MRZResult, list[OCRCorrection]]:
    """Return ``result`` with its disagreeing check digits, a document code's unusual first letter and
    a sex the format does not allow settled through the characters our model weighed on each line
    (:func:`checkpoint.ocr.choices.settle_by_choices`), then the check digits still disagreeing through
    the second engine's reading and the print, where the field's and the composite check digit both
    disagree (:func:`checkpoint.ocr.choices.settle_by_opinions`); and the corrections. As it is when nothing
    settles. ``firsts`` are the first readings, with what the model weighed, of the line images ``crops``
    (at :data:`CHAR_PX`); ``verifier_readings`` the second engine's readings of them (none when it is
    not installed).
    """
    pairs = list(zip(ordered, result.lines, strict=False))
    # What the model weighs changes with the scale: gather its likely characters per cell over three
    # scales, from the readings that have the line's length. At CHAR_PX (SETTLE_SCALES[0]) they are the
    # first readings; where the line was found to start and end plays no part here.
    more = SETTLE_SCALES[1:]
    others = _all(
        [
            _choices_reading(
                binarise(crop_line(grey, line, flip=flip, char_px=char_px, down=down)), model_dir, model
            )
            for line, _ in pairs
            for char_px in more
        ]
    )
    at_char_px = [dataclasses.replace(first, expected_ends=None) for first in firsts]
    alternatives: list[tuple[str, ...] | None] = []
    for number, (_, text) in enumerate(pairs):
        weighed = list(text)
        usable = False
        for reading in [at_char_px[number], *others[number * len(more) : (number + 1) * len(more)]]:
            if len(reading.ranked) != len(text):
                continue
            usable = True
            for column, likely in enumerate(reading.ranked):
                weighed[column] += likely
        alternatives.append(tuple("".join(dict.fromkeys(cell)) for cell in weighed) if usable else None)
    settled, corrections = result, []
    lines, found = settle_by_choices(result, alternatives)
    if found and (parsed := parse(lines)).format == result.format:
        settled, corrections = parsed, found
    if all(settled.checks.values()) or len(settled.lines) != len(pairs):
        return settled, corrections
    # The model weighed nothing that fits: hear the second engine and the print, where the field's and
    # the composite check digit both disagree (on the crops at CHAR_PX, the scale the grids are on).
    grids = [
        _grid(line, at_char_px[number], text)
        for number, (line, text) in enumerate(zip(ordered, settled.lines, strict=False))
    ]
    lines, found = settle_by_opinions(settled, _opinions(crops, grids, settled, verifier_readings))
    if found and (parsed := parse(lines)).format == result.format:
        settled, corrections = parsed, corrections + found
    return settled, corrections


@dataclasses.dataclass(frozen=True)
class _Way:
    """The page read one way round (``flip``: upside down): its lines in reading order, how the print
    stands (``down``, a :data:`Frame`), each line's first crop (grey, and binarised: ``crops``), our first
    reading of each and the second engine's readings of the binarised crops (read beside ours on the
    upright way only; empty otherwise).
    ``rank`` is the readings' plausibility score and mean confidence: the higher way is taken as upright."""

    rank: tuple[int, float]
    flip: bool
    ordered: list[TextLine]
    firsts: list[LineReading]
    down: Frame
    greys: list[np.ndarray]
    crops: list[np.ndarray]
    verifier_readings: list[LineReading]


def read_mrz(image: ImageSource, *, model_dir: Path = MODEL_DIR, model: str = MODEL_NAME) -> OCRResult:
    """Return the MRZ read from ``image``: a page, a photo, the MRZ band alone or a single line.

    ``image`` is a path, the bytes of an image file, a PIL image or a numpy array; ``model_dir`` and
    ``model`` name another Tesseract model (for comparisons). When no MRZ is found the result says so
    (``found`` false). Raises :class:`checkpoint.ocr.OCRImageError` when ``image`` is not a readable
    image and :class:`checkpoint.ocr.OCREngineUnavailable` when Tesseract or the model cannot be loaded.
    """
    from checkpoint.mrz import parse

    def read(image: np.ndarray, choices: bool) -> LineReading:
        return read_line(image, model_dir=model_dir, model=model, choices=choices)

    timings: dict[str, float] = {}
    started = time.perf_counter()
    grey = load_image(image)
    timings["load"] = time.perf_counter() - started

    mark = time.perf_counter()
    group = mrz_group(find_text_lines(grey))
    timings["locate"] = time.perf_counter() - mark
    if not group:
        timings["total"] = time.perf_counter() - started
        return OCRResult(found=False, problems=("no MRZ found in the image",), timings=timings)

    mark = time.perf_counter()
    char_height = max(line.char_height for line in group)
    sized = [dataclasses.replace(line, char_height=char_height) for line in group]
    # Which way is up: read every line both ways round and keep the way whose check digits agree (a
    # model trained on upright print reads upside-down print confidently, but not consistently). The
    # second engine reads the upright lines' images beside the first readings (most pages are upright):
    # when the first readings make a valid MRZ that it confirms, no second reading of ours is needed.
    directory = verifier_dir()
    ways: list[_Way] = []
    for flip in (False, True):
        ordered = _in_reading_order(sized, flip)
        down: Frame = mrz_plane(ordered, flip) or _column_direction(ordered, flip)
        greys = [_first_crop(grey, line, flip, down) for line in ordered]
        crops = [binarise(crop) for crop in greys]
        heard = [] if directory is None or flip else [_verifier_reading(crop, directory) for crop in crops]
        made = _all(
            [
                _readings(grey, line, flip, read, down, crop)[0]
                for line, crop in zip(ordered, crops, strict=True)
            ]
            + heard
        )
        firsts, early = made[: len(crops)], made[len(crops) :]
        texts = [reading.text for reading in firsts]
        confidence = float(np.mean([reading.mean_confidence for reading in firsts]))
        score, certain = _plausibility(texts, parse)
        ways.append(_Way((score, confidence), flip, ordered, firsts, down, greys, crops, early))
        if certain:
            break
    way = max(ways, key=lambda way: way.rank)
    flip, ordered, firsts, down, crops = way.flip, way.ordered, way.firsts, way.down, way.crops
    verifier_readings = way.verifier_readings
    at_once = _confirmed_at_once(ordered, firsts, crops, verifier_readings, directory, parse, way.greys)
    disputed: list[dict[int, str]] = []
    if at_once is not None:
        ocr_lines = tuple(at_once)
    else:
        readers = [
            _readings(grey, line, flip, read, down, crop) for line, crop in zip(ordered, crops, strict=True)
        ]
        # The second engine reads the first readings' line images beside our second readings when it
        # has not read them yet (the page was upside down).
        heard = (
            []
            if directory is None or verifier_readings
            else [_verifier_reading(crop, directory) for crop in crops]
        )
        made = _all([reader[1] for reader in readers] + heard)
        seconds, verifier_readings = made[: len(readers)], verifier_readings or made[len(readers) :]
        agreed, disputed = _agree(firsts, readers, parse, seconds)
        ocr_lines = tuple(agreed)
    timings["read"] = time.perf_counter() - mark

    mark = time.perf_counter()
    result = parse([line.text for line in ocr_lines])
    timings["parse"] = time.perf_counter() - mark
    corrections: list[OCRCorrection] = []
    unusual_code = any(problem.code == UNUSUAL_DOCUMENT_CODE for problem in result.warnings)
    no_sex = any(problem.code == INVALID_SEX for problem in result.errors)
    if result.format is not None and (unusual_code or no_sex or not all(result.checks.values())):
        mark = time.perf_counter()
        result, corrections = _settle(
            grey, ordered, firsts, flip, down, result, parse, model_dir, model, crops, verifier_readings
        )
        timings["settle"] = time.perf_counter() - mark
    problems = _reading_problems(result, ocr_lines) + _unweighed_repairs(result, firsts)
    doubted: list[Cell] = []
    if result.valid and not problems and at_once is None:
        mark = time.perf_counter()
        unconfirmed, doubted = _verify(ordered, firsts, result, disputed, crops, verifier_readings, way.greys)
        problems += unconfirmed
        timings["verify"] = time.perf_counter() - mark
    if result.valid and not problems:
        mark = time.perf_counter()
        restored = _restore(ordered, firsts, result.lines, way.greys, crops, read, False)
        creased = _crease_doubts(result, restored)
        doubted += creased
        problems += [
            f"line {number}: a crease crosses column(s) {columns}; with the ink it took restored, the print "
            "there may read otherwise, and no check digit covers it: they may be misread"
            for number, columns in _columns_by_line(creased).items()
        ]
        timings["crease"] = time.perf_counter() - mark
    if result.format is not None and (problems or not result.valid):
        # Refused: where a crease crosses the MRZ, read what it faded.
        mark = time.perf_counter()
        restored = _restore(ordered, firsts, result.lines, way.greys, crops, read, True)
        retold = (
            None
            if restored is None
            else _read_past_crease(
                ordered, firsts, verifier_readings, result, ocr_lines, disputed, doubted, restored, parse
            )
        )
        if retold is not None:
            result, ocr_lines, found = retold
            corrections += found
            problems = []
        timings["crease"] = timings.get("crease", 0.0) + time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    log.debug("read_mrz: %d lines, valid parse %s, %.3f s", len(ocr_lines), result.valid, timings["total"])
    return OCRResult(
        found=True,
        ocr_lines=ocr_lines,
        mrz=result,
        problems=tuple(problems),
        timings=timings,
        corrections=tuple(corrections),
    )
