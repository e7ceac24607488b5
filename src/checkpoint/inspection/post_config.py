"""A post's configuration: a TOML text read with :mod:`tomllib`, checked whole, errors with line numbers.

The text is given by the caller (the command line reads the file), so this module does no I/O. Every
problem found is reported, each with the line of the key it is about: :mod:`tomllib` gives values, not
positions, so the line is found again in the source text (the table header, then the key under it).

Tables and keys (see ``docs/post-config.md`` for a complete example)::

    [post]      name, state, lanes, direction, refusal_forms
    [documents] expiry_warning_days, specimen_issuers, specimen_names, specimen_numbers
    [stay]      nationalities, exempt, limit_days, window_days
    [visa]      required, exempt
    [minors]    age, min_age_alone
    [movement]  same_document_minutes
    [watchlists] max_age_days, person_hit_score, person_possible_score
    [decisions] blocking, attention_if_not_run, reasons = [{code, text}, ...]
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from checkpoint.inspection.config import InspectionConfig
from checkpoint.inspection.engine import DEFAULT_CHECKS
from checkpoint.inspection.reasons import SCHENGEN_ANNEX_V_PART_B, ReasonTable
from checkpoint.mrz.countries import is_known_code

CHECK_IDS: Final[frozenset[str]] = frozenset(check.check_id for check in DEFAULT_CHECKS)

# table -> key -> (InspectionConfig field, kind); kind is "int", "codes" (country codes), "words", "ids"
_INSPECTION_KEYS: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "documents": {
        "expiry_warning_days": ("expiry_warning_days", "int"),
        "specimen_issuers": ("specimen_issuers", "codes"),
        "specimen_names": ("specimen_names", "words"),
        "specimen_numbers": ("specimen_numbers", "words"),
    },
    "stay": {
        "nationalities": ("stay_rule_nationalities", "codes"),
        "exempt": ("stay_rule_exempt_nationalities", "codes"),
        "limit_days": ("stay_limit_days", "int"),
        "window_days": ("stay_window_days", "int"),
    },
    "visa": {
        "required": ("visa_required_nationalities", "codes"),
        "exempt": ("visa_exempt_nationalities", "codes"),
    },
    "minors": {"age": ("minor_age", "int"), "min_age_alone": ("min_age_alone", "int")},
    "movement": {"same_document_minutes": ("same_document_minutes", "int")},
    "watchlists": {
        "max_age_days": ("watchlist_max_age_days", "int"),
        "person_hit_score": ("person_hit_score", "int"),
        "person_possible_score": ("person_possible_score", "int"),
    },
    "decisions": {
        "blocking": ("blocking_checks", "ids"),
        "attention_if_not_run": ("attention_if_not_run", "ids"),
    },
}
_POST_KEYS: Final[frozenset[str]] = frozenset({"name", "state", "lanes", "direction", "refusal_forms"})
_OTHER_KEYS: Final[dict[str, frozenset[str]]] = {"decisions": frozenset({"reasons"})}


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in a post's configuration: the 1-based line (0 when unknown) and what is wrong."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class PostConfigError(ValueError):
    """A post's configuration cannot be used; ``problems`` lists every problem found, in line order."""

    title = "Post configuration not usable"

    def __init__(self, source: str, problems: list[ConfigProblem]) -> None:
        self.source = source
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__(
            "\n".join(
                f"{source}:{p.line}: {p.message}" if p.line else f"{source}: {p.message}"
                for p in self.problems
            )
        )


@dataclass(frozen=True, slots=True)
class PostConfig:
    """A post: its name and state, the lanes an officer picks from, the usual direction, where refusal
    forms are saved (relative to the configuration file, or absolute), the checks' settings and the
    reason codes."""

    name: str
    state: str = ""
    lanes: tuple[str, ...] = ()
    direction: str = "entry"
    refusal_forms: str = ""
    inspection: InspectionConfig = field(default_factory=InspectionConfig)
    reasons: ReasonTable = SCHENGEN_ANNEX_V_PART_B


class _Lines:
    """Finds the line of a table header or of a key inside a table in TOML source text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def table(self, table: str) -> int:
        pattern = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number
        return 0

    def key(self, table: str, key: str) -> int:
        start = self.table(table)
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        dotted = re.compile(rf"^\s*{re.escape(table)}\s*\.\s*{re.escape(key)}\s*=")
        for number, line in enumerate(self.lines, start=1):
            if start and number > start:
                if re.match(r"^\s*\[", line):
                    break
                if pattern.match(line):
                    return number
            elif not start and dotted.match(line):
                return number
        return start


def parse_post_config(text: str, source: str = "<post config>") -> PostConfig:
    """Return the post configuration in TOML ``text``; ``source`` names it in messages.

    Raises :class:`PostConfigError` listing every problem with its line: TOML syntax, unknown tables
    and keys, wrong types, unknown country codes or check ids, impossible settings.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise PostConfigError(
            source, [ConfigProblem(int(match.group(1)) if match else 0, f"not valid TOML: {exc}")]
        ) from None
    return _Reader(data, _Lines(text), source).read()


class _Reader:
    def __init__(self, data: Mapping[str, object], lines: _Lines, source: str) -> None:
        self.data = data
        self.lines = lines
        self.source = source
        self.problems: list[ConfigProblem] = []

    def problem(self, table: str, key: str | None, message: str) -> None:
        line = self.lines.key(table, key) if key else self.lines.table(table)
        where = f"[{table}] {key}" if key else f"[{table}]"
        self.problems.append(ConfigProblem(line, f"{where}: {message}"))

    def read(self) -> PostConfig:
        known = {"post", *_INSPECTION_KEYS}
        for name, value in self.data.items():
            if name not in known:
                self.problems.append(
                    ConfigProblem(
                        self.lines.table(name) or self.lines.key("", name),
                        f"unknown table [{name}]; known: {', '.join(sorted(known))}",
                    )
                )
            elif not isinstance(value, dict):
                self.problem(name, None, "must be a table")
        post = self._post()
        settings: dict[str, object] = {}
        for table, keys in _INSPECTION_KEYS.items():
            values = self.data.get(table, {})
            if not isinstance(values, dict):
                continue
            for key, value in values.items():
                if key in keys:
                    name, kind = keys[key]
                    converted = self._value(table, key, value, kind)
                    if converted is not None:
                        settings[name] = converted
                elif key not in _OTHER_KEYS.get(table, frozenset()):
                    allowed = sorted({*keys, *_OTHER_KEYS.get(table, frozenset())})
                    self.problem(table, key, f"unknown key; known: {', '.join(allowed)}")
        self._cross_checks(settings)
        inspection = InspectionConfig()
        if not self.problems:
            try:
                inspection = InspectionConfig(**settings)  # type: ignore[arg-type]
            except ValueError as exc:
                self.problems.append(ConfigProblem(0, str(exc)))
        reasons = self._reasons()
        if self.problems:
            raise PostConfigError(self.source, self.problems)
        return PostConfig(inspection=inspection, reasons=reasons, **post)  # type: ignore[arg-type]

    def _post(self) -> dict[str, object]:
        table = self.data.get("post")
        if not isinstance(table, dict):
            if table is None:
                self.problems.append(ConfigProblem(0, "[post] is missing: a post needs at least a name"))
            return {"name": ""}
        out: dict[str, object] = {}
        for key, value in table.items():
            if key not in _POST_KEYS:
                self.problem("post", key, f"unknown key; known: {', '.join(sorted(_POST_KEYS))}")
            elif key == "lanes":
                if not isinstance(value, list) or not value:
                    self.problem("post", key, "must be a non-empty list of lane names")
                    continue
                lanes = [
                    str(v).strip() for v in value if isinstance(v, str | int) and not isinstance(v, bool)
                ]
                if len(lanes) != len(value) or not all(lanes):
                    self.problem("post", key, "every lane must be a name or a number")
                elif len(set(lanes)) != len(lanes):
                    self.problem("post", key, "a lane appears twice")
                else:
                    out["lanes"] = tuple(lanes)
            elif not isinstance(value, str) or not value.strip():
                self.problem("post", key, "must be a non-empty string")
            elif key == "direction" and value not in ("entry", "exit"):
                self.problem("post", key, f"must be 'entry' or 'exit', got {value!r}")
            else:
                out[key] = " ".join(value.split()) if key != "refusal_forms" else value
        if "name" not in out and "name" not in table:
            self.problem("post", None, "needs a name")
        out.setdefault("name", "")
        return out

    def _value(self, table: str, key: str, value: object, kind: str) -> object | None:
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                self.problem(table, key, f"must be a whole number, got {value!r}")
                return None
            if value < 0:
                self.problem(table, key, f"must not be negative, got {value}")
                return None
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(table, key, "must be a list of strings")
            return None
        items = [v.strip() for v in value]
        if kind == "codes":
            items = [v.upper() for v in items]
            unknown = [v for v in items if not is_known_code(v)]
            if unknown:
                self.problem(table, key, f"unknown country code(s): {', '.join(unknown)}")
                return None
        elif kind == "words":
            items = [" ".join(v.upper().split()) for v in items]
        elif kind == "ids":
            unknown = [v for v in items if v not in CHECK_IDS]
            if unknown:
                self.problem(
                    table,
                    key,
                    f"unknown check id(s): {', '.join(unknown)}; known: {', '.join(sorted(CHECK_IDS))}",
                )
                return None
        return frozenset(items)

    def _cross_checks(self, settings: Mapping[str, object]) -> None:
        required = settings.get("visa_required_nationalities", frozenset())
        exempt = settings.get("visa_exempt_nationalities", frozenset())
        assert isinstance(required, frozenset) and isinstance(exempt, frozenset)
        both = sorted(required & exempt)
        if both:
            self.problem("visa", "exempt", f"{', '.join(both)} also listed as visa required")
        ruled = settings.get("stay_rule_nationalities", frozenset())
        free = settings.get("stay_rule_exempt_nationalities", frozenset())
        assert isinstance(ruled, frozenset) and isinstance(free, frozenset)
        if ruled & free:
            self.problem(
                "stay", "exempt", f"{', '.join(sorted(ruled & free))} also listed under nationalities"
            )
        limit = settings.get("stay_limit_days", 90)
        window = settings.get("stay_window_days", 180)
        assert isinstance(limit, int) and isinstance(window, int)
        if not 0 < limit <= window:
            self.problem("stay", "limit_days", f"must be more than 0 and at most window_days ({window})")
        possible = settings.get("person_possible_score", 70)
        hit = settings.get("person_hit_score", 85)
        assert isinstance(possible, int) and isinstance(hit, int)
        if not 0 <= possible <= hit <= 100:
            self.problem("watchlists", "person_possible_score", "needs 0 <= possible <= hit <= 100")
        minor = settings.get("minor_age", 18)
        alone = settings.get("min_age_alone", 0)
        assert isinstance(minor, int) and isinstance(alone, int)
        if alone > minor:
            self.problem("minors", "min_age_alone", f"must not be above the minor age ({minor})")

    def _reasons(self) -> ReasonTable:
        decisions = self.data.get("decisions")
        rows = decisions.get("reasons") if isinstance(decisions, dict) else None
        if rows is None:
            return SCHENGEN_ANNEX_V_PART_B
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and isinstance(r.get("code"), str) and isinstance(r.get("text"), str)
            for r in rows
        ):
            self.problem("decisions", "reasons", "must be a list of {code = ..., text = ...}")
            return SCHENGEN_ANNEX_V_PART_B
        try:
            return ReasonTable.from_rows((str(r["code"]), str(r["text"])) for r in rows)
        except ValueError as exc:
            self.problem("decisions", "reasons", str(exc))
            return SCHENGEN_ANNEX_V_PART_B
