"""Training mode end to end: a session through ``App.run_test()`` with the simulated reader, scored and
audited in the training database's own chain; and a live database is never written by training."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tui_fakes import screen_text, sync, until

from checkpoint.cli import main
from checkpoint.cli.train_run import prepare_training
from checkpoint.store import open_store
from checkpoint.training.database import (
    NotATrainingDatabase,
    TrainingStore,
    database_role,
    open_training_store,
)
from checkpoint.tui.screens.training import LessonScreen, TrainingEndScreen, TrainingInspectionScreen


@sync
async def test_a_practice_session_scores_each_decision_and_ends_with_the_misses(tmp_path: Path) -> None:
    db = tmp_path / "training.db"
    app, store = prepare_training("basics", "TR-01", db, seed=None, mode="practice", count=3)
    try:
        async with app.run_test(size=(80, 30)) as pilot:
            # Case 1: a genuine passport. Open the checks, then admit.
            await until(
                pilot,
                lambda: isinstance(app.screen, TrainingInspectionScreen) and app.screen.review is not None,
            )
            await until(pilot, lambda: "HARTMANN" in screen_text(app))
            shown = screen_text(app)
            assert "▲ TRAINING" in shown and "case 1/3" in shown
            assert "F10" not in shown and "p Present" not in shown
            await pilot.press("c")
            await until(
                pilot, lambda: "MRZ structure and check digits (mrz.validity): PASS" in screen_text(app)
            )
            await pilot.press("escape", "g")
            await until(pilot, lambda: "Printed data page" in screen_text(app))
            page = screen_text(app)
            assert "Date of birth  17 FEB 1983" in page and "Document No.   C4F7K2M9R" in page
            assert "␊" not in page  # lines are lines, not control pictures
            await pilot.press("escape", "a", "enter")
            await until(pilot, lambda: isinstance(app.screen, LessonScreen))
            assert "✔ RIGHT" in screen_text(app)
            assert "looked at what mattered" in screen_text(app)
            await pilot.press("enter")

            # Case 2: expired. Referring where a refusal was due.
            await until(pilot, lambda: "WHITAKER" in screen_text(app))
            assert "case 2/3" in screen_text(app)
            await pilot.press("i")
            await until(pilot, lambda: "Holiday, ten days" in screen_text(app))
            await pilot.press("escape", "r", "enter")
            await until(pilot, lambda: isinstance(app.screen, LessonScreen))
            assert "REFERRED WHERE A REFUSAL WAS DUE" in screen_text(app)
            assert "␊" not in screen_text(app)
            assert "did NOT open what mattered" in screen_text(app)
            await pilot.press("enter")

            # Case 3: genuine, expiring soon. Refusing a genuine traveller.
            await until(pilot, lambda: "TREMBLAY" in screen_text(app))
            await pilot.press("x", "space", "enter")
            await until(pilot, lambda: isinstance(app.screen, LessonScreen))
            assert "REFUSED A GENUINE TRAVELLER" in screen_text(app)
            await pilot.press("enter")

            await until(pilot, lambda: isinstance(app.screen, TrainingEndScreen))
            end = screen_text(app)
            assert "Score 19/30 (63%)" in end and "2 missed of 3" in end
            assert "Missed cases and their lessons" in end
        app.close_shifts()
        assert all(store.get_shift(shift.shift_id).closed_at is not None for shift in app.shifts.values())
        session = app.session
        assert [o.points for o in session.outcomes] == [10, 7, 2]
        assert [o.decision for o in session.outcomes] == ["admit", "refer", "refuse"]
        assert all(0 <= o.seconds < 60 for o in session.outcomes)
        await_events = [e for e in store.audit_events() if e.action.startswith("training.")]
        # Once seen out of order (the end before the last case), never reproduced: say all of the chain.
        chain = [(e.seq, e.time.isoformat(), e.action, e.details) for e in store.audit_events()]
        assert [e.action for e in await_events] == ["training.start"] + ["training.case"] * 3 + [
            "training.end"
        ], chain
        assert await_events[-1].details["percent"] == 63.3
        decisions = [e for e in store.audit_events() if e.action == "decision"]
        assert len(decisions) == 3
        assert store.verify_audit().ok
    finally:
        store.close()
    assert database_role(db) == "training"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_training_refuses_a_live_database_and_leaves_it_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.db"
    with open_store(live) as store:
        store.add_officer("MNE-0412", "Officer", "1234-5678", actor="admin")
    before = {p.name: sha(p) for p in tmp_path.iterdir()}
    status = main(["train", "run", "--scenario", "basics", "--trainee", "TR-01", "--db", str(live)])
    assert status == 2
    assert "is a live checkpoint database: training never writes to one" in capsys.readouterr().err
    with pytest.raises(NotATrainingDatabase):
        open_training_store(live, clock=lambda: datetime.now(UTC))
    with pytest.raises(NotATrainingDatabase):
        TrainingStore(live, clock=lambda: datetime.now(UTC))
    assert {p.name: sha(p) for p in tmp_path.iterdir()} == before
    assert main(["train", "report", "--db", str(live)]) == 2


def test_a_file_that_is_no_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notes.db"
    other.write_text("shopping list\n")
    assert main(["train", "run", "--scenario", "basics", "--trainee", "TR-01", "--db", str(other)]) == 2
    assert "not a checkpoint database" in capsys.readouterr().err
    assert other.read_text() == "shopping list\n"


@sync
async def test_the_report_reads_sessions_back_as_text_json_and_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    db = tmp_path / "training.db"
    app, store = prepare_training("basics", "TR-02", db, seed=7, mode="exam", count=2)
    try:
        async with app.run_test(size=(80, 30)) as pilot:
            for done in range(1, 3):
                await until(
                    pilot,
                    lambda: (
                        isinstance(app.screen, TrainingInspectionScreen) and app.screen.review is not None
                    ),
                )
                await pilot.press("r", "enter")
                await until(pilot, lambda done=done: len(app.session.outcomes) == done)  # type: ignore[misc]
            await until(pilot, lambda: isinstance(app.screen, TrainingEndScreen))
        expected_points = sum(o.points for o in app.session.outcomes)
        drawn = [c.case_id for c in app.session.cases]
    finally:
        store.close()
    assert main(["train", "report", "--db", str(db), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["audit_chain"]["ok"] is True
    (session,) = report["trainees"]["TR-02"]["sessions"]
    assert session["points"] == expected_points and session["decided"] == 2 and session["mode"] == "exam"
    assert sorted(c["case"] for c in report["cases"]) == sorted(drawn)
    assert report["overall"] == {
        "trainees": 1,
        "sessions": 1,
        "cases_decided": 2,
        "mean_percent": session["percent"],
    }
    assert main(["train", "report", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "TR-02: 1 session(s)" in text and "\\n" not in text
    assert "audit chain intact" in text
    assert "Cases most often missed" in text.splitlines()[-3]
    page = tmp_path / "report.html"
    assert main(["train", "report", "--db", str(db), "--html", str(page)]) == 0
    assert page.stat().st_mode & 0o777 == 0o600
    text = page.read_text()
    # Everything inline: nothing to fetch (XML namespace names are names, not requests).
    assert text.count("<svg") == 3
    assert "<script" not in text and 'src="http' not in text and 'href="http' not in text


@pytest.mark.parametrize("pack", ["forgery", "travel"])
def test_every_pack_seeds_a_session_even_without_alert_lists(pack: str, tmp_path: Path) -> None:
    # basics first, then a pack with no (or other) lists: the earlier list must not stay loaded.
    db = tmp_path / "training.db"
    _, first = prepare_training("basics", "TR-03", db, seed=None, mode="exam", count=1)
    first.close()
    _, store = prepare_training(pack, "TR-03", db, seed=None, mode="exam", count=1)
    try:
        documents = store.document_watchlist()
        assert documents is not None and documents.lookup("C7HK4M2P9", "NLD") == []
    finally:
        store.close()


def test_a_shift_refuses_a_training_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "training.db"
    _, store = prepare_training("basics", "TR-04", db, seed=None, mode="exam", count=1)
    store.close()
    before = sha(db)
    assert main(["run", "--db", str(db)]) == 2
    assert "is a training database" in capsys.readouterr().err
    assert sha(db) == before


@sync
async def test_an_unreadable_page_is_typed_in_from_the_printed_page(tmp_path: Path) -> None:
    from checkpoint.tui.screens.manual_entry import ManualEntryScreen
    from checkpoint.tui.widgets.inputs import TextInput

    db = tmp_path / "training.db"
    app, store = prepare_training("basics", "TR-05", db, seed=None, mode="practice", count=None)
    # Start at the worn page: decide nothing before it.
    app.session.cases = [c for c in app.session.cases if not c.readable]
    (case,) = app.session.cases
    try:
        async with app.run_test(size=(80, 30)) as pilot:
            await until(pilot, lambda: app.malformed_frames == 1)
            assert isinstance(app.screen, TrainingInspectionScreen) and app.screen.review is None
            await pilot.press("g")
            await until(pilot, lambda: "MRZ (as printed)" in screen_text(app))
            assert case.lines[0] in screen_text(app)
            await pilot.press("escape", "m")
            await until(pilot, lambda: isinstance(app.screen, ManualEntryScreen))
            for number, line in enumerate(case.lines, start=1):
                app.screen.query_one(f"#line-{number}", TextInput).value = line
            await pilot.press("enter")
            await until(pilot, lambda: "OSULLIVAN, SIOBHAN" in screen_text(app))
            await pilot.press("a", "enter")
            await until(pilot, lambda: isinstance(app.screen, LessonScreen))
            assert "✔ RIGHT" in screen_text(app) and "looked at what mattered" in screen_text(app)
        assert [e.details["source"] for e in store.audit_events() if e.action == "read"] == ["manual"]
    finally:
        store.close()


@sync
async def test_a_case_going_the_other_way_is_worked_on_a_shift_of_that_direction(tmp_path: Path) -> None:
    app, store = prepare_training(
        "travel", "TR-06", tmp_path / "training.db", seed=None, mode="exam", count=None
    )
    scenario = app.session.scenario
    app.session.cases = [scenario.case("within-stay-limit"), scenario.case("overstay-on-exit")]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: "HUGHES" in screen_text(app))
            assert "· ENTRY" in screen_text(app).splitlines()[0]
            await pilot.press("a", "enter")
            await until(pilot, lambda: "RESTREPO" in screen_text(app))
            assert "· EXIT" in screen_text(app).splitlines()[0]
            assert "Overstay: 143 days in the last 180" in screen_text(app)
            await pilot.press("r", "enter")
            await until(pilot, lambda: isinstance(app.screen, TrainingEndScreen))
        assert [o.mistake for o in app.session.outcomes] == ["", ""]
        assert dict(store.shift_summary(app.shifts["entry"].shift_id).counts) == {("entry", "admit"): 1}
        assert dict(store.shift_summary(app.shifts["exit"].shift_id).counts) == {("exit", "refer"): 1}
    finally:
        store.close()
