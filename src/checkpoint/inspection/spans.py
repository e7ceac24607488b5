"""Small date arithmetic shared by the checks: whole years between dates and human spans."""

from __future__ import annotations

from datetime import date


def years_between(earlier: date, later: date) -> int:
    """Return the completed years from ``earlier`` to ``later`` (an age).

    A 29 February birthday is completed on 1 March in common years, as most civil codes count it.
    Returns a negative number when ``later`` is before ``earlier``.
    """
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def describe_span(earlier: date, later: date) -> str:
    """Return the time from ``earlier`` to ``later`` in words: ``"1 day"``, ``"3 months"``, ``"14 years"``.

    Raises ``ValueError`` when ``later`` is before ``earlier``.
    """
    days = (later - earlier).days
    if days < 0:
        raise ValueError(f"a span cannot be negative: {earlier} is after {later}")
    if days < 60:
        return "1 day" if days == 1 else f"{days} days"
    if days < 730:
        return f"{days // 30} months"
    return f"{years_between(earlier, later)} years"
