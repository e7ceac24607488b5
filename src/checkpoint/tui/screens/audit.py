"""Verifying the audit chain: every event's hash links to the one before; the first broken link is shown."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from checkpoint.tui.models import AuditReport
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.status import StatusLine


class AuditScreen(ClientScreen):
    """Runs the verification when shown; ``v`` runs it again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "verify", "Verify again"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: AuditReport | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="audit", classes="form"):
            yield Static(id="audit-result")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#audit").border_title = "Audit chain"
        self.action_verify()

    def action_verify(self) -> None:
        self.query_one("#audit-result", Static).update("Verifying…")
        self._verify()

    @work(thread=True, exit_on_error=False, exclusive=True, group="audit")
    def _verify(self) -> None:
        app = self.checkpoint
        assert app.shift is not None
        report = app.backend.verify_audit(app.shift)
        app.call_from_thread(self._show, report)

    def _show(self, report: AuditReport) -> None:
        self.report = report
        if report.ok:
            head = Content.styled(f"✔ INTACT  {report.events} events, every link verified.", "bold green")
        else:
            head = Content.styled("✖ BROKEN  ", "bold red") + literal(report.detail)
        self.query_one("#audit-result", Static).update(head)

    def action_back(self) -> None:
        self.dismiss()
