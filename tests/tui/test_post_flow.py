"""The client on a post's configuration: the lane picked from the post's list at shift open, the checks
run on the post's rules, and a blocking FAIL cannot be admitted over."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from checkpoint.drivers import make_reader
from checkpoint.mocks.sim_reader import SimReader
from tui_fakes import frozen_clock, screen_text, sync, until

from checkpoint.cli.config_command import example_text
from checkpoint.inspection.post_config import parse_post_config
from checkpoint.mrz import compose
from checkpoint.store import SQLiteStore, open_store
from checkpoint.tui import make_app
from checkpoint.tui.screens.decision import DecisionScreen
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.screens.shift_open import ShiftOpenScreen
from checkpoint.tui.screens.sign_in import SignInScreen
from checkpoint.tui.store_backend import StoreBackend

# An Indian passport with no visa: the example post requires one.
NO_VISA = compose(
    "TD3",
    issuing_state="IND",
    surname="SHARMA",
    given_names="PRIYA",
    document_number="Z7K4M9T3A",
    nationality="IND",
    birth_date=date(1992, 2, 11),
    sex="F",
    expiry_date=date(2032, 1, 31),
)
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F3204159ZE184226B<<<<<10",
)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    store = open_store(tmp_path / "terminal.db", clock=frozen_clock)
    store.add_officer("MNE-0412", "Ana Vukovic", "2468", actor="test")
    return store


@sync
async def test_lane_from_the_posts_list_and_the_posts_rules_apply(store: SQLiteStore, tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    post = replace(parse_post_config(example_text()), refusal_forms=str(forms))
    reader = make_reader("sim://td3?interval=0&today=2026-11-27")
    assert isinstance(reader, SimReader)
    app = make_app([reader], StoreBackend(store, frozen_clock, post=post), frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.press(*"MNE-0412", "tab", *"2468", "enter")
        await until(pilot, lambda: isinstance(app.screen, ShiftOpenScreen))
        await until(pilot, lambda: "Lane Bus" in screen_text(app))
        await pilot.press("down", "down", "enter")  # lane 3
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert app.shift is not None and (app.shift.post, app.shift.lane) == ("Demo crossing", "3")
        assert "Demo crossing · Lane 3 · ENTRY" in screen_text(app)

        reader.present(NO_VISA)
        await until(pilot, lambda: "SHARMA" in screen_text(app))
        assert "✖ FAIL    Visa required for IND: none presented" in screen_text(app)
        # Refused at the first line: reason code C is ticked for the missing visa; the form is written.
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await until(pilot, lambda: "▐✔▌ C" in screen_text(app))
        await pilot.press("tab", *"No visa; told to apply at the consulate", "enter")
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        await until(pilot, lambda: forms.is_dir() and len(list(forms.iterdir())) == 1)

        # The specimen blocks admission at this post: even a written reason does not admit it.
        reader.present(SPECIMEN)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        assert "✖ FAIL    Specimen document: issuer UTO is the ICAO example state" in screen_text(app)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press(*"known to the officer", "enter")
        await until(pilot, lambda: "this post does not admit over it" in screen_text(app))
        assert isinstance(app.screen, DecisionScreen)
    crossings = store.document_history("Z7K4M9T3A", "IND")
    assert [(c.lane, c.decision, c.reason_codes) for c in crossings] == [("3", "refuse", ("C",))]
    assert crossings[0].remarks == "No visa; told to apply at the consulate"
    assert [e.subject for e in store.audit_events() if e.action == "refusal.form"] == [
        crossings[0].crossing_id
    ]
