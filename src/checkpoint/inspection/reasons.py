"""Reason codes for a refusal: the Schengen Borders Code table by default, replaceable per post.

The default table is Regulation (EU) 2016/399, Annex V, Part B (standard form for refusal of entry),
letters A to I. A post with other rules builds its own table with :meth:`ReasonTable.from_rows` from
rows it read from its configuration (this module does no I/O).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,15}")


@dataclass(frozen=True, slots=True)
class ReasonCode:
    """One reason: a short code (``"A"``) and the text the officer and the traveller read."""

    code: str
    text: str


class ReasonTable:
    """An ordered, immutable table of reason codes with lookup by code."""

    __slots__ = ("_by_code",)

    def __init__(self, reasons: Iterable[ReasonCode]) -> None:
        by_code: dict[str, ReasonCode] = {}
        for reason in reasons:
            if reason.code in by_code:
                raise ValueError(f"reason code {reason.code!r} appears twice in the table")
            by_code[reason.code] = reason
        if not by_code:
            raise ValueError("a reason table needs at least one reason")
        self._by_code = by_code

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> ReasonTable:
        """Build a table from ``(code, text)`` rows, e.g. read from a post's CSV or TOML file.

        Returns the table. Raises ``ValueError`` naming the row (1-based) whose code or text is
        unusable, or a duplicate code.
        """
        reasons = []
        for number, (code, text) in enumerate(rows, start=1):
            code = code.strip().upper()
            text = " ".join(text.split())
            if not _CODE.fullmatch(code):
                raise ValueError(
                    f"reason row {number}: code {code!r} must be 1-16 letters, digits, '.', '_' or '-'"
                )
            if not text:
                raise ValueError(f"reason row {number}: code {code!r} has no text")
            reasons.append(ReasonCode(code, text))
        return cls(reasons)

    def __iter__(self) -> Iterator[ReasonCode]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> ReasonCode:
        """Return the reason for ``code``; raise ``KeyError`` listing the valid codes if it is unknown."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown reason code {code!r}; valid codes: {', '.join(self._by_code)}") from None

    def validate(self, codes: Iterable[str]) -> tuple[str, ...]:
        """Return ``codes`` as a tuple if every one is in the table; raise ``KeyError`` on the first that is not."""
        result = tuple(codes)
        for code in result:
            self.get(code)
        return result


SCHENGEN_ANNEX_V_PART_B: ReasonTable = ReasonTable(
    [
        ReasonCode("A", "has no valid travel document(s)"),
        ReasonCode("B", "has a false, counterfeit or forged travel document"),
        ReasonCode("C", "has no valid visa or residence permit"),
        ReasonCode("D", "has a false, counterfeit or forged visa or residence permit"),
        ReasonCode("E", "has no appropriate documentation justifying the purpose and conditions of stay"),
        ReasonCode(
            "F",
            "has already stayed for 90 days during a 180-day period on the territory of the Member States",
        ),
        ReasonCode(
            "G",
            "does not have sufficient means of subsistence in relation to the period and form of stay, "
            "or the means to return to the country of origin or transit",
        ),
        ReasonCode("H", "is a person for whom an alert has been issued for the purposes of refusing entry"),
        ReasonCode(
            "I",
            "is considered to be a threat to public policy, internal security, public health or the "
            "international relations of one or more of the Member States",
        ),
    ]
)
"""The default table: Schengen Borders Code, Annex V, Part B, letters A-I."""
