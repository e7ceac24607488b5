"""A third opinion on one print cell: which of two characters the pixels look like, in OCR-B.

MRZ print is in one font, OCR-B (ISO 1073-2), so where our model and the second engine disagree about a
cell, the cell itself can be compared with both characters drawn in that font (Debian's ``fonts-ocr-b``).
This settles a disagreement only one way: it may clear our reading when the print matches it clearly
better than the verifier's, never the other way round. The ``eng`` verifier misreads OCR-B's ``7`` as
``T`` and ``J`` as ``U``; a real misread of ours (an ``E`` read as ``B``) looks like the verifier's
character in the pixels, and the doubt stands.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import cv2
import numpy as np

log = logging.getLogger(__name__)

OCR_B_FONTS: Final = (
    Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf"),  # Debian's fonts-ocr-b
    Path("/usr/share/fonts/truetype/ocr-b/OCRB.ttf"),
)
# Drawn this tall, then scaled to the cell's print.
_RENDER_PX: Final = 96
# Our reading is cleared only when its glyph matches the cell at least this well (normalised
# correlation of ink, -1 to 1) and this much better than the verifier's character.
MIN_MATCH: Final = 0.6
MIN_LEAD: Final = 0.15
# Print that matches a character this well is that character intact, not a damaged twin of it: on
# generated pages an intact F matched 0.93-0.96 (a fold's crack through one, 0.63), a P cut to an F by
# a crack 0.82. The glyph match may overrule our model's own hesitation only at this level.
INTACT_MATCH: Final = 0.9
# Print that matches a character this well has lost no stroke of it to a crease or a band: an O whose
# print matches 0.83 is no Q whose tail a crease took (Q holds all of O's print, so an O leads Q by
# little); an R whose leg a crease took matched F at 0.69.
WHOLE_MATCH: Final = 0.8
# A cell's print is binarised again on its own within this many pitches of its centre (local_print).
LOCAL_REACH: Final = 1.5


def font_path() -> Path | None:
    """Return the OCR-B font file, or ``None`` when ``fonts-ocr-b`` is not installed."""
    return next((path for path in OCR_B_FONTS if path.is_file()), None)


@functools.lru_cache(maxsize=64)
def _glyph(char: str) -> np.ndarray | None:
    """Return the ink of ``char`` in OCR-B (1.0 for ink), cut to its bounding box; ``None`` without the font."""
    from PIL import Image, ImageDraw, ImageFont

    path = font_path()
    if path is None:
        return None
    font = ImageFont.truetype(str(path), _RENDER_PX)
    left, top, right, bottom = (round(value) for value in font.getbbox(char))
    image = Image.new("L", (right - left + 4, bottom - top + 4), 0)
    ImageDraw.Draw(image).text((2 - left, 2 - top), char, font=font, fill=255)
    ink = np.asarray(image, dtype=np.float32) / 255.0
    rows, cols = np.nonzero(ink > 0.5)
    if rows.size == 0:
        return None
    return ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


# erasure_partners: a character's print holds another's when it covers this share of its ink (within
# TOLERANCE_PX of _RENDER_PX-high print, for the font's own rounding) and has this much more ink besides.
MIN_HELD: Final = 0.9
MIN_MORE_INK: Final = 1.1
# A crease takes whole strokes where a band of light or wear thins ink evenly: an R whose leg a crease
# took reads F, whose print R's holds only 84% of (F's bars reach further than R's bowl). The cells a
# crease crossed weigh the partners that hold this share.
CREASE_HELD: Final = 0.8
# A band that fades ink takes part of a stroke, not whole strokes: an O whose top a hologram washed out
# reads U, though OCR-B's O has only 5% more ink than its U (the U's stems reach higher). Where the
# print itself shows the lost stroke (faded_stroke), a partner need only have as much ink as ours.
FADED_MORE_INK: Final = 1.0
TOLERANCE_PX: Final = 2
# A cell whose ink is within this many grey levels of its paper holds no print to measure.
MIN_CONTRAST: Final = 20
MRZ_CHARACTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


@functools.lru_cache(maxsize=64)
def _placed_glyph(char: str) -> np.ndarray | None:
    """Return the ink of ``char`` in OCR-B drawn at a fixed origin (1.0 for ink): every character in one
    frame, as the font places it in its cell. ``None`` without the font."""
    from PIL import Image, ImageDraw, ImageFont

    path = font_path()
    if path is None:
        return None
    font = ImageFont.truetype(str(path), _RENDER_PX)
    image = Image.new("L", (_RENDER_PX * 5 // 4, _RENDER_PX * 3 // 2), 0)
    ImageDraw.Draw(image).text((_RENDER_PX // 8, _RENDER_PX // 8), char, font=font, fill=255)
    return np.asarray(image, dtype=np.float32) / 255.0


@functools.cache
def erasure_partners(char: str, held: float = MIN_HELD, more: float = MIN_MORE_INK) -> frozenset[str]:
    """Return the MRZ characters whose OCR-B print holds all of ``char``'s and more (``O``, ``G``, ``Q``
    and ``E`` for ``C``; ``R``, ``B`` for ``P``; ``8`` for ``3``): print of one of them that lost ink,
    to a fold's crack or a hologram's band, reads as ``char``. "All" is ``held`` of ``char``'s ink
    (:data:`CREASE_HELD` also counts ``R`` for ``F``), and "more" ``more`` times its ink
    (:data:`MIN_MORE_INK`; with :data:`FADED_MORE_INK`, ``O`` counts for ``U``). Empty without the font."""
    ours = _placed_glyph(char)
    if ours is None or float(ours.sum()) == 0.0:
        return frozenset()
    kernel = np.ones((2 * TOLERANCE_PX + 1, 2 * TOLERANCE_PX + 1), np.uint8)
    partners = set()
    for other in MRZ_CHARACTERS:
        theirs = _placed_glyph(other)
        if other == char or theirs is None:
            continue
        share = float(np.minimum(ours, cv2.dilate(theirs, kernel)).sum()) / float(ours.sum())
        if share >= held and float(theirs.sum()) >= more * float(ours.sum()):
            partners.add(other)
    return frozenset(partners)


def local_print(grey: np.ndarray, centre: float, pitch: float) -> np.ndarray:
    """Return the grey line image ``grey`` (ink dark) binarised by Otsu's threshold within
    :data:`LOCAL_REACH` pitches of the print cell centred at ``centre`` alone, white elsewhere. A band
    that fades part of a line (a hologram's) leaves its ink darker than its own paper, but the
    threshold of the whole line may keep only part of it: a faded ``I`` whose top alone stayed dark
    reads ``T``."""
    left = max(0, int(centre - LOCAL_REACH * pitch))
    right = min(grey.shape[1], int(centre + LOCAL_REACH * pitch))
    out = np.full(grey.shape, 255, np.uint8)
    if right - left >= 2:
        _, out[:, left:right] = cv2.threshold(
            grey[:, left:right], 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU
        )
    return out


def _ink_rows(line: np.ndarray, centre: float, pitch: float) -> tuple[int, int] | None:
    """Return the first and last row (inclusive) holding ink in the middle of the print cell centred at
    ``centre`` of the binary line image ``line`` (ink dark), or ``None`` when the cell is empty.
    """
    left = max(0, round(centre - 0.3 * pitch))
    right = min(line.shape[1], round(centre + 0.3 * pitch) + 1)
    if right - left < 2:
        return None
    rows = np.nonzero((line[:, left:right] < 128).any(axis=1))[0]
    if rows.size < 4:
        return None
    return int(rows.min()), int(rows.max())


def match(line: np.ndarray, centre: float, pitch: float, char: str) -> float | None:
    """Return how well ``char`` in OCR-B, scaled to the height of the print in the cell centred at
    ``centre`` of the binary line image ``line``, matches that cell at its best offset (normalised
    correlation of ink, searched a fifth of a pitch either way), or ``None`` when it cannot be compared:
    no font, an empty cell, or one cut off by the image's edge.
    """
    glyph = _glyph(char)
    rows = _ink_rows(line, centre, pitch)
    if glyph is None or rows is None:
        return None
    top, bottom = rows
    height = bottom - top + 1
    width = max(1, round(glyph.shape[1] * height / glyph.shape[0]))
    left = round(centre - width / 2 - 0.2 * pitch)
    right = round(centre + width / 2 + 0.2 * pitch)
    if left < 0 or right > line.shape[1]:
        return None
    template = cv2.resize(glyph, (width, height), interpolation=cv2.INTER_AREA)
    if float(template.std()) == 0.0:
        return None
    window = (line[top : bottom + 1, left:right] < 128).astype(np.float32)
    return float(cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED).max())


def print_favours(
    line: np.ndarray, centre: float, pitch: float, ours: str, other: str, minimum: float = MIN_MATCH
) -> bool:
    """True when the print cell at ``centre`` (pixels) of the binary line image ``line`` looks clearly more
    like ``ours`` than ``other`` in OCR-B (matching ``ours`` at least ``minimum`` well); false when it does
    not, or cannot be told (no font, an empty or cut-off cell).
    """
    ours_score, other_score = match(line, centre, pitch, ours), match(line, centre, pitch, other)
    if ours_score is None or other_score is None:
        return False
    log.debug("glyph match %.2f against %.2f", ours_score, other_score)
    return ours_score >= minimum and ours_score - other_score >= MIN_LEAD


def print_shows(
    line: np.ndarray, centre: float, pitch: float, ours: str, allowed: Iterable[str]
) -> str | None:
    """Return the character of ``allowed`` that the print cell at ``centre`` (pixels) of the binary line
    image ``line`` matches best in OCR-B, when that is not ``ours`` and the print favours it clearly over
    ``ours`` (:func:`print_favours`); ``None`` otherwise, or when it cannot be told.
    """
    scores = {char: match(line, centre, pitch, char) for char in allowed if char != ours}
    known = {char: score for char, score in scores.items() if score is not None}
    if not known:
        return None
    best = max(known, key=known.__getitem__)
    return best if print_favours(line, centre, pitch, best, ours) else None


def cap_rows(line: np.ndarray, grid: Sequence[float]) -> tuple[float, float] | None:
    """Return the rows (top and bottom, the median over the cells of the binary line image ``line``
    centred at ``grid``) where the line's capitals stand: one faded cell does not move them."""
    if len(grid) < 3:
        return None
    pitch = (grid[-1] - grid[0]) / (len(grid) - 1)
    found = [rows for rows in (_ink_rows(line, centre, pitch) for centre in grid) if rows is not None]
    if len(found) < 3:
        return None
    return float(np.median([top for top, _ in found])), float(np.median([bottom for _, bottom in found]))


@functools.lru_cache(maxsize=256)
def _frame_at(char: str, width: int, height: int) -> np.ndarray | None:
    """Return :func:`_placed_glyph` of ``char`` scaled to ``width`` x ``height`` pixels, as a 0/1 mask."""
    glyph = _placed_glyph(char)
    if glyph is None:
        return None
    return (cv2.resize(glyph, (width, height), interpolation=cv2.INTER_AREA) > 0.5).astype(np.uint8)


def _line_frame(rows: tuple[float, float]) -> tuple[int, int, int] | None:
    """Return the size (width and height, pixels) of the OCR-B frame of :func:`_placed_glyph` scaled to a
    line whose capitals stand at ``rows`` (:func:`cap_rows`), and the row its top stands at there.
    ``None`` without the font."""
    letter = _placed_glyph("H")
    if letter is None:
        return None
    cap = np.nonzero(letter.max(axis=1) > 0.5)[0]
    top, bottom = rows
    scale = (bottom - top + 1) / (cap[-1] - cap[0] + 1)
    width, height = max(1, round(letter.shape[1] * scale)), max(1, round(letter.shape[0] * scale))
    return width, height, round(top - cap[0] * scale)


def crease_fit(
    line: np.ndarray,
    rows: tuple[float, float],
    centre: float,
    pitch: float,
    char: str,
    crease: float,
    reach: float,
) -> tuple[float, float] | None:
    """Return how well ``char`` in OCR-B fits the binary line image ``line`` (ink dark) at the cell
    centred at ``centre`` beside a crease: leaving out the columns within ``reach`` pixels of the crease
    at column ``crease``, the overlap (Dice) of its ink and the print's at its best place (within 0.3
    ``pitch`` across and three pixels up or down of where the line's capitals, ``rows``, put it); and
    the share of its ink that falls within that band there. ``None`` without the font or for a cell cut
    off by the image's edge.

    Each character is placed by its own best fit: OCR-B sets a J elsewhere in its cell than a U's right
    half, so one frame placed on ours would put the other off.
    """
    placed = _line_frame(rows)
    if placed is None:
        return None
    width, height, frame_top = placed
    frame = _frame_at(char, width, height)
    if frame is None or not frame.any():
        return None
    shift = round(0.3 * pitch)
    left = round(centre - width / 2) - shift
    upper = frame_top - 3
    right, lower = left + width + 2 * shift, upper + height + 6
    if left < 0 or right > line.shape[1]:
        return None
    # The print of this cell alone (its neighbours' ink would count against every character alike).
    window = np.zeros((lower - upper, right - left), np.float32)
    first, last = max(0, upper), min(line.shape[0], lower)
    near = np.abs(np.arange(left, right) - centre) <= 0.6 * pitch
    if last > first:
        window[first - upper : last - upper] = (line[first:last, left:right] < 128) & near
    band = np.broadcast_to(np.abs(np.arange(left, right) - crease) <= reach, window.shape).astype(np.float32)
    kept = window * (1.0 - band)
    ink = frame.astype(np.float32)
    overlap = cv2.matchTemplate(kept, ink, cv2.TM_CCORR)
    in_band = cv2.matchTemplate(band, ink, cv2.TM_CCORR)
    print_ink = cv2.matchTemplate(kept, np.ones_like(ink), cv2.TM_CCORR)
    total = float(ink.sum())
    dice = 2.0 * overlap / np.maximum(total - in_band + print_ink, 1.0)
    _, best, _, (dx, dy) = cv2.minMaxLoc(dice)
    return float(best), float(in_band[dy, dx]) / total


def faded_stroke(
    grey: np.ndarray,
    line: np.ndarray,
    rows: tuple[float, float],
    centre: float,
    pitch: float,
    ours: str,
    other: str,
) -> float | None:
    """Return how dark the grey print is where ``other`` in OCR-B has strokes that ``ours`` lacks, against
    the paper just around them, as a share of the cell's ink contrast: about 0 where the print holds
    nothing there, 0.3 or more where a band faded a stroke of ``other`` out of the binary print. ``None``
    when it cannot be told (no font, a cell cut off by the image's edge, no ink or no such strokes).

    ``grey`` is the grey line image and ``line`` its binary print (ink dark), ``rows`` where the line's
    capitals stand (:func:`cap_rows`), ``centre`` and ``pitch`` the cell's place. Both characters are
    drawn in one frame, scaled to the line's capitals and set where ``ours`` matches the binary print
    best; the paper is read three to six pixels from those strokes and from any other, past the print's
    blur (at the scale lines are read at, capitals about 30 pixels high).
    """
    placed = _line_frame(rows)
    if placed is None:
        return None
    width, height, frame_top = placed
    mine, theirs = _frame_at(ours, width, height), _frame_at(other, width, height)
    if mine is None or theirs is None or not mine.any():
        return None
    ink_rows, ink_cols = np.nonzero(mine)
    template = mine[ink_rows.min() : ink_rows.max() + 1, ink_cols.min() : ink_cols.max() + 1].astype(
        np.float32
    )
    left = round(centre - template.shape[1] / 2 - 0.25 * pitch)
    right = round(centre + template.shape[1] / 2 + 0.25 * pitch)
    upper, lower = frame_top + ink_rows.min() - 2, frame_top + ink_rows.max() + 3
    if (
        left < 0
        or right > line.shape[1]
        or upper < 0
        or lower > line.shape[0]
        or float(template.std()) == 0.0
    ):
        return None
    window = (line[upper:lower, left:right] < 128).astype(np.float32)
    _, _, _, (dx, dy) = cv2.minMaxLoc(cv2.matchTemplate(window, template, cv2.TM_CCOEFF_NORMED))
    x, y = left + dx - ink_cols.min(), upper + dy - ink_rows.min()
    extra = cv2.erode(theirs & (1 - cv2.dilate(mine, np.ones((5, 5), np.uint8))), np.ones((2, 2), np.uint8))
    core = cv2.erode(mine, np.ones((3, 3), np.uint8))
    clear = 1 - cv2.dilate(np.maximum(mine, theirs), np.ones((7, 7), np.uint8))
    near = np.minimum(cv2.dilate(extra, np.ones((13, 13), np.uint8)), clear)
    # The frame, cut to the image.
    y0, x0 = max(0, -y), max(0, -x)
    y1, x1 = min(height, grey.shape[0] - y), min(width, grey.shape[1] - x)
    if y1 <= y0 or x1 <= x0:
        return None
    pixels = grey[y + y0 : y + y1, x + x0 : x + x1].astype(np.float32)
    extra, core, near = (mask[y0:y1, x0:x1].astype(bool) for mask in (extra, core, near))
    if min(int(extra.sum()), int(core.sum()), int(near.sum())) < 8:
        return None
    top, bottom = rows
    cell = grey[
        max(0, round(top) - 3) : round(bottom) + 4,
        max(0, round(centre - pitch / 2)) : round(centre + pitch / 2),
    ]
    paper, ink = float(np.percentile(cell, 90)), float(np.median(pixels[core]))
    if paper - ink < MIN_CONTRAST:
        return None
    return (float(pixels[near].mean()) - float(pixels[extra].mean())) / (paper - ink)
