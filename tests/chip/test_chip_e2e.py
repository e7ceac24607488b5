"""Chips read end to end through the real PC/SC stack: the chip emulator -> vpcd -> pcscd -> pyscard ->
the pcsc:// reader -> checkpoint.emrtd. Each fault a border post meets is reported as what it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from checkpoint.drivers import ChipOutcome, DocumentPresent, DocumentRead, ReaderStatus, make_reader
from checkpoint.mocks.chip_build import build_chip
from checkpoint.mocks.chip_emulator import ChipEmulator, ChipFaults
from checkpoint.mocks.chip_lds import ChipDocument

from checkpoint.emrtd.report import (
    ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    DATA_GROUP_HASHES,
    DATA_GROUPS_LISTED,
    DG1_MATCHES_PRINTED_MRZ,
    DSC_COUNTRY,
    DSC_TRUSTED,
    SOD_SIGNATURE,
    CheckStatus,
)
from checkpoint.mrz import compose, parse
from tests.chip.conftest import Slot

PASS, FAIL, NOT_RUN = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_RUN


def chip_url(reader: str, trust: Path | None, **options: str) -> str:
    query = [f"{name}={value}" for name, value in options.items()]
    if trust is not None:
        query.append(f"csca={trust}")
    return f"pcsc://{reader.replace(' ', '%20')}" + ("?" + "&".join(query) if query else "")


def read_once(
    url: str, slot: Slot, chip: ChipEmulator, timeout: float = 20.0
) -> tuple[DocumentRead, list[type]]:
    """Open the reader, put ``chip`` on it, and return the one DocumentRead with the events before it."""
    seen: list[type] = []
    with make_reader(url) as reader:
        events = reader.events(timeout=timeout)
        slot.insert(chip)
        for event in events:
            seen.append(type(event))
            if isinstance(event, DocumentRead):
                return event, seen
            assert not (isinstance(event, ReaderStatus) and event.state != "connected"), event
    raise AssertionError(f"no document read; events: {seen}")


def statuses(outcome: ChipOutcome) -> dict[str, CheckStatus]:
    assert outcome.report is not None, outcome
    return {v.name: v.status for v in outcome.report.verifications}


def mrz_option(document: ChipDocument) -> str:
    return "|".join(document.mrz_lines)


@pytest.fixture
def read(vpcd_slot: Slot, virtual_reader_name: str, csca: Path, document: ChipDocument) -> Iterator:
    def run(chip: ChipEmulator, *, trust: bool = True, **options: str) -> DocumentRead:
        options.setdefault("mrz", mrz_option(document))
        event, seen = read_once(
            chip_url(virtual_reader_name, csca if trust else None, **options), vpcd_slot, chip
        )
        assert seen[-2:] == [DocumentPresent, DocumentRead]
        return event

    yield run


def test_a_pace_chip_with_chip_authentication_reads_and_verifies(read, pki, document) -> None:
    event = read(build_chip(document, pki, active_authentication=None))
    outcome = event.chip
    assert outcome is not None and outcome.state == "read", outcome
    report = outcome.report
    assert report is not None
    assert report.access.method == "PACE"
    assert report.access.curve == "brainpoolP256r1"
    assert statuses(outcome) == {
        SOD_SIGNATURE: PASS,
        DSC_TRUSTED: PASS,
        DATA_GROUP_HASHES: PASS,
        DATA_GROUPS_LISTED: PASS,
        DSC_COUNTRY: PASS,
        DG1_MATCHES_PRINTED_MRZ: PASS,
        ACTIVE_AUTHENTICATION: NOT_RUN,
        CHIP_AUTHENTICATION: PASS,
    }
    assert event.lines == document.mrz_lines  # the printed MRZ, with the chip's outcome beside it
    assert report.dg1 is not None and tuple(report.dg1.lines) == document.mrz_lines
    assert report.face is not None and report.face.data == document.face
    assert event.raw == report.data_groups[1].raw
    assert report.verification(DSC_TRUSTED).details["csca_country"] == "UT"


def test_a_bac_chip_with_active_authentication(read, pki, document) -> None:
    event = read(build_chip(document, pki, pace=(), active_authentication="rsa", chip_authentication=None))
    outcome = event.chip
    assert outcome is not None and outcome.report is not None
    assert outcome.report.access.method == "BAC"
    assert statuses(outcome)[ACTIVE_AUTHENTICATION] is PASS
    assert statuses(outcome)[CHIP_AUTHENTICATION] is NOT_RUN
    assert statuses(outcome)[SOD_SIGNATURE] is PASS


def test_pace_with_the_can(read, pki, document) -> None:
    event = read(build_chip(document, pki), mrz="", can=document.can)
    outcome = event.chip
    assert outcome is not None and outcome.report is not None, outcome
    assert outcome.report.access.method == "PACE"
    assert outcome.report.access.password == "CAN"
    # No printed MRZ was given: the lines are the chip's own, and DG1 is compared with nothing.
    assert event.lines == document.mrz_lines
    assert statuses(outcome)[DG1_MATCHES_PRINTED_MRZ] is NOT_RUN


def test_the_wrong_mrz_is_refused_as_such(read, pki, document) -> None:
    other = compose(
        "TD3",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="L898902C4",
        nationality="UTO",
        birth_date="740812",
        sex="F",
        expiry_date="340101",
    )
    event = read(build_chip(document, pki, pace=()), mrz="|".join(other))
    assert event.chip is not None
    assert (event.chip.state, event.chip.error) == ("failed", "AccessDenied")
    assert "MRZ" in event.chip.detail
    assert event.lines == tuple(other)


def test_a_card_pulled_mid_read_is_card_removed(read, pki, document) -> None:
    event = read(build_chip(document, pki, faults=ChipFaults(pull_after=12)))
    assert event.chip is not None
    assert (event.chip.state, event.chip.error) == ("failed", "CardRemoved")


@pytest.mark.parametrize(
    ("faults", "failing"),
    [
        (ChipFaults(tampered_dg=2), {DATA_GROUP_HASHES}),
        (ChipFaults(injected_dg=13), {DATA_GROUPS_LISTED}),
        (ChipFaults(wrong_signer=True), {DSC_TRUSTED}),
        (ChipFaults(expired_signer=True), {DSC_TRUSTED}),
        (ChipFaults(clone=True), {CHIP_AUTHENTICATION, ACTIVE_AUTHENTICATION}),
    ],
    ids=["tampered DG2", "injected DG13", "wrong signer", "expired DSC", "cloned chip"],
)
def test_each_fault_fails_its_own_check_and_no_other(read, pki, document, faults, failing) -> None:
    event = read(build_chip(document, pki, faults=faults))
    result = statuses(event.chip)
    assert {name for name, status in result.items() if status is FAIL} == failing
    assert all(
        result[name] is PASS
        for name in (SOD_SIGNATURE, DSC_COUNTRY, DG1_MATCHES_PRINTED_MRZ)
        if name not in failing
    )


def test_an_expired_signer_is_said_to_be_expired(read, pki, document) -> None:
    event = read(build_chip(document, pki, faults=ChipFaults(expired_signer=True)))
    assert event.chip is not None and event.chip.report is not None
    assert "expired" in event.chip.report.verification(DSC_TRUSTED).message


def test_without_trust_anchors_the_chain_is_not_run_never_passed(read, pki, document) -> None:
    event = read(build_chip(document, pki), trust=False)
    result = statuses(event.chip)
    assert result[SOD_SIGNATURE] is PASS
    assert result[DSC_TRUSTED] is NOT_RUN


def test_a_forged_page_is_caught_by_the_chip(read, pki, document) -> None:
    # The forger gave the holder another name and nationality and recomputed the check digits: the page
    # is valid arithmetic, and since number, birth and expiry are unchanged the chip opens with it. Its
    # DG1 says who the holder really is.
    real = parse(document.mrz_lines)
    forged = compose(
        "TD3",
        issuing_state=real.issuing_state,
        surname="LINDQVIST",
        given_names="ANNA MARIA",
        document_number=real.document_number,
        nationality="SWE",
        birth_date=document.mrz_lines[1][13:19],
        sex=real.sex,
        expiry_date=document.mrz_lines[1][21:27],
        optional_data=real.optional_data,
    )
    assert parse(forged).valid
    event = read(build_chip(document, pki), mrz="|".join(forged))
    result = statuses(event.chip)
    assert {name for name, status in result.items() if status is FAIL} == {DG1_MATCHES_PRINTED_MRZ}
    message = event.chip.report.verification(DG1_MATCHES_PRINTED_MRZ).message
    assert "surname" in message and "nationality" in message
