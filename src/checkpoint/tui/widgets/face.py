"""The chip panel beside the checks: the holder's photo from the chip (DG2), for the officer to compare
with the face in front of them and the photo on the data page, and the chip's checks in a word each, so
a chip that contradicts the page is in view whatever the length of the checks list.

The photo is drawn with textual-image (the terminal's graphics protocol when it has one, coloured half cells when it
has not); when the image cannot be drawn (textual-image not installed, a JPEG 2000 that Pillow cannot
decode) the panel says what the chip holds instead. Hidden when no chip was read.
"""

from __future__ import annotations

import io
import logging

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from checkpoint.tui.models import CheckLine, ChipFace

log = logging.getLogger(__name__)

try:
    # Imported before the app starts: textual-image asks the terminal for its cell size at import.
    from textual_image.widget import Image as _ImageWidget
except ImportError:  # the optional extra is not installed: the text fallback
    _ImageWidget = None  # type: ignore[assignment]


def face_text(face: ChipFace) -> str:
    """Return the fallback's words for a photo that cannot be drawn."""
    return f"Chip photo: {face.format}, {len(face.data) // 1024 or 1} KB (cannot be drawn in this terminal)"


# The chip's checks in a word each, by check id; the symbol says the status without colour.
CHIP_WORDS: dict[str, str] = {
    "chip.access": "chip read",
    "chip.signature": "signature",
    "chip.data_groups": "data groups",
    "chip.genuine": "genuine chip",
    "chip.mrz_match": "chip MRZ = page",
}
SYMBOLS: dict[str, tuple[str, str]] = {
    "PASS": ("✔", "green"),
    "WARN": ("▲", "yellow"),
    "FAIL": ("✖", "bold red"),
    "NOT RUN": ("·", "dim"),
}


def chip_summary(checks: tuple[CheckLine, ...]) -> Content:
    """Return one short line per chip check: its symbol and what it checks."""
    lines = []
    for check in checks:
        word = CHIP_WORDS.get(check.check_id)
        if word is not None:
            symbol, style = SYMBOLS[check.status]
            lines.append(Content.styled(f"{symbol} {word}", style))
    return Content("\n").join(lines)


class FacePanel(Vertical):
    """Shows the chip's photo and checks, or nothing. Call :meth:`show` to fill it."""

    def compose(self) -> ComposeResult:
        yield Static(id="chip-summary")
        yield Static(id="face-text", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Chip"
        self.display = False

    def show(self, face: ChipFace | None, checks: tuple[CheckLine, ...] = ()) -> None:
        """Show ``face`` and the chip's ``checks``; hide the panel when no chip was read (no photo and
        every chip check NOT RUN)."""
        for old in self.query(".face-image"):
            old.remove()
        read = any(check.check_id in CHIP_WORDS and check.status != "NOT RUN" for check in checks)
        self.display = face is not None or read
        self.query_one("#chip-summary", Static).update(chip_summary(checks))
        text = self.query_one("#face-text", Static)
        if face is None:
            text.display = False
            return
        picture = self._picture(face)
        if picture is None:
            text.update(face_text(face))
            text.display = True
            return
        text.display = False
        self.mount(picture, before=self.query_one("#chip-summary"))

    @staticmethod
    def _picture(face: ChipFace) -> Widget | None:
        if _ImageWidget is None:
            return None
        try:
            from PIL import Image as PILImage

            image = PILImage.open(io.BytesIO(face.data))
            image.load()
        except Exception as exc:  # Pillow raises many kinds for data it cannot decode
            log.debug("the chip photo cannot be decoded: %s", type(exc).__name__)
            return None
        return _ImageWidget(image, classes="face-image")
