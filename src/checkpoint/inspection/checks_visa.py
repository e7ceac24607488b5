"""The visa check: does this traveller need a visa to enter, and does the visa presented with the passport
belong to its holder and is it valid today.

A visa (an MRV, document code ``V``) is presented with the passport it sits in: the client passes it as
``context.visa`` and the two are one crossing. The holder's fields on the visa must be the passport's.
"""

from __future__ import annotations

from checkpoint.inspection.check import Check, Verdict, not_run
from checkpoint.inspection.config import InspectionContext
from checkpoint.inspection.model import DocumentLike, Status
from checkpoint.inspection.names import name_variants


def holder_differences(passport: DocumentLike, visa: DocumentLike) -> list[str]:
    """Return the holder fields (``name``, ``birth date``, ``nationality``, ``sex``) that differ between
    a passport and a visa; a field unreadable on either side is not counted as a difference."""
    differences = []
    if not (name_variants(passport.surname) & name_variants(visa.surname)) or (
        name_variants(passport.given_names) != name_variants(visa.given_names)
        and not (name_variants(passport.given_names) & name_variants(visa.given_names))
    ):
        differences.append("name")
    if passport.birth_date and visa.birth_date and passport.birth_date != visa.birth_date:
        differences.append("birth date")
    if passport.nationality and visa.nationality and passport.nationality != visa.nationality:
        differences.append("nationality")
    if passport.sex in ("M", "F") and visa.sex in ("M", "F") and passport.sex != visa.sex:
        differences.append("sex")
    return differences


def _visa(document: DocumentLike, context: InspectionContext) -> Verdict:
    if document.document_code.startswith("V"):
        return Verdict(Status.WARN, "This is a visa: read the passport it belongs to with it")
    if context.direction == "exit":
        return Verdict(Status.PASS, "Exit: no visa needed")
    nationality = document.nationality
    if not nationality:
        return not_run("Visa: nationality unreadable")
    config = context.config
    visa = context.visa
    if visa is None:
        if nationality in config.visa_required_nationalities:
            return Verdict(Status.FAIL, f"Visa required for {nationality}: none presented", refusal_code="C")
        if nationality in config.visa_exempt_nationalities:
            return Verdict(Status.PASS, f"Visa exempt ({nationality})")
        return not_run(f"Visa rule (not configured for {nationality})")
    number = visa.document_number or "unreadable number"
    if not visa.valid:
        return Verdict(Status.FAIL, f"Visa {number}: MRZ invalid", refusal_code="C")
    differences = holder_differences(document, visa)
    if differences:
        return Verdict(
            Status.FAIL,
            f"Visa {number} is not this holder's: {', '.join(differences)} differ",
            details={"differences": ", ".join(differences)},
            refusal_code="C",
        )
    today = context.today
    if context.visa_valid_from is not None and context.visa_valid_from > today:
        return Verdict(
            Status.FAIL,
            f"Visa {number} not yet valid: from {context.visa_valid_from.isoformat()}",
            refusal_code="C",
        )
    if visa.expiry_date is None:
        return Verdict(Status.WARN, f"Visa {number}: validity end unreadable, read it from the sticker")
    if visa.expiry_date < today:
        return Verdict(Status.FAIL, f"Visa {number} expired {visa.expiry_date.isoformat()}", refusal_code="C")
    return Verdict(Status.PASS, f"Visa {number} until {visa.expiry_date.isoformat()}, holder matches")


VISA = Check("document.visa", 1, "Visa required, presented, the holder's own and valid", _visa)
