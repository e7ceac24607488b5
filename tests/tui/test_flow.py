"""The whole primary-inspection flow driven by the keyboard: sign in, open shift, read, review, decide,
search, close shift; and the queue rules (reads wait while deciding, repeats fold)."""

from __future__ import annotations

import gc

from textual.widgets import Input
from textual.widgets._footer import FooterKey
from tui_fakes import (
    SAMPLE_TD3,
    FakeBackend,
    ScriptedReader,
    frozen_clock,
    paste,
    screen_text,
    shift_app,
    sync,
    until,
)

from checkpoint.tui import make_app
from checkpoint.tui.backend import ClientError
from checkpoint.tui.screens.decision import DecisionScreen
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.screens.search import SearchScreen
from checkpoint.tui.screens.shift_close import ShiftCloseScreen
from checkpoint.tui.screens.shift_open import ShiftOpenScreen
from checkpoint.tui.screens.sign_in import SignInScreen

OTHER_TD3 = (
    "P<UTOSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "X123456784UTO8001014M3001012<<<<<<<<<<<<<<06",
)


@sync
async def test_sign_in_open_shift_read_decide_search_close(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = make_app([reader], backend, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.press(*"MNE-0412", "tab", *"9999", "enter")
        await until(pilot, lambda: "Wrong officer ID or PIN" in screen_text(app))
        assert app.officer is None
        await pilot.press(*"2468", "enter")
        await until(pilot, lambda: isinstance(app.screen, ShiftOpenScreen))
        await until(pilot, lambda: "Reader ● ok" in screen_text(app))
        assert "Lost/stolen list 2026-11-25, 2 days old" in screen_text(app)
        assert "Person alerts ▲ none loaded" in screen_text(app)

        await pilot.press("enter")
        await until(pilot, lambda: "Type the post and the lane" in screen_text(app))
        await paste(pilot, "Bozaj road")
        await pilot.press("tab", "2", "f3", "enter")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert app.shift is not None and app.shift.direction == "exit"
        assert "Bozaj road · Lane 2 · EXIT" in screen_text(app)
        assert "Waiting for a document" in screen_text(app)

        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "REFER TO SECONDARY" in screen_text(app))
        shown = screen_text(app)
        assert "ERIKSSON, ANNA MARIA" in shown
        assert "✖ FAIL" in shown and "· NOT RUN" in shown
        assert "2026-10-02 EXIT  Lane 1" in shown

        # Admitting over a FAIL needs a written reason.
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("enter")
        await until(pilot, lambda: "write why you admit anyway" in screen_text(app))
        assert backend.recorded == []
        await paste(pilot, "Verified with issuer")
        await pilot.press("enter")
        await until(pilot, lambda: len(backend.recorded) == 1)
        review, decision = backend.recorded[0]
        assert (decision.outcome, decision.override_reason) == ("admit", "Verified with issuer")
        assert review.arrival.source == reader.source
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))

        # Search: the purpose is required, and goes to the backend with the query.
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press("tab", *"L898902C3", "enter")
        await until(pilot, lambda: "Write the purpose of this search" in screen_text(app))
        assert backend.searches == []
        assert app.screen.focused is app.screen.query_one("#purpose")
        # A word or two is not a purpose anyone can check later.
        await pilot.press(*"case 17", "enter")
        await until(pilot, lambda: "too short" in screen_text(app))
        assert backend.searches == []
        await pilot.press(*" of the fraud unit", "enter")
        await until(pilot, lambda: "1 crossing match" in screen_text(app))
        assert backend.searches == [("L898902C3", "case 17 of the fraud unit")]
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))

        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, ShiftCloseScreen))
        await paste(pilot, "Lane 2 printer jams")
        await pilot.press("enter")
        await until(pilot, lambda: "Shift closed" in screen_text(app))
        shown = screen_text(app)
        assert "1 crossings, 0 referral(s) still open" in shown
        assert backend.closed == ["Lane 2 printer jams"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        assert app.officer is None and app.shift is None
        assert len(app.screen_stack) == 2


@sync
async def test_a_read_arriving_while_deciding_waits_and_is_not_mixed_up(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        reader.feed(*OTHER_TD3)
        await until(pilot, lambda: len(app.intake) == 1)
        # The code the failed check points to is ticked already; untick it, and the decision is refused.
        await pilot.press("space", "enter")
        await until(pilot, lambda: "needs at least one reason code" in screen_text(app))
        await pilot.press("space", "enter")
        await until(pilot, lambda: "SMITH" in screen_text(app))
        assert [(r.surname, d.outcome, d.reason_codes) for r, d in backend.recorded] == [
            ("ERIKSSON", "refuse", ("A",))
        ]
        assert "✔ CLEAR" in screen_text(app)
        await pilot.press("r", "enter")
        await until(pilot, lambda: len(backend.recorded) == 2)
        assert backend.recorded[1][0].surname == "SMITH"
        assert backend.recorded[1][1].outcome == "refer"
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))


@sync
async def test_the_banner_counts_reads_waiting_behind_the_one_under_review(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        reader.feed(*OTHER_TD3)
        await until(pilot, lambda: "1 more waiting" in screen_text(app))


@sync
async def test_the_same_document_read_twice_within_seconds_is_one_read(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.feed(*SAMPLE_TD3)
        reader.feed(*SAMPLE_TD3)
        reader.feed(*OTHER_TD3)
        await until(pilot, lambda: app.intake.repeats == 1 and len(app.intake) == 1)
        await pilot.press("r", "enter")
        await until(pilot, lambda: "SMITH" in screen_text(app))
        await pilot.press("r", "enter")
        await until(pilot, lambda: len(backend.recorded) == 2)
        assert [a.lines for a in backend.reviews] == [SAMPLE_TD3, OTHER_TD3]


@sync
async def test_cancelling_the_decision_keeps_the_review(reader: ScriptedReader, backend: FakeBackend) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        assert "ERIKSSON" in screen_text(app)
        assert backend.recorded == []


@sync
async def test_decision_keys_do_nothing_while_waiting(reader: ScriptedReader, backend: FakeBackend) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        await pilot.press("a", "x")
        await pilot.pause(0.1)
        assert isinstance(app.screen, InspectionScreen)
        assert "Admit" not in screen_text(app).splitlines()[-1]


@sync
async def test_watchlist_import_and_audit_verification(
    reader: ScriptedReader, backend: FakeBackend, tmp_path: object
) -> None:
    from pathlib import Path

    csv = Path(str(tmp_path)) / "stolen.csv"
    csv.write_text("document_number,issuing_state\nX1,UTO\nX2,UTO\n")
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await until(pilot, lambda: "Import a watchlist" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: "Type the path" in screen_text(app))
        app.screen.query_one("#path", Input).value = str(csv)
        await pilot.press("enter")
        await until(pilot, lambda: "Imported 2 lost/stolen documents" in screen_text(app))
        await pilot.press("escape", "v")
        await until(pilot, lambda: "INTACT" in screen_text(app))


@sync
async def test_a_failed_check_or_record_is_told_to_the_officer_and_nothing_is_lost(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    told: list[tuple[str, str, bool]] = []
    app.notify = lambda message, *, title="", markup=True, **_: told.append((title, message, markup))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        backend.fail_next = ClientError("Locked by [bold]x.db\x1b[2J", "Database unavailable")
        reader.feed(*SAMPLE_TD3)
        reader.feed(*OTHER_TD3)
        # The first read cannot be checked: the officer is told why, and the read behind it comes up.
        await until(pilot, lambda: told)
        assert told == [("Database unavailable", "Locked by [bold]x.db␛[2J", False)]
        await until(pilot, lambda: "SMITH" in screen_text(app))
        assert [a.lines for a in backend.reviews] == [OTHER_TD3]
        backend.fail_next = RuntimeError("disk full")
        await pilot.press("r", "enter")
        await until(pilot, lambda: len(told) == 2)
        assert told[1] == ("Something went wrong", "RuntimeError: disk full", False)
        # The review stays up, so the decision can be taken again.
        assert "SMITH" in screen_text(app) and backend.recorded == []
        await pilot.press("r", "enter")
        await until(pilot, lambda: len(backend.recorded) == 1)


@sync
async def test_the_footer_lets_go_of_the_keys_it_rebuilds(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)

    def live_footer_keys() -> int:
        gc.collect()
        return sum(1 for thing in gc.get_objects() if isinstance(thing, FooterKey))

    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))
        for number in range(6):
            reader.feed(f"P<UTOREADER<<NUMBER{'<' * 26}{number}", *OTHER_TD3[1:])
            await until(pilot, lambda: app.screen.review is not None)
            await pilot.press("r", "enter")
            done = number + 1
            await until(pilot, lambda done=done: len(backend.recorded) == done and app.screen.review is None)
        await pilot.pause()
        # Each read rebuilds the footer's keys several times (review, modal, back); only the footers on
        # screen hold keys, a dozen or two, however many reads went by.
        assert live_footer_keys() < 40


@sync
async def test_a_suggested_code_missing_from_the_posts_table_is_not_ticked(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    backend.suggested = ("Z", "B")
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        reader.feed(*SAMPLE_TD3)
        await until(pilot, lambda: "ERIKSSON" in screen_text(app))
        await pilot.press("x", "enter")
        await until(pilot, lambda: len(backend.recorded) == 1)
        assert backend.recorded[0][1].reason_codes == ("B",)
