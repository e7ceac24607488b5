"""Live feedback for typed MRZ lines: which characters are wrong, as carets under the line.

The MRZ library judges the lines (:func:`checkpoint.mrz.parse`); this module only turns its errors, which
carry 1-based line numbers and 0-based column spans, into marker rows for the manual-entry screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checkpoint.mrz import parse


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the typed lines: where (line 1-based, columns 0-based, end exclusive) and why."""

    line: int
    start: int
    end: int
    message: str


@dataclass(frozen=True, slots=True)
class Feedback:
    """The judgement of the typed lines: whether they are valid, the problems, and each check digit."""

    valid: bool
    problems: tuple[Problem, ...]
    checks: tuple[tuple[str, bool], ...]


def judge(lines: Sequence[str]) -> Feedback:
    """Return the feedback for ``lines`` as typed so far (never raises on bad input)."""
    typed = [line for line in lines if line]
    if not typed:
        return Feedback(False, (), ())
    result = parse(typed, strict=False)
    problems = tuple(
        Problem(error.line, error.start, max(error.end, error.start + 1), error.message)
        for error in result.errors
        if error.line is not None and error.start is not None and error.end is not None
    )
    unplaced = tuple(
        Problem(0, 0, 0, error.message)
        for error in result.errors
        if error.line is None or error.start is None or error.end is None
    )
    return Feedback(result.valid, problems + unplaced, tuple(result.checks.items()))


def marker_row(problems: Sequence[Problem], line: int) -> str:
    """Return a row of carets under the wrong characters of ``line`` (1-based); empty when none are."""
    here = [p for p in problems if p.line == line]
    if not here:
        return ""
    row = [" "] * max(p.end for p in here)
    for problem in here:
        for column in range(problem.start, problem.end):
            row[column] = "^"
    return "".join(row)


def describe(problem: Problem) -> str:
    """Return the problem as one line for the officer: where (line and 1-based column), then why."""
    if problem.line == 0:
        return problem.message
    return f"line {problem.line} col {problem.start + 1}: {problem.message}"
