"""The one-line status bar at the top of every working screen: where, which way, readers, officer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from checkpoint.tui.text import literal, visible

if TYPE_CHECKING:
    from checkpoint.tui.app import CheckpointApp

# Reader state -> (symbol, word, style). Symbol and word, so the state reads without colour.
READER_STATES: dict[str, tuple[str, str, str]] = {
    "connected": ("●", "ok", "bold green"),
    "disconnected": ("○", "DISCONNECTED", "bold red"),
    "error": ("✖", "ERROR", "bold red"),
    "starting": ("◌", "starting", "yellow"),
}


def reader_badge(state: str) -> Content:
    """Return the short, colour-independent badge for a reader state (``● ok``, ``○ DISCONNECTED``)."""
    symbol, word, style = READER_STATES.get(state, ("?", state, "yellow"))
    return Content.styled(f"{symbol} {word}", style)


class StatusLine(Static):
    """Shows the post, lane, direction, the readers' combined state and the officer."""

    DEFAULT_CSS = """
    StatusLine { dock: top; height: 1; background: $primary-background; color: $text; }
    """

    def render(self) -> Content:
        app: CheckpointApp = self.app  # type: ignore[assignment]
        right: list[Content] = []
        states = app.reader_states()
        if states:
            worst = next(
                (s for s in ("error", "disconnected", "starting") if s in states.values()), "connected"
            )
            label = "Reader" if len(states) == 1 else f"Readers {len(states)}"
            right.extend([Content(f"  {label} "), reader_badge(worst)])
        else:
            right.append(Content("  No reader"))
        if app.officer is not None:
            right.append(literal(f"  Officer {app.officer.officer_id}"))
        right.extend(sync_badge(app))
        tail = Content("").join(right)
        head = _mode_head(app)
        shift = app.shift
        if shift is not None:
            # The post's name gives way first, so the lane, the direction, the reader state and the
            # officer always show (whatever state the reader is in: the tail keeps its fields).
            post = visible(f" {shift.post}")
            where = visible(f" · Lane {shift.lane} · {shift.direction.upper()}")
            room = max(self.size.width - head.cell_length - tail.cell_length - len(where), 0)
            if len(post) > room:
                post = post[: max(room - 1, 0)] + "…"
            head += Content(post) + Content.styled(where, "bold")
        return head + tail


def sync_badge(app: CheckpointApp) -> list[Content]:
    """Return the header's sync part (``Sync synced``, ``Sync 3 waiting``, ``Sync offline since 14:05``,
    ``Sync REFUSED: why``), or nothing for a terminal that does not sync with a post."""
    if app.post_link is None:
        return []
    from checkpoint.tui.post_link import headline

    text, style = headline(app.post_link.state)
    return [Content("  Sync "), Content.styled(text, style)]


def _mode_head(app: CheckpointApp) -> Content:
    """Return the line's head: CHECKPOINT, or the app's mode banner (TRAINING) in reverse, unmissable."""
    banner = getattr(app, "MODE_BANNER", "")
    if banner:
        return Content.styled(f" ▲ {banner} ", "bold reverse")
    return Content.styled(" CHECKPOINT ", "bold")
