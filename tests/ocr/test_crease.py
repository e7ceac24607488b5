"""A crease across the MRZ: found by the step it makes in the page's light, in every line at one place,
and the ink it faded brought back so that the line can be read again."""

from __future__ import annotations

import numpy as np
import pytest
from checkpoint.mocks.pages import FORMATS, make_page
from PIL import Image, ImageDraw, ImageFont

from checkpoint.ocr import crease, read_mrz
from checkpoint.ocr import read as ocr_read
from checkpoint.ocr.choices import BY_CREASE
from checkpoint.ocr.glyphs import font_path
from checkpoint.ocr.locate import END_MARGIN, binarise
from tests.ocr.reading import read_right

CHAR_PX = 40.0
PAPER = 210.0
INK = 40.0


def line_image(text: str) -> np.ndarray:
    """``text`` in OCR-B as crop_line cuts a line: characters CHAR_PX high, 0.3 of a height above and
    below, the first and last character centres END_MARGIN heights from the ends; grey, ink dark."""
    path = font_path()
    assert path is not None, "fonts-ocr-b is installed by the setup"
    font = ImageFont.truetype(str(path), 100)
    _, top, _, bottom = font.getbbox("H")
    scale = CHAR_PX / (bottom - top)
    pitch = font.getlength("H")  # OCR-B is monospaced
    margin = END_MARGIN * CHAR_PX / scale
    image = Image.new("L", (round(2 * margin + (len(text) - 1) * pitch), round(1.6 * CHAR_PX / scale)), 0)
    ImageDraw.Draw(image).text((margin - pitch / 2, 0.3 * CHAR_PX / scale - top), text, font=font, fill=255)
    ink = np.asarray(image.resize((round(image.width * scale), round(1.6 * CHAR_PX))), dtype=np.float32) / 255
    return PAPER - (PAPER - INK) * ink


def centre(line: np.ndarray, text: str, index: int) -> int:
    """The column of the centre of ``text[index]`` in ``line_image(text)``."""
    first = END_MARGIN * CHAR_PX
    return round(first + index * (line.shape[1] - 2 * first) / (len(text) - 1))


def folded(
    line: np.ndarray, column: float, lost: float, shade: float = 0.8, slant: float = 0.0
) -> np.ndarray:
    """``line`` with a crease through ``column`` at mid-height, moving ``slant`` columns a row down:
    ``lost`` of the ink gone at its centre (fading over a fifth of a character height either side) and
    the page to its left in shadow."""
    rows, columns = np.mgrid[0 : line.shape[0], 0 : line.shape[1]].astype(np.float32)
    across = columns - (column + slant * (rows - line.shape[0] / 2))
    gone = lost * np.exp(-((across / (0.2 * CHAR_PX)) ** 2))
    out = line * (1 - gone) + PAPER * gone
    return np.clip(out * np.where(across < 0, shade, 1.0), 0, 255).astype(np.uint8)


def test_a_crease_is_found_where_it_crosses_every_line() -> None:
    lines = [line_image("P<UTOERIKSSON<<ANNA<MARIA<<<"), line_image("L898902C36UTO7408122F1204159")]
    found = crease.find_crease(
        [folded(line, 400 + 6 * number, 0.6) for number, line in enumerate(lines)], CHAR_PX
    )
    assert found is not None
    assert [abs(column - (400 + 6 * number)) <= 3 for number, column in enumerate(found)] == [True, True]


def test_no_crease_on_a_flat_page_nor_where_a_band_darkens_the_page_and_ends() -> None:
    lines = [line_image("P<UTOERIKSSON<<ANNA<MARIA<<<"), line_image("L898902C36UTO7408122F1204159")]
    flat = [line.astype(np.uint8) for line in lines]
    assert crease.find_crease(flat, CHAR_PX) is None
    # A watermark's stroke or a hologram's stripe: the page darkens, then lightens again a stroke later.
    band = np.ones(lines[0].shape[1], dtype=np.float32)
    band[400:430] = 0.8
    assert crease.find_crease([(line * band[None, :]).astype(np.uint8) for line in lines], CHAR_PX) is None
    # One line alone cannot show that the step runs across the MRZ.
    assert crease.find_crease([folded(lines[0], 400, 0.6)], CHAR_PX) is None


@pytest.mark.parametrize("slant", [0.0, 0.1, -0.15])  # a fold square to the line, or 6 and 9 degrees off
def test_the_ink_a_crease_faded_is_brought_back(slant: float) -> None:
    text = "P<UTOERIKSSON<<ANNA<MARIA<<<"
    line = line_image(text)
    column = centre(line, text, 3)  # through the stem of the T
    intact = binarise(line.astype(np.uint8)) < 128
    faded = binarise(folded(line, column, 0.85, slant=slant)) < 128
    restored = crease.restore_crease(folded(line, column, 0.85, slant=slant), column, CHAR_PX)
    assert restored is not None
    band = slice(column - 16, column + 17)

    def overlap(a: np.ndarray, b: np.ndarray) -> float:
        return float((a[:, band] & b[:, band]).sum() / (a[:, band] | b[:, band]).sum())

    assert overlap(faded, intact) < 0.5
    assert overlap(restored < 128, intact) > 0.8
    # Away from the crease, the line is as binarise makes it (Otsu's threshold may move a little).
    away = np.s_[:, column + 60 :]
    assert float(np.mean((restored[away] < 128) == faded[away])) > 0.99


def test_nothing_is_restored_where_no_ink_was_lost() -> None:
    line = line_image("P<UTOERIKSSON<<ANNA<MARIA<<<")
    assert crease.restore_crease(folded(line, 412, 0.0), 412, CHAR_PX) is None


@pytest.mark.parametrize(
    ("format_name", "seed", "degrade"),
    [
        ("TD2", 60001, "fold"),  # a T that lost its left arm, read I
        ("TD3", 60147, "fold"),  # a G that lost its left half, read S
        ("TD3", 70032, "fold"),  # an R that lost its leg, read F
        ("MRVB", 70099, "fold"),  # an I that lost nearly all its ink, read Z
        ("TD2", 62021, "fold,fold=1"),  # a filler's specks beside the crease, read T
        ("MRVA", 20371, "fold"),  # a W read N in a visa's optional data
        ("MRVB", 20382, "fold"),  # a G read O in a nationality, which made it no state's code
        # A P whose bowl the crack took, read F, and a G the crack made an S: the restored print
        # shows each whole (P 0.89 against F 0.75; G 0.80 against S 0.68), not intact.
        ("TD1", 99035, "fold"),
        ("TD2", 99056, "fold"),
    ],
)
def test_a_character_a_crease_changed_is_read_from_the_restored_print(
    format_name: str, seed: int, degrade: str
) -> None:
    # A fold's crack took part of a character: the page was reported valid with the wrong one (no check
    # digit covers a name, and both engines and the print agreed), or refused. With the faded ink
    # restored, the print shows the character it was, the second engine confirms it there, and the
    # change is reported as a correction.
    result = read_right(format_name, seed, degrade)
    restored = [correction for correction in result.corrections if correction.by == BY_CREASE]
    assert restored
    for correction in restored:
        assert correction.from_ != correction.to == result.lines[correction.line - 1][correction.column]
        assert correction.field


@pytest.mark.parametrize(
    ("format_name", "seed", "degrade"),
    [
        ("TD2", 80001, "fold"),  # a U that lost its left stroke, read J (the print leans to J, barely)
        ("TD2", 62111, "fold,fold=1"),  # an O that lost its right side, read C, the crease 6 degrees off
        ("MRVA", 90018, "phone,fold=0.8"),  # an R that lost its leg, read F, in a phone photo's grain
        # An R that lost its leg, read F by every reading, restored or not, in a screen's moire: the
        # restored print looks like an R nearly as much as an F.
        ("MRVA", 90018, "moire,fold=0.8"),
    ],
)
def test_a_character_a_crease_changed_beyond_telling_is_not_valid(
    format_name: str, seed: int, degrade: str
) -> None:
    # Even restored, the print does not clearly show which character it was: the page is refused,
    # and the problem names the crease.
    page = make_page(format_name, seed=seed, degrade=degrade)
    result = read_mrz(page.encode(page.natural_format))
    assert result.found and result.lines != page.lines
    assert not result.valid
    assert any("a crease crosses column" in problem for problem in result.problems), result.problems


def test_a_character_only_the_second_engine_confirms_on_the_restored_print_is_not_valid() -> None:
    # The crease took most of an I in a name, read Z; the second engine did not confirm the Z and the
    # page was refused. With the ink restored, both engines read Z there, but the restored print looks
    # like neither I nor Z (a blot the restoration made): it stays refused.
    page = make_page("TD3", seed=90012, degrade="fold,guilloche=0.8")
    result = read_mrz(page.encode(page.natural_format))
    assert result.found and result.lines != page.lines
    assert not result.valid
    assert result.problems


@pytest.mark.parametrize(
    ("format_name", "seed"),
    [
        ("TD1", 20393),  # an O in a name our readings disagreed on
        ("TD1", 20558),  # a G in a name our readings disagreed on
        # An O in a name whose restored print leads Q by little (0.85 against 0.71): whole print, not a
        # Q whose tail the crease took.
        ("TD3", 60192),
    ],
)
def test_a_right_reading_a_crease_put_in_doubt_is_confirmed_on_the_restored_print(
    format_name: str, seed: int
) -> None:
    # Our readings disagreed on a character the crease faded, and its print did not clearly show it: the
    # page was refused. On the restored print the second engine and the print confirm it.
    result = read_right(format_name, seed, "fold")
    assert not [correction for correction in result.corrections if correction.by == BY_CREASE]


def creases_found(monkeypatch: pytest.MonkeyPatch) -> list[list[int] | None]:
    """What read_mrz's every look for a crease finds, in order."""
    found: list[list[int] | None] = []
    real = ocr_read.find_crease

    def spy(crops: list[np.ndarray], char_px: float) -> list[int] | None:
        found.append(real(crops, char_px))
        return found[-1]

    monkeypatch.setattr(ocr_read, "find_crease", spy)
    return found


@pytest.mark.parametrize("degrade", ["clean", "watermark", "hologram", "photo"])
def test_no_crease_is_found_on_pages_without_one(degrade: str, monkeypatch: pytest.MonkeyPatch) -> None:
    found = creases_found(monkeypatch)
    for seed in range(80000, 80006):
        page = make_page(FORMATS[seed % len(FORMATS)], seed=seed, degrade=degrade)
        read_mrz(page.encode(page.natural_format))
    # Looked for on every page read valid (not on one refused before): found on none.
    assert len(found) >= 4 and all(columns is None for columns in found), found


def test_a_crease_is_found_on_folded_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    found = creases_found(monkeypatch)
    for seed in range(80000, 80005):
        page = make_page(FORMATS[seed % len(FORMATS)], seed=seed, degrade="fold")
        read_mrz(page.encode(page.natural_format))
    assert found and all(columns is not None for columns in found)
