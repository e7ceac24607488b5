"""What a training scenario is: the crossing point's context, the lists and earlier crossings the cases
need, and the cases themselves, each with its right answer and its lesson. Plain frozen data; the
loader (:mod:`checkpoint.training.scenario`) fills it from a trainer's TOML file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Final, Literal

from checkpoint.inspection import DEFAULT_CHECKS, InspectionConfig

Outcome = Literal["admit", "refer", "refuse"]
OUTCOMES: Final[tuple[Outcome, ...]] = ("admit", "refer", "refuse")

VIEWS: Final[dict[str, str]] = {
    "page": "the printed data page",
    "purpose": "the traveller's stated purpose",
}
"""What a trainee can open besides the checks: the case's ``matters`` may name one of these."""
CHECK_IDS: Final[frozenset[str]] = frozenset(check.check_id for check in DEFAULT_CHECKS)
MATTERS: Final[frozenset[str]] = CHECK_IDS | frozenset(VIEWS)
STATUSES: Final[frozenset[str]] = frozenset({"PASS", "WARN", "FAIL", "NOT RUN"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a scenario: where (``case 3 'expired'``), which key, the line, what."""

    where: str
    key: str
    line: int | None
    message: str
    severity: Literal["error", "warning"] = "error"

    def render(self, path: str) -> str:
        """Return the problem as one line: ``FILE:LINE: where: key: message``."""
        place = f"{path}:{self.line}" if self.line else path
        key = f" {self.key}:" if self.key else ""
        flag = "" if self.severity == "error" else " (warning)"
        return f"{place}: {self.where}:{key} {self.message}{flag}"


class ScenarioError(Exception):
    """A scenario cannot be used; ``problems`` lists every mistake found."""

    title = "Scenario not usable"

    def __init__(self, path: str, problems: tuple[Problem, ...]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problem.render(path) for problem in problems))


@dataclass(frozen=True, slots=True)
class Context:
    """The crossing point the cases happen at: when, which way, where, and the post's rules."""

    start: datetime
    direction: Literal["entry", "exit"]
    post: str
    lane: str
    config: InspectionConfig

    @property
    def today(self) -> date:
        """The crossing date of every case."""
        return self.start.date()


@dataclass(frozen=True, slots=True)
class DocumentAlert:
    """An entry of the scenario's lost/stolen document list."""

    document_number: str
    issuing_state: str
    document_type: str
    reason: str
    reference: str


@dataclass(frozen=True, slots=True)
class PersonAlert:
    """An entry of the scenario's person alert list."""

    surname: str
    given_names: str
    birth_date: date | None
    nationality: str
    reason: str
    reference: str


@dataclass(frozen=True, slots=True)
class EarlierCrossing:
    """A crossing on record before the session, of one case's document."""

    case_id: str
    time: datetime
    direction: Literal["entry", "exit"]
    decision: Outcome
    post: str
    lane: str


@dataclass(frozen=True, slots=True)
class PrintedPage:
    """The data page as printed: its fields (dates as :class:`date`), and how its MRZ is printed.

    ``image`` says whether a page image is made for the case; ``mrz_font`` is ``ocr-b`` on a genuine
    page, ``sans`` when the forger printed the MRZ in an ordinary typeface.
    """

    fields: Mapping[str, object]
    image: bool = False
    mrz_font: Literal["ocr-b", "sans"] = "ocr-b"


@dataclass(frozen=True, slots=True)
class Case:
    """One traveller: the document's MRZ lines, what the traveller says, and the right answer."""

    case_id: str
    number: int
    title: str
    category: str
    lines: tuple[str, ...]
    document_format: str
    direction: Literal["entry", "exit"]
    purpose: str
    page: PrintedPage
    decision: Outcome
    reasons: tuple[str, ...]
    lesson: str
    matters: tuple[str, ...]
    shows: Mapping[str, str] = field(default_factory=dict)
    issue_date: date | None = None
    readable: bool = True  # False: the reader cannot read the MRZ; the trainee types it in

    @property
    def inadmissible(self) -> bool:
        """True when the right answer is not to admit (a refusal or a referral)."""
        return self.decision != "admit"


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole scenario file, loaded and checked for its form (not yet against the engine)."""

    path: Path
    title: str
    description: str
    context: Context
    cases: tuple[Case, ...]
    document_alerts: tuple[DocumentAlert, ...] = ()
    person_alerts: tuple[PersonAlert, ...] = ()
    crossings: tuple[EarlierCrossing, ...] = ()
    warnings: tuple[Problem, ...] = ()

    def case(self, case_id: str) -> Case:
        """Return the case ``case_id``; raise ``KeyError`` when there is none."""
        for case in self.cases:
            if case.case_id == case_id:
                return case
        raise KeyError(case_id)

    def crossings_of(self, case_id: str) -> tuple[EarlierCrossing, ...]:
        """Return the earlier crossings of ``case_id``'s document, oldest first."""
        return tuple(sorted((c for c in self.crossings if c.case_id == case_id), key=lambda c: c.time))
