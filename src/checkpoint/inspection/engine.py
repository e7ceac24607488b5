"""Run the checks and suggest an outcome. The suggestion advises; the officer decides."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from checkpoint.inspection.check import Check
from checkpoint.inspection.checks_chip import CHIP_CHECKS
from checkpoint.inspection.checks_document import COUNTRY_CODES, MRZ_VALIDITY, SPECIMEN, VALIDITY_DATES
from checkpoint.inspection.checks_movement import MOVEMENT, STAY_RULE
from checkpoint.inspection.checks_person import DOCUMENT_WATCHLIST, MINOR, PERSON_WATCHLIST
from checkpoint.inspection.checks_visa import VISA
from checkpoint.inspection.config import InspectionConfig, InspectionContext
from checkpoint.inspection.model import CheckResult, DocumentLike, Inspection, Status, Suggestion
from checkpoint.inspection.reasons import SCHENGEN_ANNEX_V_PART_B, ReasonTable

logger = logging.getLogger(__name__)

DEFAULT_CHECKS: tuple[Check, ...] = (
    MRZ_VALIDITY,
    VALIDITY_DATES,
    SPECIMEN,
    COUNTRY_CODES,
    VISA,
    MINOR,
    DOCUMENT_WATCHLIST,
    PERSON_WATCHLIST,
    MOVEMENT,
    STAY_RULE,
    *CHIP_CHECKS,
)
"""Every built-in check, in the order the review screen lists them."""


def _run_contained(check: Check, document: DocumentLike, context: InspectionContext) -> CheckResult:
    try:
        return check.run(document, context)
    except Exception as exc:
        # A broken check must not take the booth down, and must not pass silently either. The exception
        # text may hold document data, so only its type is logged above DEBUG.
        logger.error("check %s v%d raised %s", check.check_id, check.version, type(exc).__name__)
        logger.debug("check %s failure", check.check_id, exc_info=True)
        return CheckResult(
            check.check_id,
            check.version,
            Status.NOT_RUN,
            f"{check.title}: internal error ({type(exc).__name__})",
            details={"internal_error": True},
        )


def suggest(results: Sequence[CheckResult], config: InspectionConfig) -> Suggestion:
    """Return the suggestion for a set of results.

    REFER if any check FAILed; ATTENTION if any WARNed, if a check named in
    ``config.attention_if_not_run`` did not run, or if a check broke; CLEAR otherwise.
    """
    if any(r.status is Status.FAIL for r in results):
        return Suggestion.REFER
    for result in results:
        if result.status is Status.WARN:
            return Suggestion.ATTENTION
        if result.status is Status.NOT_RUN and (
            result.check_id in config.attention_if_not_run or result.details.get("internal_error")
        ):
            return Suggestion.ATTENTION
    return Suggestion.CLEAR


def inspect(
    document: DocumentLike,
    context: InspectionContext,
    *,
    checks: Sequence[Check] = DEFAULT_CHECKS,
    reasons: ReasonTable = SCHENGEN_ANNEX_V_PART_B,
) -> Inspection:
    """Run ``checks`` on ``document`` and return every result, the suggestion and the reason codes.

    The reason codes are those of the FAILed checks that exist in ``reasons``, in table order: a
    proposal for the refusal form, never applied automatically. Never raises for a check's own
    failure: a check that raises is reported as NOT RUN with an internal-error message.
    """
    results = tuple(_run_contained(check, document, context) for check in checks)
    failing_codes = {r.refusal_code for r in results if r.status is Status.FAIL and r.refusal_code}
    codes = tuple(reason.code for reason in reasons if reason.code in failing_codes)
    return Inspection(results, suggest(results, context.config), codes)
