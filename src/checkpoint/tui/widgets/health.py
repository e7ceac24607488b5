"""Health lines: each reader's state, and the store with its watchlist version and age."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from checkpoint.tui.models import StoreHealth
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.status import reader_badge

if TYPE_CHECKING:
    from checkpoint.tui.app import CheckpointApp


def reader_lines(app: CheckpointApp) -> list[Content]:
    """Return one line per reader: its badge, its address, and the detail of a problem."""
    lines = []
    for source, (state, detail) in app.reader_details().items():
        line = Content("Reader ") + reader_badge(state) + literal(f"  {source}")
        if state in ("disconnected", "error") and detail:
            line += literal(f"  ({detail})", "dim")
        lines.append(line)
    return lines


def store_lines(health: StoreHealth | None) -> list[Content]:
    """Return the store's line and the watchlist's line (version and age, or that there is none)."""
    if health is None:
        return [Content.styled("Store ◌ checking…", "yellow")]
    store = Content("Store ") + (
        Content.styled("● ok", "bold green") if health.ok else Content.styled("✖ PROBLEM", "bold red")
    )
    store += literal(f"  {health.detail}")
    if health.watchlist_version is None:
        watchlist = Content("Watchlist ") + Content.styled("▲ none loaded", "bold yellow")
    else:
        age = health.watchlist_age
        days = "" if age is None else f", {age.days} day{'s' if age.days != 1 else ''} old"
        watchlist = Content("Watchlist ") + literal(f"{health.watchlist_version}{days}")
    return [store, watchlist]
