"""The queue of document reads waiting for the officer, and the rule that a document read twice within a
few seconds is one read.

Pure and thread-agnostic: the app calls it from the event loop only. A read that arrives while the officer
is deciding on another waits here, in arrival order; nothing is dropped except a repeat of the same
document within the de-duplication window (a passport left on the reader, a double scan).
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from checkpoint.drivers.events import ChipOutcome

# Seconds during which the same machine-readable zone seen again counts as the same read.
DEFAULT_REPEAT_WINDOW: Final = 5.0

MANUAL_SOURCE: Final = "manual"
VIZ_SOURCE: Final = "manual:viz"
"""The source of a document typed from its visual zone (no MRZ, or none readable)."""


@dataclass(frozen=True, slots=True)
class Arrival:
    """One document read waiting for review: its MRZ lines, where they came from, when (UTC), what the
    reader's chip antenna made of the document (None: the reader has none), and the date of issue when
    the source knows it (typed from the visual zone; the chip's DG12)."""

    lines: tuple[str, ...]
    source: str
    received_at: datetime
    chip: ChipOutcome | None = None
    issue_date: date | None = None


def _identity(lines: Iterable[str]) -> tuple[str, ...]:
    # Readers differ in trailing blanks and case; the document is the same.
    return tuple(line.strip().upper() for line in lines if line.strip())


class Intake:
    """A first-in first-out queue of :class:`Arrival` that folds repeats within ``window`` seconds.

    The window slides: a document lying on a reader that keeps reading it stays one read for as long as
    it keeps being seen. ``monotonic`` is injectable so tests control time.
    """

    def __init__(
        self, window: float = DEFAULT_REPEAT_WINDOW, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._window = window
        self._monotonic = monotonic
        self._queue: collections.deque[Arrival] = collections.deque()
        self._last_seen: dict[tuple[str, ...], float] = {}
        self.repeats = 0

    def offer(self, arrival: Arrival, *, fold_repeats: bool = True) -> bool:
        """Queue ``arrival``; return False when it repeats a document seen within the window.

        Manual entries pass ``fold_repeats=False``: an officer typing a document in means it.
        """
        now = self._monotonic()
        key = _identity(arrival.lines)
        self._last_seen = {k: t for k, t in self._last_seen.items() if now - t < self._window}
        repeat = key in self._last_seen
        self._last_seen[key] = now
        if repeat and fold_repeats:
            self.repeats += 1
            return False
        self._queue.append(arrival)
        return True

    def take(self) -> Arrival | None:
        """Return the oldest waiting read and remove it from the queue, or None when there is none."""
        return self._queue.popleft() if self._queue else None

    def __len__(self) -> int:
        return len(self._queue)
