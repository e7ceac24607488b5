"""Opening a shift: post, lane, direction, with the health panel (readers, store, watchlist)."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from checkpoint.inspection.post_config import PostConfig
from checkpoint.tui.cases import CaseBackend, Handover
from checkpoint.tui.messages import ReaderStatesChanged
from checkpoint.tui.models import Direction, ShiftInfo, StoreHealth
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.health import reader_lines, store_lines
from checkpoint.tui.widgets.inputs import TextInput
from checkpoint.tui.widgets.status import StatusLine


class ShiftOpenScreen(ClientScreen):
    """Asks for post, lane and direction; shows the health panel; opens the shift."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "direction('entry')", "Entry", key_display="F2"),
        Binding("f3", "direction('exit')", "Exit", key_display="F3"),
        Binding("enter", "open_shift", "Open shift", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.direction: Direction = "entry"
        self.health: StoreHealth | None = None
        self.handover: Handover | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="shift-open", classes="form"):
            yield Static("Post")
            yield TextInput(id="post", max_length=60)
            yield Static("Lane")
            yield TextInput(id="lane", max_length=10)
            yield OptionList(id="lanes")
            yield Static(id="direction")
            yield Static(id="shift-problem", classes="problem")
        yield Static(id="health")
        yield Static(id="handover", classes="hidden-until-loaded")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#shift-open").border_title = "Open shift"
        self.query_one("#health").border_title = "Health"
        self.query_one("#post").focus()
        self._apply_post_config()
        self._show()
        self._load_health()
        self._load_handover()

    @work(thread=True, exit_on_error=False, group="handover")
    def _load_handover(self) -> None:
        backend = self.checkpoint.backend
        if not isinstance(backend, CaseBackend):
            return
        post = self.post_config()
        handover = backend.handover(post.name if post else None)
        self.app.call_from_thread(self._show_handover, handover)

    def _show_handover(self, handover: Handover) -> None:
        """Show the last shift's note and the referrals it left open, for the shift about to start."""
        self.handover = handover
        panel = self.query_one("#handover", Static)
        panel.border_title = "Handover"
        panel.display = True
        lines: list[Content] = []
        if handover.closed_at is not None:
            head = f"Last shift {handover.officer_id}, closed {handover.closed_at:%Y-%m-%d %H:%M} UTC: "
            lines.append(literal(head + (handover.note or "no note"), ""))
        else:
            lines.append(Content("No earlier shift on this terminal."))
        open_count = len(handover.open_referrals)
        if open_count:
            lines.append(
                Content.styled(
                    f"▲ {open_count} referral(s) still open at the post: k Cases after opening", "bold"
                )
            )
        panel.update(Content("\n").join(lines))

    def post_config(self) -> PostConfig | None:
        """The post's configuration when the backend has one (its lanes are then picked from a list)."""
        post = getattr(self.checkpoint.backend, "post", None)
        return post if isinstance(post, PostConfig) else None

    def _apply_post_config(self) -> None:
        lanes = self.query_one("#lanes", OptionList)
        post = self.post_config()
        if post is None or not post.lanes:
            lanes.display = False
            if post is not None:
                self.query_one("#post", TextInput).value = post.name
            return
        name = self.query_one("#post", TextInput)
        name.value = post.name
        name.disabled = True
        self.query_one("#lane").display = False
        lanes.add_options([Option(literal(f"Lane {lane}"), id=lane) for lane in post.lanes])
        lanes.highlighted = 0
        lanes.border_title = "↑↓ to pick"
        lanes.focus()
        self.direction = "exit" if post.direction == "exit" else "entry"

    @work(thread=True, exit_on_error=False, group="health")
    def _load_health(self) -> None:
        health = self.checkpoint.backend.health()
        self.app.call_from_thread(self._health_loaded, health)

    def _health_loaded(self, health: StoreHealth) -> None:
        self.health = health
        self._show()

    def on_reader_states_changed(self, _: ReaderStatesChanged) -> None:
        self._show()

    def _show(self) -> None:
        self.query_one("#direction", Static).update(
            Content("Direction: ")
            + Content.styled(self.direction.upper(), "bold")
            + Content("   (F2 entry, F3 exit)")
        )
        lines = reader_lines(self.checkpoint) or [Content("No reader configured (manual entry only)")]
        self.query_one("#health", Static).update(Content("\n").join([*lines, *store_lines(self.health)]))

    def action_direction(self, direction: str) -> None:
        if direction in ("entry", "exit"):
            self.direction = direction  # type: ignore[assignment]
            self._show()

    def action_open_shift(self) -> None:
        post = self.query_one("#post", TextInput).value.strip()
        lane = self.query_one("#lane", TextInput).value.strip()
        picker = self.query_one("#lanes", OptionList)
        if picker.display and picker.highlighted is not None:
            lane = picker.get_option_at_index(picker.highlighted).id or ""
        if not post or not lane:
            missing = "#post" if not post else "#lane"
            self.query_one("#shift-problem", Static).update(Content("Type the post and the lane."))
            self.query_one(missing).focus()
            return
        self._open(post, lane, self.direction)

    @work(thread=True, exit_on_error=False, exclusive=True, group="shift")
    def _open(self, post: str, lane: str, direction: Direction) -> None:
        app = self.checkpoint
        assert app.officer is not None
        shift = app.backend.open_shift(app.officer, post, lane, direction)
        app.call_from_thread(self._opened, shift)

    def _opened(self, shift: ShiftInfo) -> None:
        from checkpoint.tui.screens.inspection import InspectionScreen

        self.checkpoint.shift = shift
        self.app.switch_screen(InspectionScreen())
