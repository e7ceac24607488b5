"""The supervisor's view of the post: this terminal's sync state, every lane's terminal with its last
push and clock, and the pushes the post refused (a copied or rewritten terminal file)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from checkpoint.store import StoreError
from checkpoint.tui.post_link import PostView, headline
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.status import StatusLine


def _when(moment: datetime) -> str:
    return f"{moment.astimezone():%d %b %H:%M}"


def view_lines(view: PostView) -> list[Content]:
    """Return the lanes, then the refused pushes, as lines (all text from the post shown literally)."""
    lines: list[Content] = []
    if not view.lanes:
        lines.append(Content.styled("No terminal has pushed to this post yet.", "dim"))
    for lane in view.lanes:
        line = literal(
            f"{lane.post} lane {lane.lane}  {lane.terminal_id}  {lane.crossings} crossings  "
            f"last push {_when(lane.last_push_at)}"
        )
        if lane.clock_skew_s is not None and lane.clock_flagged:
            line += Content.styled(f"  CLOCK {lane.clock_skew_s:+.0f} s", "bold red")
        if lane.refusals:
            line += Content.styled(f"  {lane.refusals} REFUSED", "bold red")
        lines.append(line)
    if view.refusals:
        lines.append(Content.styled("Refused pushes (never merged):", "bold red"))
    for refusal in view.refusals:
        lines.append(literal(f"{_when(refusal.refused_at)}  {refusal.reason}"))
    return lines


class SupervisorScreen(ClientScreen):
    """Asks the post for its lanes when shown; ``r`` asks again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: PostView | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="supervisor", classes="form"):
            yield Static(id="supervisor-own")
            yield Static(id="supervisor-lanes")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#supervisor").border_title = "Post lanes and sync"
        self.action_refresh()

    def action_refresh(self) -> None:
        link = self.checkpoint.post_link
        assert link is not None
        text, style = headline(link.state)
        own = (
            Content("This terminal: ") + Content.styled(text, style) + literal(f"  ({link.state.describe()})")
        )
        if link.state.clock_flagged and link.state.clock_skew_s is not None:
            own += Content.styled(f"  CLOCK {link.state.clock_skew_s:+.0f} s off the post", "bold red")
        self.query_one("#supervisor-own", Static).update(own)
        self.query_one("#supervisor-lanes", Static).update(literal(f"Asking {link.where}…"))
        self._fetch()

    @work(thread=True, exit_on_error=False, exclusive=True, group="supervisor")
    def _fetch(self) -> None:
        link = self.checkpoint.post_link
        assert link is not None
        try:
            view = link.post_view()
        except StoreError as exc:
            self.checkpoint.call_from_thread(self._show_error, f"{exc.title}: {exc}")
            return
        self.checkpoint.call_from_thread(self._show, view)

    def _show(self, view: PostView) -> None:
        self.view = view
        self.query_one("#supervisor-lanes", Static).update(Content("\n").join(view_lines(view)))

    def _show_error(self, message: str) -> None:
        self.query_one("#supervisor-lanes", Static).update(
            Content.styled("✖ ", "bold red") + literal(message)
        )

    def action_back(self) -> None:
        self.dismiss()
