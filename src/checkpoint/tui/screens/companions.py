"""Documents presented together, on the inspection screen: ``+`` takes the next document read (or typed)
as presented with the one under review (a visa with its passport, the adult a minor travels with), and
``l`` records a minor's consent letter by its reference. The review is checked again with them, and the
decision records them as one crossing."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from checkpoint.tui.cases import CompanionBackend
from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import Review
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput

if TYPE_CHECKING:
    from checkpoint.tui.app import CheckpointApp

COMPANION_BINDINGS: list[BindingType] = [
    Binding("plus", "add_document", "Add doc", key_display="+"),
    Binding("l", "consent_letter", "Consent"),
]


class ConsentScreen(ModalScreen[str | None]):
    """Asks for a consent letter's reference; dismisses with it, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Record", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="consent", classes="form"):
            yield Static("Reference of the consent letter (as printed on it)")
            yield TextInput(id="consent-reference", max_length=60)
            yield Static(id="consent-problem", classes="problem")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#consent").border_title = "Minor travelling with a consent letter"
        self.query_one("#consent-reference").focus()

    def action_submit(self) -> None:
        reference = self.query_one("#consent-reference", TextInput).value.strip()
        if len(reference) < 3:
            self.query_one("#consent-problem", Static).update(
                literal("Type the reference printed on the letter.")
            )
            return
        self.dismiss(reference)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CompanionActions:
    """Mixed into the inspection screen, which provides ``review``, ``checkpoint`` and ``_show``."""

    review: Review | None
    attaching: bool = False

    if TYPE_CHECKING:
        checkpoint: CheckpointApp

        def _show(self, review: Review) -> None: ...
        def refresh_bindings(self) -> None: ...

    def companion_action(self, action: str) -> bool | None:
        """Return whether a companion action is available now (None: not a companion action)."""
        if action in ("add_document", "consent_letter"):
            return self.review is not None and isinstance(self.checkpoint.backend, CompanionBackend)
        return None

    def action_add_document(self) -> None:
        """Take the next document read or typed as presented with the one under review."""
        if self.review is None:
            return
        self.attaching = True
        self.checkpoint.tell(
            "Present the visa, or the accompanying adult's document: it joins this crossing.",
            title="Add a document",
            timeout=5,
        )
        self.take_companion()

    def take_companion(self) -> bool:
        """When a companion is awaited and a read is queued, attach it; return whether one was taken."""
        if not self.attaching or self.review is None:
            return False
        arrival = self.checkpoint.intake.take()
        if arrival is None:
            return False
        self.attaching = False
        self._attach_companion(self.review, arrival)
        return True

    @work(thread=True, exit_on_error=False, group="companion")
    def _attach_companion(self, review: Review, arrival: Arrival) -> None:
        app = self.checkpoint
        backend = app.backend
        assert app.shift is not None and isinstance(backend, CompanionBackend)
        updated = backend.add_companion(review, arrival, app.shift)
        app.call_from_thread(self._replace_review, review, updated)

    def action_consent_letter(self) -> None:
        review = self.review
        if review is None:
            return

        def typed(reference: str | None) -> None:
            if reference and self.review is review:
                self._consent(review, reference)

        self.checkpoint.push_screen(ConsentScreen(), typed)

    @work(thread=True, exit_on_error=False, group="companion")
    def _consent(self, review: Review, reference: str) -> None:
        app = self.checkpoint
        backend = app.backend
        assert app.shift is not None and isinstance(backend, CompanionBackend)
        updated = backend.add_consent(review, reference, app.shift)
        app.call_from_thread(self._replace_review, review, updated)

    def _replace_review(self, old: Review, new: Review) -> None:
        if self.review is old:
            self._show(new)
