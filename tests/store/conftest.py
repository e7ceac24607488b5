"""Fixtures for store tests: a store on a temporary file with a hand-moved clock, an officer, a shift."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_builders import PIN, Clock

from checkpoint.store import Shift, SQLiteStore, open_store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "terminal" / "checkpoint.db"


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[SQLiteStore]:
    with open_store(db_path, clock=clock, terminal_id="T-TEST") as opened:
        yield opened


@pytest.fixture
def shift(store: SQLiteStore) -> Shift:
    store.add_officer("MNE-0412", "Ana Vuković", PIN, actor="admin")
    return store.open_shift("MNE-0412", "Bozaj road crossing", "2", "entry")
