"""A page that is not flat: its MRZ lines bow, and a straight cut along one leaves its characters climbing
out of the crop at one end and falling out at the other. The line finder fits each line's bend, and the
line is cut along it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from checkpoint.mocks.pages import make_page

from checkpoint.ocr import read_mrz
from checkpoint.ocr.image import load_image
from checkpoint.ocr.locate import MIN_BEND, TextLine, binarise, crop_line, find_text_lines
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
