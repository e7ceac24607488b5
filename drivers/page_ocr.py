"""Turn a scanned page into reader events, for the drivers that deliver images (``sane://``,
``folder://``).

The OCR lives in :mod:`checkpoint.ocr` (a layer below the drivers: it needs nothing of ours but
:mod:`checkpoint.mrz`), imported only when a page arrives, so importing the driver package never
loads Tesseract. A page becomes a :class:`DocumentRead` only when the OCR has no doubt
about its reading (every line confirmed by two readings, every character no check digit covers
confirmed by a second engine); a page the OCR doubts, that holds no MRZ or that is no image at all
becomes a :class:`MalformedFrame` saying why, so a misread never reaches the officer as a document.
"""

from __future__ import annotations

import logging

from checkpoint.drivers.errors import ReaderUnavailable
from checkpoint.drivers.events import DocumentRead, MalformedFrame, ReaderEvent

log = logging.getLogger(__name__)


def page_events(source: str, name: str, data: bytes) -> tuple[list[ReaderEvent], bool]:
    """Return the events for the page image ``data`` (called ``name`` in messages) and whether it
    gave a document.

    ``DocumentRead.raw`` holds the MRZ text as read (ASCII, lines separated by ``\\n``) and ``images``
    the page as delivered. Raises :class:`ReaderUnavailable` when the OCR engine cannot be loaded.
    """
    try:
        from checkpoint.ocr import OCREngineUnavailable, OCRImageError, read_mrz
    except ImportError as exc:
        raise ReaderUnavailable(f"the OCR for scanned pages cannot be loaded: {exc}") from exc
    try:
        result = read_mrz(data)
    except OCRImageError as exc:
        return [MalformedFrame(source=source, raw=data[:64], detail=f"{name}: {exc}")], False
    except OCREngineUnavailable as exc:
        raise ReaderUnavailable(str(exc)) from exc
    raw = "\n".join(result.lines).encode("ascii", "replace")
    if not result.found:
        return [MalformedFrame(source=source, raw=b"", detail=f"{name}: no MRZ found on the page")], False
    if result.problems:
        # The OCR doubts its reading (readings disagree, low confidence, a character no check digit
        # covers that the second engine disputes): a misread must never reach the officer as a
        # document. An MRZ that is read with certainty but fails its check digits is a document: the
        # checks engine shows that failure. The problems name lines and columns, never the data.
        detail = (
            f"{name}: the MRZ could not be read with certainty ({'; '.join(result.problems)}); "
            "rescan the page or enter the data by hand"
        )
        return [MalformedFrame(source=source, raw=raw, detail=detail)], False
    log.debug("%s: %s read in %.2f s", source, name, result.timings.get("total", 0.0))
    return [DocumentRead(source=source, lines=result.lines, raw=raw, images=(data,))], True
