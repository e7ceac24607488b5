"""Manual entry: type the MRZ lines when there is no reader or the zone is damaged, with live feedback
that points at the wrong character under each line."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from checkpoint.tui.feedback import describe, judge, marker_row
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput

LINES = 3
MAX_LINE = 44
# Problems listed under the lines; the carets show all of them.
MAX_SHOWN = 4

CHECK_NAMES: dict[str, str] = {
    "document_number": "number",
    "birth_date": "birth",
    "expiry_date": "expiry",
    "optional_data": "optional",
    "composite": "composite",
}


class ManualEntryScreen(ModalScreen[tuple[str, ...] | None]):
    """Dismisses with the typed lines (uppercased, blanks dropped), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check document", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="manual"):
            for number in range(1, LINES + 1):
                yield TextInput(
                    placeholder=f"line {number}" + (" (TD1 cards only)" if number == 3 else ""),
                    id=f"line-{number}",
                    max_length=MAX_LINE,
                    classes="mrz-line",
                )
                yield Static(id=f"marker-{number}", classes="marker")
            yield Static(id="manual-checks")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#manual").border_title = "Manual entry: type the MRZ lines"
        self.query_one("#line-1").focus()

    def lines(self) -> tuple[str, ...]:
        """Return the non-empty typed lines, uppercased."""
        values = (self.query_one(f"#line-{n}", TextInput).value for n in range(1, LINES + 1))
        return tuple(value.upper() for value in values if value)

    def on_input_changed(self, event: TextInput.Changed) -> None:
        if event.value != event.value.upper():
            # MRZ text is upper case; a reader in lower case is the same document.
            event.input.value = event.value.upper()
            return
        self._judge()

    def _judge(self) -> None:
        feedback = judge(self.lines())
        for number in range(1, LINES + 1):
            self.query_one(f"#marker-{number}", Static).update(
                literal(marker_row(feedback.problems, number), "bold red")
            )
        parts: list[Content] = []
        for name, ok in feedback.checks:
            label = CHECK_NAMES.get(name, name)
            parts.append(
                Content.styled(f"✔ {label}", "green") if ok else Content.styled(f"✖ {label}", "bold red")
            )
        rows: list[Content] = []
        if parts:
            rows.append(Content("Check digits: ") + Content("  ").join(parts))
        rows.extend(literal(describe(problem), "bold red") for problem in feedback.problems[:MAX_SHOWN])
        if feedback.valid:
            rows.append(Content.styled("All check digits agree. Enter to check the document.", "green"))
        self.query_one("#manual-checks", Static).update(Content("\n").join(rows))

    def action_submit(self) -> None:
        lines = self.lines()
        if len(lines) < 2:
            self.query_one("#manual-checks", Static).update(
                Content.styled("Type at least two lines (three for a TD1 card).", "bold red")
            )
            return
        self.dismiss(lines)

    def action_cancel(self) -> None:
        self.dismiss(None)
