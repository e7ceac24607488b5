"""Fixtures for store tests: a store on a temporary file with a hand-moved clock, an officer, a shift.

Every test that uses ``store`` runs against both stores, SQLite and PostgreSQL, unless it works on the
SQLite file itself (it asks for ``db_path``, or is marked ``sqlite_only``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from store_builders import PIN, Clock

from checkpoint.store import Shift, SQLiteStore, open_store


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_kind" in metafunc.fixturenames:
        file_specific = "db_path" in metafunc.fixturenames or metafunc.definition.get_closest_marker(
            "sqlite_only"
        )
        metafunc.parametrize("store_kind", ["sqlite"] if file_specific else ["sqlite", "postgres"])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "terminal" / "checkpoint.db"


@pytest.fixture
def store(
    store_kind: str, tmp_path: Path, clock: Clock, request: pytest.FixtureRequest
) -> Iterator[SQLiteStore]:
    if store_kind == "postgres":
        from checkpoint.store.postgres import open_post_store

        make: Callable[[str], str] = request.getfixturevalue("postgres_db")
        with open_post_store(make("store"), clock=clock, terminal_id="T-TEST") as opened:
            yield opened
        return
    # The same file as ``db_path``, for the tests that work on it.
    with open_store(tmp_path / "terminal" / "checkpoint.db", clock=clock, terminal_id="T-TEST") as opened:
        yield opened


@pytest.fixture
def shift(store: SQLiteStore) -> Shift:
    store.add_officer("MNE-0412", "Ana Vuković", PIN, actor="admin")
    return store.open_shift("MNE-0412", "Bozaj road crossing", "2", "entry")
