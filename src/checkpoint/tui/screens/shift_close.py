"""Closing the shift: a note for the next shift, then the summary (counts by direction and outcome, open
referrals). After closing, the terminal returns to sign-in."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from checkpoint.tui.models import DIRECTIONS, OUTCOMES, ShiftSummary
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput
from checkpoint.tui.widgets.status import StatusLine


def summary_text(summary: ShiftSummary) -> Content:
    """Return the summary as a small table: one row per direction, one column per outcome."""
    header = f"{'':<8}" + "".join(f"{outcome:>9}" for outcome in OUTCOMES) + f"{'total':>9}"
    rows = [header]
    for direction in DIRECTIONS:
        counts = [summary.counts.get((direction, outcome), 0) for outcome in OUTCOMES]
        rows.append(f"{direction.upper():<8}" + "".join(f"{n:>9}" for n in counts) + f"{sum(counts):>9}")
    rows.append("")
    rows.append(f"{summary.total} crossings, {summary.open_referrals} referral(s) still open.")
    if summary.note:
        rows.append(f"Note for the next shift: {summary.note}")
    return Content("\n").join(literal(row) for row in rows)


class ShiftCloseScreen(ClientScreen):
    """Takes the handover note, closes the shift, shows the summary, then returns to sign-in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Close shift", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: ShiftSummary | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="shift-close", classes="form"):
            yield Static("Note for the next shift (optional)")
            yield TextInput(id="note", max_length=500)
            yield Static(id="summary")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#shift-close").border_title = "Close shift"
        self.query_one("#note").focus()

    def action_close(self) -> None:
        if self.summary is not None:
            self._to_sign_in()
            return
        self.query_one("#summary", Static).update("Closing…")
        self._close(self.query_one("#note", TextInput).value.strip())

    @work(thread=True, exit_on_error=False, exclusive=True, group="shift")
    def _close(self, note: str) -> None:
        app = self.checkpoint
        assert app.shift is not None
        summary = app.backend.close_shift(app.shift, note)
        app.call_from_thread(self._shift_closed, summary)

    def _shift_closed(self, summary: ShiftSummary) -> None:
        self.summary = summary
        app = self.checkpoint
        app.shift = None
        self.query_one("#note", TextInput).disabled = True
        self.query_one("#summary", Static).update(
            summary_text(summary) + Content.styled("\n\nShift closed. Press Enter to sign out.", "bold")
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.summary is None
        return True

    def action_back(self) -> None:
        if self.summary is None:
            self.dismiss()

    def _to_sign_in(self) -> None:
        from checkpoint.tui.screens.sign_in import SignInScreen

        app = self.checkpoint
        app.officer = None
        # Everything under this screen belongs to the closed shift.
        while len(app.screen_stack) > 2:
            app.pop_screen()
        app.switch_screen(SignInScreen())
