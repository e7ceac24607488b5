"""Turn what callers hand us (a path, file bytes, a PIL image, a numpy array) into an upright greyscale
array, honouring the EXIF Orientation tag that phones write instead of turning the pixels.
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
    upright = ImageOps.exif_transpose(image)
    if upright.mode in {"I;16", "I;16B", "I;16L", "I", "F"}:
        scaled = np.asarray(upright, dtype=np.float64)
        peak = float(scaled.max()) or 1.0
        return np.asarray(np.clip(scaled * (255.0 / peak), 0, 255), dtype=np.uint8)
    return np.asarray(upright.convert("L"), dtype=np.uint8)


def _array_to_grey(array: np.ndarray) -> np.ndarray:
    if array.ndim == 3 and array.shape[2] in (3, 4):
        # Callers with numpy arrays mostly come from OpenCV (BGR) or PIL (RGB); the luma weights of
        # red and blue differ little enough for black-on-light print that either order reads the same.
        weights = np.array([0.299, 0.587, 0.114])
        array = array[..., :3].astype(np.float64) @ weights
    if array.ndim != 2 or array.size == 0:
        raise OCRImageError(
            f"image array of shape {array.shape}: expected height x width (x 3 or 4 channels)"
        )
    if array.dtype != np.uint8:
        array = np.clip(array, 0, 255)
    return np.ascontiguousarray(array, dtype=np.uint8)
