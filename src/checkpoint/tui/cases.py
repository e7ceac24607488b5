"""What follows a decision: open referrals the second line resolves, corrections, the refusal form, and
the handover from the last shift. Screens see these view models and the :class:`CaseBackend` protocol;
:class:`checkpoint.tui.store_cases.StoreCases` implements it over the store.

A backend without these (a test double of :class:`~checkpoint.tui.backend.ClientBackend` only) still
runs the client: the screens that need them say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from checkpoint.tui.intake import Arrival
from checkpoint.tui.models import Outcome, Review, ShiftInfo

FollowUp = Literal["correction", "resolution"]

MIN_REASON_LENGTH = 12
"""A written reason (override, correction, resolution, search purpose) is at least this long: a word
or two is not a reason anyone can check later."""


@dataclass(frozen=True, slots=True)
class CaseLine:
    """One recorded crossing as the second line and the officer's list show it."""

    crossing_id: str
    when: datetime
    post: str
    lane: str
    direction: str
    name: str
    document: str
    outcome: str  # "admit" | "refer" | "refuse"
    kind: str  # "decision" | "correction" | "resolution"
    officer_id: str
    reason_codes: tuple[str, ...] = ()
    note: str = ""  # the correction's or resolution's reason


@dataclass(frozen=True, slots=True)
class Handover:
    """What the last shift left: who closed it and when, its note, and the referrals still open."""

    officer_id: str
    closed_at: datetime | None
    note: str
    open_referrals: tuple[CaseLine, ...]


@runtime_checkable
class CaseBackend(Protocol):
    """Follow-ups of decisions. Methods block; they raise :class:`~checkpoint.tui.backend.ClientError`."""

    def handover(self, post: str | None) -> Handover:
        """Return the last closed shift's note (at ``post`` when given) and the open referrals."""
        ...

    def open_referrals(self, shift: ShiftInfo) -> tuple[CaseLine, ...]:
        """Return the referrals at the shift's post no one has resolved yet, oldest first."""
        ...

    def shift_cases(self, shift: ShiftInfo) -> tuple[CaseLine, ...]:
        """Return the crossings recorded in this shift, newest first."""
        ...

    def follow_up(
        self,
        crossing_id: str,
        kind: FollowUp,
        outcome: Outcome,
        reason: str,
        shift: ShiftInfo,
        *,
        reason_codes: tuple[str, ...] = (),
        remarks: str = "",
    ) -> str:
        """Record a correction of a crossing, or the second line's resolution of a referral, linked
        to it; return the new crossing's id."""
        ...

    def refusal_form(self, crossing_id: str, shift: ShiftInfo) -> Path:
        """Write the refusal form of a refusal as PDF, audit it, and return where it is."""
        ...


@runtime_checkable
class CompanionBackend(Protocol):
    """Documents presented together. Methods block; they raise ClientError."""

    def add_companion(self, review: Review, arrival: Arrival, shift: ShiftInfo) -> Review:
        """Return the review again with ``arrival`` presented alongside (a visa, an adult's document)."""
        ...

    def add_consent(self, review: Review, reference: str, shift: ShiftInfo) -> Review:
        """Return the review again with a minor's consent letter reference."""
        ...


def reason_problem(reason: str, what: str) -> str | None:
    """Return why ``reason`` is not a usable written reason for ``what``, or None when it is."""
    written = " ".join(reason.split())
    if not written:
        return f"Write the {what}, or pick a common one."
    if len(written) < MIN_REASON_LENGTH:
        return (
            f"The {what} is too short: at least {MIN_REASON_LENGTH} characters, so it can be checked later."
        )
    return None
