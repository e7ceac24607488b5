"""Showing text that came from a device, a file or a person: always literally.

Textual parses ``str`` renderables as markup, and a terminal acts on escape sequences. Text from outside
the program is neither: it is turned into a :class:`~textual.content.Content` (never parsed as markup),
and control characters are replaced by their visible Unicode "control picture" (ESC -> ``␛``), so an
escape sequence shows as what it is instead of recolouring or moving the officer's screen.
"""

from __future__ import annotations

from typing import Final

from textual.content import Content

# C0 controls map to U+2400..U+241F, DEL to U+2421; C1 controls (U+0080..U+009F) have no picture, so they
# are shown as their code point.
_PICTURES: Final[dict[int, str]] = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: f"<U+{code:04X}>" for code in range(0x80, 0xA0)})


def visible(text: str) -> str:
    """Return ``text`` with every control character replaced by a visible stand-in."""
    return text.translate(_PICTURES)


def literal(text: str, style: str = "") -> Content:
    """Return ``text`` as content shown exactly as written: no markup, no control characters."""
    return Content.styled(visible(text), style) if style else Content(visible(text))
