"""Where the line finder ends a line: it drops a mark just past a line's end, but keeps the first
character of a line whose pitch grows towards the near end of a photo taken at an angle."""

from __future__ import annotations

import numpy as np
from checkpoint.mocks.pages import make_page

from checkpoint.ocr import read_mrz
from checkpoint.ocr.locate import _trim_ends

PITCH = 42.0


def trimmed(centres: list[float]) -> list[float]:
    members = list(range(len(centres)))
    _trim_ends(members, np.asarray(centres))
    return [centres[member] for member in members]


def test_a_mark_just_past_either_end_of_a_line_is_dropped() -> None:
    centres = [PITCH * column for column in range(30)]
    assert trimmed([-2.2 * PITCH, *centres, centres[-1] + 2 * PITCH]) == centres


def test_a_line_whose_pitch_grows_towards_the_near_end_keeps_its_first_character() -> None:
    # A photo at an angle: the pitch grows from 35 px at the far end to 55 px at the near one, and the
    # first step, from a P to the narrow filler after it (whose box sits right of its cell's centre),
    # is 80 px: more than 1.6 times the line's median step (45 px), but not the steps next to it.
    steps = [80.0, *np.linspace(55, 35, 42).tolist()]
    centres = [0.0, *np.cumsum(steps).tolist()]
    assert trimmed(centres) == centres


def test_a_phone_photo_whose_first_character_the_line_finder_dropped_reads_valid() -> None:
    # A steep photo: the print is larger at the near end, and the first line's P sat further from the
    # filler after it than 1.6 of the line's median pitch, so the line finder dropped it as a mark past
    # the line; the MRZ's plane, taken from the lines' ends, came out askew, and both lines were cut a
    # character off and misread. (The page as it was before phone pages were bent.)
    page = make_page("TD3", seed=20636, degrade="phone,bend=0")
    result = read_mrz(page.encode(page.natural_format))
    assert result.valid and result.lines == page.lines, result.problems
