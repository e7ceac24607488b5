"""The real PC/SC stack for the chip tests: pcscd with vsmartcard's vpcd driver, started for the session
when no pcscd is running (and stopped after it; a pcscd that was already running is left alone), and a
virtual card put into "Virtual PCD 00 00" per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from checkpoint.mocks.chip_lds import ChipDocument, specimen_document
from checkpoint.mocks.chip_pki import ChipPKI, write_trust_folder
from checkpoint.mocks.pcsc_stack import VIRTUAL_READER, PcscStack, wait_for_card
from checkpoint.mocks.vpcd import CardLogic, VirtualCard


@pytest.fixture(scope="session")
def pcsc_stack() -> Iterator[PcscStack]:
    """pcscd serving vpcd's reader; the name of the virtual reader is ``stack.reader``."""
    with PcscStack() as stack:
        yield stack


class Slot(VirtualCard):
    """vpcd's first slot; inserting and removing return once pcscd has seen the card arrive or leave."""

    def insert(self, card: CardLogic | None = None, *, timeout: float = 5.0) -> None:
        super().insert(card, timeout=timeout)
        wait_for_card(VIRTUAL_READER, present=True)

    def pull(self) -> None:
        """Pull the card out and wait until pcscd has seen the reader empty."""
        self.remove()
        wait_for_card(VIRTUAL_READER, present=False)


@pytest.fixture
def vpcd_slot(pcsc_stack: PcscStack) -> Iterator[Slot]:
    """vpcd's first slot, with no card in it yet: ``slot.insert(card)`` puts one in, the test's end pulls it."""

    class _Empty:
        atr = b"\x3b\x00"

        def power_on(self) -> None: ...
        def power_off(self) -> None: ...
        def reset(self) -> None: ...
        def transmit(self, apdu: bytes) -> bytes:
            return b"\x6f\x00"

    slot = Slot(_Empty())
    yield slot
    slot.pull()


@pytest.fixture(scope="session")
def pki() -> ChipPKI:
    """The test PKI of Utopia's chips (the ICAO specimen's state)."""
    return ChipPKI.create("UT")


@pytest.fixture(scope="session")
def document() -> ChipDocument:
    """The ICAO specimen TD3, as chips are personalised with it."""
    return specimen_document()


@pytest.fixture(scope="session")
def csca(pki: ChipPKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A post's CSCA folder trusting ``pki``'s CSCA, with its CRL."""
    return write_trust_folder(tmp_path_factory.mktemp("csca"), [pki.csca.certificate], [pki.crl])


@pytest.fixture
def virtual_reader_name(pcsc_stack: PcscStack) -> str:
    return VIRTUAL_READER
