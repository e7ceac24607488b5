"""What the screens show and what the officer decides: small frozen view models.

The screens know only these; :mod:`checkpoint.tui.backend` fills them from the store and the checks
engine. Keeping the screens on their own records lets either side change without the other; the words
of a decision and a direction are the store's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

# The decision and direction vocabularies are the store's: a crossing records exactly these words.
from checkpoint.store.records import DIRECTIONS as DIRECTIONS
from checkpoint.store.records import OUTCOMES as OUTCOMES
from checkpoint.store.records import Direction as Direction
from checkpoint.store.records import Outcome as Outcome
from checkpoint.tui.intake import Arrival

Verdict = Literal["clear", "attention", "refer"]
CheckStatus = Literal["PASS", "WARN", "FAIL", "NOT RUN"]


@dataclass(frozen=True, slots=True)
class OfficerSession:
    """A signed-in officer."""

    officer_id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class ShiftInfo:
    """An open shift: who, where, which way."""

    shift_id: str
    officer: OfficerSession
    post: str
    lane: str
    direction: Direction


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One check's result as the officer reads it: status and a one-line reason. ``blocking``: the post
    does not let a FAIL of this check be admitted over at the first line."""

    check_id: str
    status: CheckStatus
    message: str
    blocking: bool = False


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One earlier crossing of the same traveller."""

    when: datetime
    direction: str
    lane: str
    outcome: str


@dataclass(frozen=True, slots=True)
class ChipFace:
    """The holder's photo from the chip: the image as the chip stores it, and its format."""

    data: bytes = field(repr=False)
    format: str


@dataclass(frozen=True, slots=True)
class Review:
    """Everything the review screen shows for one read, plus the backend's own record of it.

    ``verdict`` is the checks' suggestion; ``suggested_reason_codes`` those the failed checks point to.

    ``payload`` is opaque to the screens: the backend gets it back when the decision is recorded, so the
    crossing is stored with exactly the check results the officer saw. ``face`` is the holder's photo
    from the chip (DG2), when the chip was read: the encoded image and its format.
    """

    arrival: Arrival
    verdict: Verdict
    suggested_reason_codes: tuple[str, ...]
    surname: str
    given_names: str
    sex: str
    birth_date: date | None
    age: int | None
    nationality: str
    document_kind: str
    document_number: str
    issuing_state: str
    expiry_date: date | None
    checks: tuple[CheckLine, ...]
    history: tuple[HistoryLine, ...]
    payload: object = field(default=None, compare=False, repr=False)
    face: ChipFace | None = field(default=None, compare=False, repr=False)
    companions: tuple[str, ...] = ()  # the documents presented with this one, e.g. "visa VD1234567"

    @property
    def has_fail(self) -> bool:
        """True when any check failed (admitting then needs a written override reason)."""
        return any(check.status == "FAIL" for check in self.checks)

    @property
    def blocking_fails(self) -> tuple[str, ...]:
        """The failed checks the post does not let the first line admit over."""
        return tuple(c.check_id for c in self.checks if c.status == "FAIL" and c.blocking)


@dataclass(frozen=True, slots=True)
class ReasonCode:
    """A reason the officer can give for refusing or referring, e.g. Schengen Borders Code letter A."""

    code: str
    label: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The officer's decision on a read: outcome, reason codes, and the override reason when admitting
    over a failed check."""

    outcome: Outcome
    reason_codes: tuple[str, ...] = ()
    override_reason: str = ""
    remarks: str = ""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One crossing found by a search."""

    crossing_id: str
    when: datetime
    direction: str
    lane: str
    name: str
    document_number: str
    outcome: str


@dataclass(frozen=True, slots=True)
class ShiftSummary:
    """What a shift did: crossings by (direction, outcome), referrals still open, the handover note."""

    counts: Mapping[tuple[str, str], int]
    open_referrals: int
    note: str

    @property
    def total(self) -> int:
        """The number of crossings decided in the shift."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A watchlist import: which list, how many entries, the list's version."""

    kind: str
    count: int
    version: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The result of verifying the audit chain: ``ok``, events checked, and the first broken link."""

    ok: bool
    events: int
    detail: str


@dataclass(frozen=True, slots=True)
class ListState:
    """One alert list as loaded: its kind (``documents`` or ``persons``), version, and age in days;
    version and age are None when no list of that kind is loaded."""

    kind: str
    version: str | None = None
    age_days: int | None = None


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """The store's state for the health panel, with each alert list's version and age."""

    ok: bool
    detail: str
    lists: tuple[ListState, ...] = ()
