"""Where a table or key of a TOML file is written: :mod:`tomllib` gives values, not line numbers.

The scenario validator names the line of a mistake, so the trainer can go straight to it. This is a
line scanner for the plain TOML a person writes (headers ``[x]`` / ``[[x]]`` on their own lines, one
``key = value`` per line, multi-line strings and arrays); it never decides what the values are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]]+?)\s*(\]\]|\])\s*(#.*)?$")
_KEY = re.compile(r"""^\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*=""")

TablePath = tuple[str | int, ...]
"""A table as the scanner names it: ``("context",)``, ``("case", 3)``, ``("case", 3, "document")``."""


def _part(name: str) -> str:
    return name.strip().strip("\"'")


class SourceLines:
    """The line (1-based) of every table header and key in a TOML text.

    Arrays of tables are numbered from 1 in file order: the third ``[[case]]`` is ``("case", 3)``, and a
    ``[case.document]`` header after it is ``("case", 3, "document")``.
    """

    def __init__(self, text: str) -> None:
        self._tables: dict[TablePath, int] = {}
        self._keys: dict[tuple[TablePath, str], int] = {}
        counts: dict[str, int] = {}
        current: TablePath = ()
        in_string: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string is not None:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = _HEADER.match(line)
            if header:
                parts = [_part(p) for p in header.group(2).split(".")]
                current = self._resolve(parts, header.group(1) == "[[", counts)
                self._tables.setdefault(current, number)
                continue
            key = _KEY.match(line)
            if key:
                self._keys.setdefault((current, _part(key.group(1))), number)
                rest = line[key.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_string = quote

    @staticmethod
    def _resolve(parts: Sequence[str], array: bool, counts: dict[str, int]) -> TablePath:
        # A sub-table of an array of tables belongs to that array's latest element.
        path: list[str | int] = []
        for index, name in enumerate(parts):
            path.append(name)
            dotted = ".".join(parts[: index + 1])
            last = index == len(parts) - 1
            if last and array:
                counts[dotted] = counts.get(dotted, 0) + 1
                path.append(counts[dotted])
            elif not last and dotted in counts:
                path.append(counts[dotted])
        return tuple(path)

    def line(self, table: TablePath, key: str | None = None) -> int | None:
        """Return the line of ``key`` in ``table`` (or of the table's header when the key is not written
        there, or ``key`` is None); None when neither is in the text."""
        if key is not None and (table, key) in self._keys:
            return self._keys[(table, key)]
        probe = table
        while probe:
            if probe in self._tables:
                return self._tables[probe]
            probe = probe[:-1]
        return None
