"""Machine-readable zones from images: :func:`read_mrz` takes a page, a photo, the MRZ band or one line
and returns an :class:`OCRResult`, read with Tesseract and the project's own MRZ model
(``data/mrz.traineddata``), repaired and judged through :mod:`checkpoint.mrz`.
"""

from __future__ import annotations

from checkpoint.ocr.errors import OCREngineUnavailable, OCRError, OCRImageError
from checkpoint.ocr.image import ImageSource, load_image
from checkpoint.ocr.read import read_mrz
from checkpoint.ocr.result import OCRLine, OCRResult

__all__ = [
    "ImageSource",
    "OCREngineUnavailable",
    "OCRError",
    "OCRImageError",
    "OCRLine",
    "OCRResult",
    "load_image",
    "read_mrz",
]
