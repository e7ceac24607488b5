"""Builders for store tests: a settable clock and crossings to record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from checkpoint.store import CheckRecord, NewCrossing

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
PIN = "4821"


@dataclass
class Clock:
    """A clock tests move by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def crossing(shift_id: str, **changes: Any) -> NewCrossing:
    """Return a decision to record: an admitted, unremarkable passport unless changed."""
    base = NewCrossing(
        shift_id=shift_id,
        decision="admit",
        suggestion="CLEAR",
        surname="PETROVIC",
        given_names="MARKO",
        birth_date=date(1980, 5, 17),
        sex="M",
        nationality="MNE",
        document_type="P",
        issuing_state="MNE",
        document_number="AB1234567",
        expiry_date=date(2031, 3, 1),
        mrz_lines=(
            "P<MNEPETROVIC<<MARKO<<<<<<<<<<<<<<<<<<<<<<<<<",
            "AB12345670MNE8005178M3103015<<<<<<<<<<<<<<02",
        ),
        source="sim://td3",
        checks=(
            CheckRecord("mrz.validity", 1, "PASS", "MRZ check digits (5/5)"),
            CheckRecord("watchlist.document", 1, "PASS", "Not on the list", "v7@2026-11-26"),
        ),
    )
    return replace(base, **changes)
