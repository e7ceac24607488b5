"""A crease across the MRZ: where a document was folded, the cracked laminate along the fold lost its
ink, so a narrow pale band runs through the characters it crosses, and the page on either side of it
lies at another angle to the light.

A character that lost part of its ink to the band can read as another one that the rest of its print
holds (a ``T`` that lost an arm reads ``I``, an ``O`` that lost a side ``C``), and the second engine,
seeing the same print, reads the same. No check digit covers a name, so such a page would be valid
with a wrong name. The faint ink left in the band often still shows the lost stroke: restored to the
line's contrast and read again, the print says which character it was (see ``read_mrz``).

The fold is found by its light, not its ink: the background steps sharply from one side of the crease
to the other (a shadow on one side, a sheen on the other), at the same place in every line of the MRZ.
A watermark's broad letters and a hologram's band step too, but step back across their other edge; the
two sides of a fold stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import cv2
import numpy as np

from checkpoint.ocr.locate import BACKGROUND_KERNEL, END_MARGIN, binarise

# The background's step is measured across this many character heights either side of a column.
STEP_HALF_WIDTH: Final = 0.075
# A crease changes the background's brightness by at least this share across it, in every line. The
# strongest step at one place in every line, on generated pages: clean under 1%; photo light, moire, a
# hologram, guilloche under 5%; a rotated page up to 6% (it steps back: see MAX_STEP_BACK); a fold 6-20%.
MIN_STEP: Final = 0.05
# A fold runs up to about 10 degrees off square to the lines, so from one line to the next it moves
# along them by up to this many character heights.
MAX_DRIFT: Final = 0.3
# A fold changes the light on all of the page on one side of it: the background does not step back
# within this many character heights by more than this share of the step. A band (a watermark's
# stroke, a hologram's stripe, glare) steps back across its other edge: in generated pages a fold
# stepped back by at most 0.48 of its step, a watermark's strokes by 0.87 or more.
STEP_BACK_REACH: Final = 2.0
MAX_STEP_BACK: Final = 0.6
# Ink is restored within this many character heights of the crease.
REACH: Final = 0.6
# The ink's strength is taken over windows this wide (character heights): a stroke and its edges.
STROKE_WINDOW: Final = 0.3
# In the band, ink is brought back to the line's usual strength (the upper quartile of its windows), at
# most this many times as strong; ink fainter than this share of the usual is stretched as if it were this.
MAX_GAIN: Final = 8.0
MIN_FADED: Final = 0.12
# The fold's own shadow runs the full height of the crop: in each column of the band, the depth of this
# percentile of its rows (fewer than the paper rows above and below the print) is the fold's, not ink.
PAPER_ROWS: Final = 30.0
# The paper's grain is what the band holds above and below the print, up to this percentile: at the
# 99th, a phone photo's grain hid the faded leg of an R. (On 500 fold pages the two read alike.)
GRAIN_PERCENTILE: Final = 95.0
# Restoring ink must add at least this many character heights squared of ink to count as found.
MIN_RESTORED_INK: Final = 0.005


def _background(crop: np.ndarray, height: int | None = None) -> np.ndarray:
    """Return the paper under ``crop``'s print: dark strokes narrower than the closing kernel of
    :func:`checkpoint.ocr.locate.binarise` (for a crop ``height`` high, ``crop``'s own by default)
    closed over."""
    size = max(3, round(BACKGROUND_KERNEL * (height or crop.shape[0]))) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return np.asarray(cv2.morphologyEx(crop, cv2.MORPH_CLOSE, kernel), dtype=np.float32)


def _steps(crop: np.ndarray, char_px: float, height: int | None = None) -> np.ndarray:
    """Return, per column of the line ``crop`` (or of rows of one ``height`` high), how much brighter the
    paper is to its right than to its left, as a share of the brighter side (negative where it is
    darker), zero outside the print."""
    paper = np.median(_background(crop, height), axis=0)
    half = max(1, round(STEP_HALF_WIDTH * char_px))
    steps = np.zeros_like(paper)
    right, left = paper[2 * half :], paper[: -2 * half]
    steps[half:-half] = (right - left) / np.maximum(1.0, np.maximum(right, left))
    # crop_line puts the first and last character centres END_MARGIN heights from the ends: beyond half
    # a character past them lies the page around the MRZ, whose edges are no crease.
    margin = max(0, round((END_MARGIN - 0.5) * char_px))
    steps[:margin] = 0.0
    steps[len(steps) - margin :] = 0.0
    return np.asarray(steps, dtype=np.float32)


def find_crease(crops: Sequence[np.ndarray], char_px: float) -> list[int] | None:
    """Return where one crease crosses every line of an MRZ (the column of each line crop in ``crops``,
    cut by :func:`checkpoint.ocr.locate.crop_line` at ``char_px``), or ``None`` when none does: the
    background must step by at least :data:`MIN_STEP` the same way in every line, within
    :data:`MAX_DRIFT` character heights of the same place along them, and not step back nearby
    (:data:`MAX_STEP_BACK`). Needs two lines or more.
    """
    if len(crops) < 2:
        return None
    width = min(crop.shape[1] for crop in crops)
    steps = [_steps(crop, char_px)[:width] for crop in crops]
    near = max(1, round(MAX_DRIFT * char_px))
    reach = np.ones((1, 2 * near + 1), np.uint8)
    back = max(1, round(STEP_BACK_REACH * char_px))
    found: list[int] | None = None
    strongest = 0.0
    for sign in (1.0, -1.0):
        # Per column, the weakest line's strongest step of this sign within reach.
        shared = np.min([cv2.dilate(sign * line[None, :], reach)[0] for line in steps], axis=0)
        column = int(np.argmax(shared))
        if shared[column] < max(MIN_STEP, strongest):
            continue
        columns = [
            max(0, column - near) + int(np.argmax(sign * line[max(0, column - near) : column + near + 1]))
            for line in steps
        ]
        if all(
            float(np.max(-sign * line[max(0, x - back) : x + back + 1]))
            < MAX_STEP_BACK * sign * float(line[x])
            for line, x in zip(steps, columns, strict=True)
        ):
            found, strongest = columns, float(shared[column])
    return found


def _slant(crop: np.ndarray, column: int, char_px: float) -> float:
    """Return how many columns the crease at ``column`` of the line ``crop`` moves per row down the crop:
    a fold runs up to 10 degrees off square to the lines. Taken from where the page's light steps in the
    paper above the print and in the paper below it (crop_line leaves 0.3 of a character height of each).
    """
    height, width = (int(size) for size in crop.shape)
    rows = max(1, round(0.25 * char_px))
    half = max(1, round(STEP_HALF_WIDTH * char_px))
    sign = 1.0 if _steps(crop, char_px)[column] >= 0 else -1.0
    # The crease moves at most MAX_DRIFT heights from one line to the next, 1.8 heights further down.
    near = max(1, round(MAX_DRIFT * height / 1.8))
    start, end = max(half, column - near), min(column + near, width - half - 1)

    def step_at(band: np.ndarray) -> int:
        light = band.astype(np.float32).mean(axis=0)
        steps = sign * (light[start + half : end + half + 1] - light[start - half : end - half + 1])
        return start + int(np.argmax(steps))

    return (step_at(crop[height - rows :]) - step_at(crop[:rows])) / float(height - rows)


def restore_crease(crop: np.ndarray, column: int, char_px: float) -> np.ndarray | None:
    """Return the line ``crop`` (grey, cut at ``char_px``) binarised as
    :func:`checkpoint.ocr.locate.binarise` does, with the ink that the crease at ``column`` faded
    brought back to the line's usual strength first, within :data:`REACH` character heights of it; or
    ``None`` when that adds less than :data:`MIN_RESTORED_INK` of ink: nothing was lost there.
    """
    height, width = crop.shape
    # Sheared so that the crease runs straight down the crop at ``column``.
    slant = _slant(crop, column, char_px)
    shear = np.array([[1.0, slant, -slant * height / 2], [0.0, 1.0, 0.0]])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    upright = cv2.warpAffine(crop, shear, (width, height), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    # The light differs on the two sides of the fold, so the paper under each is found from that side
    # alone: across the step, closing would take a faded stroke beside it for paper.
    paper = (
        np.hstack([_background(upright[:, :column]), _background(upright[:, column:])])
        if 0 < column < width
        else _background(upright)
    )
    depth = np.clip(paper - upright.astype(np.float32), 0.0, None) / np.maximum(paper, 1.0)
    top = round(0.25 * char_px)
    rows = slice(top, max(top + 1, height - top))
    window = np.ones((1, max(3, round(STROKE_WINDOW * char_px)) | 1), np.uint8)
    strength = cv2.dilate(depth[rows].max(axis=0)[None, :], window)[0]
    margin = max(0, round((END_MARGIN - 0.5) * char_px))
    print_span = strength[margin : len(strength) - margin] if 2 * margin < len(strength) else strength
    usual = float(np.percentile(print_span, 75))
    if usual <= 0.0:
        return None
    start = max(0, column - round(REACH * char_px))
    end = min(width, column + round(REACH * char_px) + 1)
    band = depth[:, start:end]
    band = np.clip(band - np.percentile(band, PAPER_ROWS, axis=0)[None, :], 0.0, None)
    # The grain of the paper and the crack's own specks, as deep as they come above and below the print,
    # are no ink: stretched with it, they would blot the characters.
    grain = float(np.percentile(np.vstack([band[:top], band[height - top :]]), GRAIN_PERCENTILE))
    band = np.clip(band[rows] - grain, 0.0, None)
    # Column by column: the loss changes within a stroke's width of the crease.
    faded = band.max(axis=0)
    gain = np.clip(usual / np.maximum(faded, MIN_FADED * usual), 1.0, MAX_GAIN)
    # What the restoration adds to the ink of the print's rows, sheared back onto the crop.
    added_ink = np.zeros_like(depth)
    added_ink[rows, start:end] = paper[rows, start:end] * np.clip(
        np.clip(band * gain[None, :], 0.0, 1.0) - depth[rows, start:end], 0.0, None
    )
    unshear = np.array([[1.0, -slant, slant * height / 2], [0.0, 1.0, 0.0]])
    darker = cv2.warpAffine(added_ink, unshear, (width, height), flags=flags, borderMode=cv2.BORDER_CONSTANT)
    restored = binarise(np.clip(crop.astype(np.float32) - darker, 0, 255).astype(np.uint8))
    added = (restored[:, start:end] < 128) & (binarise(crop)[:, start:end] >= 128)
    return restored if int(added.sum()) >= MIN_RESTORED_INK * char_px * char_px else None
