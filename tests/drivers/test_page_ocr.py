"""A scanned page becomes a document only when the OCR has no doubt about what it read."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from checkpoint.drivers import DocumentRead, MalformedFrame
from checkpoint.drivers.page_ocr import page_events
from checkpoint.mocks.pages import make_page

from checkpoint.ocr import read as ocr_read
from checkpoint.ocr.engine import MODEL_NAME, LineReading


def test_a_page_the_ocr_doubts_is_a_malformed_frame_not_a_document(monkeypatch: pytest.MonkeyPatch) -> None:
    # Our model is made to read an E of the name line as B in every reading (a blind spot): the check
    # digits cannot see it, the second engine disputes it, and the page must not become a document.
    page = make_page("TD3", seed=101, degrade="clean")
    truth = page.lines[0]
    column = truth.index("E", 5)
    real = ocr_read.read_line

    def read_line(image: np.ndarray, **options: Any) -> LineReading:
        reading = real(image, **options)
        if options.get("model", MODEL_NAME) != MODEL_NAME or reading.text != truth:
            return reading
        alternatives = list(reading.alternatives)
        if alternatives:
            alternatives[column] = "B" + truth[column]  # it weighed the E, too
        text = truth[:column] + "B" + truth[column + 1 :]
        return dataclasses.replace(reading, text=text, alternatives=tuple(alternatives))

    monkeypatch.setattr(ocr_read, "read_line", read_line)
    events, was_document = page_events("folder:///scans", "scan.png", page.encode("png"))
    assert not was_document
    (event,) = events
    assert isinstance(event, MalformedFrame)
    assert event.detail.startswith("scan.png: the MRZ could not be read with certainty (")
    assert (
        f"line 1: a second OCR engine does not confirm the character(s) at column(s) {column + 1}"
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
