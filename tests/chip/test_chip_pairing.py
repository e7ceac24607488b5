"""A data-page reader paired with a chip antenna (``ADDRESS&chip=pcsc://...``): one DocumentRead per
document with the printed lines and the chip's outcome, through the real PC/SC stack; and in the client.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from checkpoint.drivers import DocumentRead, ReaderConfigError, make_reader
from checkpoint.drivers.chip_pairing import ChipPairedReader
from checkpoint.mocks.chip_build import build_chip
from checkpoint.mocks.chip_lds import ChipDocument
from checkpoint.mocks.chip_pki import ChipPKI
from checkpoint.mocks.sim_reader import SimReader

from checkpoint.cli.demo_command import prepare_demo
from checkpoint.tui.screens.inspection import InspectionScreen
from tests.chip.conftest import Slot
from tests.tui.tui_fakes import frozen_clock, screen_text, sync, until

CHIP = "pcsc://Virtual%20PCD%2000%2000"


def paired(csca: Path | None = None, wait: str = "3") -> str:
    chip = f"{CHIP}?wait={wait}" + (f"&csca={csca}" if csca else "")
    return f"sim://td3?interval=0&chip={quote(chip, safe='')}"


def first_document(reader: ChipPairedReader, lines: tuple[str, ...]) -> DocumentRead:
    page = reader.page
    assert isinstance(page, SimReader)
    page.present(lines)
    for event in reader.events(timeout=15):
        if isinstance(event, DocumentRead):
            return event
    raise AssertionError("no document read")


def test_the_swipe_is_the_key_and_one_event_carries_page_and_chip(
    vpcd_slot: Slot, pki, document, csca
) -> None:
    vpcd_slot.insert(build_chip(document, pki))
    url = paired(csca)
    with make_reader(url) as reader:
        assert isinstance(reader, ChipPairedReader)
        assert reader.describe() == "simulated td3 reader + PC/SC chip reader Virtual PCD 00 00"
        event = first_document(reader, document.mrz_lines)
    assert event.source == url
    assert event.lines == document.mrz_lines
    assert event.chip is not None and event.chip.state == "read", event.chip
    report = event.chip.report
    assert report is not None
    assert all(v.status.value != "FAIL" for v in report.verifications)
    assert report.verification("document_signer_trusted").status.value == "PASS"


def test_no_chip_on_the_antenna_is_absent_after_the_wait(pcsc_stack, document) -> None:
    with make_reader(paired(wait="0.3")) as reader:
        event = first_document(reader, document.mrz_lines)
    assert event.lines == document.mrz_lines
    assert event.chip is not None and event.chip.state == "absent"
    assert "no chip answered within 0.3 s" in event.chip.detail


def test_a_missing_chip_reader_leaves_the_page_reader_working(pcsc_stack, document) -> None:
    url = f"sim://td3?interval=0&chip={quote('pcsc://Acme 9000', safe='')}"
    with make_reader(url) as reader:
        assert "chip reader unavailable" in reader.describe()
        event = first_document(reader, document.mrz_lines)
    assert event.lines == document.mrz_lines
    assert event.chip is not None and event.chip.state == "unavailable"
    assert "no PC/SC reader is called 'Acme 9000'" in event.chip.detail


def test_the_chip_address_must_be_a_chip_reader() -> None:
    with pytest.raises(ReaderConfigError, match="is not a chip reader"):
        make_reader("sim://td3?chip=sim%3A%2F%2Ftd1")


def test_the_page_readers_own_options_still_apply(pcsc_stack) -> None:
    with pytest.raises(ReaderConfigError, match="unknown option 'colour'"):
        make_reader(f"sim://td3?colour=red&chip={quote(CHIP, safe='')}")


@sync
async def test_the_client_reviews_a_paired_read_with_its_chip(
    vpcd_slot: Slot, pki: ChipPKI, document: ChipDocument, csca: Path, tmp_path: Path
) -> None:
    vpcd_slot.insert(build_chip(document, pki))
    app, store = prepare_demo(tmp_path, [paired(csca)], frozen_clock)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
            app.readers[0].present(document.mrz_lines)
            await until(pilot, lambda: "✔ chip MRZ = page" in screen_text(app))
            review = app.screen.review
            assert review is not None and review.face is not None
            chip = {c.check_id: c.status for c in review.checks if c.check_id.startswith("chip.")}
            assert set(chip.values()) == {"PASS"}
    finally:
        store.close()


def test_a_visa_has_no_chip_to_wait_for(pcsc_stack) -> None:
    from checkpoint.mocks.documents import sample_document

    visa = sample_document("valid", "MRV-A", seed=1).lines
    with make_reader(paired(wait="30")) as reader:
        event = first_document(reader, visa)  # long before the 30 s wait for a chip
    assert event.chip is not None and event.chip.state == "absent"
    assert event.chip.detail.startswith("no chip read: no chip access key in this MRZ")


def test_the_previous_document_left_on_the_chip_reader_is_not_read_with_the_next_key(
    vpcd_slot: Slot, pki: ChipPKI, document: ChipDocument
) -> None:
    from checkpoint.mocks.documents import sample_document

    vpcd_slot.insert(build_chip(document, pki))
    following = sample_document("valid", "TD3", seed=4).lines
    with make_reader(paired(wait="0.5")) as reader:
        assert first_document(reader, document.mrz_lines).chip.state == "read"  # type: ignore[union-attr]
        # The next traveller's page is swiped while the first passport still lies on the chip reader.
        event = first_document(reader, following)
        assert event.chip is not None
        assert (event.chip.state, event.chip.error) == ("failed", "PreviousDocument")
        assert "the previous document's" in event.chip.detail
        # The same passport swiped again is read again: it is this document's chip.
        assert first_document(reader, document.mrz_lines).chip.state == "read"  # type: ignore[union-attr]
