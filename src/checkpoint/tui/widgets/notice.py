"""The notice line: where the inspection screen shows notifications, on one line of its own above the
footer, so that a notification never covers the checks or the traveller's data (Textual's toasts are
drawn over the screen's bottom right).

:class:`NoticeRouting` is mixed into the app: a notification goes to the current screen's notice line
when it has one, and is a toast on the screens that have none (sign-in, forms).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widgets import Static

from checkpoint.tui.text import literal, visible

NOTICE_MARKS: dict[str, tuple[str, str]] = {
    "information": ("●", "bold"),
    "warning": ("▲", "bold yellow"),
    "error": ("✖", "bold red"),
}
DEFAULT_SECONDS = 8.0


class NoticeLine(Static):
    """One line: the latest notification with its severity as a symbol and a word, then cleared."""

    DEFAULT_CSS: ClassVar[str] = """
    NoticeLine { height: 1; text-wrap: nowrap; text-overflow: ellipsis; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._timer: Timer | None = None
        self.latest: tuple[str, str, str] | None = None

    def tell(self, message: str, title: str, severity: str, timeout: float | None) -> None:
        """Show a notification (shown literally) until ``timeout`` seconds pass or another comes."""
        self.latest = (title, message, severity)
        symbol, style = NOTICE_MARKS.get(severity, ("●", "bold"))
        head = literal(f"{symbol} {title}" if title else symbol, style)
        self.update(head + Content(": " if title else " ") + literal(" ".join(message.split())))
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(timeout or DEFAULT_SECONDS, self._clear)

    def _clear(self) -> None:
        self.latest = None
        self.update("")


class NoticeRouting(App[None]):
    """Routes notifications to the current screen's :class:`NoticeLine`, when it has one."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification on the screen's notice line, or as a toast where there is none."""
        lines = list(self.screen.query(NoticeLine)) if self.screen_stack else []
        if not lines:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
            return
        text = message if not markup else Content.from_markup(message).plain
        lines[0].tell(visible(text), visible(title), severity, timeout)
