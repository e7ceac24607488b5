"""The chip checks, from chip reports whose verifications are known: each of the chip's results is its
own check, a chip that contradicts the page is a FAIL with code B, no chip to read is NOT RUN saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from checkpoint.emrtd import report as chip_report
from checkpoint.emrtd.report import AccessInfo, CheckStatus, ChipReport, DataGroup, PhaseTimings, Verification
from checkpoint.inspection import InspectionContext, Status, Suggestion, checks_chip, inspect

PASS, FAIL, NOT_RUN = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_RUN
CHIP_IDS = ("chip.access", "chip.signature", "chip.data_groups", "chip.genuine", "chip.mrz_match")


@dataclass(frozen=True)
class Reading:
    state: str
    report: ChipReport | None = None
    title: str = ""
    detail: str = ""
    error: str = ""


def report(method: str = "PACE", **statuses: CheckStatus) -> ChipReport:
    verifications = tuple(
        Verification(
            name,
            statuses.get(name, NOT_RUN if name == chip_report.ACTIVE_AUTHENTICATION else PASS),
            f"{name} says so",
            {"csca_country": "UT", "csca_key_id": "0A1B2C3D4E5F60718293A4B5C6D7E8F9"}
            if name == chip_report.DSC_TRUSTED
            else {},
        )
        for name in chip_report.VERIFICATION_NAMES
    )
    return ChipReport(
        access=AccessInfo(
            method=method, password="MRZ", curve="brainpoolP256r1" if method == "PACE" else None
        ),
        lds_version="0108",
        unicode_version="040000",
        data_groups={n: DataGroup(n, b"") for n in (1, 2, 14)},
        sod=b"",
        dg1=None,
        face=None,
        verifications=verifications,
        timings=PhaseTimings(0.01, 0.02, 0.01),
    )


def chip_results(doc: Callable[..., Any], ctx: Callable[..., InspectionContext], chip: Any) -> dict[str, Any]:
    inspection = inspect(doc(), ctx(chip=chip))
    return {check_id: inspection.by_id(check_id) for check_id in CHIP_IDS} | {"_": inspection}


def test_the_check_names_are_the_chip_reports() -> None:
    for constant in (
        "SOD_SIGNATURE",
        "DSC_TRUSTED",
        "DATA_GROUP_HASHES",
        "DATA_GROUPS_LISTED",
        "DSC_COUNTRY",
        "DG1_MATCHES_PRINTED_MRZ",
        "ACTIVE_AUTHENTICATION",
        "CHIP_AUTHENTICATION",
    ):
        assert getattr(checks_chip, constant) == getattr(chip_report, constant)


def test_a_good_chip_passes_every_chip_check(doc, ctx) -> None:
    results = chip_results(doc, ctx, Reading("read", report()))
    assert {k: r.status for k, r in results.items() if k != "_"} == dict.fromkeys(CHIP_IDS, Status.PASS)
    assert results["chip.access"].message == "Chip read with PACE brainpoolP256r1 (MRZ key)"
    assert results["chip.signature"].message == "Chip signature valid: CSCA UT, key 0A1B2C3D4E5F6071"
    assert results["chip.signature"].details["document_signer_trusted.csca_country"] == "UT"
    assert results["chip.data_groups"].message == "Chip data groups intact (DG1, DG2, DG14)"
    assert results["chip.genuine"].message == "Chip genuine (chip authentication)"
    assert results["_"].suggestion is Suggestion.CLEAR


@pytest.mark.parametrize(
    ("failing", "check_id", "start"),
    [
        (chip_report.SOD_SIGNATURE, "chip.signature", "Chip signature: sod_signature"),
        (chip_report.DSC_TRUSTED, "chip.signature", "Chip signature: document_signer_trusted"),
        (chip_report.DSC_COUNTRY, "chip.signature", "Chip signature: document_signer_country"),
        (chip_report.DATA_GROUP_HASHES, "chip.data_groups", "Chip data groups altered: data_group_hashes"),
        (chip_report.DATA_GROUPS_LISTED, "chip.data_groups", "Chip data groups altered: data_groups_listed"),
        (chip_report.DG1_MATCHES_PRINTED_MRZ, "chip.mrz_match", "Chip MRZ differs from the printed MRZ"),
        (chip_report.CHIP_AUTHENTICATION, "chip.genuine", "Chip not genuine: chip authentication failed"),
    ],
)
def test_a_chip_that_contradicts_the_page_fails_with_code_b(doc, ctx, failing, check_id, start) -> None:
    results = chip_results(doc, ctx, Reading("read", report(**{failing: FAIL})))
    assert results[check_id].status is Status.FAIL
    assert results[check_id].message.startswith(start)
    assert results[check_id].refusal_code == "B"
    assert results["_"].suggestion is Suggestion.REFER
    assert "B" in results["_"].suggested_reason_codes
    others = [r for k, r in results.items() if k not in ("_", check_id)]
    assert all(r.status is Status.PASS for r in others)


def test_a_signature_not_chained_for_want_of_a_csca_is_not_run_never_pass(doc, ctx) -> None:
    results = chip_results(doc, ctx, Reading("read", report(**{chip_report.DSC_TRUSTED: NOT_RUN})))
    assert results["chip.signature"].status is Status.NOT_RUN
    assert "document_signer_trusted says so" in results["chip.signature"].message


def test_a_chip_without_aa_or_ca_is_not_run_for_genuineness(doc, ctx) -> None:
    results = chip_results(doc, ctx, Reading("read", report(**{chip_report.CHIP_AUTHENTICATION: NOT_RUN})))
    assert results["chip.genuine"].status is Status.NOT_RUN
    assert "neither active nor chip authentication" in results["chip.genuine"].message


@pytest.mark.parametrize(
    ("chip", "message"),
    [
        (None, "Chip not read: this reader has no chip antenna"),
        (Reading("absent"), "Chip not read: no chip answered (a document issued before chips"),
        (
            Reading("unavailable", detail="no PC/SC reader"),
            "Chip not read: the chip reader is not available (no PC/SC reader)",
        ),
        (
            Reading("failed", title="Card removed", error="CardRemoved"),
            "Chip read interrupted: the document left the reader",
        ),
    ],
)
def test_no_chip_to_read_is_not_run_saying_why(doc, ctx, chip, message) -> None:
    results = chip_results(doc, ctx, chip)
    for check_id in CHIP_IDS:
        assert results[check_id].status is Status.NOT_RUN
        assert results[check_id].message.startswith(message)
    assert results["_"].suggestion is Suggestion.CLEAR


def test_a_chip_that_refuses_the_printed_mrz_fails(doc, ctx) -> None:
    chip = Reading("failed", title="Chip refused the access key", detail="BAC: 6300", error="AccessDenied")
    results = chip_results(doc, ctx, chip)
    assert results["chip.access"].status is Status.FAIL
    assert results["chip.access"].refusal_code == "B"
    assert (
        results["chip.access"].message
        == "Chip refused the printed MRZ as its key: the data page and the chip disagree"
    )


def test_a_chip_that_breaks_protocol_warns(doc, ctx) -> None:
    chip = Reading("failed", title="Secure messaging broken", detail="bad MAC", error="SecureMessagingError")
    results = chip_results(doc, ctx, chip)
    assert results["chip.access"].status is Status.WARN
    assert results["chip.access"].message == "Chip could not be read: Secure messaging broken: bad MAC"
    assert results["_"].suggestion is Suggestion.ATTENTION
