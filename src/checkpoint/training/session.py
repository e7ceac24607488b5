"""One training session: the cases drawn, each decision scored, the summary. Pure: no clock, no store.

Scoring follows what matters at a border, worst first: admitting a traveller who should not have been
admitted (0 of 10), refusing a genuine traveller (2), referring a genuine traveller (5), refusing on the
wrong reason (6), referring where a refusal was due or refusing where a referral was (7); the right
decision on a right reason scores 10. Whether the trainee opened the check that mattered, and the time
from the document's arrival to the decision, are reported beside the points.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from checkpoint.training.model import Case, Scenario

Mode = Literal["practice", "exam"]
MAX_POINTS: Final = 10

MISTAKES: Final[dict[str, int]] = {
    "": MAX_POINTS,
    "admitted a traveller who should not have been admitted": 0,
    "refused a genuine traveller": 2,
    "referred a genuine traveller": 5,
    "refused on the wrong reason": 6,
    "referred where a refusal was due": 7,
    "refused where a referral was due": 7,
}
"""Each mistake and the points it leaves, worst first."""


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """How one case went: the decision against the expected one, the points, the time, the look."""

    case_id: str
    title: str
    expected: str
    expected_reasons: tuple[str, ...]
    decision: str
    reasons: tuple[str, ...]
    points: int
    mistake: str
    seconds: float
    looked: bool | None  # None when the case names nothing that matters
    lesson: str

    @property
    def missed(self) -> bool:
        """True when the decision was not the expected one on an expected reason."""
        return bool(self.mistake)


def score_case(
    case: Case, decision: str, reasons: Iterable[str], opened: Iterable[str], seconds: float
) -> CaseOutcome:
    """Return the outcome of deciding ``decision`` with ``reasons`` on ``case``, having opened ``opened``
    (check ids and views) in ``seconds`` from the document's arrival."""
    given = tuple(reasons)
    expected = case.decision
    mistake = ""
    if decision != expected:
        if decision == "admit":
            mistake = "admitted a traveller who should not have been admitted"
        elif expected == "admit":
            mistake = (
                "refused a genuine traveller" if decision == "refuse" else "referred a genuine traveller"
            )
        elif expected == "refuse":
            mistake = "referred where a refusal was due"
        else:
            mistake = "refused where a referral was due"
    elif decision == "refuse" and case.reasons and not set(case.reasons) & set(given):
        mistake = "refused on the wrong reason"
    seen = set(opened)
    looked = None if not case.matters else any(item in seen for item in case.matters)
    return CaseOutcome(
        case.case_id,
        case.title,
        expected,
        case.reasons,
        decision,
        given,
        MISTAKES[mistake],
        mistake,
        round(max(seconds, 0.0), 2),
        looked,
        case.lesson,
    )


def draw_cases(scenario: Scenario, count: int | None, seed: int | None) -> tuple[Case, ...]:
    """Return ``count`` cases (all when None) in an order drawn from ``seed`` (file order when None).

    Raises ``ValueError`` when ``count`` is not between 1 and the number of cases.
    """
    cases = list(scenario.cases)
    total = len(cases)
    if count is not None and not 1 <= count <= total:
        raise ValueError(f"--count must be between 1 and {total} (the scenario's cases), got {count}")
    if seed is not None:
        random.Random(seed).shuffle(cases)
    return tuple(cases[: count or total])


@dataclass
class TrainingSession:
    """The cases of a session and their outcomes, in order."""

    scenario: Scenario
    cases: Sequence[Case]
    mode: Mode
    trainee: str
    session_id: str
    outcomes: list[CaseOutcome] = field(default_factory=list)

    @property
    def current(self) -> Case | None:
        """The case being worked, or None when every case is decided."""
        index = len(self.outcomes)
        return self.cases[index] if index < len(self.cases) else None

    @property
    def finished(self) -> bool:
        """True when every case is decided."""
        return self.current is None

    def decide(
        self, decision: str, reasons: Iterable[str], opened: Iterable[str], seconds: float
    ) -> CaseOutcome:
        """Score the current case and move on; return its outcome. Raises ``RuntimeError`` when done."""
        case = self.current
        if case is None:
            raise RuntimeError("every case of the session is decided")
        outcome = score_case(case, decision, reasons, opened, seconds)
        self.outcomes.append(outcome)
        return outcome

    @property
    def points(self) -> int:
        """Points scored so far."""
        return sum(o.points for o in self.outcomes)

    @property
    def percent(self) -> float:
        """The score as a percentage of the cases decided (0 when none is)."""
        return round(100 * self.points / (MAX_POINTS * len(self.outcomes)), 1) if self.outcomes else 0.0

    @property
    def misses(self) -> list[CaseOutcome]:
        """The outcomes that were not right."""
        return [o for o in self.outcomes if o.missed]
