"""A scanned page becomes a document only when the OCR has no doubt about what it read."""

from __future__ import annotations

from collections.abc import Callable

from checkpoint.drivers import DocumentRead, MalformedFrame
from checkpoint.drivers.page_ocr import page_events
from checkpoint.mocks.pages import make_page


def test_a_page_the_ocr_doubts_is_a_malformed_frame_not_a_document(
    ocr_blind_spot: Callable[[str, int, str], None],
) -> None:
    # Our model is made to read an E of the name line as B in every reading (a blind spot): the check
    # digits cannot see it, the second engine disputes it, and the page must not become a document.
    page = make_page("TD3", seed=101, degrade="clean")
    truth = page.lines[0]
    column = truth.index("E", 5)
    ocr_blind_spot(truth, column, "B")
    events, was_document = page_events("folder:///scans", "scan.png", page.encode("png"))
    assert not was_document
    (event,) = events
    assert isinstance(event, MalformedFrame)
    assert event.detail.startswith("scan.png: the MRZ could not be read with certainty (")
    assert (
        f"line 1: neither a second OCR engine nor the print confirms the character(s) at column(s) {column + 1}"
        in event.detail
    )


def test_a_page_read_with_certainty_is_a_document() -> None:
    page = make_page("TD3", seed=21, degrade="dpi=200")
    data = page.encode("png")
    events, was_document = page_events("folder:///scans", "scan.png", data)
    assert was_document
    (event,) = events
    assert isinstance(event, DocumentRead)
    assert event.lines == page.lines
    assert event.images == (data,)
