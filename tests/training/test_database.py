"""The training database: its mark, and each session seeing only its own crossings."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkpoint.store import CrossingQuery, open_store
from checkpoint.training.database import (
    NotATrainingDatabase,
    database_role,
    open_training_store,
    seed_session,
)
from checkpoint.training.packs import pack_path
from checkpoint.training.scenario import load_scenario

TRAVEL = load_scenario(pack_path("travel"))


def test_roles_are_read_without_writing(tmp_path: Path) -> None:
    assert database_role(tmp_path / "none.db") is None
    with open_store(tmp_path / "live.db"):
        pass
    assert database_role(tmp_path / "live.db") == "live"
    with open_training_store(tmp_path / "training.db", clock=lambda: TRAVEL.context.start):
        pass
    assert database_role(tmp_path / "training.db") == "training"
    (tmp_path / "text.db").write_text("not sqlite\n")
    with pytest.raises(NotATrainingDatabase, match="not a checkpoint database"):
        database_role(tmp_path / "text.db")


def test_a_session_sees_and_finds_only_its_own_crossings(tmp_path: Path) -> None:
    with open_training_store(tmp_path / "training.db", clock=lambda: TRAVEL.context.start) as store:
        seed_session(store, TRAVEL, "#FIRST1")
        seed_session(store, TRAVEL, "#SECOND")
        number = TRAVEL.case("overstay-on-entry").lines[1][:9]
        history = store.document_history(number, "USA")
        assert len(history) == 4 and {c.post for c in history} == {"Training crossing #SECOND"}
        found = store.search_crossings(CrossingQuery(text=number), purpose="training", actor="TRAINER")
        assert len(found) == 4
        store.session_tag = "#FIRST1"
        assert {c.post for c in store.document_history(number, "USA")} == {"Training crossing #FIRST1"}
