"""The modal for a follow-up of a recorded crossing: the second line's resolution of a referral, or a
correction. It asks for the outcome, a written reason (with common ones to pick), and for a refusal the
reason codes and the officer's remarks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.widgets.selection_list import Selection

from checkpoint.tui.cases import CaseLine, FollowUp, reason_problem
from checkpoint.tui.models import OUTCOMES, Outcome, ReasonCode
from checkpoint.tui.screens.decision import OUTCOME_LABELS, OUTCOME_STYLES
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput
from checkpoint.tui.widgets.reason_pick import CORRECTION_REASONS, RESOLUTION_REASONS, ReasonPick
from checkpoint.tui.widgets.ticks import TickList


@dataclass(frozen=True, slots=True)
class FollowUpAnswer:
    """What the officer decided in the follow-up modal."""

    outcome: Outcome
    reason: str
    reason_codes: tuple[str, ...] = ()
    remarks: str = ""


class FollowUpScreen(ModalScreen[FollowUpAnswer | None]):
    """Asks how to follow up ``case``; dismisses with the answer or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "outcome('admit')", "Admit", key_display="F2"),
        Binding("f3", "outcome('refuse')", "Refuse", key_display="F3"),
        Binding("f4", "outcome('refer')", "Refer", key_display="F4"),
        Binding("enter", "confirm", "Record", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, case: CaseLine, kind: FollowUp, outcome: Outcome, reason_codes: tuple[ReasonCode, ...]
    ) -> None:
        super().__init__()
        self.case = case
        self.kind = kind
        self.outcome: Outcome = outcome
        self.reason_codes = reason_codes

    def compose(self) -> ComposeResult:
        with Vertical(id="follow-up"):
            yield Static(literal(f"{self.case.name}  {self.case.document}"), id="follow-up-who")
            yield Static(id="follow-up-outcome")
            yield ReasonPick(
                RESOLUTION_REASONS if self.kind == "resolution" else CORRECTION_REASONS,
                "follow-up-reason",
                id="follow-up-pick",
            )
            yield TextInput(
                placeholder="Finding of the second line" if self.kind == "resolution" else "Why correct it",
                id="follow-up-reason",
                max_length=300,
            )
            yield TickList(
                *(Selection(literal(f"{code.code}  {code.label}"), code.code) for code in self.reason_codes),
                id="follow-up-codes",
            )
            yield TextInput(placeholder="Remarks (printed on the refusal form)", id="follow-up-remarks")
            yield Static(id="follow-up-problem")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        title = "Resolve the referral" if self.kind == "resolution" else "Correct the decision"
        self.query_one("#follow-up").border_title = title
        self.query_one("#follow-up-codes").border_title = "Reason codes (space to tick)"
        self._show_outcome()
        self.query_one("#follow-up-reason").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "outcome" and parameters and parameters[0] == "refer":
            return self.kind == "correction"  # the second line resolves: admit or refuse
        return True

    def _show_outcome(self) -> None:
        verb = "Outcome" if self.kind == "resolution" else "Corrected to"
        self.query_one("#follow-up-outcome", Static).update(
            Content(f"{verb}: ") + Content.styled(OUTCOME_LABELS[self.outcome], OUTCOME_STYLES[self.outcome])
        )
        refusing = self.outcome == "refuse"
        self.query_one("#follow-up-codes").display = refusing
        self.query_one("#follow-up-remarks").display = refusing

    def action_outcome(self, outcome: str) -> None:
        if outcome in OUTCOMES and self.check_action("outcome", (outcome,)):
            self.outcome = outcome
            self._show_outcome()

    def action_confirm(self) -> None:
        reason = self.query_one("#follow-up-reason", TextInput).value.strip()
        codes = (
            tuple(self.query_one("#follow-up-codes", TickList).selected) if self.outcome == "refuse" else ()
        )
        what = "finding" if self.kind == "resolution" else "reason for the correction"
        trouble = reason_problem(reason, what)
        if trouble is None and self.outcome == "refuse" and not codes:
            trouble = "A refusal needs at least one reason code (space to tick)."
        if trouble is not None:
            self.query_one("#follow-up-problem", Static).update(Content.styled(trouble, "bold red"))
            return
        remarks = (
            self.query_one("#follow-up-remarks", TextInput).value.strip() if self.outcome == "refuse" else ""
        )
        self.dismiss(FollowUpAnswer(self.outcome, reason, codes, remarks))

    def action_cancel(self) -> None:
        self.dismiss(None)
