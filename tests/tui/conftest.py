"""Fixtures for the client's tests: a scripted reader and an in-memory backend (see tui_fakes)."""

from __future__ import annotations

import pytest
from tui_fakes import FakeBackend, ScriptedReader


@pytest.fixture
def reader() -> ScriptedReader:
    return ScriptedReader()


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture(autouse=True)
def private_data_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep whatever the client writes by default (refusal forms beside the default database) out of
    the home of whoever runs the tests."""
    home = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.delenv("CHECKPOINT_DB", raising=False)
