"""Documents presented together become one crossing: a passport and its visa (checked against it), a
minor and the adult they travel with, or a minor's consent letter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from checkpoint.drivers import make_reader
from checkpoint.mocks.sim_reader import SimReader
from tui_fakes import frozen_clock, screen_text, sync, until

from checkpoint.cli.config_command import example_text
from checkpoint.inspection.post_config import parse_post_config
from checkpoint.mrz import compose
from checkpoint.store import open_store
from checkpoint.tui import make_app
from checkpoint.tui.models import OfficerSession
from checkpoint.tui.screens.companions import ConsentScreen
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.store_backend import StoreBackend


def passport(surname: str, given: str, number: str, born: date, nationality: str = "IND") -> tuple[str, ...]:
    return compose(
        "TD3",
        issuing_state=nationality,
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=nationality,
        birth_date=born,
        sex="F",
        expiry_date=date(2032, 1, 31),
    )


PRIYA = passport("SHARMA", "PRIYA", "Z7K4M9T3A", date(1992, 2, 11))
VISA = compose(
    "MRV-A",
    document_code="VC",
    issuing_state="UTO",
    surname="SHARMA",
    given_names="PRIYA",
    document_number="VX3K7N4AC",
    nationality="IND",
    birth_date=date(1992, 2, 11),
    sex="F",
    expiry_date=date(2027, 1, 15),
)
CHILD = passport("SHARMA", "ANIKA", "Z7K4M9T4C", date(2016, 6, 1))
FATHER = passport("SHARMA", "RAVI", "Z7K4M9T7E", date(1985, 9, 30))


@sync
async def test_passport_and_visa_then_minor_with_adult_and_consent(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db", clock=frozen_clock)
    store.add_officer("MNE-0412", "Ana", "2468", actor="test")
    backend = StoreBackend(store, frozen_clock, post=parse_post_config(example_text()))
    shift = backend.open_shift(OfficerSession("MNE-0412"), "Demo crossing", "1", "entry")
    reader = make_reader("sim://td3?interval=0")
    assert isinstance(reader, SimReader)
    app = make_app([reader], backend, frozen_clock, officer=shift.officer, shift=shift)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InspectionScreen))
        reader.present(PRIYA)
        await until(pilot, lambda: "Visa required for IND: none presented" in screen_text(app))
        await until(pilot, lambda: "+ Add doc" in screen_text(app).splitlines()[-1])
        await pilot.press("plus")
        reader.present(VISA)
        await until(pilot, lambda: "Visa VX3K7N4AC until 2027-01-15, holder matches" in screen_text(app))
        assert "with visa VX3K7N4AC" in screen_text(app)
        await pilot.press("a", "enter")
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))

        reader.present(CHILD)
        await until(pilot, lambda: "Minor (10) alone: under 16 needs an adult" in screen_text(app))
        await pilot.press("plus")
        reader.present(FATHER)
        await until(pilot, lambda: "Minor (10) accompanied by SHARMA (41)" in screen_text(app))
        assert "with adult SHARMA" in screen_text(app)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, ConsentScreen))
        await pilot.press(*"NOT-2026-118", "enter")
        await until(pilot, lambda: "consent NOT-2026-118" in screen_text(app))
        await pilot.press("r", "enter")
        await until(pilot, lambda: "Waiting for a document" in screen_text(app))

    [admitted] = store.document_history("Z7K4M9T3A", "IND")
    assert admitted.decision == "admit"
    assert [(c.role, c.document_number) for c in admitted.companions] == [("visa", "VX3K7N4AC")]
    [child] = store.document_history("Z7K4M9T4C", "IND")
    assert [(c.role, c.document_number, c.reference) for c in child.companions] == [
        ("adult", "Z7K4M9T7E", ""),
        ("consent", "", "NOT-2026-118"),
    ]
    # The visa and the adult's passport were presented with others: no crossing of their own.
    assert store.document_history("VX3K7N4AC", "UTO") == []
    store.close()
