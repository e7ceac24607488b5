"""The store interface. :class:`checkpoint.store.sqlite.SQLiteStore` implements it for one terminal; a
PostgreSQL store for a post or HQ implements the same protocol.

Every method may block (key derivation, disk) and is safe to call from worker threads. Every officer
action that changes or reveals data appends an audit event; the methods say which.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, TextIO

from checkpoint.store.records import (
    AuditEvent,
    Crossing,
    CrossingQuery,
    Direction,
    DocumentAlertEntry,
    JSONScalar,
    Movement,
    NewCrossing,
    Officer,
    PersonAlertEntry,
    PurgeReport,
    Shift,
    ShiftSummary,
    VerifyReport,
    WatchlistInfo,
    WatchlistKind,
)


class DocumentWatchlistView(Protocol):
    """The loaded document list (satisfies :class:`checkpoint.inspection.DocumentWatchlist`)."""

    @property
    def version(self) -> str: ...
    @property
    def list_date(self) -> date: ...
    def lookup(self, document_number: str, issuing_state: str) -> Sequence[DocumentAlertEntry]:
        """Return the entries for this number and issuer."""
        ...


class PersonWatchlistView(Protocol):
    """The loaded person list (satisfies :class:`checkpoint.inspection.PersonWatchlist`)."""

    @property
    def version(self) -> str: ...
    @property
    def list_date(self) -> date: ...
    def candidates(self, birth_date: date | None) -> Sequence[PersonAlertEntry]:
        """Return entries born on ``birth_date`` or of unknown birth date (all entries for None)."""
        ...


class Store(Protocol):
    """One terminal's (or one post's) records: officers, shifts, crossings, watchlists, audit chain."""

    @property
    def terminal_id(self) -> str: ...

    def close(self) -> None:
        """Close the database."""
        ...

    # --- officers ----------------------------------------------------------------------------------
    def add_officer(self, officer_id: str, name: str, pin: str, *, actor: str) -> Officer:
        """Create an officer with a hashed PIN; audited as ``officer.add``. Raises InvalidRecord."""
        ...

    def authenticate(self, officer_id: str, pin: str) -> Officer:
        """Return the officer for a correct PIN; audited as ``sign_in`` / ``sign_in.failed``.

        Raises AuthenticationFailed (wrong ID or PIN) or OfficerLocked (too many failures).
        """
        ...

    def unlock_officer(self, officer_id: str, *, actor: str) -> Officer:
        """Clear an officer's lockout; audited. Raises NotFound."""
        ...

    def get_officer(self, officer_id: str) -> Officer:
        """Return the officer. Raises NotFound."""
        ...

    # --- shifts ------------------------------------------------------------------------------------
    def open_shift(self, officer_id: str, post: str, lane: str, direction: Direction) -> Shift:
        """Open a shift; audited as ``shift.open``. Raises NotFound or InvalidRecord."""
        ...

    def get_shift(self, shift_id: str) -> Shift:
        """Return the shift. Raises NotFound."""
        ...

    def close_shift(self, shift_id: str, note: str = "") -> ShiftSummary:
        """Close the shift with a note for the next one; audited as ``shift.close``; return its summary.

        Raises NotFound, or InvalidRecord if it is already closed.
        """
        ...

    def shift_summary(self, shift_id: str) -> ShiftSummary:
        """Return counts by direction and outcome and the open referrals of a shift. Raises NotFound."""
        ...

    # --- crossings ---------------------------------------------------------------------------------
    def record_crossing(self, crossing: NewCrossing) -> Crossing:
        """Append a crossing with its checks and a ``decision`` audit event, atomically; return it.

        Raises NotFound (shift, corrected crossing) or InvalidRecord (closed shift, admit over a FAIL
        without an override reason, refuse without reason codes, correction without a reason).
        """
        ...

    def open_referrals(self, post: str | None = None, *, limit: int = 200) -> list[Crossing]:
        """Return the referrals not yet resolved or corrected, oldest first, at ``post`` (or all)."""
        ...

    def shift_crossings(self, shift_id: str) -> list[Crossing]:
        """Return a shift's crossings as recorded, newest first."""
        ...

    def last_closed_shift(self, post: str | None = None) -> Shift | None:
        """Return the shift closed most recently on this terminal (at ``post`` when given), or None."""
        ...

    def get_crossing(self, crossing_id: str) -> Crossing:
        """Return one crossing. Not audited (the caller audits a reveal). Raises NotFound."""
        ...

    def document_history(
        self, document_number: str, issuing_state: str, *, limit: int = 50
    ) -> list[Crossing]:
        """Return the crossings of this document, newest first, corrections applied (a corrected
        crossing is replaced by its latest correction). Not audited: it is part of a read's review."""
        ...

    def document_movements(
        self, document_number: str, issuing_state: str, *, since: datetime
    ) -> list[Movement]:
        """Return every crossing of this document at or after ``since``, newest first, corrections
        applied, as the movement and stay checks need them (no limit: the stay rule needs them all)."""
        ...

    def search_crossings(self, query: CrossingQuery, *, purpose: str, actor: str) -> list[Crossing]:
        """Return matching crossings, newest first; audited as ``search`` with the purpose.

        Raises InvalidRecord if the purpose is blank or the query has no criteria.
        """
        ...

    def export_crossings(self, out: TextIO, *, actor: str, query: CrossingQuery | None = None) -> int:
        """Write crossings as CSV to ``out``; audited as ``export``; return the number of rows."""
        ...

    def purge(self, older_than_days: int, *, actor: str) -> PurgeReport:
        """Delete crossings and audit events older than the cutoff, leaving a verifiable chain; audited."""
        ...

    # --- watchlists --------------------------------------------------------------------------------
    def import_watchlist(
        self,
        kind: WatchlistKind,
        path: Path,
        *,
        actor: str,
        version: str | None = None,
        list_date: date | None = None,
    ) -> WatchlistInfo:
        """Replace the ``kind`` list with the CSV at ``path``; audited as ``watchlist.import``.

        Raises WatchlistImportError listing every bad line (nothing imported), or StoreUnavailable.
        """
        ...

    def watchlist_info(self, kind: WatchlistKind) -> WatchlistInfo | None:
        """Return the loaded version of a list, or None if none was imported."""
        ...

    def document_watchlist(self) -> DocumentWatchlistView | None:
        """Return the loaded document list for the checks, or None."""
        ...

    def person_watchlist(self) -> PersonWatchlistView | None:
        """Return the loaded person list for the checks, or None."""
        ...

    # --- audit -------------------------------------------------------------------------------------
    def audit(
        self, action: str, *, actor: str, subject: str = "", details: dict[str, JSONScalar] | None = None
    ) -> AuditEvent:
        """Append an audit event (e.g. ``read``, ``reveal``) and return it."""
        ...

    def audit_events(self, *, since_seq: int = 0, limit: int = 1000) -> list[AuditEvent]:
        """Return audit events in chain order from ``since_seq``."""
        ...

    def verify_audit(self, *, expect_head: str | None = None) -> VerifyReport:
        """Verify the whole chain; report the first broken link (altered, missing or inserted event)."""
        ...
