"""Snapshots at 80x24 of the screens for cases, companions and the visual zone, with the longest names.
Update after a deliberate change with ``--snapshot-update`` and look at the SVGs before committing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from checkpoint.drivers import make_reader
from checkpoint.mocks.sim_reader import SimReader
from textual.pilot import Pilot
from tui_fakes import FakeBackend, ScriptedReader, frozen_clock, screen_text, shift_app, until

from checkpoint.mrz import compose
from checkpoint.store import open_store
from checkpoint.tui import make_app
from checkpoint.tui.models import OfficerSession
from checkpoint.tui.screens.companions import ConsentScreen
from checkpoint.tui.store_backend import StoreBackend

Snap = Callable[..., bool]
LONG = compose(
    "TD3",
    issuing_state="XCO",
    surname="WOLFESCHLEGELSTEINHAUSENBERGERDORFF",
    given_names="HUBERT BLAINE",
    document_number="WX7K4M9T3",
    nationality="XCO",
    birth_date=date(1970, 1, 1),
    sex="M",
    expiry_date=date(2031, 1, 1),
)


def _cases_app(tmp_path: Path) -> Any:
    store = open_store(tmp_path / "t.db", clock=frozen_clock, terminal_id="T-SNAPSHOT")
    store.add_officer("MNE-0412", "Ana", "2468", actor="test")
    backend = StoreBackend(store, frozen_clock, refusal_forms=tmp_path / "forms")
    shift = backend.open_shift(
        OfficerSession("MNE-0412"), "Common Market for Eastern and Southern Africa post", "2", "entry"
    )
    reader = make_reader("sim://td3?interval=0")
    assert isinstance(reader, SimReader)
    app = make_app([reader], backend, frozen_clock, officer=shift.officer, shift=shift)
    return app, reader


def test_cases_with_an_open_referral(snap_compare: Snap, tmp_path: Path) -> None:
    app, reader = _cases_app(tmp_path)

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        reader.present(LONG)
        await until(pilot, lambda: "WOLFESCHLEGEL" in screen_text(app))
        await pilot.press("r", "enter")
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        await pilot.press("k")
        await until(
            pilot, lambda: "1 open referral" in screen_text(app) and "WOLFESCHLEGEL" in screen_text(app)
        )
        await pilot.press("x")
        await until(pilot, lambda: "Resolve the referral" in screen_text(app))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_visual_zone_entry(snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend) -> None:
    app = shift_app([reader], backend, post="Common Market for Eastern and Southern Africa post")

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        await pilot.press("t")
        await until(pilot, lambda: "type the visual zone" in screen_text(app))
        await pilot.press(*"P", "tab", *"XCO")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_consent_letter(snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend) -> None:
    app = shift_app([reader], backend)

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        app.push_screen(ConsentScreen())
        await until(pilot, lambda: "consent letter" in screen_text(app))
        await pilot.press(*"NOT-2026-118")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


LONG_POST = "Common Market for Eastern and Southern Africa post"


def test_search_with_the_purpose_list(
    snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend, post=LONG_POST)

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        await pilot.press("s")
        await until(pilot, lambda: "Search crossings" in screen_text(app))
        await pilot.press(*"short", "enter")
        await until(pilot, lambda: "too short" in screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_shift_close(snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend) -> None:
    app = shift_app([reader], backend, post=LONG_POST)

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        await pilot.press("f10")
        await until(pilot, lambda: "Note for the next shift" in screen_text(app))
        await pilot.press(*"Lane 2 printer jams", "enter")
        await until(pilot, lambda: "Shift closed" in screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
