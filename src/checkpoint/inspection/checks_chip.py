"""Checks on the document's chip (ICAO 9303 eMRTD), from what the reader's chip antenna made of it.

Five checks, each from its own results of the chip read (:mod:`checkpoint.emrtd`), never one folded
boolean: the chip opened (BAC or PACE) with the printed MRZ; the Security Object's signature, chained to
a trusted CSCA of the issuing state; the data groups' hashes, with none the SOD does not list; the chip
genuine (active or chip authentication); the chip's MRZ (DG1) equal to the printed one.

A chip that says the document is forged (a bad signature, a tampered or injected data group, a DG1 that
differs from the page, a chip that refuses the printed MRZ) is a FAIL with refusal code B. When there is
no chip to read (a reader without a chip antenna, a document issued before chips) the checks are NOT
RUN and say why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from checkpoint.inspection.check import Check, Verdict, not_run
from checkpoint.inspection.config import InspectionContext
from checkpoint.inspection.model import ChipReading, DocumentLike, Status

if TYPE_CHECKING:
    # Only the types: the checks run (NOT RUN) without the chip library's crypto installed.
    from checkpoint.emrtd.report import ChipReport, Verification

FORGED: Final = "B"  # Annex V Part B: a false, counterfeit or forged travel document

# The names of the chip report's verifications (checkpoint.emrtd.report; a test holds them equal).
SOD_SIGNATURE: Final = "sod_signature"
DSC_TRUSTED: Final = "document_signer_trusted"
DATA_GROUP_HASHES: Final = "data_group_hashes"
DATA_GROUPS_LISTED: Final = "data_groups_listed"
DSC_COUNTRY: Final = "document_signer_country"
DG1_MATCHES_PRINTED_MRZ: Final = "dg1_matches_printed_mrz"
ACTIVE_AUTHENTICATION: Final = "active_authentication"
CHIP_AUTHENTICATION: Final = "chip_authentication"
PASS, FAIL, NOT_RUN = "PASS", "FAIL", "NOT RUN"


def _why_not_read(chip: ChipReading | None) -> str:
    if chip is None:
        return "Chip not read: this reader has no chip antenna"
    if chip.state == "absent":
        return "Chip not read: " + (
            chip.detail or "no chip answered (a document issued before chips, or a chip that does not work)"
        )
    if chip.state == "unavailable":
        return f"Chip not read: the chip reader is not available ({chip.detail})"
    if chip.error == "CardRemoved":
        return "Chip read interrupted: the document left the reader; present it again"
    return f"Chip not read: {chip.title}"


def _report(context: InspectionContext) -> ChipReport | None:
    chip = context.chip
    return chip.report if chip is not None and chip.state == "read" else None


def _find(report: ChipReport, names: Sequence[str]) -> list[Verification]:
    return [v for v in report.verifications if v.name in names]


def _chip_access(document: DocumentLike, context: InspectionContext) -> Verdict:
    chip = context.chip
    report = _report(context)
    if report is not None:
        access = report.access
        how = (
            access.method
            + (f" {access.curve}" if access.curve else "")
            + (f" {access.cipher}" if access.cipher else "")
        )
        note = ", after PACE failed" if access.fell_back_to_bac else ""
        return Verdict(
            Status.PASS,
            f"Chip read with {how}{note} ({access.password} key)",
            details={"method": access.method, "password": access.password},
        )
    if chip is not None and chip.state == "failed":
        if chip.error == "AccessDenied":
            return Verdict(
                Status.FAIL,
                "Chip refused the printed MRZ as its key: the data page and the chip disagree",
                details={"error": chip.error},
                refusal_code=FORGED,
            )
        if chip.error != "CardRemoved":
            return Verdict(
                Status.WARN,
                f"Chip could not be read: {chip.title}: {chip.detail}",
                details={"error": chip.error},
            )
    return not_run(_why_not_read(chip))


def _combined(report: ChipReport, names: Sequence[str], passed: str, what: str, *, forged: bool) -> Verdict:
    results = _find(report, names)
    failed = [v for v in results if v.status.value == FAIL]
    details: dict[str, str | int | float | bool | None] = {v.name: v.status.value for v in results}
    for v in results:
        details.update({f"{v.name}.{key}": value for key, value in v.details.items()})
    if failed:
        return Verdict(
            Status.FAIL,
            f"{what}: {failed[0].message}",
            details=details,
            refusal_code=FORGED if forged else None,
        )
    missing = [v for v in results if v.status.value != PASS]
    if not results or missing:
        reason = missing[0].message if missing else "the chip read returned no result for it"
        return Verdict(Status.NOT_RUN, f"{what}: not checked ({reason})", details=details)
    return Verdict(Status.PASS, passed, details=details)


def _chip_signature(document: DocumentLike, context: InspectionContext) -> Verdict:
    report = _report(context)
    if report is None:
        return not_run(_why_not_read(context.chip))
    names = (SOD_SIGNATURE, DSC_TRUSTED, DSC_COUNTRY)
    verdict = _combined(report, names, "Chip signature valid", "Chip signature", forged=True)
    if verdict.status is Status.PASS:
        trusted = report.verification(DSC_TRUSTED).details
        country = trusted.get("csca_country") or "?"
        key_id = trusted.get("csca_key_id", "")
        crl = "no CRL installed" not in report.verification(DSC_TRUSTED).message
        return Verdict(
            Status.PASS,
            f"Chip signature valid: CSCA {country}, key {key_id[:16] or '?'}"
            + ("" if crl else " (no CRL installed for it)"),
            details=verdict.details,
        )
    return verdict


def _chip_data_groups(document: DocumentLike, context: InspectionContext) -> Verdict:
    report = _report(context)
    if report is None:
        return not_run(_why_not_read(context.chip))
    groups = ", ".join(f"DG{n}" for n in sorted(report.data_groups))
    return _combined(
        report,
        (DATA_GROUP_HASHES, DATA_GROUPS_LISTED),
        f"Chip data groups intact ({groups})",
        "Chip data groups altered",
        forged=True,
    )


def _chip_genuine(document: DocumentLike, context: InspectionContext) -> Verdict:
    report = _report(context)
    if report is None:
        return not_run(_why_not_read(context.chip))
    results = _find(report, (ACTIVE_AUTHENTICATION, CHIP_AUTHENTICATION))
    details: dict[str, str | int | float | bool | None] = {v.name: v.status.value for v in results}
    labels = {ACTIVE_AUTHENTICATION: "active authentication", CHIP_AUTHENTICATION: "chip authentication"}
    failed = [v for v in results if v.status.value == FAIL]
    if failed:
        return Verdict(
            Status.FAIL,
            f"Chip not genuine: {labels[failed[0].name]} failed, a copied chip ({failed[0].message})",
            details=details,
            refusal_code=FORGED,
        )
    passed = [labels[v.name] for v in results if v.status.value == PASS]
    if passed:
        return Verdict(Status.PASS, f"Chip genuine ({' and '.join(passed)})", details=details)
    return Verdict(
        Status.NOT_RUN,
        "Chip genuineness not checked: the chip offers neither active nor chip authentication",
        details=details,
    )


def _chip_mrz_match(document: DocumentLike, context: InspectionContext) -> Verdict:
    report = _report(context)
    if report is None:
        return not_run(_why_not_read(context.chip))
    verification = _find(report, (DG1_MATCHES_PRINTED_MRZ,))
    if not verification:
        return not_run("Chip MRZ not compared: the chip read returned no result for it")
    v = verification[0]
    if v.status.value == FAIL:
        return Verdict(
            Status.FAIL,
            f"Chip MRZ differs from the printed MRZ: {v.message}",
            details=dict(v.details),
            refusal_code=FORGED,
        )
    if v.status.value == NOT_RUN:
        return not_run(f"Chip MRZ not compared: {v.message}")
    return Verdict(Status.PASS, "Chip MRZ equals the printed MRZ")


CHIP_ACCESS = Check("chip.access", 1, "Chip read", _chip_access)
CHIP_SIGNATURE = Check("chip.signature", 1, "Chip signature", _chip_signature)
CHIP_DATA_GROUPS = Check("chip.data_groups", 1, "Chip data groups", _chip_data_groups)
CHIP_GENUINE = Check("chip.genuine", 1, "Chip genuine", _chip_genuine)
CHIP_MRZ_MATCH = Check("chip.mrz_match", 1, "Chip MRZ equals the page", _chip_mrz_match)

CHIP_CHECKS: tuple[Check, ...] = (CHIP_ACCESS, CHIP_SIGNATURE, CHIP_DATA_GROUPS, CHIP_GENUINE, CHIP_MRZ_MATCH)
