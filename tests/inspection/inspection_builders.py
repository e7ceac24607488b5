"""Builders for checks-engine tests: a document like an MRZ result, history entries, alert lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class FakeDocument:
    """The fields of an MRZResult the checks read; defaults are a valid, unremarkable passport."""

    format: str = "TD3"
    valid: bool = True
    document_code: str = "P"
    issuing_state: str = "MNE"
    surname: str = "PETROVIC"
    given_names: str = "MARKO"
    document_number: str = "AB1234567"
    nationality: str = "MNE"
    birth_date: date | None = date(1980, 5, 17)
    sex: str = "M"
    expiry_date: date | None = date(2031, 3, 1)
    checks: Mapping[str, bool] = field(
        default_factory=lambda: {
            "document_number": True,
            "birth_date": True,
            "expiry_date": True,
            "optional_data": True,
            "composite": True,
        }
    )
    errors: Sequence[object] = ()
    corrections: Sequence[object] = ()


@dataclass(frozen=True)
class Issue:
    message: str


@dataclass(frozen=True)
class Past:
    time: datetime
    direction: str
    post: str = "Bozaj"
    lane: str = "2"
    decision: str = "admit"


@dataclass(frozen=True)
class DocAlert:
    document_number: str
    issuing_state: str
    document_type: str | None = None
    reason: str = "STOLEN"
    reference: str = "SLTD-1"


@dataclass(frozen=True)
class PersonEntry:
    surname: str
    given_names: str = ""
    birth_date: date | None = None
    nationality: str | None = None
    reason: str = "Refusal of entry"
    reference: str = "SIS-1"


@dataclass
class DocList:
    entries: list[DocAlert]
    version: str = "v7"
    list_date: date = date(2026, 11, 26)

    def lookup(self, document_number: str, issuing_state: str) -> list[DocAlert]:
        return [
            e
            for e in self.entries
            if (e.document_number, e.issuing_state) == (document_number, issuing_state)
        ]


@dataclass
class PersonList:
    entries: list[PersonEntry]
    version: str = "p3"
    list_date: date = date(2026, 11, 26)
    asked: list[date | None] = field(default_factory=list)

    def candidates(self, birth_date: date | None) -> list[PersonEntry]:
        self.asked.append(birth_date)
        if birth_date is None:
            return list(self.entries)
        return [e for e in self.entries if e.birth_date in (None, birth_date)]
