"""Reading a generated page in a test: the page and what ``read_mrz`` makes of it."""

from __future__ import annotations

from checkpoint.mocks.pages import Page, make_page

from checkpoint.ocr import OCRResult, read_mrz


def read_page(page_format: str, seed: int, degrade: str) -> tuple[Page, OCRResult]:
    """Make the page of ``page_format``, ``seed`` and ``degrade`` and read it as its file is written."""
    page = make_page(page_format, seed=seed, degrade=degrade)
    return page, read_mrz(page.encode(page.natural_format))


def read_right(page_format: str, seed: int, degrade: str) -> OCRResult:
    """Read the page (:func:`read_page`), assert that it is valid and read as printed, and return what
    ``read_mrz`` made of it."""
    page, result = read_page(page_format, seed, degrade)
    assert result.valid, result.problems
    assert result.lines == page.lines
    return result
