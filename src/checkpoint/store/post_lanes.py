"""The supervisor's view of a post: every terminal that pushes to it, and the pushes it refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from checkpoint.store.sync_status import CLOCK_SKEW_LIMIT_S


@dataclass(frozen=True, slots=True)
class LaneState:
    """One terminal as the post sees it, for the supervisor."""

    terminal_id: str
    chain_id: str
    post: str
    lane: str
    head_seq: int
    last_push_at: datetime
    clock_skew_s: float | None
    refusals: int
    crossings: int

    @property
    def clock_flagged(self) -> bool:
        """Whether the terminal's clock is off by more than :data:`CLOCK_SKEW_LIMIT_S`."""
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > CLOCK_SKEW_LIMIT_S


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused push as recorded at the post."""

    terminal_id: str
    chain_id: str
    event_id: str | None
    seq: int | None
    reason: str
    refused_at: datetime


def lanes(connection: psycopg.Connection[Any]) -> list[LaneState]:
    """Return every terminal that has pushed to the post, by post and lane."""
    rows = connection.execute(
        b"SELECT t.terminal_id, t.chain_id, t.post, t.lane, t.head_seq, t.last_push_at, t.clock_skew_seconds, "
        b"(SELECT COUNT(*) FROM sync_refusals r WHERE r.chain_id = t.chain_id), "
        b"(SELECT COUNT(*) FROM crossings c WHERE c.chain_id = t.chain_id) "
        b"FROM terminal_chains t ORDER BY t.post, t.lane, t.terminal_id"
    )
    return [
        LaneState(r[0], r[1], r[2], r[3], int(r[4]), datetime.fromisoformat(r[5]), r[6], int(r[7]), int(r[8]))
        for r in rows
    ]


def refusals(connection: psycopg.Connection[Any], limit: int = 100) -> list[Refusal]:
    """Return the refused pushes, newest first."""
    rows = connection.execute(
        b"SELECT terminal_id, chain_id, event_id, seq, reason, refused_at FROM sync_refusals "
        b"ORDER BY refusal_id DESC LIMIT %s",
        (limit,),
    )
    return [Refusal(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5])) for r in rows]
