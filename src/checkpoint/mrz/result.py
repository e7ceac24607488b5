"""The immutable result of :func:`checkpoint.mrz.parse` and its JSON shape (the contract of mrz.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple, TypedDict

from checkpoint.mrz.layouts import TRAVEL_FORMATS, MRZFormat
from checkpoint.mrz.problems import Correction, CorrectionDict, Problem, ProblemDict


class MRZDict(TypedDict):
    """The JSON form of an :class:`MRZResult` (mrz.md): what ``checkpoint mrz parse --json`` prints."""

    format: MRZFormat | None
    valid: bool
    travel_document: bool
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: str | None
    sex: str
    expiry_date: str | None
    optional_data: str
    optional_data_2: str
    checks: dict[str, bool]
    errors: list[ProblemDict]
    warnings: list[ProblemDict]
    corrections: list[CorrectionDict]
    lines: list[str]


class MRZResult(NamedTuple):
    """What one machine-readable zone says, and everything wrong with it. Immutable.

    A named tuple rather than a frozen dataclass: building the result is a large share of a parse and
    a tuple is built several times faster (parse speed is a requirement). Read it by attribute name.

    Codes and numbers have their fillers stripped, names have ``<`` turned into spaces, dates that are
    partial or impossible are ``None`` (a problem says why). ``lines`` are the MRZ lines as read after
    normalisation and repair. ``format`` is ``None`` when no MRZ was found. ``sex`` is as printed (``M``,
    ``F``, ``X`` or ``<``; any other character comes with an ``invalid_sex`` error) and ``""`` for a
    driving licence, which has no such field; so is ``nationality``.
    """

    format: MRZFormat | None
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    optional_data: str
    optional_data_2: str
    checks: Mapping[str, bool]
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    corrections: tuple[Correction, ...]
    lines: tuple[str, ...]

    @property
    def valid(self) -> bool:
        """Return ``True`` exactly when there are no errors (warnings do not count)."""
        return not self.errors

    @property
    def travel_document(self) -> bool:
        """Return ``True`` for the formats of travel documents (ICAO 9303 and the French ID card), and
        ``False`` for a driving licence, however valid, and when no MRZ was found."""
        return self.format in TRAVEL_FORMATS

    def to_dict(self) -> MRZDict:
        """Return the JSON-ready dictionary of mrz.md, keys in its order, dates as ISO strings."""
        return {
            "format": self.format,
            "valid": not self.errors,
            "travel_document": self.format in TRAVEL_FORMATS,
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": None if self.birth_date is None else self.birth_date.isoformat(),
            "sex": self.sex,
            "expiry_date": None if self.expiry_date is None else self.expiry_date.isoformat(),
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
            "checks": dict(self.checks),
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
            "corrections": [c.to_dict() for c in self.corrections],
            "lines": list(self.lines),
        }
