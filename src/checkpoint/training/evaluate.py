"""What the checks engine shows for each case, from the scenario alone (no database), and whether that
contradicts the case's expected decision.

The client at run time gets the same lists and earlier crossings from the training database; this
pure path lets ``checkpoint train check`` flag a case whose right answer the booth could never reach, or
which the screen would give away, without starting anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from checkpoint.inspection import Inspection, InspectionContext, Status, Suggestion, inspect
from checkpoint.inspection.checks_person import normalize_document_number
from checkpoint.mrz import parse
from checkpoint.training.model import (
    CHECK_IDS,
    Case,
    DocumentAlert,
    PersonAlert,
    Problem,
    Scenario,
)
from checkpoint.training.toml_lines import SourceLines


@dataclass(frozen=True, slots=True)
class _Crossing:
    time: datetime
    direction: str
    post: str
    lane: str
    decision: str


class _DocumentList:
    def __init__(self, entries: Sequence[DocumentAlert], list_date: date) -> None:
        self.version = "scenario"
        self.list_date = list_date
        self._entries = entries

    def lookup(self, document_number: str, issuing_state: str) -> Sequence[DocumentAlert]:
        number = normalize_document_number(document_number)
        return [
            e
            for e in self._entries
            if normalize_document_number(e.document_number) == number and e.issuing_state == issuing_state
        ]


class _PersonList:
    def __init__(self, entries: Sequence[PersonAlert], list_date: date) -> None:
        self.version = "scenario"
        self.list_date = list_date
        self._entries = entries

    def candidates(self, birth_date: date | None) -> Sequence[PersonAlert]:
        return [e for e in self._entries if birth_date is None or e.birth_date in (None, birth_date)]


def inspect_case(scenario: Scenario, case: Case) -> Inspection:
    """Return what the checks engine shows for ``case`` at the scenario's post, date and lists."""
    context = scenario.context
    result = parse(case.lines, today=context.today)
    history = [
        _Crossing(c.time, c.direction, c.post, c.lane, c.decision)
        for c in scenario.crossings_of(case.case_id)
    ]
    history.sort(key=lambda c: c.time, reverse=True)
    inspection_context = InspectionContext(
        now=context.start,
        today=context.today,
        direction=case.direction,
        post=context.post,
        lane=context.lane,
        history=history,
        history_since=None,
        document_watchlist=_DocumentList(scenario.document_alerts, context.today)
        if scenario.document_alerts
        else _DocumentList((), context.today),
        person_watchlist=_PersonList(scenario.person_alerts, context.today),
        issue_date=None,
        config=context.config,
        training=True,  # as the training client runs the checks: a specimen is training material
    )
    return inspect(result, inspection_context)


def contradictions(scenario: Scenario, case: Case, inspection: Inspection) -> list[str]:
    """Return why the case's expected decision contradicts what the engine shows (empty: it does not).

    - the case says a check shows a status (``[case.shows]``) and the engine shows another;
    - admit expected while a check FAILs (the officer would need to override the machine);
    - refuse or refer expected, and the check that matters PASSes or does not run, so nothing on the
      screen leads the trainee there (a case about the page or the purpose may show CLEAR: that is its
      point);
    - refuse expected on a reason the FAILed checks do not support, when the lesson rests on a check.
    """
    found: list[str] = []
    by_id = {r.check_id: r for r in inspection.results}
    for check_id, status in case.shows.items():
        shown = by_id[check_id].status.value if check_id in by_id else "absent"
        if shown != status:
            found.append(
                f"shows says {check_id} is {status}, the engine shows {shown}: {by_id[check_id].message}"
            )
    if case.decision == "admit":
        failed = [r for r in inspection.results if r.status is Status.FAIL]
        if failed:
            found.append(f"admit expected, but {failed[0].check_id} FAILs: {failed[0].message}")
        return found
    for check_id in case.matters:
        if check_id in CHECK_IDS and by_id[check_id].status in (Status.PASS, Status.NOT_RUN):
            found.append(
                f"{case.decision} expected because of {check_id}, but it shows "
                f"{by_id[check_id].status.value}: {by_id[check_id].message}"
            )
    if inspection.suggestion is Suggestion.CLEAR and not any(m not in CHECK_IDS for m in case.matters):
        found.append(f"{case.decision} expected, but every check is clear and nothing else is said to matter")
    return found


def check_scenario(scenario: Scenario) -> list[Problem]:
    """Return every case whose expected decision contradicts the engine, as problems with their line."""
    try:
        source = SourceLines(scenario.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        source = SourceLines("")
    problems: list[Problem] = []
    for case in scenario.cases:
        inspection = inspect_case(scenario, case)
        line = source.line(("case", case.number), "decision")
        for message in contradictions(scenario, case, inspection):
            problems.append(Problem(f"case {case.number} {case.case_id!r}", "decision", line, message))
    return problems
