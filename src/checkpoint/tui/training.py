"""Training mode: the officer's client, on a training database, fed case by case through the simulated
reader, scoring each decision.

The trainee works exactly as on a shift (review, open checks, manual entry, search, decide with a
reason): :class:`TrainingApp` is the client's app with the training inspection screen, a session that
presents the next case through the reader's own driver path when the previous one is decided, and an
audit event for the session's start, each case and its end in the training database's chain.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar, Final

from textual import events, work

from checkpoint.mocks.sim_reader import SimReader
from checkpoint.store.records import JSONScalar
from checkpoint.training.database import TrainingStore
from checkpoint.training.model import Case
from checkpoint.training.page_image import printed_lines, render_page
from checkpoint.training.session import CaseOutcome, TrainingSession
from checkpoint.tui.app import CheckpointApp
from checkpoint.tui.models import Decision, OfficerSession, Review, ShiftInfo
from checkpoint.tui.store_backend import StoreBackend

NEXT_TRAVELLER_PAUSE: Final = 0.3
"""Seconds between a decision (or its lesson closed) and the next case's document on the reader."""


class TrainingApp(CheckpointApp):
    """The client in training mode. Build it with :func:`make_training_app`."""

    TITLE = "Checkpoint — TRAINING"
    MODE_BANNER: ClassVar[str] = "TRAINING"

    def __init__(
        self,
        backend: StoreBackend,
        store: TrainingStore,
        reader: SimReader,
        clock: Callable[[], datetime],
        session: TrainingSession,
        shifts: dict[str, ShiftInfo],
        pages_folder: Path | None = None,
    ) -> None:
        officer = next(iter(shifts.values())).officer
        super().__init__(backend, [reader], clock, officer=officer, shift=None, repeat_window=0.0)
        self.store = store
        self.reader = reader
        self.session = session
        self.shifts = shifts
        self.pages_folder = pages_folder
        self.opened: set[str] = set()
        self.presented_at: datetime | None = None
        self.outcome_log: list[CaseOutcome] = []

    def on_mount(self, event: events.Mount | None = None) -> None:
        from checkpoint.tui.screens.training import TrainingInspectionScreen

        # Textual runs the base class's handler too unless told: it would push the shift's screens.
        if event is not None:
            event.prevent_default()
        for reader in self.readers:
            self._pump(reader)
        self._load_reason_codes()
        self._audit("training.start", self._start_details())
        self._prepare_current()
        self.push_screen(TrainingInspectionScreen())
        self.present_current()

    def _start_details(self) -> dict[str, JSONScalar]:
        s = self.session
        return {
            # The store's clock runs on the scenario's day: the real start is what "over time" means.
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "trainee": s.trainee,
            "scenario": s.scenario.title,
            "file": s.scenario.path.name,
            "mode": s.mode,
            "cases": len(s.cases),
        }

    # -- cases -----------------------------------------------------------------------------------

    def _prepare_current(self) -> None:
        case = self.session.current
        if case is not None:
            self.shift = self.shifts[case.direction]
            self.refresh_status()  # the status line says which way the traveller goes
            self.opened = set()
            self.presented_at = None

    def present_current(self) -> None:
        """Put the current case's document on the simulated reader: it arrives like any read, or as an
        unreadable one that the trainee types in. The case's time starts now."""
        case = self.session.current
        if case is None:
            return
        self.presented_at = self.clock()
        if case.readable:
            self.reader.present(case.lines)
        else:
            self.reader.present_unreadable()

    def case_decided(self, review: Review, decision: Decision) -> None:
        """Score the decision, audit it, then show the lesson (practice) or go on (exam)."""
        from checkpoint.tui.screens.training import LessonScreen, TrainingEndScreen

        case = self.session.current
        if case is None:
            return
        arrived = self.presented_at or review.arrival.received_at
        seconds = (self.clock() - arrived).total_seconds()
        outcome = self.session.decide(decision.outcome, decision.reason_codes, self.opened, seconds)
        self.outcome_log.append(outcome)
        self._audit(
            "training.case",
            {
                "case": outcome.case_id,
                "title": outcome.title,
                "expected": outcome.expected,
                "expected_reasons": ";".join(outcome.expected_reasons),
                "decision": outcome.decision,
                "reasons": ";".join(outcome.reasons),
                "points": outcome.points,
                "mistake": outcome.mistake,
                "seconds": outcome.seconds,
                "looked": outcome.looked,
                "number": len(self.session.outcomes),
            },
        )
        finished = self.session.finished
        if finished:
            s = self.session
            self._audit(
                "training.end",
                {
                    "points": s.points,
                    "max": 10 * len(s.outcomes),
                    "percent": s.percent,
                    "missed": len(s.misses),
                },
            )

        def go_on(_: object = None) -> None:
            if finished:
                self.switch_screen(TrainingEndScreen())
            else:
                self._prepare_current()
                # The next traveller steps up a moment after the decision, as at a real lane: the
                # document arrives once the screen has settled, not in the middle of its redraw.
                self.set_timer(NEXT_TRAVELLER_PAUSE, self.present_current)

        if self.session.mode == "practice":
            self.push_screen(LessonScreen(outcome), go_on)
        else:
            go_on()

    def close_shifts(self) -> None:
        """Close the session's shifts with its score as the note (blocking: call after the app ran).

        Raises StoreError when the database refuses.
        """
        from checkpoint.store import InvalidRecord

        s = self.session
        note = f"training session {s.session_id}: {len(s.outcomes)}/{len(s.cases)} cases, {s.percent}%"
        for shift in self.shifts.values():
            try:
                self.store.close_shift(shift.shift_id, note)
            except InvalidRecord:
                continue  # already closed

    def page_lines(self) -> list[str]:
        """Return what the printed page shows, and where its image is (made on first look)."""
        case = self.session.current
        if case is None:
            return []
        lines = printed_lines(case)
        if case.page.image and self.pages_folder is not None:
            path = self.pages_folder / f"{case.case_id}.png"
            if not path.exists():
                self._render(case, path)
                lines += ["", f"Page image (being drawn): {path}"]
            else:
                lines += ["", f"Page image: {path}"]
        return lines

    @work(thread=True, exit_on_error=False, group="training-page")
    def _render(self, case: Case, path: Path) -> None:
        render_page(case, path)

    @work(thread=True, exit_on_error=False, group="training-audit")
    def _audit(self, action: str, details: dict[str, JSONScalar]) -> None:
        self.store.audit(action, actor=self.session.trainee, subject=self.session.session_id, details=details)


def make_training_app(
    store: TrainingStore,
    reader: SimReader,
    clock: Callable[[], datetime],
    session: TrainingSession,
    *,
    pages_folder: Path | None = None,
) -> TrainingApp:
    """Return the training app: the trainee (created if new) signed in, a shift open each way at the
    session's post, the scenario's rules and reason codes. Raises StoreError."""
    from checkpoint.training.database import ensure_officer

    scenario = session.scenario
    context = scenario.context
    ensure_officer(store, session.trainee, session.trainee)
    store.audit("sign_in", actor=session.trainee, details={"training": True})
    officer = OfficerSession(session.trainee, session.trainee)
    post = f"{context.post} {store.session_tag}"
    shifts: dict[str, ShiftInfo] = {}
    for direction in ("entry", "exit"):
        shift = store.open_shift(session.trainee, post, context.lane, direction)
        shifts[direction] = ShiftInfo(shift.shift_id, officer, shift.post, shift.lane, shift.direction)
    backend = StoreBackend(store, clock, config=context.config, training=True)
    return TrainingApp(backend, store, reader, clock, session, shifts, pages_folder)


class ScenarioClock:
    """The scenario's start time, moving on in real time from when the clock was made."""

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._start = start
        self._monotonic = monotonic
        self._origin = monotonic()

    def __call__(self) -> datetime:
        from datetime import timedelta

        return self._start + timedelta(seconds=self._monotonic() - self._origin)
