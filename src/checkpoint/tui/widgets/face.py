"""The holder's photo from the chip (DG2), beside the checks, for the officer to compare with the face
in front of them and the photo on the data page.

Drawn with textual-image (the terminal's graphics protocol when it has one, coloured half cells when it
has not); when the image cannot be drawn (textual-image not installed, a JPEG 2000 that Pillow cannot
decode) the panel says what the chip holds instead. Hidden when the read brought no photo.
"""

from __future__ import annotations

import io
import logging

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from checkpoint.tui.models import ChipFace

log = logging.getLogger(__name__)

try:
    # Imported before the app starts: textual-image asks the terminal for its cell size at import.
    from textual_image.widget import Image as _ImageWidget
except ImportError:  # the optional extra is not installed: the text fallback
    _ImageWidget = None


def face_text(face: ChipFace) -> str:
    """Return the fallback's words for a photo that cannot be drawn."""
    return f"Chip photo: {face.format}, {len(face.data) // 1024 or 1} KB (cannot be drawn in this terminal)"


class FacePanel(Vertical):
    """Shows a :class:`ChipFace`, or nothing. Call :meth:`show` to fill it."""

    def compose(self) -> ComposeResult:
        yield Static(id="face-text", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Chip photo"
        self.display = False

    def show(self, face: ChipFace | None) -> None:
        """Show ``face`` (hide the panel when None)."""
        for old in self.query(".face-image"):
            old.remove()
        self.display = face is not None
        if face is None:
            return
        text = self.query_one("#face-text", Static)
        picture = self._picture(face)
        if picture is None:
            text.update(face_text(face))
            text.display = True
            return
        text.display = False
        self.mount(picture)

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
