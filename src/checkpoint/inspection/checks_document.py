"""Checks on the document itself: MRZ validity, validity dates, specimens, country codes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from checkpoint.inspection.check import Check, Verdict, not_run
from checkpoint.inspection.config import InspectionContext
from checkpoint.inspection.model import DocumentLike, Status
from checkpoint.inspection.spans import describe_span
from checkpoint.mrz.countries import describe, is_known_code
from checkpoint.mrz.layouts import TRAVEL_FORMATS


def issue_message(issue: object) -> str:
    """Return the human message of an MRZ error or warning (an object with ``message``, or a dict)."""
    if isinstance(issue, Mapping):
        return str(issue.get("message", issue))
    message = getattr(issue, "message", None)
    return message if isinstance(message, str) else str(issue)


def _mrz_validity(document: DocumentLike, context: InspectionContext) -> Verdict:
    if document.format is not None and document.format not in TRAVEL_FORMATS:
        # A driving licence reads as a valid MRZ, but it is never a travel document.
        return Verdict(
            Status.FAIL,
            f"Not a travel document: a driving licence ({document.format}) permits no border crossing",
            refusal_code="A",
        )
    checks = document.checks
    passed = sum(1 for ok in checks.values() if ok)
    digits = f"{passed}/{len(checks)}"
    if not document.valid:
        errors = list(document.errors)
        if not errors:
            return Verdict(Status.FAIL, f"MRZ invalid (check digits {digits})")
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        return Verdict(Status.FAIL, f"MRZ invalid: {issue_message(errors[0])}{more}")
    corrections = len(document.corrections)
    if corrections:
        plural = "s" if corrections > 1 else ""
        return Verdict(
            Status.PASS,
            f"MRZ check digits ({digits}) after {corrections} read correction{plural}: compare with the page",
            details={"corrections": corrections},
        )
    return Verdict(Status.PASS, f"MRZ check digits ({digits})")


def _validity_dates(document: DocumentLike, context: InspectionContext) -> Verdict:
    today = context.today
    issue_date = context.issue_date
    source = context.issue_date_source or "another source"
    if issue_date is not None and issue_date > today:
        return Verdict(
            Status.FAIL,
            f"Document not yet valid: issued {issue_date.isoformat()} (per {source})",
            details={"issue_date_source": source},
            refusal_code="A",
        )
    expiry = document.expiry_date
    if expiry is None:
        return not_run("Validity dates: expiry date unreadable")
    if expiry < today:
        return Verdict(
            Status.FAIL,
            f"Document expired {describe_span(expiry, today)} ago ({expiry.isoformat()})",
            refusal_code="A",
        )
    margin = context.config.expiry_warning_days
    if expiry <= today + timedelta(days=margin):
        when = "today" if expiry == today else f"in {describe_span(today, expiry)}"
        return Verdict(Status.WARN, f"Document expires {when} ({expiry.isoformat()})")
    if issue_date is None:
        # The MRZ holds no date of issue: say that "not yet valid" could not be checked.
        return Verdict(Status.PASS, f"Valid until {expiry.isoformat()}; issue date unknown")
    return Verdict(
        Status.PASS,
        f"Valid {issue_date.isoformat()} to {expiry.isoformat()} (issued per {source})",
        details={"issue_date_source": source},
    )


def _specimen(document: DocumentLike, context: InspectionContext) -> Verdict:
    config = context.config
    issuer = document.issuing_state
    number = document.document_number
    surname = " ".join(document.surname.split())
    given = " ".join(document.given_names.split())
    if not (issuer or number or surname):
        return not_run("Specimen: no issuer, number or name to compare")
    why = ""
    if issuer in config.specimen_issuers:
        why = f"issuer {issuer} is the ICAO example state"
    elif number and number in config.specimen_numbers:
        why = "the number is a published specimen number"
    elif surname in config.specimen_names or f"{surname}, {given}" in config.specimen_names:
        why = "the name is a published specimen name"
    if not why:
        return Verdict(Status.PASS, "Not a known specimen")
    if context.training:
        # Training sessions run on specimens: said, but not held against the trainee's decision.
        return Verdict(Status.WARN, f"Specimen document (training): {why}", refusal_code="A")
    return Verdict(Status.FAIL, f"Specimen document: {why}", refusal_code="A")


def _country_codes(document: DocumentLike, context: InspectionContext) -> Verdict:
    fields = (("issuer", document.issuing_state), ("nationality", document.nationality))
    present = [(label, code) for label, code in fields if code]
    if not present:
        return not_run("Country codes: issuer and nationality unreadable")
    unknown = [f"{label} {code}" for label, code in present if not is_known_code(code)]
    if unknown:
        return Verdict(Status.FAIL, f"Unknown country code: {', '.join(unknown)}")
    missing = [label for label, code in fields if not code]
    if missing:
        return Verdict(Status.WARN, f"Country codes: {' and '.join(missing)} unreadable")
    issuer, nationality = document.issuing_state, document.nationality
    if issuer == nationality:
        return Verdict(Status.PASS, f"Issuer and nationality {describe(issuer)}")
    return Verdict(Status.PASS, f"Issuer {describe(issuer)}, nationality {describe(nationality)}")


MRZ_VALIDITY = Check("mrz.validity", 1, "MRZ structure and check digits", _mrz_validity)
VALIDITY_DATES = Check("document.dates", 2, "Expired, expiring soon or not yet valid", _validity_dates)
SPECIMEN = Check("document.specimen", 2, "Specimen document", _specimen)
COUNTRY_CODES = Check("document.country_codes", 1, "Unknown issuer or nationality code", _country_codes)
