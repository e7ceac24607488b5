"""The review screen's chip: the chip's checks and photo beside the traveller's data, a forged data page
caught by its chip, and one NOT RUN line when there is no chip to read. Through the demo's simulated
reader with in-process chips (``sim://...&chips=1``) and the real store backend.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checkpoint.mocks.documents import sample_document
from checkpoint.mocks.sim_chips import SimChips
from checkpoint.mocks.sim_reader import SimReader
from tui_fakes import frozen_clock, screen_text, sync, until

from checkpoint.cli.demo_command import CHIP_READER, default_reader, prepare_demo
from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import CheckLine, Review
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.store_backend import StoreBackend
from checkpoint.tui.widgets.face import FacePanel

TODAY = date(2026, 11, 27)


def valid_td3(seed: int = 0) -> tuple[str, ...]:
    return sample_document("valid", "TD3", seed=seed, today=TODAY).lines


@sync
async def test_the_review_shows_the_chip_and_catches_a_forged_page(tmp_path: Path) -> None:
    app, store = prepare_demo(tmp_path, ["sim://td3?interval=0&chips=1&today=2026-11-27"], frozen_clock)
    reader = app.readers[0]
    assert isinstance(reader, SimReader)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, InspectionScreen))

            reader.present(valid_td3(), chip="chip")
            await until(pilot, lambda: app.screen.review is not None)
            review = app.screen.review
            assert review.face is not None and review.face.format == "JPEG"
            statuses = {c.check_id: c.status for c in review.checks if c.check_id.startswith("chip.")}
            assert statuses == dict.fromkeys(
                ("chip.access", "chip.signature", "chip.data_groups", "chip.genuine", "chip.mrz_match"),
                "PASS",
            )
            assert review.verdict == "clear"
            signature = next(c for c in review.checks if c.check_id == "chip.signature")
            assert signature.message.startswith("Chip signature valid: CSCA AT, key ")
            await until(pilot, lambda: "✔ chip MRZ = page" in screen_text(app))
            assert app.screen.query_one(FacePanel).display
            shown = screen_text(app)
            for line in (
                "✔ chip read",
                "✔ signature",
                "✔ data groups",
                "✔ genuine chip",
                "✔ chip MRZ = page",
            ):
                assert line in shown
            await pilot.press("a")
            await pilot.press("enter")
            await until(pilot, lambda: "Waiting for a document" in screen_text(app))

            page = reader.present(valid_td3(1), chip="forged page")
            await until(pilot, lambda: app.screen.review is not None)
            review = app.screen.review
            assert review.arrival.lines != page.lines  # the forger's page, valid check digits and all
            await until(pilot, lambda: "✖ chip MRZ = page" in screen_text(app))
            shown = screen_text(app)
            assert "✖ REFER TO SECONDARY" in shown
            assert "✖ chip MRZ = page" in shown
            mrz_match = next(c for c in review.checks if c.check_id == "chip.mrz_match")
            assert mrz_match.status == "FAIL"
            assert mrz_match.message.startswith("Chip MRZ differs from the printed MRZ")
            assert "B" in review.suggested_reason_codes
            assert next(c for c in review.checks if c.check_id == "mrz.validity").status == "PASS"
            await pilot.press("r", "enter")
            await until(pilot, lambda: "Waiting for a document" in screen_text(app))

            reader.present(valid_td3(2), chip="pre-chip")
            await until(pilot, lambda: "Chip not read" in screen_text(app))
            shown = screen_text(app)
            assert shown.count("Chip not read") == 1
            assert "· NOT RUN Chip not read: no chip answered: a document issued before chips" in " ".join(
                shown.split()
            )
            assert not app.screen.query_one(FacePanel).display
    finally:
        store.close()


@sync
async def test_a_reader_without_a_chip_antenna_says_so_in_one_line(tmp_path: Path) -> None:
    app, store = prepare_demo(tmp_path, ["sim://td3?interval=0&today=2026-11-27"], frozen_clock)
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
            app.readers[0].present(valid_td3())
            await until(pilot, lambda: "Chip not read" in screen_text(app))
            shown = screen_text(app)
            assert shown.count("Chip not read: this reader has no chip antenna") == 1
            assert not app.screen.query_one(FacePanel).display
    finally:
        store.close()


def test_the_demo_reader_carries_chips_when_the_chip_library_is_installed() -> None:
    assert default_reader() == CHIP_READER


def test_the_chip_dates_a_document_whose_page_does_not(tmp_path: Path) -> None:
    """The MRZ holds no date of issue; the chip's DG12 does. A passport its chip says is issued after
    today is not yet valid, and the check says where the date came from."""
    app, store = prepare_demo(tmp_path, ["sim://td3?interval=0&today=2026-11-27"], frozen_clock)
    try:
        backend = app.backend
        assert isinstance(backend, StoreBackend) and app.shift is not None
        sample = sample_document("not-yet-valid", "TD3", seed=1, today=TODAY)
        issued = sample.fields["issue_date"]
        assert isinstance(issued, date) and issued > TODAY
        read = SimChips(seed=1).read(sample, variant="chip")
        page_only = backend.review(Arrival(sample.lines, "sim://td3", frozen_clock()), app.shift)
        with_chip = backend.review(
            Arrival(read.lines, "sim://td3", frozen_clock(), chip=read.outcome), app.shift
        )
    finally:
        store.close()

    def dates(review: Review) -> CheckLine:
        return next(line for line in review.checks if line.check_id == "document.dates")

    assert dates(page_only).status == "PASS" and "issue date unknown" in dates(page_only).message
    assert dates(with_chip).status == "FAIL"
    assert dates(with_chip).message == f"Document not yet valid: issued {issued.isoformat()} (per chip DG12)"
