"""Read a trainer's scenario TOML file into a :class:`~checkpoint.training.model.Scenario`.

Every mistake is collected, with the case, the key and the line, before anything is refused: a trainer
fixes a file in one pass. The format is described in the README ("Training mode: for trainers"); the
``[context]`` table is parsed here alone, so it can later be read from a post's own configuration.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, cast

from checkpoint.inspection import InspectionConfig
from checkpoint.training.collector import Collector
from checkpoint.training.model import (
    OUTCOMES,
    Case,
    Context,
    DocumentAlert,
    EarlierCrossing,
    PersonAlert,
    Problem,
    Scenario,
    ScenarioError,
)
from checkpoint.training.scenario_case import parse_case
from checkpoint.training.toml_lines import SourceLines, TablePath

TOP_KEYS = frozenset({"title", "description", "context", "watchlist", "crossing", "case"})


def load_scenario(path: Path | str) -> Scenario:
    """Read and check the scenario at ``path``; return it.

    Raises :class:`ScenarioError` listing every problem (with its line) when the file is not a usable
    scenario, or when it cannot be read or is not TOML. Warnings (usable but doubtful) are kept in
    ``Scenario.warnings``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), (Problem("file", "", None, f"cannot be read: {exc}"),)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ScenarioError(str(path), (Problem("file", "", line, f"not valid TOML: {exc}"),)) from exc
    return parse_scenario(data, text, path)


def parse_scenario(data: Mapping[str, Any], text: str, path: Path) -> Scenario:
    """Return the scenario in ``data`` (read from ``text``, for line numbers). Raises ScenarioError."""
    out = Collector(SourceLines(text))
    out.unknown(data, TOP_KEYS, "scenario", ())
    title = out.text(data, "title", "scenario", (), required=True)
    description = out.text(data, "description", "scenario", (), required=False)
    context = parse_context(data.get("context"), out)
    watch = data.get("watchlist", {})
    if not isinstance(watch, dict):
        out.add(
            "scenario", (), "watchlist", "must be a table with [[watchlist.document]] / [[watchlist.person]]"
        )
        watch = {}
    out.unknown(watch, frozenset({"document", "person"}), "watchlist", ("watchlist",))
    documents = tuple(
        _document_alert(entry, n, out) for n, entry in _tables(watch, "document", "watchlist.document", out)
    )
    persons = tuple(
        _person_alert(entry, n, out) for n, entry in _tables(watch, "person", "watchlist.person", out)
    )
    cases: list[Case] = []
    for number, entry in _tables(data, "case", "case", out):
        case = parse_case(entry, number, context, out)
        if case is not None:
            cases.append(case)
    if not data.get("case"):
        out.add("scenario", (), "case", "has no [[case]]: a scenario needs at least one")
    seen: dict[str, int] = {}
    for case in cases:
        if case.case_id in seen:
            out.add(
                f"case {case.number}",
                ("case", case.number),
                "id",
                f"{case.case_id!r} is also case {seen[case.case_id]}'s id",
            )
        seen.setdefault(case.case_id, case.number)
    crossings = tuple(
        crossing
        for number, entry in _tables(data, "crossing", "crossing", out)
        if (crossing := _crossing(entry, number, context, seen, out)) is not None
    )
    errors = tuple(p for p in out.problems if p.severity == "error")
    if errors:
        raise ScenarioError(str(path), tuple(out.problems))
    warnings = tuple(p for p in out.problems if p.severity == "warning")
    return Scenario(path, title, description, context, tuple(cases), documents, persons, crossings, warnings)


def _tables(data: Mapping[str, Any], key: str, name: str, out: Collector) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        out.add("scenario", (), name, f"must be written as [[{name}]] tables")
        return []
    return list(enumerate(value, start=1))


def parse_context(value: object, out: Collector) -> Context:
    """Return the ``[context]`` table as a :class:`Context` (the date and time the cases happen, the
    direction, the post and lane, and ``[context.rules]``: :class:`InspectionConfig` settings)."""
    table: TablePath = ("context",)
    if not isinstance(value, dict):
        out.add("context", (), "context", "is required: a [context] table with at least date")
        value = {}
    out.unknown(value, frozenset({"date", "time", "direction", "post", "lane", "rules"}), "context", table)
    day = out.day(value, "date", "context", table, required=True) or date(2000, 1, 1)
    at = out.time_of_day(value, "time", "context", table, default=time(10, 0))
    direction = out.choice(value, "direction", ("entry", "exit"), "context", table, default="entry")
    post = out.text(value, "post", "context", table, required=False) or "Training crossing"
    lane = out.text(value, "lane", "context", table, required=False) or "1"
    rules = value.get("rules", {})
    config = InspectionConfig()
    if not isinstance(rules, dict):
        out.add("context", table, "rules", "must be a table [context.rules] of check settings")
    else:
        try:
            config = InspectionConfig.from_mapping(rules)
        except ValueError as exc:
            named = re.search(r"setting '([a-z_]+)'", str(exc))
            out.add("context.rules", ("context", "rules"), named.group(1) if named else "", str(exc))
    start = datetime.combine(day, at, tzinfo=UTC)
    return Context(start, cast(Any, direction), post, lane, config)


def _document_alert(entry: dict[str, Any], number: int, out: Collector) -> DocumentAlert:
    table, where = ("watchlist", "document", number), f"watchlist.document {number}"
    out.unknown(
        entry,
        frozenset({"document_number", "issuing_state", "document_type", "reason", "reference"}),
        where,
        table,
    )
    state = out.text(entry, "issuing_state", where, table, required=True)
    return DocumentAlert(
        out.text(entry, "document_number", where, table, required=True),
        state,
        out.text(entry, "document_type", where, table, required=False),
        out.text(entry, "reason", where, table, required=True),
        out.text(entry, "reference", where, table, required=False) or f"TRAINING-{number:04d}",
    )


def _person_alert(entry: dict[str, Any], number: int, out: Collector) -> PersonAlert:
    table, where = ("watchlist", "person", number), f"watchlist.person {number}"
    keys = frozenset({"surname", "given_names", "birth_date", "nationality", "reason", "reference"})
    out.unknown(entry, keys, where, table)
    return PersonAlert(
        out.text(entry, "surname", where, table, required=True),
        out.text(entry, "given_names", where, table, required=False),
        out.day(entry, "birth_date", where, table, required=False),
        out.text(entry, "nationality", where, table, required=False),
        out.text(entry, "reason", where, table, required=True),
        out.text(entry, "reference", where, table, required=False) or f"TRAINING-P{number:04d}",
    )


def _crossing(entry: dict[str, Any], number: int, context: Context, cases: Mapping[str, int], out: Collector) -> EarlierCrossing | None:  # fmt: skip
    table, where = ("crossing", number), f"crossing {number}"
    out.unknown(
        entry, frozenset({"case", "date", "time", "direction", "decision", "post", "lane"}), where, table
    )
    case_id = out.text(entry, "case", where, table, required=True)
    if case_id and case_id not in cases:
        out.add(where, table, "case", f"no case has id {case_id!r}")
    day = out.day(entry, "date", where, table, required=True)
    direction = out.choice(entry, "direction", ("entry", "exit"), where, table)
    decision = out.choice(entry, "decision", OUTCOMES, where, table, default="admit")
    at = out.time_of_day(entry, "time", where, table, default=time(12, 0))
    if day is None:
        return None
    moment = datetime.combine(day, at, tzinfo=UTC)
    if moment >= context.start:
        out.add(where, table, "date", f"must be before the scenario's start {context.start:%Y-%m-%d %H:%M}")
    return EarlierCrossing(
        case_id,
        moment,
        cast(Any, direction),
        cast(Any, decision),
        out.text(entry, "post", where, table, required=False) or context.post,
        out.text(entry, "lane", where, table, required=False) or context.lane,
    )
