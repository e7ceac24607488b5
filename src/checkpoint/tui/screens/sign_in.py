"""Sign-in: officer ID and PIN. The PIN is checked by the backend (memory-hard KDF, lockout) in a worker,
since key derivation is slow on purpose."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from checkpoint.tui.backend import ClientError
from checkpoint.tui.models import OfficerSession
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput
from checkpoint.tui.widgets.status import StatusLine


class SignInScreen(ClientScreen):
    """Asks for the officer ID and PIN; on success opens the shift screen."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "sign_in", "Sign in", priority=True)]

    def compose(self) -> ComposeResult:
        yield StatusLine()
        with Vertical(id="sign-in", classes="form"):
            yield Static("Officer ID")
            yield TextInput(id="officer-id", max_length=32)
            yield Static("PIN")
            yield TextInput(id="pin", password=True, max_length=64)
            yield Static(id="sign-in-problem", classes="problem")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#sign-in").border_title = "Sign in"
        self.query_one("#officer-id").focus()

    def action_sign_in(self) -> None:
        officer_id = self.query_one("#officer-id", TextInput).value.strip()
        pin = self.query_one("#pin", TextInput).value
        if not officer_id:
            self._problem("Type your officer ID.")
            self.query_one("#officer-id").focus()
            return
        if not pin:
            self._problem("Type your PIN.")
            self.query_one("#pin").focus()
            return
        self._problem("Checking…")
        self._check(officer_id, pin)

    def _problem(self, text: str) -> None:
        self.query_one("#sign-in-problem", Static).update(Content(text))

    @work(thread=True, exit_on_error=False, exclusive=True, group="sign-in")
    def _check(self, officer_id: str, pin: str) -> None:
        app = self.checkpoint
        try:
            officer = app.backend.sign_in(officer_id, pin)
        except ClientError as exc:
            app.call_from_thread(self._refused, str(exc))
            return
        app.call_from_thread(self._signed_in, officer)

    def _refused(self, message: str) -> None:
        self._problem(message)
        pin = self.query_one("#pin", TextInput)
        pin.value = ""
        pin.focus()

    def _signed_in(self, officer: OfficerSession) -> None:
        from checkpoint.tui.screens.shift_open import ShiftOpenScreen

        app = self.checkpoint
        app.officer = officer
        app.switch_screen(ShiftOpenScreen())
