"""A written reason with a list of common ones to start from: picking one fills the text, which the
officer may then complete. The reason still has to be long enough to be checked later
(:func:`checkpoint.tui.cases.reason_problem`)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Select

from checkpoint.tui.widgets.inputs import TextInput

OVERRIDE_REASONS: tuple[str, ...] = (
    "Document compared by hand: the failed check is a reading error",
    "Alert compared in detail: the traveller is not the person listed",
    "Supervisor approved admission after a second check",
    "Humanitarian grounds or international obligations (SBC Art. 6(5)(c))",
    "Valid residence permit presented with the document",
)
SEARCH_PURPOSES: tuple[str, ...] = (
    "Second-line check of a referred traveller",
    "Verifying the traveller's previous crossings at primary",
    "Request from the shift supervisor",
    "Correcting a recorded decision",
)
CORRECTION_REASONS: tuple[str, ...] = (
    "Wrong key pressed: the decision recorded is not the one taken",
    "Decision taken on the wrong document",
    "Supervisor reviewed the decision",
)
RESOLUTION_REASONS: tuple[str, ...] = (
    "Second-line interview and checks: conditions of entry met",
    "Second-line checks: conditions of entry not met",
    "Document examined: found genuine",
    "Document examined: found false or falsified",
)


class ReasonPick(Select[str]):
    """A drop-down of common reasons that fills the :class:`TextInput` with id ``target``."""

    def __init__(self, reasons: Sequence[str], target: str, *, id: str | None = None) -> None:
        super().__init__(
            [(reason, reason) for reason in reasons], prompt="Common reasons: pick one", id=id, compact=True
        )
        self.target = target

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            target = self.screen.query_one(f"#{self.target}", TextInput)
            target.value = event.value
            target.focus()
