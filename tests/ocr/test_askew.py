"""A page that lies askew: a phone photo of a passport on a desk turns it by any angle, not only by a few
degrees or a quarter turn. Chaining characters along the image's axes finds lines up to about 17 degrees
off them; further off, the page is searched turned back, and a line tilted more than a few degrees is
searched again laid along an axis, so that its characters' heights are measured square to it."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from checkpoint.mocks.pages import make_page

from checkpoint.ocr import locate, read_mrz
from checkpoint.ocr.image import load_image
from checkpoint.ocr.locate import MAX_TILT_DEGREES, TextLine, find_text_lines
from checkpoint.ocr.read import _in_reading_order, mrz_group


def mrz_of(page_format: str, degrade: str, seed: int = 7) -> list[TextLine]:
    """The MRZ lines found on a generated page, top to bottom."""
    page = make_page(page_format, seed=seed, degrade=degrade)
    return _in_reading_order(mrz_group(find_text_lines(load_image(page.encode(page.natural_format)))), False)


def angle_of(line: TextLine) -> float:
    """The line's angle in the image, in degrees, whichever end it starts from (-90 to 90)."""
    angle = math.degrees(math.atan2(line.direction[1], line.direction[0]))
    return (angle + 90.0) % 180.0 - 90.0


@pytest.mark.parametrize(
    ("page_format", "degrade"),
    [
        ("TD1", "clean,skew=20"),
        ("TD3", "clean,skew=30"),
        ("TD2", "clean,skew=-45"),
        ("MRVB", "clean,skew=40,rotate=90"),
        ("TD3", "photo,skew=-35"),
    ],
)
def test_a_page_at_any_angle_reads_exactly(page_format: str, degrade: str) -> None:
    page = make_page(page_format, seed=11, degrade=degrade)
    result = read_mrz(page.encode(page.natural_format))
    assert result.lines == page.lines, result.problems
    assert result.valid, result.problems


@pytest.mark.parametrize("skew", [25.0, -30.0, 45.0])
def test_the_lines_of_a_page_askew_are_found_whole_along_the_print(skew: float) -> None:
    flat = mrz_of("TD1", "clean")
    askew = mrz_of("TD1", f"clean,skew={skew}")
    assert len(askew) == 3
    for line, level in zip(askew, flat, strict=True):
        # The generator turns the page counter-clockwise, which is up to the right in the image.
        assert abs(abs(angle_of(line)) - abs(skew)) < 2.0, angle_of(line)
        assert math.copysign(1.0, -angle_of(line)) == math.copysign(1.0, skew)
        # Every character is chained (a line's first character once was not at 20 degrees), and the
        # heights are the print's, not those of characters' boxes at a slant.
        assert line.components == level.components
        assert line.char_height == pytest.approx(level.char_height, rel=0.05)
        assert line.length == pytest.approx(level.length, rel=0.03)


def test_a_page_square_to_the_image_is_searched_once(monkeypatch: pytest.MonkeyPatch) -> None:
    turns: list[float] = []
    search = locate._pieces

    def counted(work: np.ndarray, scale: float, turn: float) -> list[TextLine]:
        turns.append(turn)
        return search(work, scale, turn)

    monkeypatch.setattr(locate, "_pieces", counted)
    for degrade in ("clean", "rotated", "clean,skew=6"):
        turns.clear()
        page = make_page("TD3", seed=7, degrade=degrade)
        assert mrz_group(find_text_lines(load_image(page.encode(page.natural_format))))
        assert turns == [0.0], degrade


def test_a_line_found_in_a_turned_search_is_given_where_it_is_in_the_image() -> None:
    # Ten dark squares in a row, 40 px apart, on a line at 30 degrees: found by the search turned back
    # by 30 degrees and given in the image's own coordinates.
    grey = np.full((900, 1200), 255, dtype=np.uint8)
    angle = math.radians(-30.0)
    centres = [(200 + 40 * k * math.cos(angle), 700 + 40 * k * math.sin(angle)) for k in range(24)]
    for x, y in centres:
        box = cv2.boxPoints(((x, y), (22, 30), -30.0)).astype(np.int32)
        cv2.fillPoly(grey, [box], 0)
    pieces = locate.find_text_pieces(grey, -30.0)
    assert pieces
    line = pieces[0]
    assert line.components == len(centres)
    assert math.dist(line.start, centres[0]) < 3.0 or math.dist(line.end, centres[0]) < 3.0
    assert math.dist(line.start, centres[-1]) < 3.0 or math.dist(line.end, centres[-1]) < 3.0
    assert np.abs(np.sort(line.centres[:, 0]) - np.sort([x for x, _ in centres])).max() < 3.0
    assert line.char_height == pytest.approx(30.0, abs=2.0)
    assert abs(locate._tilt(line)) > MAX_TILT_DEGREES
