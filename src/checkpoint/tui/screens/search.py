"""Searching crossings by name or document number. A purpose is required: the backend records it in the
audit chain with the search."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from checkpoint.tui.cases import reason_problem
from checkpoint.tui.models import SearchHit
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.text import literal, visible
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput
from checkpoint.tui.widgets.reason_pick import SEARCH_PURPOSES, ReasonPick
from checkpoint.tui.widgets.status import StatusLine


class SearchScreen(ClientScreen):
    """Purpose and query in, matching crossings out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "search", "Search", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: tuple[SearchHit, ...] = ()

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="search", classes="form"):
            yield ReasonPick(SEARCH_PURPOSES, "purpose", id="purpose-pick")
            yield TextInput(
                placeholder="Purpose (required, recorded in the audit log)", id="purpose", max_length=200
            )
            yield TextInput(placeholder="Name or document number", id="query", max_length=100)
            yield Static(id="search-result", classes="problem")
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#search").border_title = "Search crossings"
        table = self.query_one(DataTable)
        table.add_columns("When (UTC)", "Dir", "Lane", "Name", "Document", "Outcome")
        self.query_one("#purpose").focus()

    def action_search(self) -> None:
        purpose = self.query_one("#purpose", TextInput).value.strip()
        text = self.query_one("#query", TextInput).value.strip()
        result = self.query_one("#search-result", Static)
        trouble = reason_problem(purpose, "purpose of this search")
        if trouble:
            result.update(Content.styled(trouble, "bold red"))
            self.query_one("#purpose").focus()
            return
        if not text:
            result.update(Content.styled("Type a name or a document number.", "bold red"))
            self.query_one("#query").focus()
            return
        result.update("Searching…")
        self._run(text, purpose)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def _run(self, text: str, purpose: str) -> None:
        app = self.checkpoint
        assert app.shift is not None
        hits = app.backend.search(text, purpose, app.shift)
        app.call_from_thread(self._show, text, hits)

    def _show(self, text: str, hits: tuple[SearchHit, ...]) -> None:
        self.hits = hits
        table = self.query_one(DataTable)
        table.clear()
        for hit in hits:
            table.add_row(
                f"{hit.when:%Y-%m-%d %H:%M}",
                hit.direction.upper(),
                # rich Text, like Content, is never parsed as markup; DataTable measures it.
                Text(visible(hit.lane)),
                Text(visible(hit.name)),
                Text(visible(hit.document_number)),
                Text(visible(hit.outcome)),
            )
        count = f"{len(hits)} crossing{'s' if len(hits) != 1 else ''}"
        self.query_one("#search-result", Static).update(literal(f"{count} match {visible(text)!r}."))

    def action_back(self) -> None:
        self.dismiss()
