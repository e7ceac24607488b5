"""The client on a terminal that syncs with its post (``checkpoint run --server``): the header shows the
sync state, a read at lane 2 sees lane 1's admit pulled from the post and says how fresh that is, and
the supervisor's screen lists the post's lanes and refused pushes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from checkpoint.drivers import make_reader
from checkpoint.mocks.sim_reader import SimReader
from tui_fakes import JANSEN, screen_text, sync, until

from checkpoint.store import CheckRecord, NewCrossing, open_store
from checkpoint.store.postgres import open_post_store
from checkpoint.store.sync import SyncClient, SyncRefused
from checkpoint.tui import make_app
from checkpoint.tui.app import utc_now
from checkpoint.tui.post_link import PostLink
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.screens.shift_open import ShiftOpenScreen
from checkpoint.tui.screens.sign_in import SignInScreen
from checkpoint.tui.screens.supervisor import SupervisorScreen


def _admit_at_lane_1(path: Path, dsn: str) -> None:
    with open_store(path, terminal_id="T-LANE1") as lane1:
        SyncClient(lane1, dsn).sync_once()
        shift = lane1.open_shift("MNE-0412", "Bozaj", "1", "entry")
        lane1.record_crossing(
            NewCrossing(
                shift_id=shift.shift_id,
                decision="admit",
                suggestion="CLEAR",
                surname="JANSEN",
                given_names="EMMA",
                birth_date=date(1990, 3, 1),
                sex="F",
                nationality="NLD",
                document_type="P",
                issuing_state="NLD",
                document_number="NX4R81T02",
                expiry_date=date(2031, 6, 30),
                mrz_lines=tuple(JANSEN),
                source="sim://td3",
                checks=(CheckRecord("mrz.validity", 1, "PASS", "ok"),),
            )
        )
        SyncClient(lane1, dsn).sync_once()


@sync
async def test_lane_2_sees_lane_1_through_the_post_and_the_supervisor_sees_the_lanes(postgres_db, tmp_path):
    dsn = postgres_db("tui")
    with open_post_store(dsn, terminal_id="HQ") as hq:
        hq.add_officer("MNE-0412", "Ana Vukovic", "2468", actor="hq:admin")
    _admit_at_lane_1(tmp_path / "lane1.db", dsn)
    # A copy of lane 1's file that records on its own after lane 1 did: the post refuses it.
    shutil.copy(tmp_path / "lane1.db", tmp_path / "copy.db")
    with open_store(tmp_path / "lane1.db") as lane1:
        lane1.audit("read", actor="MNE-0412")
        SyncClient(lane1, dsn).sync_once()
    with open_store(tmp_path / "copy.db") as copy:
        copy.audit("read", actor="MNE-0412")
        with pytest.raises(SyncRefused):
            SyncClient(copy, dsn).sync_once()

    lane2 = open_store(tmp_path / "lane2.db", terminal_id="T-LANE2")
    SyncClient(lane2, dsn).sync_once()  # the officer's account comes from HQ
    link = PostLink(lane2, dsn, interval_s=0.3)
    reader = make_reader("sim://td3?interval=0")
    assert isinstance(reader, SimReader)
    app = make_app([reader], lane2, utc_now, post_link=link)
    try:
        async with app.run_test(size=(100, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, SignInScreen))
            await pilot.press(*"MNE-0412", "tab", *"2468", "enter")
            await until(pilot, lambda: isinstance(app.screen, ShiftOpenScreen))
            await pilot.press(*"Bozaj", "tab", "2", "enter")
            await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
            await until(pilot, lambda: "Sync synced" in screen_text(app))
            reader.present(JANSEN)
            await until(pilot, lambda: "Same document at Bozaj lane 1" in screen_text(app))
            assert "other lanes as of" in screen_text(app)
            await pilot.press("ctrl+l")
            await until(pilot, lambda: isinstance(app.screen, SupervisorScreen))
            await until(pilot, lambda: "T-LANE1" in screen_text(app) and "REFUSED" in screen_text(app))
            shown = screen_text(app)
            assert "Bozaj lane 1" in shown and "Refused pushes (never merged)" in shown
            assert "terminal T-LANE1: event" in shown
    finally:
        link.stop()
        lane2.close()


def test_the_header_says_synced_waiting_offline_or_refused_and_why():
    from datetime import UTC, datetime

    from checkpoint.store.sync_status import SyncState
    from checkpoint.tui.post_link import headline

    when = datetime(2026, 12, 4, 14, 5, tzinfo=UTC)
    base = SyncState(True, 0, 0, when, None, None, None, None)
    assert headline(base) == ("synced", "green")
    assert headline(replace(base, crossings_waiting=3, events_waiting=7))[0] == "3 waiting"
    offline = headline(replace(base, offline_since=when, crossings_waiting=3))[0]
    assert offline == f"offline since {when.astimezone():%H:%M}"
    refused = replace(
        base, refused="terminal T-1: event 4 (x) differs", refused_why="copied or rewritten file"
    )
    assert headline(refused) == ("REFUSED: copied or rewritten file", "bold red")
