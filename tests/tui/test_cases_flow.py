"""Referral, refusal and correction carried through, on the SQLite store: a referral stays open until the
second line resolves it (linked to the original), a refusal gives the traveller the Annex V Part B form
as PDF and puts it in the audit chain, a correction is a new crossing with its reason, and the next shift
opens on the last one's note and the referrals it left open."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkpoint.drivers import make_reader
from checkpoint.mocks.sim_reader import SimReader
from tui_fakes import JANSEN, frozen_clock, screen_text, sync, until

from checkpoint.store import SQLiteStore, open_store
from checkpoint.tui import make_app
from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import OfficerSession
from checkpoint.tui.screens.cases import CasesScreen
from checkpoint.tui.screens.follow_up import FollowUpScreen
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.screens.shift_close import ShiftCloseScreen
from checkpoint.tui.screens.shift_open import ShiftOpenScreen
from checkpoint.tui.screens.sign_in import SignInScreen
from checkpoint.tui.store_backend import StoreBackend


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    store = open_store(tmp_path / "terminal.db", clock=frozen_clock)
    store.add_officer("MNE-0412", "Ana Vukovic", "2468", actor="test")
    return store


@sync
async def test_refer_resolve_refuse_with_form_correct_and_hand_over(
    store: SQLiteStore, tmp_path: Path
) -> None:
    forms = tmp_path / "forms"
    reader = make_reader("sim://td3?interval=0&today=2026-11-27")
    assert isinstance(reader, SimReader)
    app = make_app([reader], StoreBackend(store, frozen_clock, refusal_forms=forms), frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.press(*"MNE-0412", "tab", *"2468", "enter")
        await until(pilot, lambda: isinstance(app.screen, ShiftOpenScreen))
        await until(pilot, lambda: "No earlier shift on this terminal." in screen_text(app))
        await pilot.press(*"Bozaj", "tab", "2", "enter")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))

        reader.present(JANSEN)
        await until(pilot, lambda: "JANSEN" in screen_text(app))
        await pilot.press("r", "enter")
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        referral = store.open_referrals("Bozaj")[0]

        # The second line: the open referral is listed; refusing needs a finding and a reason code.
        await pilot.press("k")
        await until(pilot, lambda: "1 open referral at this post" in screen_text(app))
        await until(pilot, lambda: "JANSEN, EMMA" in screen_text(app) and "REFERRED" in screen_text(app))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        await pilot.press(*"no", "enter")
        await until(pilot, lambda: "too short" in screen_text(app))
        await pilot.press(*" return ticket or funds", "enter")
        await until(pilot, lambda: "needs at least one reason code" in screen_text(app))
        codes = app.screen.query_one("#follow-up-codes")
        codes.focus()
        await pilot.press("down", "down", "down", "down", "down", "down", "space")  # G
        await pilot.press("tab", *"Declared 20 EUR for a 3-week stay", "enter")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen))
        await until(pilot, lambda: "0 open referrals at this post" in screen_text(app))
        await until(pilot, lambda: forms.is_dir() and any(forms.iterdir()))

        # This shift's decisions: the resolution is listed as such; correct it back to an admission.
        await pilot.press("f3")
        await until(pilot, lambda: "2 crossings this shift" in screen_text(app))
        await until(pilot, lambda: "refused 2L" in screen_text(app))
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        await pilot.press("f2", *"Funds shown by the sponsor on the phone", "enter")
        await until(pilot, lambda: "3 crossings this shift" in screen_text(app))
        await until(pilot, lambda: "admitted ✎" in screen_text(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))

        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, ShiftCloseScreen))
        await pilot.press(*"Sponsor calls back at 14:00", "enter")
        await until(pilot, lambda: "Shift closed" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.press(*"MNE-0412", "tab", *"2468", "enter")
        await until(pilot, lambda: isinstance(app.screen, ShiftOpenScreen))
        await until(
            pilot, lambda: "Last shift MNE-0412, closed 2026-11-27 09:30 UTC: Sponsor" in screen_text(app)
        )

    history = store.document_history("NX4R81T02", "NLD")
    assert [(c.kind, c.decision) for c in history] == [("correction", "admit")]
    resolution = store.get_crossing(str(history[0].corrects))
    assert (resolution.kind, resolution.decision, resolution.corrects) == (
        "resolution",
        "refuse",
        referral.crossing_id,
    )
    assert resolution.reason_codes == ("G",) and resolution.remarks == "Declared 20 EUR for a 3-week stay"
    assert resolution.correction_reason == "no return ticket or funds"
    [form] = list(forms.iterdir())
    assert form.read_bytes().startswith(b"%PDF") and (form.stat().st_mode & 0o777) == 0o600
    events = [e for e in store.audit_events() if e.action == "refusal.form"]
    assert [e.subject for e in events] == [resolution.crossing_id]
    assert events[0].details["file"] == form.name
    assert store.verify_audit().ok
    # The next review of this document shows the corrected decision, marked as such.
    backend = StoreBackend(store, frozen_clock, refusal_forms=forms)
    later = backend.open_shift(OfficerSession("MNE-0412"), "Bozaj", "1", "exit")
    review = backend.review(Arrival(tuple(JANSEN), "sim://td3", frozen_clock()), later)
    assert [line.outcome for line in review.history] == ["admitted ✎"]
