"""A text input that never holds a control character.

Textual's :class:`~textual.widgets.Input` draws what it holds, and a pasted escape sequence would reach
the terminal as one. Every value this input takes, typed, pasted or set, has its control characters
replaced by visible stand-ins (see :func:`checkpoint.tui.text.visible`), so the officer sees them and
the terminal never acts on them.
"""

from __future__ import annotations

from textual.widgets import Input

from checkpoint.tui.text import visible


class TextInput(Input):
    """An :class:`~textual.widgets.Input` whose value never contains control characters."""

    def validate_value(self, value: str) -> str:
        """Return ``value`` with control characters made visible (Textual calls this on every change)."""
        return visible(value)
