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

from checkpoint.inspection import SCHENGEN_ANNEX_V_PART_B, InspectionConfig
from checkpoint.mrz import MRZCompositionError
from checkpoint.mrz.countries import is_known_code
from checkpoint.training.forgery import COMPOSE_KEYS, RECOMPUTE, as_date, compose_case, forge
from checkpoint.training.model import (
    MATTERS,
    OUTCOMES,
    STATUSES,
    Case,
    Context,
    DocumentAlert,
    EarlierCrossing,
    PersonAlert,
    PrintedPage,
    Problem,
    Scenario,
    ScenarioError,
)
from checkpoint.training.toml_lines import SourceLines, TablePath

FORMATS = ("TD1", "TD2", "TD3", "MRV-A", "MRV-B")
PAGE_KEYS = frozenset(
    {
        "surname",
        "given_names",
        "birth_date",
        "expiry_date",
        "document_number",
        "nationality",
        "sex",
        "issue_date",
    }
)
CASE_KEYS = frozenset(
    {
        "id", "title", "category", "direction", "purpose", "decision", "reasons", "lesson", "matters",
        "mrz", "format", "document", "forge", "page", "shows", "issue_date", "readable",
    }
)  # fmt: skip
TOP_KEYS = frozenset({"title", "description", "context", "watchlist", "crossing", "case"})


class _Collector:
    """Collects problems with their line numbers while the scenario is read."""

    def __init__(self, source: SourceLines) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, where: str, table: TablePath, key: str, message: str, *, warning: bool = False) -> None:
        line = self.source.line(table, key.split(".")[0] if key else None)
        self.problems.append(Problem(where, key, line, message, "warning" if warning else "error"))

    def text(self, data: Mapping[str, Any], key: str, where: str, table: TablePath, *, required: bool) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(where, table, key, "is required")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(where, table, key, f"must be non-empty text, got {value!r}")
            return ""
        return value.strip()

    def choice(self, data: Mapping[str, Any], key: str, options: tuple[str, ...], where: str, table: TablePath, default: str | None = None) -> str:  # fmt: skip
        value = data.get(key, default)
        if value not in options:
            shown = "missing" if value is None else repr(value)
            self.add(where, table, key, f"must be one of {', '.join(options)}, got {shown}")
            return options[0]
        return str(value)

    def day(self, data: Mapping[str, Any], key: str, where: str, table: TablePath, *, required: bool) -> date | None:  # fmt: skip
        value = data.get(key)
        if value is None:
            if required:
                self.add(where, table, key, "is required (a date, e.g. 2026-12-04)")
            return None
        parsed = as_date(value)
        if parsed is None or isinstance(value, datetime):
            self.add(where, table, key, f"must be a date YYYY-MM-DD, got {value!r}")
            return None
        return parsed

    def unknown(self, data: Mapping[str, Any], known: frozenset[str], where: str, table: TablePath) -> None:
        for key in data:
            if key not in known:
                self.add(where, table, key, f"unknown key; expected one of {', '.join(sorted(known))}")


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
    out = _Collector(SourceLines(text))
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
        case = _case(entry, number, context, out)
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


def _tables(
    data: Mapping[str, Any], key: str, name: str, out: _Collector
) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        out.add("scenario", (), name, f"must be written as [[{name}]] tables")
        return []
    return list(enumerate(value, start=1))


def parse_context(value: object, out: _Collector) -> Context:
    """Return the ``[context]`` table as a :class:`Context` (the date and time the cases happen, the
    direction, the post and lane, and ``[context.rules]``: :class:`InspectionConfig` settings)."""
    table: TablePath = ("context",)
    if not isinstance(value, dict):
        out.add("context", (), "context", "is required: a [context] table with at least date")
        value = {}
    out.unknown(value, frozenset({"date", "time", "direction", "post", "lane", "rules"}), "context", table)
    day = out.day(value, "date", "context", table, required=True) or date(2000, 1, 1)
    at = time(10, 0)
    raw_time = value.get("time")
    if raw_time is not None:
        try:
            at = raw_time if isinstance(raw_time, time) else time.fromisoformat(str(raw_time))
        except ValueError:
            out.add("context", table, "time", f"must be a time HH:MM, got {raw_time!r}")
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
    start = datetime.combine(day, at.replace(tzinfo=None), tzinfo=UTC)
    return Context(start, cast(Any, direction), post, lane, config)


def _document_alert(entry: dict[str, Any], number: int, out: _Collector) -> DocumentAlert:
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


def _person_alert(entry: dict[str, Any], number: int, out: _Collector) -> PersonAlert:
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


def _crossing(entry: dict[str, Any], number: int, context: Context, cases: Mapping[str, int], out: _Collector) -> EarlierCrossing | None:  # fmt: skip
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
    at = time(12, 0)
    raw_time = entry.get("time")
    if raw_time is not None:
        try:
            at = raw_time if isinstance(raw_time, time) else time.fromisoformat(str(raw_time))
        except ValueError:
            out.add(where, table, "time", f"must be a time HH:MM, got {raw_time!r}")
    if day is None:
        return None
    moment = datetime.combine(day, at.replace(tzinfo=None), tzinfo=UTC)
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


def _case(entry: dict[str, Any], number: int, context: Context, out: _Collector) -> Case | None:
    table: TablePath = ("case", number)
    raw_id = entry.get("id")
    where = f"case {number}" + (f" {raw_id!r}" if isinstance(raw_id, str) else "")
    out.unknown(entry, CASE_KEYS, where, table)
    case_id = out.text(entry, "id", where, table, required=True)
    purpose = reflow(out.text(entry, "purpose", where, table, required=True))
    lesson = reflow(out.text(entry, "lesson", where, table, required=True))
    decision = out.choice(entry, "decision", OUTCOMES, where, table)
    reasons = _reasons(entry, decision, where, table, out)
    matters = _matters(entry, where, table, out)
    shows = _shows(entry, where, table, out)
    direction = out.choice(entry, "direction", ("entry", "exit"), where, table, default=context.direction)
    document_format = out.choice(entry, "format", FORMATS, where, table, default="TD3")
    lines, fields = _lines(entry, document_format, where, table, out)
    page = _page(entry, fields, where, table, out)
    readable = entry.get("readable", True)
    if not isinstance(readable, bool):
        out.add(where, table, "readable", f"must be true or false, got {readable!r}")
        readable = True
    if lines is None or not case_id:
        return None
    return Case(
        case_id=case_id,
        number=number,
        title=out.text(entry, "title", where, table, required=False) or case_id,
        category=out.text(entry, "category", where, table, required=False) or "general",
        lines=lines,
        document_format=document_format,
        direction=cast(Any, direction),
        purpose=purpose,
        page=page,
        decision=cast(Any, decision),
        reasons=reasons,
        lesson=lesson,
        matters=matters,
        shows=shows,
        issue_date=out.day(entry, "issue_date", where, table, required=False),
        readable=readable,
    )


def reflow(text: str) -> str:
    """Return ``text`` with the line breaks of its TOML source joined: paragraphs (blank lines between
    them) become lines, the screen wraps them."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _reasons(entry: Mapping[str, Any], decision: str, where: str, table: TablePath, out: _Collector) -> tuple[str, ...]:  # fmt: skip
    raw = entry.get("reasons", [])
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        out.add(where, table, "reasons", f"must be a list of reason codes, got {raw!r}")
        return ()
    codes = tuple(r.strip().upper() for r in raw)
    for code in codes:
        if code not in SCHENGEN_ANNEX_V_PART_B:
            valid = ", ".join(r.code for r in SCHENGEN_ANNEX_V_PART_B)
            out.add(where, table, "reasons", f"unknown reason code {code!r}; valid: {valid}")
    if decision == "refuse" and not codes:
        out.add(where, table, "reasons", 'a refusal needs at least one reason code (e.g. ["A"])')
    if decision == "admit" and codes:
        out.add(where, table, "reasons", "an admission carries no reason codes")
    return codes


def _matters(entry: Mapping[str, Any], where: str, table: TablePath, out: _Collector) -> tuple[str, ...]:
    raw = entry.get("matters", [])
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        out.add(where, table, "matters", f"must be a check id or a list of them, got {raw!r}")
        return ()
    for item in items:
        if item not in MATTERS:
            out.add(
                where,
                table,
                "matters",
                f"{item!r} is neither a check nor a view; expected one of {', '.join(sorted(MATTERS))}",
            )
    return tuple(i for i in items if i in MATTERS)


def _shows(entry: Mapping[str, Any], where: str, table: TablePath, out: _Collector) -> dict[str, str]:
    raw = entry.get("shows", {})
    if not isinstance(raw, dict):
        out.add(where, table, "shows", "must be a table of check id = status")
        return {}
    shows: dict[str, str] = {}
    for check_id, status in raw.items():
        if check_id not in MATTERS or check_id in ("page", "purpose"):
            out.add(where, (*table, "shows"), check_id, f"unknown check {check_id!r}")
        elif status not in STATUSES:
            out.add(
                where,
                (*table, "shows"),
                check_id,
                f"status must be one of {', '.join(sorted(STATUSES))}, got {status!r}",
            )
        else:
            shows[check_id] = status
    return shows


def _lines(entry: Mapping[str, Any], document_format: str, where: str, table: TablePath, out: _Collector) -> tuple[tuple[str, ...] | None, dict[str, object]]:  # fmt: skip
    mrz, document = entry.get("mrz"), entry.get("document")
    if (mrz is None) == (document is None):
        out.add(
            where,
            table,
            "mrz",
            "give the document either as mrz = [lines] or as a [case.document] table, not both or neither",
        )
        return None, {}
    if mrz is not None:
        if "forge" in entry:
            out.add(
                where,
                table,
                "forge",
                "forge works on [case.document] fields; write the forged mrz lines directly",
            )
        if not isinstance(mrz, list) or not 2 <= len(mrz) <= 3 or not all(isinstance(x, str) for x in mrz):
            out.add(where, table, "mrz", "must be a list of 2 or 3 MRZ lines")
            return None, {}
        return tuple(mrz), {}
    dtable = (*table, "document")
    if not isinstance(document, dict):
        out.add(where, table, "document", "must be a table [case.document]")
        return None, {}
    fields: dict[str, object] = dict(document)
    for key in fields:
        if key not in COMPOSE_KEYS:
            out.add(
                where,
                dtable,
                key,
                f"unknown document field; expected one of {', '.join(sorted(COMPOSE_KEYS))}",
            )
    for key in ("issuing_state", "surname", "document_number", "nationality", "birth_date", "expiry_date"):
        if key not in fields:
            out.add(where, dtable, key, "is required")
    for key in ("birth_date", "expiry_date"):
        if key in fields and as_date(fields[key]) is None:
            out.add(where, dtable, key, f"must be a date YYYY-MM-DD, got {fields[key]!r}")
    for key in ("issuing_state", "nationality"):
        value = fields.get(key)
        if isinstance(value, str) and not is_known_code(value):
            out.add(
                where,
                dtable,
                key,
                f"{value!r} is not an ICAO 9303 code (right only for a case about an unknown issuer)",
                warning=True,
            )
    if any(p.where == where and p.severity == "error" for p in out.problems):
        return None, fields
    try:
        lines = compose_case(document_format, fields)
        forged = entry.get("forge")
        if forged is not None:
            lines = _forge(forged, document_format, fields, where, (*table, "forge"), out) or lines
    except (MRZCompositionError, TypeError, ValueError) as exc:
        out.add(where, dtable, "", f"cannot be composed: {exc}")
        return None, fields
    return lines, fields


def _forge(forged: object, document_format: str, fields: Mapping[str, object], where: str, table: TablePath, out: _Collector) -> tuple[str, ...] | None:  # fmt: skip
    if not isinstance(forged, dict):
        out.add(where, table, "forge", "must be a table [case.forge] with field, value and recompute")
        return None
    out.unknown(forged, frozenset({"field", "value", "recompute"}), where, table)
    if "field" not in forged or "value" not in forged:
        out.add(where, table, "field", "forge needs field and value")
        return None
    recompute = out.choice(forged, "recompute", RECOMPUTE, where, table, default="none")
    try:
        return forge(document_format, fields, str(forged["field"]), forged["value"], recompute)
    except (MRZCompositionError, ValueError) as exc:
        out.add(where, table, "value", str(exc))
        return None


def _page(entry: Mapping[str, Any], fields: Mapping[str, object], where: str, table: TablePath, out: _Collector) -> PrintedPage:  # fmt: skip
    raw = entry.get("page", {})
    ptable = (*table, "page")
    printed: dict[str, object] = {k: v for k, v in fields.items() if k in PAGE_KEYS}
    if entry.get("issue_date") is not None:
        printed["issue_date"] = entry["issue_date"]
    if not isinstance(raw, dict):
        out.add(where, table, "page", "must be a table [case.page]")
        return PrintedPage(printed)
    for key, value in raw.items():
        if key in PAGE_KEYS:
            printed[key] = value
        elif key not in ("image", "mrz_font"):
            out.add(
                where,
                ptable,
                key,
                f"unknown page key; expected image, mrz_font or one of {', '.join(sorted(PAGE_KEYS))}",
            )
    image = raw.get("image", bool(raw))
    if not isinstance(image, bool):
        out.add(where, ptable, "image", "must be true or false")
        image = False
    font = out.choice(raw, "mrz_font", ("ocr-b", "sans"), where, ptable, default="ocr-b")
    if image and not fields:
        out.add(where, ptable, "image", "a page image needs the [case.document] fields")
        image = False
    return PrintedPage(printed, image, cast(Any, font))
