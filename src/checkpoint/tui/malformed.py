"""Malformed frames from the readers, counted between the reader threads and the app.

A noisy cable or a device in the wrong mode can send thousands of damaged frames a second. The reader
thread only adds each to a :class:`MalformedTally` and nudges the app when a burst starts; the app
drains the tally at most once per ``interval`` (a count and the latest frame) and tells the officer
at most once per ``notice_interval``. So a burst costs the event loop a few messages, not one (and one
notification) per frame, and the next good document is not stuck behind them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from checkpoint.drivers import MalformedFrame

DRAIN_INTERVAL: Final = 1.0
NOTICE_INTERVAL: Final = 10.0


@dataclass(frozen=True, slots=True)
class MalformedDrain:
    """What a drain found: how many frames, the latest one, and whether to tell the officer now."""

    count: int
    latest: MalformedFrame | None
    notify: bool


class MalformedTally:
    """A thread-safe count of malformed frames with the latest one, drained by the app on a schedule."""

    def __init__(
        self,
        monotonic: Callable[[], float],
        *,
        interval: float = DRAIN_INTERVAL,
        notice_interval: float = NOTICE_INTERVAL,
    ) -> None:
        self._monotonic = monotonic
        self.interval = interval
        self.notice_interval = notice_interval
        self._lock = threading.Lock()
        self._count = 0
        self._latest: MalformedFrame | None = None
        self._next_drain = float("-inf")
        self._next_notice = float("-inf")

    def add(self, frame: MalformedFrame) -> bool:
        """Count ``frame`` (from a reader thread); return True when it starts a burst: nudge the app."""
        with self._lock:
            self._count += 1
            self._latest = frame
            return self._count == 1

    def wait(self) -> float:
        """Return how many seconds until the app may drain again (0 when it may now)."""
        return max(0.0, self._next_drain - self._monotonic())

    def drain(self) -> MalformedDrain:
        """Take the count and the latest frame (from the app's thread) and schedule the next drain."""
        now = self._monotonic()
        with self._lock:
            count, latest = self._count, self._latest
            self._count, self._latest = 0, None
        self._next_drain = now + self.interval
        notify = count > 0 and now >= self._next_notice
        if notify:
            self._next_notice = now + self.notice_interval
        return MalformedDrain(count, latest, notify)
