"""A scanned page becomes a document only when the OCR has no doubt about what it read."""

from __future__ import annotations

from checkpoint.drivers import DocumentRead, MalformedFrame
from checkpoint.drivers.page_ocr import page_events
from checkpoint.mocks.pages import make_page


def test_a_page_the_ocr_doubts_is_a_malformed_frame_not_a_document() -> None:
    # Our model reads the V at the start of this photo's TD1 name line as U; the check digits cannot
    # see it, the second engine disputes it (tests/ocr/test_verify.py).
    page = make_page("TD1", seed=20204, degrade="photo")
    events, was_document = page_events("folder:///scans", "scan.jpg", page.encode("jpeg"))
    assert not was_document
    (event,) = events
    assert isinstance(event, MalformedFrame)
    assert event.detail.startswith("scan.jpg: the MRZ could not be read with certainty (")
    assert "line 3:" in event.detail


def test_a_page_read_with_certainty_is_a_document() -> None:
    page = make_page("TD3", seed=21, degrade="dpi=200")
    data = page.encode("png")
    events, was_document = page_events("folder:///scans", "scan.png", data)
    assert was_document
    (event,) = events
    assert isinstance(event, DocumentRead)
    assert event.lines == page.lines
    assert event.images == (data,)
