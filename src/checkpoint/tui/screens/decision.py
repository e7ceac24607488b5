"""The decision modal: admit, refer to secondary or refuse, with reason codes, and a written reason when
admitting over a failed check. The suggestion comes from the checks; the officer always decides."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from checkpoint.tui.cases import reason_problem
from checkpoint.tui.models import OUTCOMES, Decision, Outcome, ReasonCode, Review
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput
from checkpoint.tui.widgets.reason_pick import OVERRIDE_REASONS, ReasonPick
from checkpoint.tui.widgets.review import VERDICT_STYLES, VERDICTS
from checkpoint.tui.widgets.ticks import TickList

OUTCOME_LABELS: dict[Outcome, str] = {
    "admit": "ADMIT",
    "refer": "REFER TO SECONDARY",
    "refuse": "REFUSE ENTRY",
}
OUTCOME_STYLES: dict[Outcome, str] = {"admit": "bold green", "refer": "bold yellow", "refuse": "bold red"}


def problem(review: Review, outcome: Outcome, codes: tuple[str, ...], override_reason: str) -> str | None:
    """Return why the decision cannot be recorded as it stands, or None when it can."""
    if outcome == "admit" and review.blocking_fails:
        return (
            f"{', '.join(review.blocking_fails)} FAILED: this post does not admit over it. Refer or refuse."
        )
    if outcome == "admit" and review.has_fail:
        if not override_reason.strip():
            return "A check FAILED: write why you admit anyway (override reason)."
        return reason_problem(override_reason, "override reason")
    if outcome == "refuse" and not codes:
        return "Refusing entry needs at least one reason code (space to tick)."
    return None


class DecisionScreen(ModalScreen[Decision | None]):
    """Asks for the decision on ``review``, starting from ``outcome``. Dismisses with the decision, or
    None when the officer cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "outcome('admit')", "Admit"),
        Binding("r", "outcome('refer')", "Refer"),
        Binding("x", "outcome('refuse')", "Refuse"),
        Binding("enter", "confirm", "Record", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, review: Review, outcome: Outcome, reason_codes: tuple[ReasonCode, ...]) -> None:
        super().__init__()
        self.review = review
        self.outcome: Outcome = outcome
        self.reason_codes = reason_codes

    def compose(self) -> ComposeResult:
        with Vertical(id="decision"):
            yield Static(id="decision-outcome")
            yield Static(id="decision-suggestion")
            yield TickList(
                *(Selection(literal(f"{code.code}  {code.label}"), code.code) for code in self.reason_codes),
                id="decision-codes",
            )
            yield TextInput(placeholder="Remarks (printed on the refusal form)", id="decision-remarks")
            yield ReasonPick(OVERRIDE_REASONS, "decision-override", id="decision-pick")
            yield TextInput(
                placeholder="Override reason (required to admit over a FAIL)", id="decision-override"
            )
            yield Static(id="decision-problem")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#decision").border_title = "Decision"
        self.query_one("#decision-codes").border_title = "Reason codes (space to tick)"
        self.query_one("#decision-suggestion", Static).update(
            Content("The checks suggest: ")
            + Content.styled(VERDICTS[self.review.verdict], VERDICT_STYLES[self.review.verdict])
        )
        codes = self.query_one("#decision-codes", SelectionList)
        # Tick what the checks point to, if the post's table has it (SelectionList would take any value).
        known = {code.code for code in self.reason_codes}
        for code in self.review.suggested_reason_codes:
            if code in known:
                codes.select(code)
        self._show_outcome()
        self._focus_for_outcome()

    def _focus_for_outcome(self) -> None:
        if self.outcome == "admit":
            if self.review.has_fail:
                self.query_one("#decision-override").focus()
        else:
            self.query_one("#decision-codes").focus()

    def _show_outcome(self) -> None:
        self.query_one("#decision-outcome", Static).update(
            Content("Decision: ") + Content.styled(OUTCOME_LABELS[self.outcome], OUTCOME_STYLES[self.outcome])
        )
        override = self.query_one("#decision-override", TextInput)
        override.display = self.outcome == "admit" and self.review.has_fail
        self.query_one("#decision-pick").display = override.display
        self.query_one("#decision-remarks").display = self.outcome != "admit"
        # Reason codes explain a refusal or a referral; an admission carries none.
        self.query_one("#decision-codes").display = self.outcome != "admit"
        self.query_one("#decision-problem", Static).update("")

    def action_outcome(self, outcome: str) -> None:
        if outcome in OUTCOMES:
            self.outcome = outcome
            self._show_outcome()
            self._focus_for_outcome()

    def action_confirm(self) -> None:
        codes = (
            ()
            if self.outcome == "admit"
            else tuple(self.query_one("#decision-codes", SelectionList).selected)
        )
        override = self.query_one("#decision-override", TextInput)
        reason = override.value.strip() if override.display else ""
        trouble = problem(self.review, self.outcome, codes, reason)
        if trouble is not None:
            self.query_one("#decision-problem", Static).update(Content.styled(trouble, "bold red"))
            if self.outcome == "admit":
                override.focus()
            return
        remarks = self.query_one("#decision-remarks", TextInput)
        self.dismiss(Decision(self.outcome, codes, reason, remarks.value.strip() if remarks.display else ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
