"""Manual entry of the visual zone (no MRZ) through to the record, and the review screen at 80x24 with the
longest names: the document line and the direction always whole, nothing cut that matters."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from checkpoint.drivers import make_reader
from checkpoint.mocks.sim_reader import SimReader
from textual.pilot import Pilot
from tui_fakes import (
    SAMPLE_TD3,
    FakeBackend,
    ScriptedReader,
    frozen_clock,
    screen_text,
    shift_app,
    sync,
    until,
)

from checkpoint.store import open_store
from checkpoint.tui import make_app
from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import Review, ShiftInfo
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.screens.viz_entry import VizEntryScreen
from checkpoint.tui.store_backend import StoreBackend

LONGEST_POST = "Common Market for Eastern and Southern Africa (COMESA) joint border post"
LONGEST_NATIONALITY = "XCO Common Market for Eastern and Southern Africa (COMESA)"


class LongNamesBackend(FakeBackend):
    """The fake backend with the longest names a review can hold."""

    def review(self, arrival: Arrival, shift: ShiftInfo) -> Review:
        review = super().review(arrival, shift)
        return replace(
            review,
            surname="WOLFESCHLEGELSTEINHAUSENBERGERDORFF",
            given_names="HUBERT BLAINE CHRISTOPHER",
            nationality=LONGEST_NATIONALITY,
            issuing_state="XCO",
        )


@sync
async def test_the_document_line_and_direction_stay_whole_with_the_longest_names() -> None:
    reader = ScriptedReader()
    app = shift_app([reader], LongNamesBackend(), post=LONGEST_POST)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "WOLFESCHLEGEL" in screen_text(app))
        lines = screen_text(app).splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert "Passport L898902C3  issued by XCO  expires 2012-04-15" in lines[3]
        assert "· Lane 2 · ENTRY" in lines[0] and "Officer MNE-0412" in lines[0]
        holder = lines[2]
        assert (
            "born 1974-08-12 (52)" in holder
            and holder.rstrip(" ┃").endswith("XCO")
            and "WOLFESCHLEGEL" in holder
        )
        # Every check line is whole.
        for check in ("MRZ check digits (5/5)", "Document expired", "Stay rule (not configured)"):
            assert check in screen_text(app)


def test_review_with_the_longest_names_snapshot(snap_compare: Any) -> None:
    reader = ScriptedReader()
    app = shift_app([reader], LongNamesBackend(), post=LONGEST_POST)

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: app.reader_states() == {"scripted://lane": "connected"})
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "WOLFESCHLEGEL" in screen_text(app))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@sync
async def test_a_document_typed_from_its_visual_zone_is_checked_and_recorded_as_manual(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "t.db", clock=frozen_clock)
    store.add_officer("MNE-0412", "Ana", "2468", actor="test")
    backend = StoreBackend(store, frozen_clock)
    from checkpoint.tui.models import OfficerSession

    shift = backend.open_shift(OfficerSession("MNE-0412"), "Bozaj", "2", "entry")
    reader = make_reader("sim://td3?interval=0")
    assert isinstance(reader, SimReader)
    app = make_app([reader], backend, frozen_clock, officer=shift.officer, shift=shift)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        # Every working key is in the footer, whole, at 80 columns.
        await until(pilot, lambda: "^q Quit" in screen_text(app).splitlines()[-1])
        footer = screen_text(app).splitlines()[-1]
        for key in (
            "m Manual",
            "t Type VIZ",
            "p Present",
            "s Search",
            "w Lists",
            "v Audit",
            "k Cases",
            "F10 Close",
        ):
            assert key in footer
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, VizEntryScreen))
        await pilot.press("enter")
        await until(pilot, lambda: "Fill in: Type P/I/V" in screen_text(app))
        typed = [
            "P",
            "NLD",
            "NX4R81T02",
            "Jansen",
            "Emma",
            "NLD",
            "1990-03-01",
            "F",
            "2031-06-30",
            "2026-12-01",
        ]
        for value in typed:
            await pilot.press(*value, "tab")
        await pilot.press("enter")
        await until(pilot, lambda: "JANSEN, EMMA" in screen_text(app))
        await until(pilot, lambda: "x Refuse" in screen_text(app).splitlines()[-1])
        shown = screen_text(app)
        assert "Passport NX4R81T02  issued by NLD  expires 2031-06-30  · manual VIZ" in shown
        assert "✖ FAIL    Document not yet valid: issued 2026-12-01 (per manual entry)" in shown
        assert "· NOT RUN No MRZ: fields typed from the visual zone" in shown
        await pilot.press("r", "enter")
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
    [crossing] = store.document_history("NX4R81T02", "NLD")
    assert crossing.source == "manual:viz"
    assert {c.check_id: c.status for c in crossing.checks}["document.dates"] == "FAIL"
    store.close()


@sync
async def test_a_notification_during_a_review_takes_the_notice_line_not_the_checks() -> None:
    reader = ScriptedReader()
    app = shift_app([reader], LongNamesBackend(), post=LONGEST_POST)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Reader ● ok" in screen_text(app))
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "WOLFESCHLEGEL" in screen_text(app))
        reader.unplug()
        await until(pilot, lambda: "✖ Reader disconnected: scripted://lane" in screen_text(app))
        lines = screen_text(app).splitlines()
        notice = next(n for n, line in enumerate(lines) if "Reader disconnected" in line)
        assert notice == 22  # above the footer, below the history
        for check in ("MRZ check digits (5/5)", "Document expired", "Stay rule (not configured)"):
            assert check in screen_text(app)
        # The header keeps its fields with the reader gone.
        assert (
            "· Lane 2 · ENTRY" in lines[0] and "Reader ○ DISCONNECTED" in lines[0] and "MNE-0412" in lines[0]
        )
