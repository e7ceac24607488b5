"""The chip panel's photo: drawn when it can be, described in words when it cannot (no textual-image,
or an image Pillow cannot decode), hidden when no chip was read."""

from __future__ import annotations

import pytest
from checkpoint.mocks.chip_lds import face_jpeg
from textual.app import App, ComposeResult
from textual.widgets import Static
from tui_fakes import sync

from checkpoint.tui.models import CheckLine, ChipFace
from checkpoint.tui.widgets import face as face_module
from checkpoint.tui.widgets.face import FacePanel

CHECKS = (
    CheckLine("mrz.validity", "PASS", "MRZ check digits (5/5)"),
    CheckLine("chip.access", "PASS", "Chip read with BAC (MRZ key)"),
    CheckLine("chip.mrz_match", "FAIL", "Chip MRZ differs from the printed MRZ"),
)


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FacePanel(id="face")


@sync
async def test_a_decodable_photo_is_drawn() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        panel = app.query_one(FacePanel)
        panel.show(ChipFace(face_jpeg(), "JPEG"), CHECKS)
        await pilot.pause()
        assert panel.display
        assert len(panel.query(".face-image")) == 1
        assert not panel.query_one("#face-text", Static).display
        assert str(panel.query_one("#chip-summary", Static).render()) == "✔ chip read\n✖ chip MRZ = page"


@sync
async def test_a_photo_that_cannot_be_decoded_is_described() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        panel = app.query_one(FacePanel)
        panel.show(ChipFace(b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(15_000), "JPEG 2000"), CHECKS)
        await pilot.pause()
        assert not panel.query(".face-image")
        text = str(panel.query_one("#face-text", Static).render())
        assert text == "Chip photo: JPEG 2000, 14 KB (cannot be drawn in this terminal)"


@sync
async def test_without_textual_image_the_photo_is_described(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face_module, "_ImageWidget", None)
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        panel = app.query_one(FacePanel)
        panel.show(ChipFace(face_jpeg(), "JPEG"), CHECKS)
        await pilot.pause()
        assert not panel.query(".face-image")
        assert str(panel.query_one("#face-text", Static).render()).startswith("Chip photo: JPEG, ")


@sync
async def test_no_chip_read_hides_the_panel() -> None:
    app = PanelApp()
    async with app.run_test(size=(40, 20)) as pilot:
        panel = app.query_one(FacePanel)
        panel.show(ChipFace(face_jpeg(), "JPEG"), CHECKS)
        await pilot.pause()
        panel.show(None, (CheckLine("chip.access", "NOT RUN", "Chip not read: no chip answered"),))
        await pilot.pause()
        assert not panel.display
        assert not panel.query(".face-image")
