"""Collecting a scenario's problems with their lines while it is read: every mistake, not the first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from checkpoint.training.forgery import as_date
from checkpoint.training.model import Problem
from checkpoint.training.toml_lines import SourceLines, TablePath


class Collector:
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

    def time_of_day(
        self, data: Mapping[str, Any], key: str, where: str, table: TablePath, *, default: time
    ) -> time:
        """Return ``data[key]`` as a time of day (a TOML time or ``HH:MM`` text), ``default`` when absent
        or wrong (a wrong one is a problem)."""
        value = data.get(key)
        if value is None:
            return default
        try:
            parsed = value if isinstance(value, time) else time.fromisoformat(str(value))
        except ValueError:
            self.add(where, table, key, f"must be a time HH:MM, got {value!r}")
            return default
        return parsed.replace(tzinfo=None)

    def unknown(self, data: Mapping[str, Any], known: frozenset[str], where: str, table: TablePath) -> None:
        for key in data:
            if key not in known:
                self.add(where, table, key, f"unknown key; expected one of {', '.join(sorted(known))}")
