"""Cases: the referrals open at this post, which the second line resolves (admitted after checks, or
refused), and this shift's decisions, which the officer may correct. Every follow-up is a new crossing
linked to the one it follows, with its reason; history shows the latest."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from checkpoint.tui.cases import CaseBackend, CaseLine, FollowUp
from checkpoint.tui.models import Outcome
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.screens.follow_up import FollowUpAnswer, FollowUpScreen
from checkpoint.tui.text import literal, visible
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.notice import NoticeLine
from checkpoint.tui.widgets.status import StatusLine

PAST: dict[str, str] = {"admit": "admitted", "refer": "REFERRED", "refuse": "refused"}
# As in history: ✎ a corrected decision, 2L the second line's resolution of a referral.
KIND_MARKS: dict[str, str] = {"decision": "", "correction": " ✎", "resolution": " 2L"}
COLUMNS = ("When (UTC)", "Lane", "Name", "Document", "Outcome", "By")


class CasesScreen(ClientScreen):
    """F2 open referrals at this post, F3 this shift's decisions; a, x, c act on the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "show('referrals')", "Referrals", key_display="F2"),
        Binding("f3", "show('shift')", "My shift", key_display="F3"),
        Binding("a", "resolve('admit')", "Admit after checks"),
        Binding("x", "resolve('refuse')", "Refuse"),
        Binding("c", "correct", "Correct"),
        Binding("f", "form", "Refusal form"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, view: str = "referrals") -> None:
        super().__init__()
        self.view = view
        self.cases: tuple[CaseLine, ...] = ()

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="cases", classes="form"):
            yield Static(id="cases-title")
        yield DataTable(id="cases-table", cursor_type="row", zebra_stripes=True)
        yield NoticeLine(id="notice")
        yield KeyFooter(compact=True)

    @property
    def backend(self) -> CaseBackend | None:
        backend = self.checkpoint.backend
        return backend if isinstance(backend, CaseBackend) else None

    def on_mount(self) -> None:
        self.query_one("#cases").border_title = "Cases"
        self.query_one(DataTable).focus()
        self.action_show(self.view)

    def selected(self) -> CaseLine | None:
        """The highlighted case, or None when the list is empty."""
        table = self.query_one(DataTable)
        if not self.cases or table.cursor_row < 0 or table.cursor_row >= len(self.cases):
            return None
        return self.cases[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve":
            return self.view == "referrals"
        if action == "correct":
            return self.view == "shift"
        if action == "form":
            return self.view == "shift"
        return True

    def action_show(self, view: str) -> None:
        self.view = view
        self.refresh_bindings()
        if self.backend is None:
            self.query_one("#cases-title", Static).update("This store keeps no cases.")
            return
        self.query_one("#cases-title", Static).update("Loading…")
        self._load(view)

    @work(thread=True, exit_on_error=False, exclusive=True, group="cases")
    def _load(self, view: str) -> None:
        app = self.checkpoint
        assert app.shift is not None and self.backend is not None
        cases = (
            self.backend.open_referrals(app.shift)
            if view == "referrals"
            else self.backend.shift_cases(app.shift)
        )
        app.call_from_thread(self._loaded, view, cases)

    def _loaded(self, view: str, cases: tuple[CaseLine, ...]) -> None:
        if view != self.view:
            return
        self.cases = cases
        rows = [
            (
                Text(f"{case.when:%Y-%m-%d %H:%M}"),
                Text(visible(case.lane)),
                Text(visible(case.name)),
                Text(visible(case.document)),
                Text(PAST.get(case.outcome, case.outcome) + KIND_MARKS.get(case.kind, "")),
                Text(visible(case.officer_id)),
            )
            for case in cases
        ]
        # Columns as wide as this list needs, set here: a DataTable sizes its own only when it next
        # idles, which under load can be after the officer has read a cut value.
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for index, label in enumerate(COLUMNS):
            table.add_column(label, width=max([len(label), *(row[index].cell_len for row in rows)]))
        table.add_rows(rows)
        count = len(cases)
        if view == "referrals":
            head = f"{count} open referral{'s' if count != 1 else ''} at this post: a admit after checks, x refuse"
        else:
            head = f"{count} crossing{'s' if count != 1 else ''} this shift (✎ corrected, 2L second line)"
        self.query_one("#cases-title", Static).update(literal(head))

    def action_resolve(self, outcome: str) -> None:
        case = self.selected()
        if case is not None and outcome in ("admit", "refuse"):
            self._ask(case, "resolution", outcome)  # type: ignore[arg-type]

    def action_correct(self) -> None:
        case = self.selected()
        if case is not None:
            self._ask(case, "correction", case.outcome)  # type: ignore[arg-type]

    def _ask(self, case: CaseLine, kind: FollowUp, outcome: Outcome) -> None:
        def answered(answer: FollowUpAnswer | None) -> None:
            if answer is not None:
                self._record(case, kind, answer)

        self.app.push_screen(FollowUpScreen(case, kind, outcome, self.checkpoint.reason_codes), answered)

    @work(thread=True, exit_on_error=False, group="follow-up")
    def _record(self, case: CaseLine, kind: FollowUp, answer: FollowUpAnswer) -> None:
        app = self.checkpoint
        assert app.shift is not None and self.backend is not None
        crossing_id = self.backend.follow_up(
            case.crossing_id,
            kind,
            answer.outcome,
            answer.reason,
            app.shift,
            reason_codes=answer.reason_codes,
            remarks=answer.remarks,
        )
        if answer.outcome == "refuse":
            path = self.backend.refusal_form(crossing_id, app.shift)
            app.call_from_thread(app.tell, f"Refusal form saved: {path}", title="Refusal form", timeout=8)
        what = "Referral resolved" if kind == "resolution" else "Decision corrected"
        app.call_from_thread(app.tell, f"{what}: {PAST[answer.outcome]}.", title=what, timeout=3)
        app.call_from_thread(self.action_show, self.view)

    def action_form(self) -> None:
        case = self.selected()
        if case is None or case.outcome != "refuse":
            self.checkpoint.tell(
                "Pick a refusal to print its form.", title="Not a refusal", severity="warning"
            )
            return
        self._form(case)

    @work(thread=True, exit_on_error=False, group="form")
    def _form(self, case: CaseLine) -> None:
        app = self.checkpoint
        assert app.shift is not None and self.backend is not None
        path = self.backend.refusal_form(case.crossing_id, app.shift)
        app.call_from_thread(app.tell, f"Refusal form saved: {path}", title="Refusal form", timeout=8)

    def action_back(self) -> None:
        self.dismiss()
