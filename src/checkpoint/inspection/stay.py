"""The short-stay calculator: days of presence in any 180-day window (Schengen Borders Code art. 6).

Days of entry and of exit both count as days of stay. Stays are rebuilt from admitted crossings: an
entry opens a stay, the next exit closes it. An entry that is followed by another entry with no exit
between is taken to have lasted until that next entry (the exit was most likely recorded elsewhere); an
exit with no entry before it is ignored, since its start is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Stay:
    """A period of presence, both days included."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"a stay cannot end ({self.last_day}) before it starts ({self.first_day})")


def stays_from_movements(movements: Iterable[tuple[date, str]], open_until: date) -> list[Stay]:
    """Return the stays described by admitted ``(day, "entry"|"exit")`` movements in time order.

    A stay still open at the end runs until ``open_until`` (the crossing date being checked).
    Raises ``ValueError`` for a direction other than entry or exit.
    """
    stays: list[Stay] = []
    opened: date | None = None
    for day, direction in movements:
        if direction == "entry":
            if opened is not None:
                stays.append(Stay(opened, max(opened, day)))
            opened = day
        elif direction == "exit":
            if opened is not None:
                stays.append(Stay(opened, max(opened, day)))
                opened = None
        else:
            raise ValueError(f"movement direction must be 'entry' or 'exit', got {direction!r}")
    if opened is not None:
        stays.append(Stay(opened, max(opened, open_until)))
    return stays


def days_in_window(stays: Iterable[Stay], window_end: date, window_days: int = 180) -> int:
    """Return the number of distinct days of ``stays`` within the ``window_days`` ending on ``window_end``.

    Overlapping stays are counted once.
    """
    window_start = window_end - timedelta(days=window_days - 1)
    clipped = sorted(
        (max(stay.first_day, window_start), min(stay.last_day, window_end))
        for stay in stays
        if stay.last_day >= window_start and stay.first_day <= window_end
    )
    total = 0
    current_start: date | None = None
    current_end: date | None = None
    for start, end in clipped:
        if current_end is not None and start <= current_end + timedelta(days=1):
            current_end = max(current_end, end)
            continue
        if current_start is not None and current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_start is not None and current_end is not None:
        total += (current_end - current_start).days + 1
    return total
