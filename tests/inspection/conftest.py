"""Fixtures for checks-engine tests: ``doc(**changes)`` and ``ctx(config, **changes)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from inspection_builders import NOW, DocList, FakeDocument, PersonList

from checkpoint.inspection import InspectionConfig, InspectionContext


@pytest.fixture
def doc() -> Callable[..., FakeDocument]:
    def make(**changes: Any) -> FakeDocument:
        return replace(FakeDocument(), **changes)

    return make


@pytest.fixture
def ctx() -> Callable[..., InspectionContext]:
    def make(config: InspectionConfig | None = None, **changes: Any) -> InspectionContext:
        base: dict[str, Any] = {
            "now": NOW,
            "today": NOW.date(),
            "direction": "entry",
            "post": "Bozaj",
            "lane": "2",
            "history": [],
            "document_watchlist": DocList([]),
            "person_watchlist": PersonList([]),
            "config": config or InspectionConfig(),
        }
        base.update(changes)
        return InspectionContext(**base)

    return make
