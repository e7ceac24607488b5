"""Snapshots of the main screens at 80x24 with time frozen. Update after a deliberate change with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs before committing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from tui_fakes import (
    SAMPLE_TD3,
    FakeBackend,
    ScriptedReader,
    frozen_clock,
    paste,
    screen_text,
    shift_app,
    until,
)

from checkpoint.tui import make_app
from checkpoint.tui.app import CheckpointApp

Snap = Callable[..., bool]


def app_for(reader: ScriptedReader, backend: FakeBackend, *, signed_in: bool = True) -> CheckpointApp:
    if not signed_in:
        return make_app([reader], backend, frozen_clock)
    return shift_app([reader], backend, post="Bozaj road crossing")


def connected(app: CheckpointApp) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: app.reader_states() == {"scripted://lane": "connected"})
        await pilot.pause()

    return run_before


def test_sign_in(snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend) -> None:
    app = app_for(reader, backend, signed_in=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=connected(app))


def test_shift_open_with_health_panel(
    snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend, shift=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await connected(app)(pilot)
        await until(pilot, lambda: "Lost/stolen list 2026-11-25" in screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_waiting(snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend) -> None:
    app = app_for(reader, backend)
    assert snap_compare(app, terminal_size=(80, 24), run_before=connected(app))


def test_review_refer(snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend) -> None:
    app = app_for(reader, backend)

    async def run_before(pilot: Pilot[Any]) -> None:
        await connected(app)(pilot)
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_decision_modal_admit_over_fail(
    snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = app_for(reader, backend)

    async def run_before(pilot: Pilot[Any]) -> None:
        await connected(app)(pilot)
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        await pilot.press("a")
        await until(pilot, lambda: "Override reason" in screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_manual_entry_pointing_at_a_wrong_digit(
    snap_compare: Snap, reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = app_for(reader, backend)

    async def run_before(pilot: Pilot[Any]) -> None:
        await connected(app)(pilot)
        await pilot.press("m")
        await until(pilot, lambda: "Manual entry" in screen_text(app))
        await paste(pilot, SAMPLE_TD3[0])
        await pilot.press("tab")
        await paste(pilot, SAMPLE_TD3[1][:9] + "7" + SAMPLE_TD3[1][10:])
        await until(pilot, lambda: "✖ number" in screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
