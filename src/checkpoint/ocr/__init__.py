"""Machine-readable zones from images: :func:`read_mrz` takes a page, a photo, the MRZ band or one line
and returns an :class:`OCRResult`, read with Tesseract and the project's own MRZ model
(``data/mrz.traineddata``), repaired and judged through :mod:`checkpoint.mrz`.
"""

from __future__ import annotations

from checkpoint.extras import require

require("ocr", "reading MRZs from images (checkpoint.ocr)")

from checkpoint.ocr.errors import OCREngineUnavailable, OCRError, OCRImageError  # noqa: E402
from checkpoint.ocr.image import ImageSource, load_image  # noqa: E402
from checkpoint.ocr.read import read_mrz  # noqa: E402
from checkpoint.ocr.result import OCRLine, OCRResult  # noqa: E402

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
