"""The immutable result of :func:`checkpoint.mrz.parse` and its JSON shape (the contract of mrz.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from checkpoint.mrz.problems import Correction, Problem


class MRZResult(NamedTuple):
    """What one machine-readable zone says, and everything wrong with it. Immutable.

    A named tuple rather than a frozen dataclass: building the result is a large share of a parse and
    a tuple is built several times faster (parse speed is a requirement). Read it by attribute name.

    Codes and numbers have their fillers stripped, names have ``<`` turned into spaces, dates that are
    partial or impossible are ``None`` (a problem says why). ``lines`` are the MRZ lines as read after
    normalisation and repair. ``format`` is ``None`` when no MRZ was found.
    """

    format: str | None
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

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-ready dictionary of mrz.md, keys in its order, dates as ISO strings."""
        return {
            "format": self.format,
            "valid": not self.errors,
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
