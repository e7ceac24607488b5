"""Reading one ``[[case]]`` table of a scenario: the document (MRZ lines, or fields composed and
forged), the printed page, the right answer and the lesson."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from checkpoint.inspection import SCHENGEN_ANNEX_V_PART_B
from checkpoint.mrz import MRZCompositionError
from checkpoint.mrz.countries import is_known_code
from checkpoint.training.collector import Collector
from checkpoint.training.forgery import COMPOSE_KEYS, RECOMPUTE, as_date, compose_case, forge
from checkpoint.training.model import MATTERS, OUTCOMES, STATUSES, Case, Context, PrintedPage
from checkpoint.training.toml_lines import TablePath

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


def parse_case(entry: dict[str, Any], number: int, context: Context, out: Collector) -> Case | None:
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


def _reasons(entry: Mapping[str, Any], decision: str, where: str, table: TablePath, out: Collector) -> tuple[str, ...]:  # fmt: skip
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


def _matters(entry: Mapping[str, Any], where: str, table: TablePath, out: Collector) -> tuple[str, ...]:
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


def _shows(entry: Mapping[str, Any], where: str, table: TablePath, out: Collector) -> dict[str, str]:
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


def _lines(entry: Mapping[str, Any], document_format: str, where: str, table: TablePath, out: Collector) -> tuple[tuple[str, ...] | None, dict[str, object]]:  # fmt: skip
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


def _forge(forged: object, document_format: str, fields: Mapping[str, object], where: str, table: TablePath, out: Collector) -> tuple[str, ...] | None:  # fmt: skip
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


def _page(entry: Mapping[str, Any], fields: Mapping[str, object], where: str, table: TablePath, out: Collector) -> PrintedPage:  # fmt: skip
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
