"""MRZ dates (YYMMDD): century inference against a reference day, partial and impossible dates."""

from __future__ import annotations

from datetime import date
from typing import Final

BIRTH: Final = "birth"
EXPIRY: Final = "expiry"


def infer_year(yy: int, month: int, day: int, today: date, kind: str) -> int:
    """Return the four-digit year of ``yy``.

    A birth date is the most recent one not after ``today``; an expiry date the one within 50 years
    either side of ``today`` (the nearest of the three candidate centuries).
    """
    year = today.year
    base = year - year % 100 + yy
    later = (month, day) > (today.month, today.day)
    if kind == BIRTH:
        return base - 100 if base > year or (base == year and later) else base
    # Within 50 years either side; exactly 50 years either way is a tie that the later century wins,
    # as documents are read before they expire.
    if base > year + 50 or (base == year + 50 and later):
        return base - 100
    if base < year - 50 or (base == year - 50 and not later):
        return base + 100
    return base


def decode_date(raw: str, today: date, kind: str) -> tuple[date | None, str | None, int, int, str]:
    """Read a six-character YYMMDD field.

    Returns ``(value, problem, start, end, message)``: ``problem`` is ``None`` for a full valid date,
    ``"partial"`` for one with ``<<`` parts, ``"character"`` for a character that is neither digit
    nor filler and ``"impossible"`` for a date that cannot exist; ``start``/``end`` locate the culprit
    inside the field. Never raises.
    """
    if raw.isdigit() and len(raw) == 6:
        yy, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:])
        if not 1 <= month <= 12:
            return None, "impossible", 2, 4, f"month {raw[2:4]} does not exist"
        year = infer_year(yy, month, day, today, kind)
        try:
            return date(year, month, day), None, 0, 6, ""
        except ValueError:
            return None, "impossible", 4, 6, f"day {raw[4:]} does not exist in {year:04d}-{month:02d}"
    for i, c in enumerate(raw):
        if not (c.isdigit() or c == "<"):
            return None, "character", i, i + 1, f"{c!r} is not a digit"
    parts = (raw[:2], raw[2:4], raw[4:6])
    for n, part in enumerate(parts):
        if "<" in part and part != "<<":
            return None, "character", 2 * n, 2 * n + 2, f"{part!r} mixes digits and fillers"
    unknown = [name for name, part in zip(("year", "month", "day"), parts, strict=True) if part == "<<"]
    if parts[1] != "<<" and not 1 <= int(parts[1]) <= 12:
        return None, "impossible", 2, 4, f"month {parts[1]} does not exist"
    if parts[2] != "<<" and not 1 <= int(parts[2]) <= 31:
        return None, "impossible", 4, 6, f"day {parts[2]} does not exist"
    return (
        None,
        "partial",
        0,
        6,
        f"the {' and '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} unknown",
    )
