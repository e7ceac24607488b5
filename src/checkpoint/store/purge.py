"""Retention purge: delete what is older than the cutoff without breaking the audit chain.

Crossings go unless a kept crossing corrects them (a correction chain goes whole, newest first).
Audit events go as a prefix of the chain only, so what remains is one unbroken run; ``audit_anchor``
records its first event and the hash it links to, and the caller then appends a ``purge`` event that
repeats both (see :mod:`checkpoint.store.chain`). The append-only triggers let deletions through only
while the ``maintenance`` flag row exists, i.e. inside this transaction.
"""

from __future__ import annotations

import sqlite3

from checkpoint.store import chain

_DELETABLE = (
    "SELECT crossing_id FROM crossings c WHERE c.time < ? "
    "AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = c.crossing_id)"
)


_SYNCED = " AND EXISTS (SELECT 1 FROM crossing_sync s WHERE s.crossing_id = c.crossing_id)"


def purge_before(
    db: sqlite3.Connection, cutoff: str, now: str, *, synced_through: int | None = None
) -> tuple[int, int, tuple[int, str] | None]:
    """Delete crossings and audit events before ``cutoff`` (stored timestamp form).

    With ``synced_through`` (a terminal that syncs to a post), only what the post holds goes: crossings
    marked synced, and audit events up to that number; other lanes' pulled crossings go by the cutoff.
    Returns (crossings deleted, events deleted, the anchor (first seq, prev hash) or None when the chain
    was never cut). Runs inside the caller's write transaction.
    """
    db.execute("INSERT INTO maintenance (id, purging) VALUES (1, 1)")
    deletable = _DELETABLE + ("" if synced_through is None else _SYNCED)
    # Each round's crossings are listed first: deleting their sync marks must not make them undeletable.
    db.execute("CREATE TEMP TABLE purge_round (crossing_id TEXT PRIMARY KEY)")
    crossings_deleted = 0
    while True:  # one correction link per round
        db.execute("DELETE FROM purge_round")
        db.execute(f"INSERT INTO purge_round (crossing_id) {deletable}", (cutoff,))
        listed = "SELECT crossing_id FROM purge_round"
        db.execute(f"DELETE FROM crossing_checks WHERE crossing_id IN ({listed})")
        db.execute(f"DELETE FROM crossing_sync WHERE crossing_id IN ({listed})")
        removed = db.execute(f"DELETE FROM crossings WHERE crossing_id IN ({listed})").rowcount
        if removed <= 0:
            break
        crossings_deleted += removed
    db.execute("DROP TABLE purge_round")
    head_seq, _head = chain.chain_head(db)
    first_kept = db.execute("SELECT MIN(seq) FROM audit_events WHERE time >= ?", (cutoff,)).fetchone()[0]
    keep_from = int(first_kept) if first_kept is not None else head_seq + 1
    if synced_through is not None:
        keep_from = min(keep_from, synced_through + 1)
        db.execute("DELETE FROM remote_crossings WHERE time < ?", (cutoff,))
    events_deleted = 0
    last_purged = db.execute("SELECT hash FROM audit_events WHERE seq = ?", (keep_from - 1,)).fetchone()
    if last_purged is not None:
        events_deleted = db.execute("DELETE FROM audit_events WHERE seq < ?", (keep_from,)).rowcount
        db.execute(
            "INSERT INTO audit_anchor (id, first_seq, prev_hash, purged_at) VALUES (1, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET first_seq = excluded.first_seq, prev_hash = excluded.prev_hash, "
            "purged_at = excluded.purged_at",
            (keep_from, str(last_purged[0]), now),
        )
    db.execute("DELETE FROM maintenance WHERE id = 1")
    anchor = db.execute("SELECT first_seq, prev_hash FROM audit_anchor WHERE id = 1").fetchone()
    return crossings_deleted, events_deleted, None if anchor is None else (int(anchor[0]), str(anchor[1]))


def unsynced_before(db: sqlite3.Connection, cutoff: str, synced_through: int) -> tuple[int, int]:
    """Return how many crossings and audit events older than ``cutoff`` the post does not hold yet."""
    crossings = db.execute(
        "SELECT COUNT(*) FROM crossings c WHERE c.time < ? "
        "AND NOT EXISTS (SELECT 1 FROM crossing_sync s WHERE s.crossing_id = c.crossing_id)",
        (cutoff,),
    ).fetchone()[0]
    events = db.execute(
        "SELECT COUNT(*) FROM audit_events WHERE time < ? AND seq > ?", (cutoff, synced_through)
    ).fetchone()[0]
    return int(crossings), int(events)
