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
