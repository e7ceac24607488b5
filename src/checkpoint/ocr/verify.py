"""A second, independent engine confirms the characters no check digit protects.

Readings of one line by the same model under different binarisations and scales share that model's
blind spots: on generated pages it read a ``V`` as ``U`` in a name, and an ``E`` as ``B`` in a visa's
optional data, the same way in every reading, at 96-99% confidence. Names, the sex, nationalities and
unchecked optional data have no check digit, so nothing else catches it. Here Tesseract's
general-purpose ``eng`` model (Debian's ``tesseract-ocr-eng``, restricted to the MRZ alphabet) reads
each line once more; every such character must be read the same by it, in the same print cell.

The ``eng`` model has blind spots of its own on OCR-B (``9`` as ``I``, ``Z`` as ``L``, ``J`` as ``U``), so
an objection stands only where our model weighed the verifier's character too (its LSTM candidates
for the cell: it kept ``V`` behind the ``U``, ``E`` behind the ``B``), where our own readings of the
line disagreed in that cell, or where the verifier reads nothing in the cell even when asked about it
alone (see :func:`plausible_doubts`), or where the print cell looks like the verifier's character at
least as much as like ours (:func:`upheld_by_print`: a fold's crack through a ``G`` that our model read
``O`` without weighing ``G``). Where the verifier reads a character, an objection that stands
is still dropped when the print cell itself looks clearly more like our character than the
verifier's in OCR-B (see :func:`settled_by_print`).

The ``eng`` model reads OCR-B's ``<`` unreliably (often as ``K``), so cells where either engine sees
``<`` are not compared; a letter lost to ``<`` is caught by the filler rule in
:mod:`checkpoint.ocr.read`, and a letter read where the verifier read ``<`` and our model weighed one
too is in doubt unless the print shows it whole (:func:`filler_doubts`). A check digit covers a
character only against a confusion that changes its value modulo 10 (ICAO's 7-3-1 weights cannot tell
``A`` from ``K``, ``U`` or ``<``), so a disagreement in a checked field still counts when the check
digit cannot tell the two apart. Where the verifier disagrees with a checked letter and our model
weighed such a partner for it (a fold's crack through a ``P`` leaves an ``F``), the cell stays in
doubt unless the print shows our letter whole and clearly more like it (:func:`hidden_confusions`,
then :func:`unsettled_twins` at :data:`checkpoint.ocr.glyphs.WHOLE_MATCH`); where it did not, the print
must look clearly more like our letter than like every such partner (:func:`unsettled_twins`); a
checked digit it disputes must not look clearly more like a letter of its value
(:func:`contradicted_digits`).
Where the verifier reads the letter or digit that looks like ours in a field that takes both, its
word is no evidence, but the print settles it (:func:`look_alike_doubts`). Nor is the verifier's
agreement evidence where our model hesitated between its character and one whose print holds it
and more (a ``3`` and an ``8`` whose left half a fold's crack took): both engines see the same
damaged print, so only print that shows our character intact clears the cell (:func:`erased_doubts`).
Where another of our readings of the line read that one (an ``O`` where the others read ``C``), print
that looks clearly more like ours clears it.
Where our readings disagreed at all, the cell's print binarised on its own must not look like the
other reading's character as much as like ours (:func:`locally_disputed`).
Where a crease crossed the MRZ, its print with the faded ink restored is the witness of the cells it
reached (:func:`restored_doubts`, :func:`faded_doubts`, :func:`restored_characters`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import cv2
import numpy as np

from checkpoint.mrz.checkdigit import VALUES
from checkpoint.mrz.layouts import ALNUM, ALPHA, DIGIT, DOCUMENT_LETTERS, LAYOUTS, NUMERIC, SEX, SEXES
from checkpoint.mrz.repair import TO_DIGIT, TO_LETTER
from checkpoint.ocr.choices import ALLOWED
from checkpoint.ocr.engine import LineReading
from checkpoint.ocr.glyphs import (
    CREASE_HELD,
    FADED_MORE_INK,
    INTACT_MATCH,
    MIN_HELD,
    MIN_LEAD,
    MIN_MATCH,
    MRZ_CHARACTERS,
    WHOLE_MATCH,
    cap_rows,
    crease_fit,
    erasure_partners,
    faded_stroke,
    local_print,
    match,
    print_favours,
)

log = logging.getLogger(__name__)

VERIFIER_MODEL: Final = "eng"
#: How to install the verifier model, said once when it cannot be found.
VERIFIER_INSTALL_HINT: Final = (
    f"install Tesseract's {VERIFIER_MODEL!r} model (Debian/Ubuntu: apt install tesseract-ocr-eng; Fedora: "
    "dnf install tesseract-langpack-eng; macOS: brew install tesseract), or set TESSDATA_PREFIX to the "
    f"folder that holds {VERIFIER_MODEL}.traineddata"
)
_LIST_LANGS_FOLDER: Final = re.compile(r'available languages in "([^"]+)"')
# A verifier character belongs to a print cell when its centre lies this close (in pitches) to the
# cell's centre.
MAX_CELL_OFFSET: Final = 0.35
# The eng model reads OCR-B's D and Q as O (measured on generated pages): among these its word is no
# evidence. A limitation: our model's own D/O/Q confusion in an unchecked field goes unconfirmed.
ROUND_LETTERS: Final = frozenset("DOQ")
# OCR-B's O and 0 differ only in height (the digit is about 7% taller), which matching a cell's print
# at its own height cannot see (measured: 0.88 against 0.87). A limitation: our model's own O/0
# confusion in an unchecked field that takes both goes unconfirmed.
PRINT_TWINS: Final = frozenset("O0")
# A cell binarised on its own (local_print) brings back ink that the line's threshold lost when it looks
# at least MIN_UNVEILED_GAIN more like another character than the line's print did, and gains at least
# MIN_UNVEILED_LEAD more than ours. A hologram's band faded an E's lower bar until the line's threshold
# kept an F: the cell's own threshold took the E from 0.60 to 0.75 and the F from 0.71 to 0.76. Where
# nothing faded (a phone's soft print), the two thresholds agree within a few hundredths; in a blurred
# photo a U gained 0.15 on its own threshold, and the 0 that holds it less.
MIN_UNVEILED_GAIN: Final = 0.1
MIN_UNVEILED_LEAD: Final = 0.05
# Only cells whose darkest ink is at least this share of the way from the line's usual ink to its paper
# are binarised again (faded: 0.48 under that band; 0.08 at most in a blurred photo, 0 on a clean page).
MIN_FADE: Final = 0.2
# faded_strokes looks at cells faded at least this much (the O a band made a U: 0.18 and 0.34; under a
# watermark or moire, where a stroke across the print can look like a lost one, cells are not faded),
# and finds a stroke there where its print is at least MIN_FADED_STROKE of the cell's contrast darker
# than the paper around it (those two Os: 0.32 and 0.44, the R read K 0.62; on 200 hologram pages,
# 0.10 at most in a faded cell of a page read right).
MIN_STROKE_FADE: Final = 0.15
MIN_FADED_STROKE: Final = 0.25
# creased_partners: a crack can take a stroke whole (a U's left stem: every reading and the restored
# print read J). Beside the crack (CREASE_BAND of a pitch each side of it left out), the print cannot
# tell ours from a character that fits it at least as well, less MAX_CREASE_FIT_LOSS, and has at least
# MIN_CREASE_SHARE more of its ink within the band than ours. Measured (overlap, Dice), rival less ours:
# the U beside a J +0.04, +0.06 and -0.015 (band share 0.48 against 0.11), O beside an O read C +0.01
# and -0.005; where a reading was right, on 400 fold pages, -0.033 at the closest (U beside an L).
CREASE_BAND: Final = 0.1
MIN_CREASE_SHARE: Final = 0.2
MAX_CREASE_FIT_LOSS: Final = 0.02


def tessdata_candidates() -> list[Path]:
    """Return the folders where Tesseract looks for its models, in the order it does.

    ``TESSDATA_PREFIX`` first (the folder itself, or its ``tessdata`` folder as Tesseract 3 had it), then
    the folder the installed ``tesseract`` command reports (``tesseract --list-langs``: its compiled-in
    search path, wherever the system's package manager put it), then the default of the tesserocr
    library (which may bundle its own Tesseract).
    """
    candidates: list[Path] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        candidates += [Path(prefix), Path(prefix) / "tessdata"]
    command = shutil.which("tesseract")
    if command is not None:
        try:
            listed = subprocess.run(
                [command, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError) as exc:
            log.debug("tesseract --list-langs failed: %s", exc)
        else:
            match = _LIST_LANGS_FOLDER.search(listed.stdout + listed.stderr)
            if match is not None:
                candidates.append(Path(match.group(1)))
    try:
        import tesserocr

        default, _ = tesserocr.get_languages()
    except (ImportError, RuntimeError) as exc:
        log.debug("tesserocr has no default model folder: %s", exc)
    else:
        if default and Path(default).is_absolute():
            candidates.append(Path(default))
    return candidates


@functools.cache
def verifier_dir() -> Path | None:
    """Return the folder holding the verifier model (``eng.traineddata``), found where Tesseract looks
    (:func:`tessdata_candidates`), or ``None`` when it is not installed.

    Looked up once per process; its absence is logged once, as a warning that says how to install it.
    """
    for directory in tessdata_candidates():
        if (directory / f"{VERIFIER_MODEL}.traineddata").is_file():
            return directory
    log.warning(
        "the second OCR model %s.traineddata was not found where Tesseract looks for it, so MRZ characters "
        "no check digit covers cannot be confirmed and no image reads as valid: %s",
        VERIFIER_MODEL,
        VERIFIER_INSTALL_HINT,
    )
    return None


@dataclass(frozen=True, slots=True)
class Cell:
    """A character position: 0-based line and column."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which cells check digits that agree cover (``checked``), and which of those may hold a letter,
    where the digit cannot tell letters of the same value modulo 10 apart (``letters``); each cell's
    field kind (``kinds``); and the characters ICAO 9303 prescribes where no check digit reaches
    (``prescribed``: a document code's first letter, the sex).
    """

    checked: frozenset[Cell]
    letters: frozenset[Cell]
    kinds: Mapping[Cell, str] = field(default_factory=dict)
    prescribed: Mapping[Cell, frozenset[str]] = field(default_factory=dict)


def coverage(format_name: str | None, checks: Mapping[str, bool]) -> Coverage:
    """Return the check-digit coverage of an MRZ of the format ``format_name`` (a
    :data:`checkpoint.mrz.layouts.LAYOUTS` key) whose checks came out as ``checks``: the cells of every
    agreeing check's data and the digit itself. Empty for an unknown format.
    """
    layout = LAYOUTS.get(format_name or "")
    if layout is None:
        return Coverage(frozenset(), frozenset())
    cells: set[Cell] = set()
    for check in layout.checks:
        if not checks.get(check.name, False):
            continue
        cells.add(Cell(check.line, check.pos))
        for line, start, end in check.parts:
            cells.update(Cell(line, column) for column in range(start, end))
    kinds = {
        Cell(span.line, column): span.kind
        for span in layout.fields.values()
        for column in range(span.start, span.end)
    }
    letters = {cell for cell, kind in kinds.items() if kind in (ALPHA, ALNUM, SEX)}
    prescribed = {
        Cell(span.line, span.start): frozenset(usual)
        for name, usual in (("document_code", DOCUMENT_LETTERS.get(layout.name, "")), ("sex", SEXES))
        if usual and (span := layout.fields.get(name)) is not None
    }
    return Coverage(frozenset(cells), frozenset(cells & letters), kinds, prescribed)


def _allowed(covered: Coverage, cell: Cell) -> frozenset[str]:
    """Return the characters the field holding ``cell`` allows (letters, digits and the filler where
    ``covered`` does not know the field)."""
    return ALLOWED.get(covered.kinds.get(cell) or ALNUM, ALLOWED[ALNUM])


def _as_field_allows(char: str, kind: str | None) -> str:
    """Return ``char`` as the field kind allows it: a digit the verifier reads in a letters-only field is
    the letter it looks like (``0`` is ``O``), and a letter in a digits-only field the digit.
    """
    if kind in (ALPHA, SEX):
        return TO_LETTER.get(char, char)
    if kind in (NUMERIC, DIGIT):
        return TO_DIGIT.get(char, char)
    return char


def _look_alike(ours: str, other: str, kind: str | None) -> bool:
    """True when, in a field that takes letters and digits, the two readings are a letter and the digit
    it looks like (``B``/``8``, ``S``/``5``, ``O``/``0``): the ``eng`` model does not tell OCR-B's apart, so
    its word is no evidence either way there.
    """
    if {ours, other} <= ROUND_LETTERS:
        return True
    return kind == ALNUM and _letter_and_its_digit(ours, other)


def _prescribed_only(cell: Cell, covered: Coverage, ours: str, other: str) -> bool:
    """True when ICAO 9303 prescribes the characters of ``cell`` (:attr:`Coverage.prescribed`) and
    ``ours`` is one of them and ``other`` is not: the format tells them apart, as a check digit would."""
    prescribed = covered.prescribed.get(cell)
    return prescribed is not None and ours in prescribed and other not in prescribed


def _letter_and_its_digit(a: str, b: str) -> bool:
    """True when one of ``a`` and ``b`` is a letter and the other the digit it looks like (``Z``/``2``)."""
    return TO_DIGIT.get(a) == b or TO_DIGIT.get(b) == a


def _verifier_says(cell: Cell, covered: Coverage, verifier: Sequence[Mapping[int, str]]) -> str | None:
    """Return the verifier's character in ``cell``, as the cell's field allows it, or ``None`` when it
    read nothing there.
    """
    other = verifier[cell.line].get(cell.column) if cell.line < len(verifier) else None
    return None if other is None else _as_field_allows(other, covered.kinds.get(cell))


def _local_pitch(grid: Sequence[float], column: int) -> float:
    """Return the print pitch at ``column`` of the cell centres ``grid`` (at least two): the step from
    the cell before it, or to the next for the first.
    """
    return grid[1] - grid[0] if column == 0 else grid[column] - grid[column - 1]


def cell_characters(
    reading: LineReading, grid: Sequence[float], values: Sequence[str] | None = None
) -> dict[int, str]:
    """Return, by column, the characters of ``reading`` (or the ``values`` given per character, such as
    its ``alternatives``) that sit on the print grid whose cell centres are ``grid`` (pixels, left to
    right). A cell that two characters claim is left out: the reading does not say what it holds.
    """
    if len(grid) < 2:
        return {}
    found: dict[int, list[str]] = {}
    chars = reading.text if values is None else values
    for char, centre in zip(chars, reading.centres, strict=True):
        column = min(range(len(grid)), key=lambda index: abs(grid[index] - centre))
        pitch = _local_pitch(grid, column)
        if abs(centre - grid[column]) <= MAX_CELL_OFFSET * abs(pitch):
            found.setdefault(column, []).append(char)
    return {column: chars[0] for column, chars in found.items() if len(chars) == 1}


def unconfirmed_cells(
    lines: Sequence[str], covered: Coverage, verifier: Sequence[Mapping[int, str]]
) -> list[Cell]:
    """Return the cells of ``lines`` whose letter or digit the verifier does not confirm.

    ``verifier`` gives, per line, the verifier's character in each cell it read (see
    :func:`cell_characters`). A cell needs confirming when it holds a letter or digit and no check
    digit covers it (``covered``), or one does but cannot tell the two readings apart (a field that
    may hold letters, read as two characters of the same value modulo 10). It is unconfirmed when the
    verifier read another letter or digit there, or nothing. Fillers are never compared (see the
    module's notes), nor a letter and the digit it looks like in a field that takes both
    (:func:`_look_alike`), nor, where ICAO 9303 prescribes the characters, ours against one it does not
    allow there (an ``L`` for our ``I`` as a TD1's first letter, :func:`_prescribed_only`).
    """
    doubtful: list[Cell] = []
    for number, text in enumerate(lines):
        for column, char in enumerate(text):
            if char == "<":
                continue
            cell = Cell(number, column)
            other = _verifier_says(cell, covered, verifier)
            if (
                other == "<"
                or other == char
                or (other is not None and _look_alike(char, other, covered.kinds.get(cell)))
                or (other is not None and _prescribed_only(cell, covered, char, other))
            ):
                continue
            if cell in covered.checked and not (
                cell in covered.letters
                and other is not None
                and other.isalpha()
                and char.isalpha()
                and _same_value(other, char)
            ):
                continue
            doubtful.append(cell)
    return doubtful


def look_alike_doubts(
    lines: Sequence[str], covered: Coverage, verifier: Sequence[Mapping[int, str]]
) -> list[Cell]:
    """Return the cells of a field that takes letters and digits where the verifier reads the letter or
    digit that looks like ours (``Z`` for our ``2``, ``0`` for our ``O``) and no check digit tells the
    two apart. The ``eng`` model's word is no evidence there (:func:`_look_alike`), but our model may be
    the one that misread: only the print settles such a cell (:func:`settled_by_print`). Not ``O`` and
    ``0``, which the print does not tell apart either (see :data:`PRINT_TWINS`).
    """
    cells: list[Cell] = []
    for number, text in enumerate(lines):
        for column, char in enumerate(text):
            cell = Cell(number, column)
            other = _verifier_says(cell, covered, verifier)
            if (
                other is None
                or covered.kinds.get(cell) != ALNUM
                or not _letter_and_its_digit(char, other)
                or {char, other} == PRINT_TWINS
                or (cell in covered.checked and not _same_value(char, other))
            ):
                continue
            cells.append(cell)
    return cells


def contested_checked_letters(
    lines: Sequence[str], covered: Coverage, verifier: Sequence[Mapping[int, str]]
) -> list[Cell]:
    """Return the cells that a check digit covers and that may hold a letter, where the verifier read
    another letter or digit than ours (not a filler, not a look-alike: see :func:`unconfirmed_cells`).
    """
    contested: list[Cell] = []
    for cell in sorted(covered.letters, key=lambda cell: (cell.line, cell.column)):
        if cell.line >= len(lines) or cell.column >= len(lines[cell.line]):
            continue
        ours = lines[cell.line][cell.column]
        other = _verifier_says(cell, covered, verifier)
        if (
            ours == "<"
            or other is None
            or other in ("<", ours)
            or _look_alike(ours, other, covered.kinds.get(cell))
        ):
            continue
        contested.append(cell)
    return contested


def hidden_confusions(
    contested: Sequence[Cell], lines: Sequence[str], weighed: Sequence[Mapping[int, str]]
) -> list[Cell]:
    """Return the cells of ``contested`` holding a letter where our model's runner-up (the first other
    character it weighed) is a letter of the same value modulo 10 (``P`` behind ``F``, ``K`` behind
    ``A``): a confusion the check digit cannot see, which damaged print (a fold's crack through a
    ``P``'s bowl) makes as easily as a model does. The print itself may be damaged, so such a cell
    stays in doubt unless the print shows our letter whole and clearly more like it than its twins
    (``read_mrz`` passes these cells to :func:`unsettled_twins` with ``minimum``
    :data:`checkpoint.ocr.glyphs.WHOLE_MATCH`). A ``P`` a crack cut to an ``F`` matched F at 0.82 but
    P at 0.77; whole F print leads P by 0.17 to 0.21, at 0.81 to 0.89 (intact, 0.9, it seldom is).
    """
    hidden: list[Cell] = []
    for cell in contested:
        ours = lines[cell.line][cell.column]
        candidates = weighed[cell.line].get(cell.column, "") if cell.line < len(weighed) else ""
        # The model's runner-up: the first character it weighed other than its own reading.
        runner_up = next((other for other in candidates[1:] if other != ours), None)
        if ours.isalpha() and runner_up is not None and runner_up.isalpha() and _same_value(runner_up, ours):
            hidden.append(cell)
    return hidden


def filler_doubts(
    lines: Sequence[str],
    covered: Coverage,
    verifier: Sequence[Mapping[int, str]],
    likely: Sequence[Mapping[int, str]],
    crops: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the cells holding a letter or digit where the verifier read a filler and our model found
    the filler likely too (``likely``: per line, by column, the characters it weighed with a confidence
    that counts, its own reading first), which the field allows and no check digit tells from ours,
    unless the print shows our character whole (:data:`checkpoint.ocr.glyphs.WHOLE_MATCH`) and more
    like it than a filler. The verifier's ``<`` is no evidence alone (it reads OCR-B's filler
    unreliably), but where our model weighed one too, two engines point at a filler: a watermark's
    stroke across the fillers of a name was read ``E`` (LIE<OLGA for LI<<OLGA), our model weighing
    ``3``, ``<`` and more behind it, where the print matched an ``E`` at 0.07.
    """
    doubtful: list[Cell] = []
    for number, text in enumerate(lines):
        heard = verifier[number] if number < len(verifier) else {}
        weighed = likely[number] if number < len(likely) else {}
        for column, ours in enumerate(text):
            cell = Cell(number, column)
            if (
                ours == "<"
                or heard.get(column) != "<"
                or "<" not in weighed.get(column, "")[1:]
                or not _rivals("<", ours, cell, covered)
            ):
                continue
            place = _cell_place(cell, grids)
            if (
                place is None
                or cell.line >= len(crops)
                or not _print_shows(crops[cell.line], place, ours, "<", WHOLE_MATCH)
            ):
                doubtful.append(cell)
    return doubtful


def unsettled_twins(
    contested: Sequence[Cell],
    lines: Sequence[str],
    covered: Coverage,
    crops: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
    minimum: float = MIN_MATCH,
) -> list[Cell]:
    """Return the cells of ``contested`` holding a letter whose print (in the binary line image
    ``crops[line]``, print cells centred at ``grids[line]``) does not look clearly more like it in OCR-B
    than like every other character of its value modulo 10 that the field allows (see
    :func:`checkpoint.ocr.glyphs.print_favours`). The check digit cannot tell those apart, the second
    engine already disagrees, and a model may read such a partner with damaged print (a ``P`` whose bowl
    a fold's crack cut, read ``F``) without weighing the right one: then the print must decide. The
    print must match our letter at least ``minimum`` well.
    """
    unsettled: list[Cell] = []
    for cell in contested:
        ours = lines[cell.line][cell.column]
        if ours.isalpha() and not all(
            _print_favours(cell, crops, grids, ours, twin, minimum)
            for twin in _twins(ours, covered.kinds.get(cell))
        ):
            unsettled.append(cell)
    return unsettled


def contradicted_digits(
    contested: Sequence[Cell],
    lines: Sequence[str],
    covered: Coverage,
    crops: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the cells of ``contested`` holding a digit whose print (``crops`` and ``grids`` as for
    :func:`unsettled_twins`) looks clearly more like a letter of its value modulo 10 that the field
    allows (by :data:`checkpoint.ocr.glyphs.MIN_LEAD`, however poorly it matches either), or cannot be
    compared: a blurred ``U`` in a phone photo, read ``0`` (0.76 against 0.52; both 0 to the check
    digit); a ``P`` a hologram's band left barely readable, read ``5`` (``Z`` 0.41, ``5`` 0.24). Our
    model reads OCR-B's digits well, and some of their twins look much alike (an ``8`` leads an ``S`` by
    little even clean), so the print need not show the digit, only not show a twin; where moire left a
    cell matching ``8`` at 0.18 and ``I`` at 0.22, it shows neither.
    """
    contradicted: list[Cell] = []
    for cell in contested:
        ours = lines[cell.line][cell.column]
        place = _cell_place(cell, grids)
        if not ours.isdigit() or place is None:
            continue
        line = crops[cell.line]
        score = match(line, *place, ours)
        twins = (match(line, *place, twin) for twin in _twins(ours, covered.kinds.get(cell)))
        if score is None or any(theirs is not None and theirs - score >= MIN_LEAD for theirs in twins):
            contradicted.append(cell)
    return contradicted


def erased_doubts(
    lines: Sequence[str],
    covered: Coverage,
    likely: Sequence[Mapping[int, str]],
    crops: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
    disputed: Sequence[Mapping[int, str]] = (),
) -> list[Cell]:
    """Return the cells where our model hesitated between its character and one whose print holds it and
    more (:func:`checkpoint.ocr.glyphs.erasure_partners`: ``O`` and a ``C``, ``R`` and a ``P``, ``8`` and
    a ``3``), which the field allows and no check digit tells from ours, unless the print shows our
    character intact: matching it at least :data:`checkpoint.ocr.glyphs.INTACT_MATCH` well, and clearly
    better than that partner. A fold's crack or a hologram's band that takes part of a character's ink
    leaves such a partner, and the second engine, seeing the same print, reads it too: its word is no
    evidence there. ``likely`` gives, per line, by column, the characters our model weighed with a
    confidence that counts, its own reading first (:attr:`checkpoint.ocr.engine.LineReading.ranked`).

    ``disputed`` gives, per line, by column, the characters our other readings of the line had where
    they disagreed with ``lines``. Such a partner is weaker evidence (a reading at another scale or
    threshold, not a character the model itself weighed beside ours), so it stands unless the print
    looks clearly more like ours (at least :data:`checkpoint.ocr.glyphs.MIN_MATCH`), intact or not.
    """
    doubtful: list[Cell] = []
    for number, text in enumerate(lines):
        candidates = likely[number] if number < len(likely) else {}
        others = disputed[number] if number < len(disputed) else {}
        # Only where our model found a second character likely, or our readings disagreed: on most
        # pages, no cell.
        columns = {c for c, chars in candidates.items() if len(chars) > 1} | set(others)
        for column in sorted(c for c in columns if c < len(text)):
            ours, cell = text[column], Cell(number, column)
            weighed = _erased_partners(candidates.get(column, "")[1:], ours, cell, covered)
            read = [
                other
                for other in _erased_partners(others.get(column, ""), ours, cell, covered)
                if other not in weighed
            ]
            if not all(
                _print_favours(cell, crops, grids, ours, other, INTACT_MATCH) for other in weighed
            ) or not all(_print_favours(cell, crops, grids, ours, other) for other in read):
                doubtful.append(cell)
    return doubtful


def locally_disputed(
    lines: Sequence[str],
    covered: Coverage,
    disputed: Sequence[Mapping[int, str]],
    greys: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the cells where our readings of a line disagreed (``disputed``: per line, by column, the
    other readings' characters) on a character the field allows and neither a check digit nor the
    format tells from ours, and the cell's print, binarised on its own
    (:func:`checkpoint.ocr.glyphs.local_print`, from the grey line images ``greys``, on the grids
    ``grids``), looks like that character (at least :data:`checkpoint.ocr.glyphs.MIN_MATCH`) and does
    not show ours rather than it: whole (:data:`checkpoint.ocr.glyphs.WHOLE_MATCH`) and more like ours,
    or clearly more like ours (an ``O`` holds all of a ``C``'s print, and leads it by little). Where ours
    holds the other's print and more (a ``0`` and a ``U``), the other reading may have lost ink that
    the band faded, so print that looks more like ours is enough.

    A hologram's band faded an ``I`` until the line's binarisation kept only its top: our model and the
    second engine read ``T`` on that print, another of our readings ``I``. The second engine's
    agreement is no evidence there; where the cell's own print cannot tell the two apart, the cell is
    in doubt.
    """
    doubtful: list[Cell] = []
    for number, others in enumerate(disputed):
        if number >= len(lines) or number >= len(greys):
            continue
        text = lines[number]
        for column, chars in sorted(others.items()):
            cell = Cell(number, column)
            place = _cell_place(cell, grids)
            if column >= len(text) or place is None:
                continue
            ours = text[column]
            rivals = [
                other
                for other in _rivals(chars, ours, cell, covered)
                if not _prescribed_only(cell, covered, ours, other)
            ]
            if not rivals:
                continue
            local = local_print(greys[number], *place)
            if any(
                (theirs := match(local, *place, other)) is not None
                and theirs >= MIN_MATCH
                and not _print_shows(local, place, ours, other, WHOLE_MATCH)
                and not (
                    ours in erasure_partners(other, CREASE_HELD)
                    and _looks_more_like(local, place, ours, theirs)
                )
                for other in rivals
            ):
                doubtful.append(cell)
    return doubtful


def unveiled_partners(
    lines: Sequence[str],
    covered: Coverage,
    crops: Sequence[np.ndarray],
    greys: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the cells whose print, binarised on its own (:func:`checkpoint.ocr.glyphs.local_print`,
    from the grey line images ``greys``), brings back ink of a character whose print holds ours and
    more (:func:`checkpoint.ocr.glyphs.erasure_partners`), one the field allows and no check digit
    tells from ours: where the line's print (``crops``) does not show ours whole
    (:data:`checkpoint.ocr.glyphs.WHOLE_MATCH`), the cell's own print looks like that character at least
    :data:`checkpoint.ocr.glyphs.MIN_MATCH`, :data:`MIN_UNVEILED_GAIN` more than the line's print does
    and :data:`MIN_UNVEILED_LEAD` more than it gains on ours, and does not show ours rather than it
    (whole and more like ours, or clearly more like ours).

    A hologram's band faded an ``E``'s lower bar until the line's threshold kept an ``F``, which our
    model and the second engine both read with no hesitation, and which the line's print matched
    better: on the cell's own threshold the bar came back, and the print could be either. Only cells
    whose ink is faded (:func:`_faded_columns`) are binarised again: on most pages, none.
    """
    doubtful: list[Cell] = []
    for number, text in enumerate(lines):
        if number >= len(crops) or number >= len(greys) or number >= len(grids):
            continue
        faded = _faded_columns(greys[number], grids[number])
        for column in (column for column in faded if column < len(text)):
            ours, cell = text[column], Cell(number, column)
            partners = _erased_partners(sorted(erasure_partners(ours)), ours, cell, covered)
            place = _cell_place(cell, grids)
            if not partners or place is None:
                continue
            ours_before = match(crops[number], *place, ours)
            if ours_before is None or ours_before >= WHOLE_MATCH:
                continue
            local = local_print(greys[number], *place)
            gained = (match(local, *place, ours) or 0.0) - ours_before
            for other in partners:
                theirs, before = match(local, *place, other), match(crops[number], *place, other)
                if (
                    theirs is not None
                    and before is not None
                    and theirs >= MIN_MATCH
                    and theirs - before >= MIN_UNVEILED_GAIN
                    and theirs - before - gained >= MIN_UNVEILED_LEAD
                    and not _print_shows(local, place, ours, other, WHOLE_MATCH)
                ):
                    doubtful.append(cell)
                    break
    return doubtful


def _faded_columns(grey: np.ndarray, grid: Sequence[float], least: float = MIN_FADE) -> list[int]:
    """Return the columns of the print cells centred at ``grid`` in the grey line image ``grey`` (uint8)
    whose darkest ink (3 x 3 pixels averaged, against noise) lies at least ``least`` of the way from the
    line's usual darkest ink (the median cell's) to its paper (the 90th percentile)."""
    grey = np.asarray(grey, dtype=np.uint8)
    if len(grid) < 2 or grey.ndim != 2 or grey.shape[0] < 3:
        return []
    darkest = cv2.blur(grey, (3, 3)).min(axis=0).astype(np.float64)
    # Each cell reaches halfway to its neighbours' centres (half its pitch beyond the line's ends).
    centres = np.asarray(grid, dtype=np.float64)
    halfway = (centres[1:] + centres[:-1]) / 2
    ends = [centres[0] - (centres[1] - centres[0]) / 2, centres[-1] + (centres[-1] - centres[-2]) / 2]
    bounds = np.clip(np.round([ends[0], *halfway, ends[1]]), 0, darkest.size).astype(np.intp)
    cells = np.full(len(grid), np.nan)
    whole = bounds[1:] > bounds[:-1]
    if not whole.any():
        return []
    # reduceat takes each minimum from its start to the next start (the last to the last cell's end); a
    # cell cut off at the image's edge (no pixels of its own) is left out.
    starts = np.append(bounds[:-1][whole], bounds[-1])
    cells[whole] = np.minimum.reduceat(np.append(darkest, np.inf), starts)[:-1]
    ink = float(np.nanmedian(cells))
    histogram = cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel().cumsum()
    paper = float(np.searchsorted(histogram, 0.9 * histogram[-1]))
    if paper - ink <= 0:
        return []
    return [int(column) for column in np.flatnonzero((cells - ink) / (paper - ink) >= least)]


def faded_strokes(
    lines: Sequence[str],
    covered: Coverage,
    crops: Sequence[np.ndarray],
    greys: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the faded cells (:data:`MIN_STROKE_FADE`) whose grey print (``greys``) still shows, faintly,
    a stroke of a character whose print holds most of ours (:data:`checkpoint.ocr.glyphs.CREASE_HELD`,
    :data:`checkpoint.ocr.glyphs.FADED_MORE_INK`): one the field allows and no check digit tells from
    ours, whose strokes that ours lacks are at least :data:`MIN_FADED_STROKE` darker than the paper
    around them (:func:`checkpoint.ocr.glyphs.faded_stroke`, on the binary line images ``crops``).

    A hologram's band washed the top of an O out of the line's binary print: both engines read U with no
    hesitation, and the U matched the print as well as the O or better, on the line's threshold and the
    cell's own. The grey print still held the O's top, paler than its other strokes but darker than the
    paper beside it. Another band left an R's bowl so pale that both engines read K (the print matched
    R at 0.57 and K at 0.39): the bowl's stroke stood 0.62 of the cell's contrast darker than its paper.
    """
    doubtful: list[Cell] = []
    for number, text in enumerate(lines):
        if number >= len(crops) or number >= len(greys) or number >= len(grids):
            continue
        faded = [
            column
            for column in _faded_columns(greys[number], grids[number], MIN_STROKE_FADE)
            if column < len(text)
        ]
        # Where the line has faded cells (on most pages, none), where its capitals stand.
        rows = cap_rows(crops[number], grids[number]) if faded else None
        if rows is None:
            continue
        for column in faded:
            ours, cell = text[column], Cell(number, column)
            place = _cell_place(cell, grids)
            if place is None:
                continue
            for other in _rivals(
                sorted(erasure_partners(ours, CREASE_HELD, FADED_MORE_INK)), ours, cell, covered
            ):
                shown = faded_stroke(greys[number], crops[number], rows, *place, ours, other)
                if shown is not None and shown >= MIN_FADED_STROKE:
                    doubtful.append(cell)
                    break
    return doubtful


def _erased_partners(
    chars: Iterable[str], ours: str, cell: Cell, covered: Coverage, held: float = MIN_HELD
) -> list[str]:
    """Return the characters of ``chars`` whose print holds that of ``ours`` (``held`` of it, see
    :func:`checkpoint.ocr.glyphs.erasure_partners`) and more, that the field of ``cell`` allows and that
    no check digit tells from ``ours``."""
    return [other for other in _rivals(chars, ours, cell, covered) if other in erasure_partners(ours, held)]


def _rivals(chars: Iterable[str], ours: str, cell: Cell, covered: Coverage) -> list[str]:
    """Return the characters of ``chars`` other than ``ours``, once each, that the field of ``cell``
    allows and that no check digit tells from ``ours``."""
    allowed = _allowed(covered, cell)
    return [
        other
        for other in dict.fromkeys(chars)
        if other != ours and other in allowed and (cell not in covered.checked or _same_value(other, ours))
    ]


def restored_doubts(
    lines: Sequence[str],
    covered: Coverage,
    restored: Sequence[Mapping[int, str]],
    prints: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
    minimum: float = MIN_MATCH,
) -> list[Cell]:
    """Return the cells where a line read again with the ink a crease took restored (``restored``: per
    line, by column, that reading's characters in the cells the restoration reached, see
    :mod:`checkpoint.ocr.crease`) holds another character than ``lines``, one that no check digit tells
    from ours, where the restored print (the binary line image ``prints[line]``, print cells centred at
    ``grids[line]``) looks like that character in OCR-B (at least ``minimum``; 0 counts a blot the
    restoration made as much as a character) and not clearly more like ours
    (:func:`checkpoint.ocr.glyphs.print_favours`).

    Fillers count here, both ways: the restored reading is our own model's, which reads them well, and
    a crease can take a letter whole or leave a speck where a filler was.
    """
    doubtful: list[Cell] = []
    for cell, ours, other, place in _restored_disagreements(lines, covered, restored, grids):
        if cell in covered.checked and not (cell in covered.letters and _same_value(ours, other)):
            continue
        line = prints[cell.line]
        theirs = match(line, *place, other)
        # The restored reading counts where the restored print shows its character (not a blot the
        # restoration made) and does not clearly show ours.
        if theirs is not None and theirs >= minimum and not print_favours(line, *place, ours, other):
            doubtful.append(cell)
    return doubtful


def faded_doubts(
    lines: Sequence[str],
    covered: Coverage,
    restored: Sequence[Mapping[int, str]],
    prints: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the cells the restoration of a crease reached (``restored``, ``prints`` and ``grids`` as for
    :func:`restored_doubts`) whose restored print looks like a character whose print holds ours and
    more (at least :data:`checkpoint.ocr.glyphs.MIN_MATCH`; partners at
    :data:`checkpoint.ocr.glyphs.CREASE_HELD`), one the field allows and no check digit tells from ours,
    and does not show ours rather than it: whole (:data:`checkpoint.ocr.glyphs.WHOLE_MATCH`) and more
    like ours, or clearly more like ours. A crease that took a stroke whole (an ``R``'s leg) leaves
    print of another character (``F``) that our model, the second engine and the restored reading all
    read: their agreement is no evidence there.
    """
    doubtful: list[Cell] = []
    for number, cells in enumerate(restored):
        text = lines[number] if number < len(lines) else ""
        for column in sorted(c for c in cells if c < len(text)):
            cell, ours = Cell(number, column), text[column]
            place = _cell_place(cell, grids)
            if place is None:
                continue
            line = prints[number]
            partners = _erased_partners(
                sorted(erasure_partners(ours, CREASE_HELD)), ours, cell, covered, CREASE_HELD
            )
            if any(
                (theirs := match(line, *place, other)) is not None
                and theirs >= MIN_MATCH
                and not _print_shows(line, place, ours, other, WHOLE_MATCH)
                for other in partners
            ):
                doubtful.append(cell)
    return doubtful


def creased_partners(
    lines: Sequence[str],
    covered: Coverage,
    restored: Sequence[Mapping[int, str]],
    prints: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
    creases: Sequence[float],
) -> list[Cell]:
    """Return the cells the restoration of a crease reached (``restored``, ``prints`` and ``grids`` as for
    :func:`restored_doubts`; ``creases``, the crease's column on each line) holding a character, not a
    filler, whose print beside the crease another character fits as well (:func:`crease_fit`, see
    :data:`MAX_CREASE_FIT_LOSS`) that has more of its ink on the crease (:data:`MIN_CREASE_SHARE`),
    one the field allows and no check digit tells from ours. The crack may have taken that stroke
    whole, leaving nothing to restore: a U whose left stem lay on it reads J to every reading, to the
    restored reading and to the print, so their agreement is no evidence there.
    """
    doubtful: list[Cell] = []
    for number, cells in enumerate(restored):
        text = lines[number] if number < len(lines) else ""
        if not cells or number >= len(prints) or number >= len(creases) or number >= len(grids):
            continue
        rows = cap_rows(prints[number], grids[number])
        if rows is None:
            continue
        for column in sorted(c for c in cells if c < len(text) and text[c] != "<"):
            cell, ours = Cell(number, column), text[column]
            place = _cell_place(cell, grids)
            rivals = _rivals(MRZ_CHARACTERS, ours, cell, covered)
            if place is None or not rivals:
                continue
            crease, reach = creases[number], CREASE_BAND * place[1]
            fit = crease_fit(prints[number], rows, *place, ours, crease, reach)
            if fit is None:
                continue
            for other in rivals:
                theirs = crease_fit(prints[number], rows, *place, other, crease, reach)
                if (
                    theirs is not None
                    and theirs[1] - fit[1] >= MIN_CREASE_SHARE
                    and theirs[0] >= fit[0] - MAX_CREASE_FIT_LOSS
                ):
                    doubtful.append(cell)
                    break
    return doubtful


def _restored_disagreements(
    lines: Sequence[str],
    covered: Coverage,
    restored: Sequence[Mapping[int, str]],
    grids: Sequence[Sequence[float]],
) -> Iterator[tuple[Cell, str, str, tuple[float, float]]]:
    """Yield, line by line and left to right, each cell where a restored reading (``restored``, as for
    :func:`restored_doubts`) holds another character than ``lines``, as the field allows it, on the
    print grid: the cell, our character, the restored reading's and the cell's centre and pitch."""
    for number, cells in enumerate(restored):
        text = lines[number] if number < len(lines) else ""
        for column, char in sorted(cells.items()):
            if column >= len(text):
                continue
            cell = Cell(number, column)
            ours, other = text[column], _as_field_allows(char, covered.kinds.get(cell))
            place = _cell_place(cell, grids)
            if other != ours and place is not None:
                yield cell, ours, other, place


def restored_characters(
    lines: Sequence[str],
    covered: Coverage,
    restored: Sequence[Mapping[int, str]],
    prints: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> dict[Cell, str]:
    """Return, by cell, the characters a line read again with the ink a crease took restored holds
    instead of ``lines``' (``restored``, ``prints`` and ``grids`` as for :func:`restored_doubts`), where
    the field allows them and the restored print shows them rather than ours: clearly more like them
    (:func:`checkpoint.ocr.glyphs.print_favours`), or intact and more like them (an ``O`` where we read
    ``C``, see :func:`_print_shows`; whole, where theirs holds ours, see :func:`_whole_beside`): what
    the crease took from a refused reading. Where the field does not allow ours (a ``3`` in a state's
    code), the restored print need only look like theirs (at least
    :data:`checkpoint.ocr.glyphs.MIN_MATCH`).
    """
    found: dict[Cell, str] = {}
    for cell, ours, other, place in _restored_disagreements(lines, covered, restored, grids):
        allowed = _allowed(covered, cell)
        if other not in allowed:
            continue
        line = prints[cell.line]
        if ours in allowed:
            shown = _print_shows(line, place, other, ours, _whole_beside(other, ours))
        else:
            score = match(line, *place, other)
            shown = score is not None and score >= MIN_MATCH
        if shown:
            found[cell] = other
    return found


def _whole_beside(char: str, rival: str) -> float:
    """Return how well restored print must match ``char`` to show it whole beside ``rival``: where
    ``char``'s print holds the rival's and more (a ``P`` beside an ``F``, a ``G`` beside an ``S``, at
    :data:`checkpoint.ocr.glyphs.CREASE_HELD`), the restoration brought back the very ink a crease
    takes, and print that matches it :data:`checkpoint.ocr.glyphs.WHOLE_MATCH` shows it (a restored P
    matched 0.89 against the F's 0.75); elsewhere, intact print
    (:data:`checkpoint.ocr.glyphs.INTACT_MATCH`)."""
    return WHOLE_MATCH if char in erasure_partners(rival, CREASE_HELD) else INTACT_MATCH


def _looks_more_like(line: np.ndarray, place: tuple[float, float], char: str, than: float) -> bool:
    """True when the print cell at ``place`` (centre and pitch) of ``line`` matches ``char`` better than
    ``than``."""
    score = match(line, *place, char)
    return score is not None and score > than


def _print_shows(
    line: np.ndarray, place: tuple[float, float], char: str, rival: str, whole: float = INTACT_MATCH
) -> bool:
    """True when the print cell at ``place`` (centre and pitch) of the binary line image ``line`` (a
    line's print restored where a crease faded it, or a cell binarised on its own) shows ``char``
    rather than ``rival``: clearly more like it (:func:`checkpoint.ocr.glyphs.print_favours`), or whole
    (matching it at least ``whole``: intact, :data:`checkpoint.ocr.glyphs.INTACT_MATCH`, unless told
    otherwise) and more like it. Print of a character that holds much of the rival's and more (an ``O``
    and a ``C``, a ``P`` and an ``F``) matches the rival well too, so it leads the rival by little even
    intact."""
    if print_favours(line, *place, char, rival):
        return True
    ours, theirs = match(line, *place, char), match(line, *place, rival)
    return ours is not None and theirs is not None and ours >= whole and ours > theirs


def unshown_by_restored_print(
    cells: Sequence[Cell],
    lines: Sequence[str],
    covered: Coverage,
    others: Sequence[Mapping[int, str]],
    restored: Sequence[Mapping[int, str]],
    prints: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the cells of ``cells`` that a line's print, with the ink a crease took restored, does not
    show as ``lines`` has them: the restoration did not reach the cell (``restored``, as for
    :func:`restored_doubts`, has no character there), or the restored print matches our character less
    than :data:`checkpoint.ocr.glyphs.MIN_MATCH`, or does not show it rather than each character our
    other readings had there (``others``: per line, by column) and the restored reading's, as
    :func:`restored_characters` asks of a character it takes (each as the field allows it: an ``8`` in a
    letters-only field is a ``B``; one the field does not allow is no rival).
    """
    unshown: list[Cell] = []
    for cell in cells:
        reached = restored[cell.line] if cell.line < len(restored) else {}
        text = lines[cell.line] if cell.line < len(lines) else ""
        place = _cell_place(cell, grids)
        if cell.column not in reached or cell.column >= len(text) or place is None:
            unshown.append(cell)
            continue
        ours = text[cell.column]
        heard = others[cell.line].get(cell.column, "") if cell.line < len(others) else ""
        kind = covered.kinds.get(cell)
        allowed = _allowed(covered, cell)
        rivals = {_as_field_allows(char, kind) for char in heard + reached[cell.column]} & allowed - {ours}
        score = match(prints[cell.line], *place, ours)
        if (
            score is None
            or score < MIN_MATCH
            or not all(
                _print_shows(prints[cell.line], place, ours, rival, _whole_beside(ours, rival))
                for rival in rivals
            )
        ):
            unshown.append(cell)
    return unshown


def checked_choice(others: str, ours: str, cell: Cell, covered: Coverage) -> bool:
    """True when a character of ``others`` could stand in ``cell`` (as its field allows it: a ``C`` in a
    date could not, an ``O`` there is a ``0``) with another value than ``ours`` to the check digits: a
    disagreement only a check digit can settle."""
    kind = covered.kinds.get(cell)
    allowed = _allowed(covered, cell)
    return any(
        (char := _as_field_allows(other, kind)) in allowed and char in VALUES and not _same_value(char, ours)
        for other in others
    )


def _same_value(a: str, b: str) -> bool:
    """True when a check digit cannot tell ``a`` from ``b``: the same value modulo 10."""
    return (VALUES[a] - VALUES[b]) % 10 == 0


def _twins(char: str, kind: str | None) -> list[str]:
    """Return the other letters and digits a field of ``kind`` allows (letters only where it takes no
    digit) that have ``char``'s value modulo 10.
    """
    letters_only = kind in (ALPHA, SEX)
    return [
        other
        for other in VALUES
        if other not in (char, "<") and (other.isalpha() or not letters_only) and _same_value(other, char)
    ]


def _print_favours(
    cell: Cell,
    crops: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
    ours: str,
    other: str,
    minimum: float = MIN_MATCH,
) -> bool:
    """True when the print of ``cell`` looks clearly more like ``ours`` than ``other`` in OCR-B, matching
    ``ours`` at least ``minimum`` well (see :func:`checkpoint.ocr.glyphs.print_favours`); false when it
    does not, or the cell is not on its line's print grid ``grids[line]`` (cell centres in the binary
    line image ``crops[line]``).
    """
    place = _cell_place(cell, grids)
    return place is not None and print_favours(crops[cell.line], *place, ours, other, minimum)


def _cell_place(cell: Cell, grids: Sequence[Sequence[float]]) -> tuple[float, float] | None:
    """Return the centre and the pitch of ``cell`` on its line's print grid ``grids[line]`` (pixels), or
    ``None`` when the cell is not on it."""
    grid = grids[cell.line] if cell.line < len(grids) else ()
    if len(grid) < 2 or cell.column >= len(grid):
        return None
    return grid[cell.column], _local_pitch(grid, cell.column)


def plausible_doubts(
    doubtful: Sequence[Cell],
    lines: Sequence[str],
    covered: Coverage,
    verifier: Sequence[Mapping[int, str]],
    weighed: Sequence[Mapping[int, str]],
    disputed: Sequence[Mapping[int, str]] = (),
) -> list[Cell]:
    """Return the cells of ``doubtful`` where the disagreement is a real doubt: the verifier read
    nothing there, or read a character the MRZ model itself weighed for the cell (``weighed``: per line,
    by column, the candidates the model's LSTM kept), or our own readings of the line disagreed there
    (``disputed``: per line, by column, their other characters). The ``eng`` model misreads OCR-B in
    ways our model never considers (``9`` as ``I``, ``Z`` as ``L``, ``J`` as ``U``); a real misread is a
    confusion both models see (our model kept ``V`` behind the ``U`` it read, ``E`` behind the ``B``),
    or a cell no one reads the same way twice (a fold through a ``W``: our readings gave ``N``, ``V``,
    ``N``, the verifier ``Y``).
    """
    kept: list[Cell] = []
    for cell in doubtful:
        other = _verifier_says(cell, covered, verifier)
        if other is None or (cell.line < len(disputed) and cell.column in disputed[cell.line]):
            kept.append(cell)
            continue
        candidates = weighed[cell.line].get(cell.column) if cell.line < len(weighed) else None
        if candidates is None or other in candidates[1:]:
            kept.append(cell)
    return kept


def upheld_by_print(
    doubtful: Sequence[Cell],
    lines: Sequence[str],
    covered: Coverage,
    verifier: Sequence[Mapping[int, str]],
    crops: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
) -> list[Cell]:
    """Return the cells of ``doubtful`` whose print (in the binary line image ``crops[line]``, print cells
    centred at ``grids[line]``) looks like the verifier's character in OCR-B (at least
    :data:`checkpoint.ocr.glyphs.MIN_MATCH`) and at least as much as like ours: an objection the third
    opinion backs, which stands even where our model did not weigh that character (a fold's crack
    through a ``G`` that our model read ``O`` without a second thought). The ``eng`` model's blind spots
    on OCR-B (``7`` read ``T``) are not backed: the print of an intact ``7`` looks like a ``7``.
    """
    upheld: list[Cell] = []
    for cell in doubtful:
        other = _verifier_says(cell, covered, verifier)
        place = _cell_place(cell, grids)
        if other is None or other == "<" or place is None:
            continue
        theirs = match(crops[cell.line], *place, other)
        ours = match(crops[cell.line], *place, lines[cell.line][cell.column])
        if theirs is not None and theirs >= MIN_MATCH and (ours is None or theirs >= ours):
            upheld.append(cell)
    return upheld


def settled_by_print(
    doubtful: Sequence[Cell],
    lines: Sequence[str],
    covered: Coverage,
    verifier: Sequence[Mapping[int, str]],
    crops: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
    greys: Sequence[np.ndarray] = (),
    disputed: Sequence[Mapping[int, str]] = (),
) -> list[Cell]:
    """Return the cells of ``doubtful`` that the print itself does not settle: those where the cell (in
    the binary line image ``crops[line]``, print cells centred at ``grids[line]``) does not look clearly
    more like our character than the verifier's in OCR-B (see :mod:`checkpoint.ocr.glyphs`), and those
    where the verifier read nothing, unless the print shows our character intact
    (:data:`checkpoint.ocr.glyphs.INTACT_MATCH`) and clearly more like it than any other the field
    allows: with nothing to weigh against it, only print that shows it outright settles it.

    Where the line's print cannot tell ours from the verifier's, the cell's own print (binarised on its
    own, :func:`checkpoint.ocr.glyphs.local_print`, from the grey line images ``greys``) settles it when
    it looks clearly more like ours, and the line's print does not look clearly more like the
    verifier's: a hologram's band fades the ink of a cell until the line's threshold keeps little of
    it. Not where the verifier's character holds all of ours and more (an ``E`` and an ``F``): that is
    what the band leaves of it.

    ``disputed`` gives, per line, by column, the other characters our own readings had. Where one of
    them is the verifier's, ours is outvoted, and only print that shows it whole
    (:data:`checkpoint.ocr.glyphs.WHOLE_MATCH`) and clearly more like it settles the cell: a band that
    took the top of an ``I`` left print that looks more like a ``J`` (0.68) than an ``I``.
    """
    kept: list[Cell] = []
    for cell in doubtful:
        ours, other = lines[cell.line][cell.column], _verifier_says(cell, covered, verifier)
        if other is None:
            allowed = _allowed(covered, cell)
            settled = all(
                _print_favours(cell, crops, grids, ours, char, INTACT_MATCH) for char in allowed - {ours}
            )
        else:
            # Where another of our readings read what the second engine read, ours is outvoted: only
            # print that shows it whole settles it.
            outvoted = other in (
                disputed[cell.line].get(cell.column, "") if cell.line < len(disputed) else ""
            )
            minimum = WHOLE_MATCH if outvoted else MIN_MATCH
            settled = _print_favours(cell, crops, grids, ours, other, minimum) or (
                _locally_favours(cell, greys, grids, ours, other, minimum)
                and other not in erasure_partners(ours, CREASE_HELD)
                and not _print_favours(cell, crops, grids, other, ours)
            )
        if not settled:
            kept.append(cell)
    return kept


def _locally_favours(
    cell: Cell,
    greys: Sequence[np.ndarray],
    grids: Sequence[Sequence[float]],
    ours: str,
    other: str,
    minimum: float = MIN_MATCH,
) -> bool:
    """True when the print of ``cell``, binarised on its own (:func:`checkpoint.ocr.glyphs.local_print`,
    from the grey line images ``greys``), looks clearly more like ``ours`` than ``other``; false when it
    does not, or there is no grey image of its line or the cell is not on its grid."""
    place = _cell_place(cell, grids)
    if place is None or cell.line >= len(greys):
        return False
    return print_favours(local_print(greys[cell.line], *place), *place, ours, other, minimum)
