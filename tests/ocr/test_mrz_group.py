"""mrz_group: which of the lines found on a page make its MRZ, and a TD1's middle line found cut short."""

from __future__ import annotations

import pytest

from checkpoint.ocr.locate import TextLine
from checkpoint.ocr.read import mrz_group
from tests.ocr.reading import read_right

HEIGHT = 25.0
SPACING = 48.0  # a TD1's lines, 1.9 character heights apart


def line(x0: float, x1: float, y: float, reverse: bool = False) -> TextLine:
    start, end = (x0, y), (x1, y)
    return TextLine(end, start, HEIGHT, 27, 30.0) if reverse else TextLine(start, end, HEIGHT, 27, 30.0)


def test_a_middle_line_cut_short_at_its_start_is_taken_at_its_neighbours_length() -> None:
    first, last = line(160, 1030, 570), line(160, 1030, 570 + 2 * SPACING, reverse=True)
    middle = line(345, 1030, 570 + SPACING)
    group = mrz_group([first, last, middle])
    assert len(group) == 3
    assert group[:2] == [first, last]
    spanned = group[2]
    assert spanned.start == pytest.approx((160, 570 + SPACING))
    assert spanned.end == pytest.approx((1030, 570 + SPACING))
    assert spanned.char_height == HEIGHT


def test_a_middle_line_is_taken_only_halfway_between_its_neighbours() -> None:
    first, last = line(160, 1030, 570), line(160, 1030, 570 + 2 * SPACING)
    off_centre = line(345, 1030, 570 + 1.5 * SPACING)
    assert mrz_group([first, last, off_centre]) == [first]


def test_a_short_line_that_reaches_past_its_neighbours_is_no_middle_line() -> None:
    first, last = line(160, 1030, 570), line(160, 1030, 570 + 2 * SPACING)
    beyond = line(700, 1400, 570 + SPACING)
    assert mrz_group([first, last, beyond]) == [first]


def test_a_short_line_alone_beside_the_longest_makes_no_mrz_line() -> None:
    # Two line spacings from the longest line but with nothing beyond it: a visual zone's line.
    first, words = line(160, 1030, 570), line(345, 1030, 570 + SPACING)
    assert mrz_group([first, words]) == [first]


def test_a_td1_whose_middle_line_a_hologram_faded_at_its_start_is_read() -> None:
    # The band faded the middle line's first six characters: the line was found from its seventh, 0.79 of
    # its neighbours' length, and only the last line was taken for the MRZ.
    read_right("TD1", 99020, "hologram")


def test_a_longer_line_of_small_marks_gives_way_to_an_mrz_pair() -> None:
    # Guilloche below a visa's MRZ was found as a line of small marks, longer than the MRZ's lines, and
    # just over half as high as they were found (25 and 30 pixels).
    marks = TextLine((98, 1010), (1480, 1010), 16.0, 63, 22.5)
    first = TextLine((138, 908), (1428, 908), 25.0, 44, 30.0)
    second = TextLine((138, 957), (1428, 957), 30.0, 44, 30.0)
    assert mrz_group([marks, first, second]) == [first, second]


def test_the_longest_line_stays_the_mrz_when_no_other_makes_a_pair() -> None:
    longest, words = line(160, 1030, 570), line(300, 1000, 700)
    assert mrz_group([longest, words]) == [longest]


@pytest.mark.parametrize(
    ("page_format", "seed"),
    [
        # The guilloche's marks made a line longer than the MRZ's and half as high: only it was taken.
        ("MRVB", 99029),
        # Here they were 16 pixels high against the MRZ's 25 and 30, and were taken as a third line.
        ("MRVA", 87088),
    ],
)
def test_guilloche_found_as_a_line_is_no_line_of_the_mrz(page_format: str, seed: int) -> None:
    read_right(page_format, seed, "guilloche")
