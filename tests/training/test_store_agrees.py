"""What ``train check`` computes from the scenario alone is what the booth shows: every case of every
shipped pack, reviewed through the client's store backend on a seeded training database, gets the same
status from every check as :func:`checkpoint.training.evaluate.inspect_case`."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkpoint.training.database import open_training_store, seed_session
from checkpoint.training.evaluate import inspect_case
from checkpoint.training.packs import pack_names, pack_path
from checkpoint.training.scenario import load_scenario
from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import OfficerSession, ShiftInfo
from checkpoint.tui.store_backend import StoreBackend


@pytest.mark.parametrize("name", pack_names())
def test_the_booth_shows_what_train_check_computed(name: str, tmp_path: Path) -> None:
    scenario = load_scenario(pack_path(name))
    start = scenario.context.start
    store = open_training_store(tmp_path / "training.db", clock=lambda: start)
    try:
        # An earlier session of another scenario must not leak its lists or crossings into this one.
        seed_session(store, load_scenario(pack_path("travel")), "#OTHER1")
        seed_session(store, scenario, "#THIS01")
        store.add_officer("TR-01", "Trainee", "pin-123456", actor="test")
        officer = OfficerSession("TR-01")
        backend = StoreBackend(store, lambda: start, config=scenario.context.config, training=True)
        shifts = {
            direction: store.open_shift(
                "TR-01", f"{scenario.context.post} #THIS01", scenario.context.lane, direction
            )
            for direction in ("entry", "exit")
        }
        for case in scenario.cases:
            shift = shifts[case.direction]
            info = ShiftInfo(shift.shift_id, officer, shift.post, shift.lane, shift.direction)
            review = backend.review(Arrival(case.lines, "sim://td3", start), info)
            shown = {line.check_id: line.status for line in review.checks}
            expected = {r.check_id: r.status.value for r in inspect_case(scenario, case).results}
            assert shown == expected, case.case_id
    finally:
        store.close()
