"""Chip fixtures: one test PKI and one specimen document per session (keys are made once)."""

from __future__ import annotations

from datetime import date

import pytest
from checkpoint.mocks.chip_lds import ChipDocument, specimen_document
from checkpoint.mocks.chip_pki import ChipPKI

from checkpoint.emrtd import TrustStore


@pytest.fixture(scope="session")
def pki() -> ChipPKI:
    return ChipPKI.create("UT")


@pytest.fixture(scope="session")
def document() -> ChipDocument:
    return specimen_document(today=date.today())


@pytest.fixture(scope="session")
def trust(pki: ChipPKI) -> TrustStore:
    return TrustStore.from_certificates([pki.csca.certificate], [pki.crl])
