"""A terminal's sync state, kept in its own database (``sync_status``): what the header and the
supervisor show, and what :mod:`checkpoint.store.sync` records after each round. No network here, and
no psycopg: the client reads it whether or not the terminal syncs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from checkpoint.store.sqlite import SQLiteStore

CLOCK_SKEW_LIMIT_S: Final = 300.0
"""A terminal whose clock is further than this from the post's is shown to the supervisor."""


@dataclass(frozen=True, slots=True)
class SyncState:
    """The terminal's sync state as the header and the supervisor show it."""

    syncs: bool
    crossings_waiting: int
    events_waiting: int
    last_ok_at: datetime | None
    offline_since: datetime | None
    refused: str | None
    clock_skew_s: float | None
    peers_as_of: datetime | None
    refused_why: str | None = None

    @property
    def clock_flagged(self) -> bool:
        """Whether the terminal's clock is off from the post's by more than a few minutes."""
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > CLOCK_SKEW_LIMIT_S

    def describe(self) -> str:
        """Return one line: ``synced``, ``N waiting``, ``offline since HH:MM``, ``refused: why``."""
        if not self.syncs:
            return "not synced: standalone terminal"
        if self.refused:
            return f"refused: {self.refused}"
        waiting = f"{self.crossings_waiting} waiting" if self.crossings_waiting or self.events_waiting else ""
        if self.offline_since is not None:
            since = f"offline since {self.offline_since:%H:%M}"
            return f"{since}, {waiting}" if waiting else since
        if self.last_ok_at is None:
            return waiting or "not synced yet"
        return waiting or "synced"


def read_status(store: SQLiteStore) -> dict[str, str]:
    with store._read() as db:
        return {str(k): str(v) for k, v in db.execute("SELECT key, value FROM sync_status")}


def write_status(store: SQLiteStore, **values: str | None) -> None:
    with store._write() as db:
        for key, value in values.items():
            if value is None:
                db.execute("DELETE FROM sync_status WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT INTO sync_status (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def sync_state(store: SQLiteStore) -> SyncState:
    """Return the terminal's sync state (counts of what waits, last success, offline, refusal, skew)."""
    status = read_status(store)
    with store._read() as db:
        crossings = db.execute(
            "SELECT COUNT(*) FROM crossings c WHERE NOT EXISTS "
            "(SELECT 1 FROM crossing_sync s WHERE s.crossing_id = c.crossing_id)"
        ).fetchone()[0]
        last = db.execute("SELECT last_seq FROM sync_events WHERE id = 1").fetchone()
        events = db.execute(
            "SELECT COUNT(*) FROM audit_events WHERE seq > ?", (0 if last is None else int(last[0]),)
        ).fetchone()[0]
    skew = status.get("clock_skew_s")
    return SyncState(
        "server" in status,
        int(crossings),
        int(events),
        _when(status.get("last_ok_at")),
        _when(status.get("offline_since")),
        status.get("refused"),
        None if skew is None else float(skew),
        _when(status.get("peers_as_of")),
        status.get("refused_why"),
    )


def chain_id(store: SQLiteStore) -> str:
    """Return the terminal's audit chain id (fixed when its database was made)."""
    with store._read() as db:
        return str(db.execute("SELECT value FROM settings WHERE key = 'chain_id'").fetchone()[0])
