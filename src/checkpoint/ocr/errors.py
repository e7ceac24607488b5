"""Errors of the OCR package. "No MRZ found" is not an error: :func:`checkpoint.ocr.read_mrz` reports it
in its result. These are for input that is not an image at all and for a missing engine.
"""

from __future__ import annotations

from typing import ClassVar


class OCRError(Exception):
    """Base of the OCR errors; ``title`` is a short heading a screen can show."""

    title: ClassVar[str] = "OCR error"


class OCRImageError(OCRError, ValueError):
    """The input cannot be decoded as an image (not an image file, truncated, unreadable)."""

    title = "Not a readable image"


class OCREngineUnavailable(OCRError, RuntimeError):
    """Tesseract (tesserocr) or the MRZ model cannot be loaded; the message says what is missing."""

    title = "OCR engine unavailable"
