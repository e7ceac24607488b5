"""Turn what callers hand us (a path, file bytes, a PIL image, a numpy array) into an upright greyscale
array, honouring the EXIF Orientation tag that phones write instead of turning the pixels.

An image with transparency (a PNG cut out of a scan, a screenshot) is laid on white paper first, as a
viewer shows it: its transparent pixels often hold black, which would hide black print. A numpy array
is taken in the conventions of the libraries that make them: height x width, optionally x 1 (grey),
x 2 (grey, alpha), x 3 (colour) or x 4 (colour, alpha); ``uint8`` as is, floats on 0-1 (scikit-image,
OpenCV's float images) or on 0-255, other integers (a 16-bit scan) scaled by their brightest value when
it is above 255, booleans as black and white.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Final, TypeAlias

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from checkpoint.ocr.errors import OCRImageError

ImageSource: TypeAlias = str | os.PathLike[str] | bytes | Image.Image | np.ndarray

# The largest image taken: a 600-dpi scan of an A4 page (35 MP) and a 108-megapixel phone photo fit;
# a 20000 x 20000 pixel "image" (often a decompression bomb: a small file that unpacks to gigabytes)
# does not. The size is read from the file's header, before any pixel is decoded. Pillow's own guard
# (Image.MAX_IMAGE_PIXELS) is left as the application has it: it belongs to the whole process. At its
# default Pillow refuses on open only above twice its 89-megapixel limit, so below that ours decides.
MAX_PIXELS: Final = 120_000_000

try:  # HEIC/HEIF (iPhone photos), with pillow-heif (in the ocr extra).
    from pillow_heif import register_heif_opener
except ImportError:  # pragma: no cover - depends on the installed extras
    HEIF = False
else:
    register_heif_opener()
    HEIF = True


def load_image(source: ImageSource) -> np.ndarray:
    """Return ``source`` as a 2-D uint8 greyscale array, turned upright according to its EXIF tag.

    Raises :class:`OCRImageError` saying what is wrong when ``source`` is not a readable image.
    """
    if isinstance(source, np.ndarray):
        _check_size("", source.shape[1] if source.ndim > 1 else 0, source.shape[0])
        return _array_to_grey(source)
    if isinstance(source, Image.Image):
        _check_size("", *source.size)
        return _pil_to_grey(source)
    prefix = "" if isinstance(source, bytes) else f"{Path(source)}: "
    try:
        head = source[:8] if isinstance(source, bytes) else _head(source)
        if not head:
            raise OCRImageError(f"{prefix}the file is empty (0 bytes)")
        if head.startswith(b"%PDF"):
            raise OCRImageError(
                f"{prefix}a PDF document, not an image: save the page as PNG or JPEG and read that"
            )
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it; _check_size refuses those with the size named.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
        with opened:
            _check_size(prefix, *opened.size)
            if opened.format == "JPEG":
                # Decode the luminance only: the colour is not used, and this is most of a photo's cost.
                opened.draft("L", opened.size)
            opened.load()
            return _pil_to_grey(opened)
    except OCRImageError:
        raise
    except FileNotFoundError as exc:
        raise OCRImageError(f"{prefix}no such file") from exc
    except IsADirectoryError as exc:
        raise OCRImageError(f"{prefix}a directory, not an image file") from exc
    except Image.DecompressionBombError as exc:
        raise OCRImageError(f"{prefix}{_too_large(exc)}") from exc
    except UnidentifiedImageError as exc:
        hint = "" if HEIF else "; HEIC photos need pillow-heif (pip install 'checkpoint[ocr]')"
        raise OCRImageError(f"{prefix}not an image file (no known image format{hint})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise OCRImageError(f"{prefix}the image cannot be decoded ({exc})") from exc


def _head(path: str | os.PathLike[str]) -> bytes:
    with open(path, "rb") as file:
        return file.read(8)


def _check_size(prefix: str, width: int, height: int) -> None:
    """Refuse an image of more than :data:`MAX_PIXELS` before its pixels are decoded."""
    if width * height > MAX_PIXELS:
        raise OCRImageError(
            f"{prefix}the image is {width} x {height} pixels ({width * height / 1e6:.0f} megapixels), more "
            f"than the {MAX_PIXELS // 1_000_000}-megapixel limit for a page or a photo"
        )


def _too_large(exc: Image.DecompressionBombError) -> str:
    return f"the image is larger than the {MAX_PIXELS // 1_000_000}-megapixel limit for a page or a photo ({exc})"


def _pil_to_grey(image: Image.Image) -> np.ndarray:
    upright = _on_paper(ImageOps.exif_transpose(image))
    if upright.mode in {"I;16", "I;16B", "I;16L", "I", "F"}:
        scaled = np.asarray(upright, dtype=np.float64)
        peak = float(scaled.max()) or 1.0
        return np.asarray(np.clip(scaled * (255.0 / peak), 0, 255), dtype=np.uint8)
    return np.asarray(upright.convert("L"), dtype=np.uint8)


def _on_paper(image: Image.Image) -> Image.Image:
    """Return ``image`` laid on white where it has transparency (an alpha channel or a transparent
    colour); ``image`` itself where it has none."""
    if image.mode not in {"RGBA", "RGBa", "LA", "La", "PA"} and "transparency" not in image.info:
        return image
    layer = image.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", layer.size, "white"), layer).convert("RGB")


# Luma weights (ITU-R BT.601). Arrays mostly come from OpenCV (BGR) or PIL (RGB); the weights of red
# and blue differ little enough for dark print on a light page that either order reads the same.
LUMA: Final = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _array_to_grey(array: np.ndarray) -> np.ndarray:
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.size == 0 or not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (2, 3, 4))):
        raise OCRImageError(
            f"image array of shape {array.shape}: expected height x width (x 1, 2, 3 or 4 channels)"
        )
    if array.dtype == np.uint8 and array.ndim == 2:
        return np.ascontiguousarray(array)
    values = _levels(array)
    if values.ndim == 2:
        return _to_uint8(values)
    channels = values.shape[2]
    grey = values[..., :3] @ LUMA if channels >= 3 else values[..., 0]
    if channels in (2, 4):
        alpha = values[..., -1] / np.float32(255.0)
        grey = grey * alpha + np.float32(255.0) * (1 - alpha)
    return _to_uint8(grey)


def _levels(array: np.ndarray) -> np.ndarray:
    """Return ``array``'s values as float32 on the 0-255 scale (see the module's docstring)."""
    if array.dtype == np.bool_:
        return array.astype(np.float32) * np.float32(255.0)
    if array.dtype.kind == "f":
        if not np.isfinite(array).all():
            raise OCRImageError(f"image array of shape {array.shape} holds NaN or infinite values")
        values = array.astype(np.float32)
        return values * np.float32(255.0) if values.max() <= 1.0 else values
    if array.dtype.kind in "ui":
        values = array.astype(np.float32)
        peak = float(values.max())
        return values * np.float32(255.0 / peak) if peak > 255 else values
    raise OCRImageError(
        f"image array of {array.dtype} values: expected numbers (integers, floats or booleans)"
    )


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.clip(np.rint(values), 0, 255), dtype=np.uint8)
