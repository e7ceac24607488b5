"""The audit chain: each event's SHA-256 covers its own content and the previous event's hash.

``hash = sha256(prev_hash || canonical JSON of [seq, event_id, time, terminal_id, actor, action,
subject, details])``; the first event links to 64 zeros. Changing, removing or inserting an event
breaks the link after it. A retention purge removes a prefix of the chain: ``audit_anchor`` then says
which event comes first and what hash it links to, and the purge's own event, later in the chain,
repeats both, so the anchor cannot be moved without breaking the chain.

These functions run inside the caller's transaction on a :class:`sqlite3.Connection`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Final

from checkpoint.store.records import AuditEvent, JSONScalar, VerifyReport

GENESIS_HASH: Final = "0" * 64


def canonical(details: Mapping[str, JSONScalar]) -> str:
    """Return ``details`` as canonical JSON (sorted keys, no spaces): the stored and hashed form."""
    return json.dumps(dict(details), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    prev_hash: str,
    seq: int,
    event_id: str,
    time: str,
    terminal_id: str,
    actor: str,
    action: str,
    subject: str,
    details_json: str,
) -> str:
    """Return the hex SHA-256 of one event linked to ``prev_hash``."""
    body = json.dumps(
        [seq, event_id, time, terminal_id, actor, action, subject, details_json],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def chain_head(connection: sqlite3.Connection) -> tuple[int, str]:
    """Return (seq, hash) of the last event, or of the anchor's predecessor, or (0, genesis)."""
    row = connection.execute("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    anchor = connection.execute("SELECT first_seq, prev_hash FROM audit_anchor WHERE id = 1").fetchone()
    if anchor is not None:
        return int(anchor[0]) - 1, str(anchor[1])
    return 0, GENESIS_HASH


def append_event(
    connection: sqlite3.Connection,
    *,
    event_id: str,
    time: str,
    terminal_id: str,
    actor: str,
    action: str,
    subject: str,
    details: Mapping[str, JSONScalar],
) -> AuditEvent:
    """Append one event after the current head and return it. Call inside a write transaction."""
    last_seq, prev_hash = chain_head(connection)
    seq = last_seq + 1
    details_json = canonical(details)
    digest = event_hash(prev_hash, seq, event_id, time, terminal_id, actor, action, subject, details_json)
    connection.execute(
        "INSERT INTO audit_events (seq, event_id, time, terminal_id, actor, action, subject, details, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, event_id, time, terminal_id, actor, action, subject, details_json, prev_hash, digest),
    )
    return AuditEvent(
        seq,
        event_id,
        datetime.fromisoformat(time),
        terminal_id,
        actor,
        action,
        subject,
        dict(details),
        prev_hash,
        digest,
    )


def row_to_event(row: sqlite3.Row | tuple[object, ...]) -> AuditEvent:
    """Return the event of an ``audit_events`` row selected in column order."""
    seq, event_id, time, terminal_id, actor, action, subject, details, prev_hash, digest = tuple(row)
    return AuditEvent(
        int(str(seq)),
        str(event_id),
        datetime.fromisoformat(str(time)),
        str(terminal_id),
        str(actor),
        str(action),
        str(subject),
        json.loads(str(details)),
        str(prev_hash),
        str(digest),
    )


def verify_chain(connection: sqlite3.Connection) -> VerifyReport:
    """Walk the whole chain and return the report of the first broken link, if any.

    Detects: an event whose content no longer matches its hash (altered), an event whose link does not
    match the event before it (deleted or inserted before it), a gap in the sequence (deleted), an
    anchor not confirmed by a purge event, and a crossing whose decision event is missing.
    """
    anchor = connection.execute("SELECT first_seq, prev_hash FROM audit_anchor WHERE id = 1").fetchone()
    expected_seq, expected_prev = (int(anchor[0]), str(anchor[1])) if anchor else (1, GENESIS_HASH)
    first_seq: int | None = None
    last_seq: int | None = None
    count = 0
    anchor_confirmed = anchor is None

    def broken(seq: int | None, problem: str) -> VerifyReport:
        return VerifyReport(False, count, first_seq, last_seq, seq, problem)

    cursor = connection.execute(
        "SELECT seq, event_id, time, terminal_id, actor, action, subject, details, prev_hash, hash "
        "FROM audit_events ORDER BY seq"
    )
    for row in cursor:
        seq, event_id, time, terminal_id, actor, action, subject, details_json, prev_hash, digest = row
        if seq != expected_seq:
            if seq > expected_seq:
                missing = (
                    f"event {expected_seq}" if seq == expected_seq + 1 else f"events {expected_seq}-{seq - 1}"
                )
                return broken(expected_seq, f"{missing} missing (deleted)")
            return broken(seq, f"unexpected event number {seq} (expected {expected_seq})")
        if prev_hash != expected_prev:
            return broken(
                seq,
                "link to the previous event does not match: an event before it was deleted, "
                "inserted or altered",
            )
        recomputed = event_hash(
            prev_hash, seq, event_id, time, terminal_id, actor, action, subject, details_json
        )
        if recomputed != digest:
            return broken(seq, "content does not match its hash: the event was altered")
        if anchor is not None and action == "purge":
            try:
                facts = json.loads(details_json)
            except ValueError:
                facts = {}
            anchor_confirmed = (
                facts.get("chain_first_seq") == anchor[0] and facts.get("chain_prev_hash") == anchor[1]
            )
        if first_seq is None:
            first_seq = seq
        last_seq = seq
        count += 1
        expected_seq, expected_prev = seq + 1, digest
    if not anchor_confirmed:
        return broken(int(anchor[0]), "the chain's starting point was moved: no purge event records it")
    # A crossing recorded after the chain's first kept event must have its decision event.
    orphan = connection.execute(
        "SELECT c.crossing_id FROM crossings c "
        "WHERE c.time >= COALESCE((SELECT MIN(time) FROM audit_events), '') "
        "AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.subject = c.crossing_id AND e.action = 'decision') "
        "LIMIT 1"
    ).fetchone()
    if orphan is not None:
        return broken(last_seq, f"the decision event of crossing {orphan[0]} is missing: the chain was cut")
    return VerifyReport(True, count, first_seq, last_seq)
