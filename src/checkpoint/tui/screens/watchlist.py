"""Importing a watchlist: a CSV of lost/stolen documents or of persons, read by the backend."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from checkpoint.tui.backend import ClientError
from checkpoint.tui.models import ImportResult
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput
from checkpoint.tui.widgets.status import StatusLine

KINDS: dict[str, str] = {"documents": "lost/stolen documents", "persons": "persons"}


class WatchlistScreen(ClientScreen):
    """Asks for the CSV file and its kind, imports it in a worker, shows what was imported."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "kind('documents')", "Documents list", key_display="F2"),
        Binding("f3", "kind('persons')", "Persons list", key_display="F3"),
        Binding("enter", "import_file", "Import", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "documents"

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="watchlist", classes="form"):
            yield Static(id="kind")
            yield Static("CSV file")
            yield TextInput(id="path", placeholder="/path/to/list.csv")
            yield Static(id="import-result")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#watchlist").border_title = "Import a watchlist"
        self.query_one("#path").focus()
        self._show_kind()

    def _show_kind(self) -> None:
        self.query_one("#kind", Static).update(
            Content("List: ")
            + Content.styled(KINDS[self.kind], "bold")
            + Content("   (F2 documents, F3 persons)")
        )

    def action_kind(self, kind: str) -> None:
        if kind in KINDS:
            self.kind = kind
            self._show_kind()

    def action_import_file(self) -> None:
        text = self.query_one("#path", TextInput).value.strip()
        result = self.query_one("#import-result", Static)
        if not text:
            result.update(Content.styled("Type the path of the CSV file.", "bold red"))
            return
        path = Path(text).expanduser()
        if not path.is_file():
            result.update(literal(f"No file at {text}.", "bold red"))
            return
        result.update("Importing…")
        self._import(path, self.kind)

    @work(thread=True, exit_on_error=False, exclusive=True, group="watchlist")
    def _import(self, path: Path, kind: str) -> None:
        app = self.checkpoint
        assert app.shift is not None
        try:
            imported = app.backend.import_watchlist(path, kind, app.shift)
        except ClientError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        app.call_from_thread(self._imported, imported)

    def _failed(self, message: str) -> None:
        self.query_one("#import-result", Static).update(literal(message, "bold red"))

    def _imported(self, imported: ImportResult) -> None:
        self.query_one("#import-result", Static).update(
            literal(
                f"Imported {imported.count} {KINDS.get(imported.kind, imported.kind)}, version {imported.version}."
            )
        )

    def action_back(self) -> None:
        self.dismiss()
