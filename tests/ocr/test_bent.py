"""A page that is not flat: its MRZ lines bow, and a straight cut along one leaves its characters climbing
out of the crop at one end and falling out at the other. The line finder fits each line's bend, joins the
pieces of one that a band breaks along it, and the line is cut along it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from checkpoint.mocks.pages import make_page

from checkpoint.ocr import read_mrz
from checkpoint.ocr.image import load_image
from checkpoint.ocr.locate import MIN_BEND, TextLine, binarise, crop_line, find_text_lines, join_pieces
from checkpoint.ocr.read import _in_reading_order, mrz_group

CHAR_PX = 40.0


def mrz_lines(degrade: str, page_format: str = "TD3", seed: int = 7) -> tuple[np.ndarray, list[TextLine]]:
    page = make_page(page_format, seed=seed, degrade=degrade)
    grey = load_image(page.encode(page.natural_format))
    return grey, _in_reading_order(mrz_group(find_text_lines(grey)), False)


def ink_rows(crop: np.ndarray) -> int:
    """How many rows of the binarised line crop hold ink in the crop's middle 90% of columns."""
    ink = binarise(crop) == 0
    width = ink.shape[1]
    return int(ink[:, width // 20 : width - width // 20].any(axis=1).sum())


def test_the_lines_of_a_flat_page_are_cut_straight() -> None:
    for degrade in ("clean", "photo", "rotated"):
        _, lines = mrz_lines(degrade)
        assert lines and all(line.bend == () for line in lines), degrade


@pytest.mark.parametrize("bend", [4.0, -4.0])
def test_a_bent_line_is_found_bent_and_cut_level(bend: float) -> None:
    grey, lines = mrz_lines(f"clean,bend={bend}")
    assert len(lines) == 2
    for line in lines:
        offsets = line.offsets(np.linspace(0.0, 1.0, 11))
        # The middle of the line lies off the straight line through its ends, the way the page bends
        # (down the image, the normal's way, for a positive bend).
        sag = offsets[5] - (offsets[0] + offsets[10]) / 2
        assert abs(sag) > MIN_BEND * line.char_height and np.sign(sag) == np.sign(bend)
        level = crop_line(grey, line, char_px=CHAR_PX)
        straight = crop_line(grey, dataclasses.replace(line, bend=()), char_px=CHAR_PX)
        # Cut along the bend, the print fills about a character's height of the crop (1.6 high); cut
        # straight, it climbs across the crop and beyond.
        assert ink_rows(level) <= 1.25 * CHAR_PX < ink_rows(straight)


@pytest.mark.parametrize(
    ("page_format", "degrade"),
    [
        ("TD3", "clean,bend=4"),
        ("TD1", "clean,bend=-4"),
        ("TD2", "dpi=250,rotate=180,bend=3"),  # upside down: the line is cut from its end
        ("MRVA", "dpi=250,rotate=90,bend=-3"),  # a quarter turn: the line is found reading down
        ("TD3", "phone,bend=3"),  # out of the MRZ's plane in a steep photo
        ("TD1", "phone,bend=-3"),
    ],
)
def test_a_bent_page_is_read(page_format: str, degrade: str) -> None:
    page = make_page(page_format, seed=11, degrade=degrade)
    result = read_mrz(page.encode(page.natural_format))
    assert result.valid and result.lines == page.lines, result.problems


def bowed_piece(xs: np.ndarray, shift: float = 0.0) -> TextLine:
    """A piece of a line bowed 15 px (0.75 character height) down in its middle, at x = 600, as the line
    finder gives it: the straight line fitted to its centres, and the centres."""
    ys = 500 + 15 * (1 - ((xs - 600) / 500) ** 2) + shift
    slope, intercept = np.polyfit(xs, ys, 1)
    return TextLine(
        start=(float(xs[0]), float(slope * xs[0] + intercept)),
        end=(float(xs[-1]), float(slope * xs[-1] + intercept)),
        char_height=20.0,
        components=len(xs),
        pitch=25.0,
        centres=np.column_stack([xs, ys]),
    )


def test_the_pieces_of_a_bent_line_are_joined_along_its_bend() -> None:
    # A hologram band breaks a bowed line between x = 450 and 600: the left piece is off the right
    # piece's straight extension by 1.5 character heights, too far to join as a straight line.
    right, left = bowed_piece(np.arange(600, 1101, 25.0)), bowed_piece(np.arange(100, 451, 25.0))
    (line,) = join_pieces([right, left])
    assert line.components == 36 and line.bend
    (dx, dy), (sx, sy) = line.direction, line.start
    for x, y in np.vstack([left.centres, right.centres]).tolist():
        along = ((x - sx) * dx + (y - sy) * dy) / line.length
        off = (x - sx) * -dy + (y - sy) * dx
        assert abs(off - float(line.offsets(np.array([along]))[0])) < 0.2 * line.char_height
    # A piece a character height off the bend is another line.
    assert len(join_pieces([right, bowed_piece(np.arange(100, 451, 25.0), shift=20.0)])) == 2


@pytest.mark.parametrize(("page_format", "seed"), [("TD1", 40000), ("TD3", 40007)])
def test_a_bent_line_that_a_hologram_band_breaks_is_read(page_format: str, seed: int) -> None:
    page = make_page(page_format, seed=seed, degrade="hologram,bend=3")
    result = read_mrz(page.encode(page.natural_format))
    assert result.valid and result.lines == page.lines, result.problems
