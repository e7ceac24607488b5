"""The checks engine: pure functions from a read document and its context to advice. No I/O, no UI.

Typical use by the client::

    from checkpoint.inspection import InspectionConfig, InspectionContext, inspect

    config = InspectionConfig(stay_rule_nationalities=frozenset({"USA"}))
    since = now - timedelta(days=config.stay_window_days)        # the whole stay-rule window
    context = InspectionContext(
        now=now, today=now.date(), direction="entry", post="Bozaj", lane="2",
        history=store.document_movements(result.document_number, result.issuing_state, since=since),
        history_since=since,
        document_watchlist=store.document_watchlist(), person_watchlist=store.person_watchlist(),
        config=config,
    )
    inspection = inspect(result, context)       # result: checkpoint.mrz.MRZResult or any DocumentLike
    inspection.suggestion                        # Suggestion.CLEAR / ATTENTION / REFER
    for r in inspection.results:                 # CheckResult(check_id, version, status, message, ...)
        print(r.status.symbol, r.status.value, r.message)

Checks (id, version): ``mrz.validity`` 1, ``document.dates`` 1, ``document.specimen`` 1,
``document.country_codes`` 1, ``person.minor`` 1, ``watchlist.document`` 1, ``watchlist.person`` 1,
``travel.movement`` 2, ``travel.stay_rule`` 1, and the chip's ``chip.access``, ``chip.signature``,
``chip.data_groups``, ``chip.genuine``, ``chip.mrz_match`` 1 (from ``InspectionContext.chip``). Each returns PASS / WARN / FAIL / NOT RUN with a one-line
message; NOT RUN whenever the data it needs are missing. Suggestion: REFER on any FAIL, ATTENTION on any
WARN or a NOT RUN of a check listed in ``InspectionConfig.attention_if_not_run``, else CLEAR.
Refusal reason codes: :mod:`checkpoint.inspection.reasons` (Schengen Borders Code Annex V Part B, A-I).
"""

from checkpoint.inspection.check import Check, Verdict
from checkpoint.inspection.checks_person import (
    PersonMatch,
    match_persons,
    normalize_document_number,
    score_person,
)
from checkpoint.inspection.config import InspectionConfig, InspectionContext
from checkpoint.inspection.engine import DEFAULT_CHECKS, inspect, suggest
from checkpoint.inspection.model import (
    CheckResult,
    DocumentAlert,
    DocumentLike,
    DocumentWatchlist,
    Inspection,
    PastCrossing,
    PersonAlert,
    PersonWatchlist,
    Status,
    Suggestion,
)
from checkpoint.inspection.reasons import SCHENGEN_ANNEX_V_PART_B, ReasonCode, ReasonTable

__all__ = [
    "DEFAULT_CHECKS",
    "SCHENGEN_ANNEX_V_PART_B",
    "Check",
    "CheckResult",
    "DocumentAlert",
    "DocumentLike",
    "DocumentWatchlist",
    "Inspection",
    "InspectionConfig",
    "InspectionContext",
    "PastCrossing",
    "PersonAlert",
    "PersonMatch",
    "PersonWatchlist",
    "ReasonCode",
    "ReasonTable",
    "Status",
    "Suggestion",
    "Verdict",
    "inspect",
    "match_persons",
    "normalize_document_number",
    "score_person",
    "suggest",
]
