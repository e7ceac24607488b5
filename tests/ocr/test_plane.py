"""Cutting MRZ lines out of the MRZ's plane in a photo taken at a steep angle: the characters come out of
one size at an even pitch, where a straight cut along the line leaves them shrinking towards the far end."""

from __future__ import annotations

import dataclasses

import numpy as np
from checkpoint.mocks.pages import make_page

from checkpoint.ocr import read_mrz
from checkpoint.ocr.engine import read_line
from checkpoint.ocr.image import load_image
from checkpoint.ocr.locate import (
    TextLine,
    binarise,
    crop_line,
    find_text_lines,
    mrz_plane,
    restore_washed_out,
)
from checkpoint.ocr.read import _in_reading_order, mrz_group


def upright_lines(data: bytes) -> tuple[np.ndarray, list[TextLine]]:
    grey = load_image(data)
    group = mrz_group(find_text_lines(grey))
    height = max(line.char_height for line in group)
    sized = [dataclasses.replace(line, char_height=height) for line in group]
    return grey, _in_reading_order(sized, False)


def pitch_spread(centres: tuple[float, ...]) -> float:
    steps = np.diff(np.asarray(centres))
    return float(steps[-5:].mean() / steps[:5].mean())


def test_a_steep_photo_is_cut_out_of_the_mrz_plane_at_an_even_pitch(
    phone_photo: tuple[tuple[str, ...], bytes],
) -> None:
    truth, data = phone_photo
    grey, ordered = upright_lines(data)
    plane = mrz_plane(ordered, False)
    assert plane is not None
    straight = read_line(binarise(crop_line(grey, ordered[0], char_px=40.0)))
    flat = read_line(binarise(crop_line(grey, ordered[0], char_px=40.0, down=plane)))
    assert flat.text == truth[0]
    # Straight along the line the pitch changes by more than half from one end to the other; in the
    # plane it stays within a tenth.
    assert abs(pitch_spread(straight.centres) - 1) > 0.5
    assert abs(pitch_spread(flat.centres) - 1) < 0.1


def test_a_flat_scan_has_no_plane_to_cut_from() -> None:
    page = make_page("TD3", seed=3, degrade="clean")
    _, ordered = upright_lines(page.encode("png"))
    assert mrz_plane(ordered, False) is None
    assert mrz_plane(ordered[:1], False) is None


def test_the_steep_photo_reads_valid(phone_photo: tuple[tuple[str, ...], bytes]) -> None:
    lines, data = phone_photo
    result = read_mrz(data)
    assert result.lines == lines
    assert result.valid, result.problems


def test_a_washed_out_stretch_of_a_line_gets_its_contrast_back() -> None:
    # Bars of ink (20) on paper (230) every 40 px; a hologram leaves a third of the contrast in a band.
    crop = np.full((64, 1200), 230, dtype=np.uint8)
    for x in range(40, 1160, 40):
        crop[20:44, x : x + 12] = 20
    washed = crop.copy()
    band = washed[:, 500:700].astype(np.float32)
    washed[:, 500:700] = np.round(230 - (230 - band) / 3).astype(np.uint8)
    restored = restore_washed_out(washed, 40.0)
    assert int(washed[:, 560:640].min()) == 160
    assert int(restored[:, 560:640].min()) < 60
    # Outside the band, and on a line without one, nothing changes.
    assert np.array_equal(restored[:, :400], washed[:, :400])
    assert np.array_equal(restore_washed_out(crop, 40.0), crop)


def test_a_watermark_across_the_mrz_is_flattened_away() -> None:
    # Ghost lettering over the MRZ, as dark as the print in places: the broad strokes count as
    # background, the print's thin ones do not.
    page = make_page("MRVB", seed=20104, degrade="watermark")
    result = read_mrz(page.encode(page.natural_format))
    assert result.lines == page.lines
    assert result.valid, result.problems
