"""What the client needs from the store and the checks engine, as one interface.

Every method may block (database, key derivation), so the app calls them only from thread workers.
:class:`checkpoint.tui.store_backend.StoreBackend` implements it over :mod:`checkpoint.store` and
:mod:`checkpoint.inspection`; tests may give the app any other implementation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import (
    AuditReport,
    Decision,
    Direction,
    ImportResult,
    OfficerSession,
    ReasonCode,
    Review,
    SearchHit,
    ShiftInfo,
    ShiftSummary,
    StoreHealth,
)


class ClientError(Exception):
    """An action the officer asked for could not be done; the message says why and what to do, the
    ``title`` names the trouble in a few words for a notification."""

    title: str = "Cannot do that"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        if title is not None:
            self.title = title


class SignInRefused(ClientError):
    """Wrong officer ID or PIN, or the account is locked out."""

    title = "Sign-in refused"


@runtime_checkable
class ClientBackend(Protocol):
    """The store and checks as the client uses them. Methods block; raise :class:`ClientError`."""

    def sign_in(self, officer_id: str, pin: str) -> OfficerSession:
        """Return the session for a correct ID and PIN; raise :class:`SignInRefused` otherwise."""
        ...

    def open_shift(self, officer: OfficerSession, post: str, lane: str, direction: Direction) -> ShiftInfo:
        """Open a shift and return it."""
        ...

    def health(self) -> StoreHealth:
        """Return the store's health and the watchlist's version and age."""
        ...

    def reason_codes(self) -> tuple[ReasonCode, ...]:
        """Return the reason codes the officer may give."""
        ...

    def review(self, arrival: Arrival, shift: ShiftInfo) -> Review:
        """Parse and check a read and look up the traveller's history; return what the officer sees."""
        ...

    def record(self, review: Review, decision: Decision, shift: ShiftInfo) -> str:
        """Record the decision as a crossing; return its id."""
        ...

    def search(self, text: str, purpose: str, shift: ShiftInfo) -> tuple[SearchHit, ...]:
        """Return the crossings matching ``text`` (a name or document number); the purpose is audited."""
        ...

    def close_shift(self, shift: ShiftInfo, note: str) -> ShiftSummary:
        """Close the shift with a note for the next one; return its summary."""
        ...

    def import_watchlist(self, path: Path, kind: str, shift: ShiftInfo) -> ImportResult:
        """Import a watchlist CSV (``kind`` is ``documents`` or ``persons``); return what was imported."""
        ...

    def verify_audit(self, shift: ShiftInfo) -> AuditReport:
        """Verify the audit chain and return the report."""
        ...
