"""A check: an id, a version, and a pure function from a document and its context to a verdict.

The version changes whenever the check's logic changes, so a stored decision records exactly which
rules it was taken on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from checkpoint.inspection.config import InspectionContext
from checkpoint.inspection.model import CheckResult, DocumentLike, Status


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a check function returns; :class:`Check` adds its id and version to make a result."""

    status: Status
    message: str
    data_version: str | None = None
    details: Mapping[str, str | int | float | bool | None] = field(default_factory=dict)
    refusal_code: str | None = None


CheckFunction = Callable[[DocumentLike, InspectionContext], Verdict]


@dataclass(frozen=True, slots=True)
class Check:
    """A versioned check. ``title`` names it in lists (e.g. a help screen)."""

    check_id: str
    version: int
    title: str
    function: CheckFunction

    def run(self, document: DocumentLike, context: InspectionContext) -> CheckResult:
        """Return this check's result. Exceptions propagate; :func:`engine.inspect` contains them."""
        verdict = self.function(document, context)
        return CheckResult(
            check_id=self.check_id,
            version=self.version,
            status=verdict.status,
            message=verdict.message,
            data_version=verdict.data_version,
            details=dict(verdict.details),
            refusal_code=verdict.refusal_code,
        )


def not_run(message: str) -> Verdict:
    """Return a NOT RUN verdict: the data the check needs were missing."""
    return Verdict(Status.NOT_RUN, message)
