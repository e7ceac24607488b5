"""Fixtures shared across the test folders."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

BlindSpot = Callable[[str, int, str], None]


@pytest.fixture
def ocr_blind_spot(monkeypatch: pytest.MonkeyPatch) -> BlindSpot:
    """Return ``blind_spot(truth, column, misread)``, which makes our OCR model misread the character at
    ``column`` of the line ``truth`` as ``misread`` in every reading (keeping the true character among
    its candidates, as the model weighs a look-alike), as a model's blind spot would: the readings then
    agree with each other, and only the second engine can object.
    """
    from checkpoint.ocr import read as ocr_read
    from checkpoint.ocr.engine import MODEL_NAME, LineReading

    real = ocr_read.read_line

    def blind_spot(truth: str, column: int, misread: str) -> None:
        def read_line(image: np.ndarray, **options: Any) -> LineReading:
            reading = real(image, **options)
            if options.get("model", MODEL_NAME) != MODEL_NAME or reading.text != truth:
                return reading
            text = truth[:column] + misread + truth[column + 1 :]
            alternatives = list(reading.alternatives)
            if alternatives:
                alternatives[column] = misread + truth[column]
            return dataclasses.replace(reading, text=text, alternatives=tuple(alternatives))

        monkeypatch.setattr(ocr_read, "read_line", read_line)

    return blind_spot


@pytest.fixture
def postgres_db(postgres_cluster: Any, request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """Return ``make(label) -> dsn``: a fresh, empty database on the session's cluster per call, dropped
    when the test ends."""
    made: list[str] = []

    def make(label: str = "db") -> str:
        name = f"t{len(made)}_{label}_{abs(hash(request.node.nodeid)) % 10**8}"
        made.append(name)
        return str(postgres_cluster.create_database(name))

    yield make
    if postgres_cluster.running:
        postgres_cluster.sql([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in made])


@pytest.fixture(scope="session")
def phone_photo() -> tuple[tuple[str, ...], bytes]:
    """A phone's photo of an MRV-B visa: a 12-megapixel JPEG taken 28 degrees off square from close up,
    stored turned with the EXIF tag to undo it, as phones write them. Returns (MRZ lines, file bytes).
    Made once per session: drawing it takes seconds.
    """
    from checkpoint.mocks.pages import make_page

    page = make_page("MRVB", seed=20053, degrade="phone,rotate=90,exif")
    return page.lines, page.encode(page.natural_format)
