"""load_image: every kind of picture and array a caller hands over becomes the page as a viewer shows it,
in grey; what cannot be a picture gets an error saying so."""

from __future__ import annotations

import io

import numpy as np
import pytest
from checkpoint.mocks.pages import make_page
from PIL import Image

from checkpoint.ocr import OCRImageError, read_mrz
from checkpoint.ocr.image import load_image

# A grey test card: dark print (40) on light paper (230), a mid-grey block (128).
CARD = np.full((60, 80), 230, dtype=np.uint8)
CARD[10:20, 10:70] = 40
CARD[30:50, 20:40] = 128


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def print_on_transparency(grey: np.ndarray, mode: str) -> Image.Image:
    """Black print whose darkness is its opacity, on fully transparent black: how a cut-out keeps it."""
    alpha = 255 - grey
    if mode == "LA":
        return Image.fromarray(np.stack([np.zeros_like(grey), alpha], axis=-1), "LA")
    return Image.fromarray(np.stack([np.zeros_like(grey)] * 3 + [alpha], axis=-1), "RGBA")


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_transparent_pixels_are_white_paper(mode: str) -> None:
    image = print_on_transparency(CARD, mode)
    # Dropping the alpha channel would make the whole card black.
    assert np.asarray(image.convert("L")).max() == 0
    for source in (image, png(image)):
        assert np.abs(load_image(source).astype(int) - CARD).max() <= 1


def test_a_transparent_colour_of_a_palette_image_is_white_paper() -> None:
    image = Image.fromarray(CARD).convert("P")
    image.info["transparency"] = image.getpixel((0, 0))  # the paper's palette entry
    grey = load_image(png(image))
    assert grey[0, 0] == 255 and grey[15, 15] == 40


def test_a_page_cut_out_with_a_transparent_background_is_read() -> None:
    page = make_page("TD3", seed=5, degrade="clean")
    cut_out = print_on_transparency(np.asarray(page.image.convert("L")), "RGBA")
    result = read_mrz(png(cut_out))
    assert result.valid and result.lines == page.lines, result.problems


@pytest.mark.parametrize(
    "array",
    [
        pytest.param(CARD, id="uint8"),
        pytest.param(CARD[..., None], id="height-width-1"),
        pytest.param(np.repeat(CARD[..., None], 3, axis=2), id="colour"),
        pytest.param(CARD.astype(np.float64) / 255, id="float-0-1"),
        pytest.param(CARD.astype(np.float32), id="float-0-255"),
        pytest.param(CARD.astype(np.int64), id="int64-0-255"),
        pytest.param(
            np.concatenate([np.zeros((60, 80, 3), np.uint8), 255 - CARD[..., None]], axis=2),
            id="colour-alpha",
        ),
        pytest.param(np.stack([np.zeros_like(CARD), 255 - CARD], axis=-1), id="grey-alpha"),
    ],
)
def test_arrays_in_each_libraries_convention(array: np.ndarray) -> None:
    assert np.abs(load_image(array).astype(int) - CARD).max() <= 1


@pytest.mark.parametrize("scale", [16, 257], ids=["12-bit", "16-bit"])
def test_a_deep_scan_is_stretched_to_its_brightest_value(scale: int) -> None:
    # As Pillow's 16-bit images are: a 12-bit scanner's values fill a third of 16 bits at most.
    grey = load_image(CARD.astype(np.uint16) * scale)
    assert grey.max() == 255 and grey[15, 15] == round(40 * 255 / 230)


def test_a_boolean_array_is_black_and_white() -> None:
    grey = load_image(CARD > 100)
    assert set(np.unique(grey)) == {0, 255} and grey[0, 0] == 255


@pytest.mark.parametrize(
    ("array", "error"),
    [
        (np.full((10, 10), np.nan), r"shape \(10, 10\) holds NaN or infinite values"),
        (np.full((10, 10, 3), np.inf, dtype=np.float32), "holds NaN or infinite values"),
        (np.zeros((10, 10, 5), np.uint8), r"shape \(10, 10, 5\): expected height x width"),
        (np.zeros((0, 10), np.uint8), r"shape \(0, 10\)"),
        (np.zeros(10, np.uint8), r"shape \(10,\)"),
        (np.full((10, 10), "a"), "expected numbers"),
        (np.zeros((10, 10), np.complex64), "expected numbers"),
    ],
)
def test_an_array_that_is_not_a_picture_gets_a_clear_error(array: np.ndarray, error: str) -> None:
    with pytest.raises(OCRImageError, match=error):
        load_image(array)
