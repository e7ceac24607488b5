"""What every working screen of the client shares: the typed app, and failed workers reported.

Textual delivers a worker's state changes to the node that started it, without bubbling, so each screen
that starts workers hands failures to :meth:`CheckpointApp.report_worker_failure`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import Worker

if TYPE_CHECKING:
    from checkpoint.tui.app import CheckpointApp


class ClientScreen(Screen[None]):
    """A screen of the client: typed access to the app, worker failures shown as notifications."""

    @property
    def checkpoint(self) -> CheckpointApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.checkpoint.report_worker_failure(event)
