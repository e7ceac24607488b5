"""Reading the peer-suite corpus and asking our parser about it: shared by the peer checkers and tests.

``tests/mrz/data/peer-suites`` is a copy of the project's shared corpus (its README says what each file
holds), so that CI depends on nothing outside the repository.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from checkpoint.mrz import compose, parse
from checkpoint.mrz.errors import MRZError
from tests.mrz.conftest import PEER_SUITES

DATA: Path = PEER_SUITES
# The reference day for century inference: the day this suite was written. Peers' expected dates were
# written against their own "today"; every birth date in the corpus lies before this one.
TODAY = date(2026, 11, 27)

Row = dict[str, Any]
Ours = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One row of one peer file; ``id`` is ``file-stem:line-number``."""

    id: str
    peer: str
    row: Row


def load_cases() -> list[Case]:
    """Every row of every ``*.jsonl`` file, in file and line order."""
    cases = []
    for path in sorted(DATA.glob("*.jsonl")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.strip():
                cases.append(Case(f"{path.stem}:{number}", path.stem, json.loads(text)))
    return cases


CASES = load_cases()


# --- our side ---------------------------------------------------------------------------------------


def lenient(text_or_lines: Any, today: date = TODAY) -> Ours:
    """Our result in the default (lenient) mode, as the JSON-ready dict of mrz.md."""
    return parse(text_or_lines, today=today).to_dict()


def strict(text_or_lines: Any) -> Ours | MRZError:
    """Our strict result, or the ``MRZError`` strict mode raised."""
    try:
        return parse(text_or_lines, today=TODAY, strict=True).to_dict()
    except MRZError as error:
        return error


def rejected(text_or_lines: Any) -> bool:
    """Whether we refuse the input as an MRZ: strict mode raises, or the result is invalid."""
    result = strict(text_or_lines)
    return isinstance(result, MRZError) or not result["valid"]


def error_fields(ours: Ours) -> set[str]:
    return {error["field"] for error in ours["errors"]}


def warning_codes(ours: Ours) -> set[str]:
    return {warning["code"] for warning in ours["warnings"]}


def yymmdd(iso: str | None) -> str | None:
    """``"1974-08-12"`` -> ``"740812"``: our ISO date in the peer's raw form."""
    return None if iso is None else iso[2:4] + iso[5:7] + iso[8:10]


def compose_lines(fmt: str, **fields: Any) -> list[str]:
    """Our ``compose`` for ``fmt``, lines as a list."""
    return list(compose(format=fmt, **fields))


def holder_name(ours: Ours) -> str:
    """The name field as printed: primary, ``<<``, secondary (JMRTD's ``nameOfHolder``)."""
    primary = ours["surname"].replace(" ", "<")
    secondary = ours["given_names"].replace(" ", "<")
    return f"{primary}<<{secondary}" if secondary else primary


OUR_CHECK: Mapping[str, str] = {
    # peer word for a check digit -> our ``checks`` key
    "document_number": "document_number",
    "date_of_birth": "birth_date",
    "birth_date": "birth_date",
    "date_of_expiry": "expiry_date",
    "expiry_date": "expiry_date",
    "personal_number": "optional_data",
    "optional_data": "optional_data",
    "composite": "composite",
}

FORMATS: Mapping[str, str] = {
    "TD1": "TD1", "TD2": "TD2", "TD3": "TD3", "MRVA": "MRV-A", "MRVB": "MRV-B", "Td1": "TD1",
    "Td2": "TD2", "Td3": "TD3", "MrvA": "MRV-A", "MrvB": "MRV-B", "td1": "TD1", "td2": "TD2",
    "td3": "TD3", "FRENCH_NATIONAL_ID": "FRA-ID", "SWISS_DRIVING_LICENSE": "CHE-DL",
    "FRENCH_DRIVING_LICENSE": "FRA-DL",
}  # fmt: skip


# --- the comparison recorder ----------------------------------------------------------------------


@dataclass
class Expect:
    """Asserts facts about one case and counts them, so that a case that asserts nothing fails."""

    case: Case
    count: int = 0

    def equal(self, what: str, ours: object, theirs: object) -> None:
        assert ours == theirs, f"{self.case.id} {what}: ours {ours!r}, {self.case.peer} {theirs!r}"
        self.count += 1

    def true(self, what: str, condition: bool) -> None:
        assert condition, f"{self.case.id}: {what}"
        self.count += 1

    def unmapped(self, key: str) -> None:
        pytest.fail(
            f"{self.case.id}: no mapping for the {self.case.peer} expectation {key!r}; map it or list the row"
        )


def fields_compare(
    e: Expect,
    ours: Ours,
    expected: Mapping[str, Any],
    mapping: Mapping[str, Callable[[Ours], Any]],
    covered: Mapping[str, str] = {},
) -> None:
    """Compare every expected key through ``mapping`` (peer key -> our value in the peer's form).

    ``covered`` lists keys asserted elsewhere (with why); any other unknown key fails the case.
    """
    for key, theirs in expected.items():
        if key in mapping:
            e.equal(key, mapping[key](ours), theirs)
        elif key not in covered:
            e.unmapped(key)


def check_digits_agree(e: Expect, ours: Ours, expected: Mapping[str, bool]) -> None:
    for peer_key, theirs in expected.items():
        e.equal(f"check {peer_key}", ours["checks"].get(OUR_CHECK[peer_key]), theirs)


def strip_fillers(value: str) -> str:
    return value.strip("<")


def given_names_of(ours: Ours) -> str:
    return str(ours["given_names"])


def raw_date(yymmdd_text: str, kind: str) -> date:
    """The package's YYMMDD argument as a date, by our century rule against ``TODAY``."""
    yy, mm, dd = int(yymmdd_text[:2]), int(yymmdd_text[2:4]), int(yymmdd_text[4:6])
    year = 2000 + yy
    if kind == "birth" and date(year, mm, dd) > TODAY:
        year -= 100
    if kind == "expiry" and year > TODAY.year + 50:
        year -= 100
    return date(year, mm, dd)
