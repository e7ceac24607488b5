"""The records the store keeps and returns: frozen dataclasses, times timezone-aware UTC.

A crossing is append-only: a correction is a new :class:`NewCrossing` whose ``corrects`` names the
crossing it replaces; both stay on record and history shows the latest of each chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Direction = Literal["entry", "exit"]
Outcome = Literal["admit", "refer", "refuse"]
WatchlistKind = Literal["documents", "persons"]
JSONScalar = str | int | float | bool | None

DIRECTIONS: tuple[Direction, ...] = ("entry", "exit")
OUTCOMES: tuple[Outcome, ...] = ("admit", "refer", "refuse")
WATCHLIST_KINDS: tuple[WatchlistKind, ...] = ("documents", "persons")


@dataclass(frozen=True, slots=True)
class Officer:
    """An officer account. The PIN hash never leaves the store."""

    officer_id: str
    name: str
    active: bool
    created_at: datetime
    failed_attempts: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Shift:
    """A shift: one officer at one post, lane and direction on one terminal."""

    shift_id: str
    officer_id: str
    post: str
    lane: str
    direction: Direction
    terminal_id: str
    opened_at: datetime
    closed_at: datetime | None = None
    close_note: str = ""


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One check result as a decision was taken on it (see :class:`checkpoint.inspection.CheckResult`)."""

    check_id: str
    version: int
    status: str  # "PASS" | "WARN" | "FAIL" | "NOT RUN"
    message: str
    data_version: str | None = None
    details: Mapping[str, JSONScalar] = field(default_factory=dict)


CrossingKind = Literal["decision", "correction", "resolution"]
CROSSING_KINDS: tuple[CrossingKind, ...] = ("decision", "correction", "resolution")


@dataclass(frozen=True, slots=True)
class Companion:
    """A document presented with the main one, part of the same crossing: ``role`` is ``visa``,
    ``adult`` (the adult a minor travels with) or ``consent`` (a consent letter: only its
    ``reference`` and, where known, who signed it). ``source`` says where it came from (a reader URL,
    ``manual``)."""

    role: str
    document_type: str = ""
    issuing_state: str = ""
    document_number: str = ""
    surname: str = ""
    given_names: str = ""
    birth_date: date | None = None
    expiry_date: date | None = None
    reference: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class HitDisposition:
    """What the officer made of a watchlist hit: e.g. ``confirmed``, ``not the person``."""

    check_id: str
    reference: str
    disposition: str
    score: int | None = None


@dataclass(frozen=True, slots=True)
class NewCrossing:
    """A decision to record. Post, lane, direction and terminal come from the shift.

    ``source`` says where the MRZ came from: the reader URL, ``ocr:...`` or ``manual``. Admitting with
    a FAILed check needs ``override_reason``; refusing needs at least one reason code; a correction
    needs ``correction_reason``. ``time`` defaults to the store's clock.
    """

    shift_id: str
    decision: Outcome
    suggestion: str
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    nationality: str
    document_type: str
    issuing_state: str
    document_number: str
    expiry_date: date | None
    mrz_lines: tuple[str, ...]
    source: str
    checks: tuple[CheckRecord, ...] = ()
    hits: tuple[HitDisposition, ...] = ()
    reason_codes: tuple[str, ...] = ()
    override_reason: str = ""
    corrects: str | None = None
    correction_reason: str = ""
    time: datetime | None = None
    kind: CrossingKind = "decision"
    remarks: str = ""
    companions: tuple[Companion, ...] = ()


@dataclass(frozen=True, slots=True)
class Crossing:
    """A recorded crossing: everything of :class:`NewCrossing` plus where, who and the chain link.

    ``audit_prev_hash`` is the hash of the audit event before this crossing's decision event.
    ``sync_state`` is ``pending`` until a post/HQ store has acknowledged it.
    """

    crossing_id: str
    time: datetime
    post: str
    lane: str
    direction: Direction
    terminal_id: str
    officer_id: str
    shift_id: str
    decision: Outcome
    suggestion: str
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    nationality: str
    document_type: str
    issuing_state: str
    document_number: str
    expiry_date: date | None
    mrz_lines: tuple[str, ...]
    source: str
    checks: tuple[CheckRecord, ...]
    hits: tuple[HitDisposition, ...]
    reason_codes: tuple[str, ...]
    override_reason: str
    corrects: str | None
    correction_reason: str
    audit_prev_hash: str
    sync_state: str = "pending"
    kind: CrossingKind = "decision"
    remarks: str = ""
    companions: tuple[Companion, ...] = ()


@dataclass(frozen=True, slots=True)
class Movement:
    """The part of a crossing the movement and stay checks need (a
    :class:`checkpoint.inspection.PastCrossing`), cheap to load in bulk."""

    crossing_id: str
    time: datetime
    direction: Direction
    post: str
    lane: str
    decision: Outcome


@dataclass(frozen=True, slots=True)
class CrossingQuery:
    """Search criteria; all given criteria must match. ``text`` matches a document number exactly or
    the start of a surname (case-insensitive)."""

    text: str = ""
    document_number: str = ""
    issuing_state: str = ""
    surname: str = ""
    birth_date: date | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100


@dataclass(frozen=True, slots=True)
class ShiftSummary:
    """Counts by direction and outcome, the referrals still open, the closing note."""

    shift: Shift
    counts: Mapping[tuple[str, str], int]
    total: int
    open_referrals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One link of the audit chain. ``details`` holds references, not personal data where avoidable."""

    seq: int
    event_id: str
    time: datetime
    terminal_id: str
    actor: str
    action: str
    subject: str
    details: Mapping[str, JSONScalar]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The result of verifying the audit chain: ``ok``, or the first broken link and what is wrong."""

    ok: bool
    events_checked: int
    first_seq: int | None
    last_seq: int | None
    broken_seq: int | None = None
    problem: str = ""
    rows_checked: int = 0
    """Records (crossings, shift openings and closings, watchlist versions) matched with their events."""
    head_seq: int | None = None
    head_hash: str | None = None
    """The last event's number and hash: write it down or send it away, then verify against it later."""

    def __str__(self) -> str:
        if self.ok:
            span = f" (events {self.first_seq}-{self.last_seq})" if self.first_seq is not None else ""
            rows = f"; {self.rows_checked} records match their events" if self.rows_checked else ""
            return f"audit chain intact: {self.events_checked} events verified{span}{rows}"
        return f"audit chain BROKEN at event {self.broken_seq}: {self.problem}"


@dataclass(frozen=True, slots=True)
class WatchlistInfo:
    """The loaded version of one watchlist kind."""

    kind: WatchlistKind
    version: str
    list_date: date
    imported_at: datetime
    entry_count: int
    source_name: str


@dataclass(frozen=True, slots=True)
class DocumentAlertEntry:
    """A lost/stolen/invalid document (satisfies :class:`checkpoint.inspection.DocumentAlert`)."""

    document_number: str
    issuing_state: str
    document_type: str | None
    reason: str
    reference: str


@dataclass(frozen=True, slots=True)
class PersonAlertEntry:
    """A person alert (satisfies :class:`checkpoint.inspection.PersonAlert`)."""

    surname: str
    given_names: str
    birth_date: date | None
    nationality: str | None
    reason: str
    reference: str


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed and where the audit chain now starts."""

    cutoff: datetime
    crossings_deleted: int
    events_deleted: int
    chain_starts_at: int | None
    # Older than the cutoff but kept because the post does not hold them yet (terminals that sync).
    crossings_kept_unsynced: int = 0
    events_kept_unsynced: int = 0
