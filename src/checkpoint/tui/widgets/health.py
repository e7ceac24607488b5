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


LIST_NAMES: dict[str, str] = {"documents": "Lost/stolen list", "persons": "Person alerts"}


def store_lines(health: StoreHealth | None) -> list[Content]:
    """Return the store's line, then one line per alert list (version and age, or that none is loaded)."""
    if health is None:
        return [Content.styled("Store ◌ checking…", "yellow")]
    store = Content("Store ") + (
        Content.styled("● ok", "bold green") if health.ok else Content.styled("✖ PROBLEM", "bold red")
    )
    lines = [store + literal(f"  {health.detail}")]
    for state in health.lists:
        name = Content(f"{LIST_NAMES.get(state.kind, state.kind)} ")
        if state.version is None:
            lines.append(name + Content.styled("▲ none loaded", "bold yellow"))
        else:
            days = (
                ""
                if state.age_days is None
                else f", {state.age_days} day{'s' if state.age_days != 1 else ''} old"
            )
            lines.append(name + literal(f"{state.version}{days}"))
    return lines
