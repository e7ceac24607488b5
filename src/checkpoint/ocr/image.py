"""Turn what callers hand us (a path, file bytes, a PIL image, a numpy array) into an upright greyscale
array, honouring the EXIF Orientation tag that phones write instead of turning the pixels.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TypeAlias

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from checkpoint.ocr.errors import OCRImageError

ImageSource: TypeAlias = str | os.PathLike[str] | bytes | Image.Image | np.ndarray


def load_image(source: ImageSource) -> np.ndarray:
    """Return ``source`` as a 2-D uint8 greyscale array, turned upright according to its EXIF tag.

    Raises :class:`OCRImageError` saying what is wrong when ``source`` is not a readable image.
    """
    if isinstance(source, np.ndarray):
        return _array_to_grey(source)
    if isinstance(source, Image.Image):
        return _pil_to_grey(source)
    prefix = ""
    try:
        if isinstance(source, bytes):
            opened = Image.open(io.BytesIO(source))
        else:
            prefix = f"{Path(source)}: "
            opened = Image.open(source)
        with opened:
            opened.load()
            return _pil_to_grey(opened)
    except FileNotFoundError as exc:
        raise OCRImageError(f"{prefix}no such file") from exc
    except UnidentifiedImageError as exc:
        raise OCRImageError(f"{prefix}not an image file (no known image format)") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise OCRImageError(f"{prefix}the image cannot be decoded ({exc})") from exc


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
