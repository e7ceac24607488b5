"""The inspection screen: waiting for a document, then the review of one read and the decision.

One read at a time: while the officer reviews or decides, further reads wait in the app's queue and the
banner says how many. After a decision is recorded the screen returns to waiting, or straight to the
next queued read.
"""

from __future__ import annotations

import logging
import time
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Static

from checkpoint.tui.intake import Arrival
from checkpoint.tui.messages import ReaderStatesChanged, ReadQueued
from checkpoint.tui.models import Decision, Outcome, Review
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.screens.companions import COMPANION_BINDINGS, CompanionActions
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.health import reader_lines
from checkpoint.tui.widgets.notice import NoticeLine
from checkpoint.tui.widgets.review import ReviewView
from checkpoint.tui.widgets.status import StatusLine

log = logging.getLogger(__name__)


class InspectionScreen(CompanionActions, ClientScreen):
    """Waiting -> review -> decision, one read at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('admit')", "Admit"),
        Binding("r", "decide('refer')", "Refer"),
        Binding("x", "decide('refuse')", "Refuse"),
        Binding("m", "manual", "Manual"),
        Binding("t", "type_visual_zone", "Type VIZ"),
        Binding("p", "present", "Present"),
        Binding("f5", "scan", "Scan", key_display="F5"),
        Binding("s", "search", "Search"),
        Binding("w", "watchlist", "Lists"),
        Binding("v", "verify", "Audit"),
        Binding("k", "cases", "Cases"),
        Binding("f10", "close_shift", "Close", key_display="F10"),
        *COMPANION_BINDINGS,
    ]

    WAITING_ONLY: ClassVar[frozenset[str]] = frozenset(
        {"manual", "type_visual_zone", "present", "scan", "watchlist", "verify"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.review: Review | None = None
        self._loading: Arrival | None = None
        self.drawn_at = 0.0

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with ContentSwitcher(initial="waiting"):
            with Vertical(id="waiting"):
                yield Static("Waiting for a document", id="waiting-title")
                yield Static(id="waiting-detail")
            yield ReviewView(id="review")
        yield NoticeLine(id="notice")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self._refresh_waiting()
        self._next()

    # -- the queue -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a read is being checked or reviewed: new reads wait."""
        return self.review is not None or self._loading is not None

    def on_read_queued(self, _: ReadQueued) -> None:
        if self.busy:
            if not self.take_companion():
                self._refresh_banner_count()
        else:
            self._next()

    def on_reader_states_changed(self, _: ReaderStatesChanged) -> None:
        self._refresh_waiting()

    def _next(self) -> None:
        if self.busy:
            return
        arrival = self.checkpoint.intake.take()
        if arrival is None:
            self._refresh_waiting()
            return
        self._loading = arrival
        self._check(arrival)

    @work(thread=True, exit_on_error=False, group="review")
    def _check(self, arrival: Arrival) -> None:
        app = self.checkpoint
        assert app.shift is not None
        try:
            review = app.backend.review(arrival, app.shift)
        except Exception:
            app.call_from_thread(self._check_failed)
            raise
        app.call_from_thread(self._show, review)

    def _check_failed(self) -> None:
        # The app's worker handler tells the officer why the read could not be checked; the document is
        # still in hand, to present again or type in. Re-queueing it could loop on a read that always
        # fails. The reads queued behind it go on.
        self._loading = None
        self._next()

    def _show(self, review: Review) -> None:
        self._loading = None
        self.review = review
        view = self.query_one(ReviewView)
        view.show(review, len(self.checkpoint.intake))
        self.query_one(ContentSwitcher).current = "review"
        self.call_after_refresh(self._drawn, review)

    def _drawn(self, review: Review) -> None:
        # The review is on screen (what the latency benchmark measures to). The footer follows a frame
        # later: rebuilding its keys costs as much as drawing the review, and the traveller comes first.
        if self.review is review:
            self.drawn_at = time.perf_counter()
            self.refresh_bindings()

    def _refresh_banner_count(self) -> None:
        if self.review is not None:
            self.query_one(ReviewView).show(self.review, len(self.checkpoint.intake))

    def _refresh_waiting(self) -> None:
        app = self.checkpoint
        lines: list[Content] = [*reader_lines(app)]
        if app.malformed_frames:
            lines.append(
                Content.styled(
                    f"▲ {app.malformed_frames} unreadable read(s) so far: present the document again, "
                    "or press m to type it.",
                    "bold yellow",
                )
            )
        if not app.readers:
            lines.append(Content("No reader configured: press m to type a document in."))
        self.query_one("#waiting-detail", Static).update(Content("\n").join(lines))

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return self.review is not None
        companion = self.companion_action(action)
        if companion is not None:
            return companion
        if action == "cases":
            from checkpoint.tui.cases import CaseBackend

            return not self.busy and isinstance(self.checkpoint.backend, CaseBackend)
        if action == "close_shift":
            # Hidden (and refused) while a read is open: the shift closes between travellers.
            return not self.busy
        if action in self.WAITING_ONLY and self.review is not None:
            # During a review the footer holds the decision keys (80 columns fit no more); the next
            # document is typed or presented once this one is decided.
            return False
        if action == "present":
            return any(callable(getattr(r, "present", None)) for r in self.checkpoint.readers)
        if action == "scan":
            # Shown only when a page scanner is configured: flatbeds have no "document present" event.
            return any(callable(getattr(r, "request_scan", None)) for r in self.checkpoint.readers)
        return True

    def action_decide(self, outcome: Outcome) -> None:
        from checkpoint.tui.screens.decision import DecisionScreen

        review = self.review
        if review is None:
            return
        self.app.push_screen(DecisionScreen(review, outcome, self.checkpoint.reason_codes), self._decided)

    def _decided(self, decision: Decision | None) -> None:
        if decision is None or self.review is None:
            return
        self._record(self.review, decision)

    @work(thread=True, exit_on_error=False, group="record")
    def _record(self, review: Review, decision: Decision) -> None:
        app = self.checkpoint
        assert app.shift is not None
        crossing_id = app.backend.record(review, decision, app.shift)
        app.call_from_thread(self._recorded, review, decision, crossing_id)

    def _recorded(self, review: Review, decision: Decision, crossing_id: str) -> None:
        if self.review is not review:
            return
        log.info("crossing %s recorded: %s", crossing_id, decision.outcome)
        self.checkpoint.tell(
            f"{decision.outcome.capitalize()} recorded.", title="Decision recorded", timeout=3
        )
        self.review = None
        self.query_one(ContentSwitcher).current = "waiting"
        self.refresh_bindings()
        self._follow_decision(decision, crossing_id)
        self._next()

    def _follow_decision(self, decision: Decision, crossing_id: str) -> None:
        """A refusal's form is written for the traveller as soon as the refusal is on record."""
        from checkpoint.tui.cases import CaseBackend

        if decision.outcome == "refuse" and isinstance(self.checkpoint.backend, CaseBackend):
            self._refusal_form(crossing_id)

    @work(thread=True, exit_on_error=False, group="form")
    def _refusal_form(self, crossing_id: str) -> None:
        from checkpoint.tui.cases import CaseBackend

        app = self.checkpoint
        assert app.shift is not None and isinstance(app.backend, CaseBackend)
        path = app.backend.refusal_form(crossing_id, app.shift)
        app.call_from_thread(app.tell, f"Refusal form saved: {path}", title="Refusal form", timeout=8)

    def action_cases(self) -> None:
        from checkpoint.tui.screens.cases import CasesScreen

        self.app.push_screen(CasesScreen())

    def action_type_visual_zone(self) -> None:
        from checkpoint.tui.screens.viz_entry import VizEntryScreen

        def typed(arrival: Arrival | None) -> None:
            if arrival is not None:
                self.checkpoint.queue_arrival(arrival, fold_repeats=False)

        self.app.push_screen(VizEntryScreen(), typed)

    def action_manual(self) -> None:
        from checkpoint.tui.screens.manual_entry import ManualEntryScreen

        self.app.push_screen(ManualEntryScreen(), self._typed)

    def _typed(self, lines: tuple[str, ...] | None) -> None:
        if lines:
            app = self.checkpoint
            app.queue_arrival(Arrival(lines, "manual", app.clock()), fold_repeats=False)

    def action_present(self) -> None:
        for reader in self.checkpoint.readers:
            present = getattr(reader, "present", None)
            if callable(present):
                present()
                return

    def action_scan(self) -> None:
        """Ask every configured page scanner for a scan; its page arrives as a read like any other."""
        for reader in self.checkpoint.readers:
            request_scan = getattr(reader, "request_scan", None)
            if callable(request_scan):
                request_scan()
                self.checkpoint.tell("Scanning the page…", title="Scan", timeout=3)

    def action_search(self) -> None:
        from checkpoint.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_watchlist(self) -> None:
        from checkpoint.tui.screens.watchlist import WatchlistScreen

        self.app.push_screen(WatchlistScreen())

    def action_verify(self) -> None:
        from checkpoint.tui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen())

    def action_close_shift(self) -> None:
        from checkpoint.tui.screens.shift_close import ShiftCloseScreen

        if self.busy:
            self.checkpoint.tell(
                "Decide on the document under review first.", title="Review open", severity="warning"
            )
            return
        self.app.push_screen(ShiftCloseScreen())
