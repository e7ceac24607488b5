"""The audit chain: each event's SHA-256 covers its own content and the previous event's hash.

``hash = sha256(prev_hash || canonical JSON of [seq, event_id, time, terminal_id, actor, action,
subject, details])``; the first event links to 64 zeros. Changing, removing or inserting an event
breaks the link after it. A retention purge removes a prefix of the chain: ``audit_anchor`` then says
which event comes first and what hash it links to, and the purge's own event, later in the chain,
repeats both, so the anchor cannot be moved without breaking the chain.

Records are bound to the chain too: the event that records a crossing, a shift's opening or closing,
or a watchlist version carries ``row_sha256``, the :func:`row_hash` of the record's content
(:func:`crossing_content`, :func:`shift_open_content`, ...). These functions are the one definition of
that content and its hash, whatever database holds the rows: a store builds the record from its row
and hashes it here.

These functions run inside the caller's transaction on a :class:`sqlite3.Connection`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Final

from checkpoint.store.crossing_sql import crossing_fields
from checkpoint.store.records import AuditEvent, Crossing, JSONScalar, Shift, VerifyReport, WatchlistInfo

GENESIS_HASH: Final = "0" * 64
ROW_HASH_KEY: Final = "row_sha256"
"""The audit detail that holds the :func:`row_hash` of the record the event binds."""
ENTRIES_HASH_KEY: Final = "entries_sha256"
"""The ``watchlist.import`` detail that holds the :func:`watchlist_entries_hash` of the list's entries."""

RowContent = Mapping[str, object]
"""A record's content as JSON-ready values (text, numbers, booleans, null, lists, mappings)."""


def row_hash(kind: str, content: RowContent) -> str:
    """Return the hex SHA-256 of a record's content: ``kind`` (``crossing``, ``shift.open``,
    ``shift.close``, ``watchlist``) and the canonical JSON of ``content`` (sorted keys, no spaces)."""
    body = json.dumps([kind, content], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _stamp(moment: datetime | None) -> str | None:
    # The stored time form (UTC, microseconds), whatever zone the record carries.
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def crossing_content(crossing: Crossing) -> RowContent:
    """Return what of a crossing the chain binds: every field and check, not its sync state."""
    return {
        **crossing_fields(crossing),
        "checks": [
            [c.check_id, c.version, c.status, c.message, c.data_version, dict(c.details)]
            for c in crossing.checks
        ],
    }


def shift_open_content(shift: Shift) -> RowContent:
    """Return what of a shift its ``shift.open`` event binds (the fields fixed when it opened)."""
    return {
        "shift_id": shift.shift_id,
        "officer_id": shift.officer_id,
        "post": shift.post,
        "lane": shift.lane,
        "direction": shift.direction,
        "terminal_id": shift.terminal_id,
        "opened_at": _stamp(shift.opened_at),
    }


def shift_close_content(shift: Shift) -> RowContent:
    """Return what of a shift its ``shift.close`` event binds (when it closed and the note)."""
    return {"shift_id": shift.shift_id, "closed_at": _stamp(shift.closed_at), "close_note": shift.close_note}


WATCHLIST_ENTRY_FIELDS: Final = {
    "documents": ("document_number", "issuing_state", "document_type", "reason", "reference"),
    "persons": ("surname", "given_names", "birth_date", "nationality", "reason", "reference"),
}
"""The fields of a watchlist entry, in the order :func:`watchlist_entries_hash` takes them."""


def watchlist_entries_hash(kind: str, entries: Iterable[Sequence[JSONScalar]]) -> str:
    """Return the hex SHA-256 of a watchlist version's entries, whatever order they are stored in.

    Each entry is its fields in :data:`WATCHLIST_ENTRY_FIELDS` order (dates as ISO text, absent as
    None); the entries are hashed sorted by their canonical JSON, so any database gives the same hash.
    """
    encoded = sorted(
        json.dumps(list(entry), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        for entry in entries
    )
    digest = hashlib.sha256(f"watchlist.entries:{kind}:{len(encoded)}\n".encode())
    for line in encoded:
        digest.update(line + b"\n")
    return digest.hexdigest()


def watchlist_content(version_id: int, info: WatchlistInfo, sha256: str) -> RowContent:
    """Return what of a watchlist version its ``watchlist.import`` event binds."""
    return {
        "version_id": version_id,
        "kind": info.kind,
        "version": info.version,
        "list_date": info.list_date.isoformat(),
        "imported_at": _stamp(info.imported_at),
        "entry_count": info.entry_count,
        "source_name": info.source_name,
        "sha256": sha256,
    }


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


EventObserver = Callable[[int, str, str, str], None]
"""``(seq, action, subject, details JSON)``: called for each event whose link verified."""


def verify_chain(
    connection: sqlite3.Connection,
    *,
    expect_head: str | None = None,
    observe: EventObserver | None = None,
) -> VerifyReport:
    """Walk the whole chain and return the report of the first broken link, if any.

    Detects: an event whose content no longer matches its hash (altered), an event whose link does not
    match the event before it (deleted or inserted before it), a gap in the sequence (deleted), an
    anchor not confirmed by a purge event, a crossing whose decision event is missing, and, given
    ``expect_head`` (an event hash written down earlier), a chain that no longer contains that event
    (its end was cut off). ``observe`` sees each verified event (to check rows against them).
    """
    anchor = connection.execute("SELECT first_seq, prev_hash FROM audit_anchor WHERE id = 1").fetchone()
    expected_seq, expected_prev = (int(anchor[0]), str(anchor[1])) if anchor else (1, GENESIS_HASH)
    first_seq: int | None = None
    last_seq: int | None = None
    count = 0
    anchor_confirmed = anchor is None
    head_found = expect_head is None
    head_hash: str | None = None

    def broken(seq: int | None, problem: str) -> VerifyReport:
        return VerifyReport(
            False, count, first_seq, last_seq, seq, problem, head_seq=last_seq, head_hash=head_hash
        )

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
        if observe is not None:
            observe(seq, action, subject, details_json)
        head_found = head_found or digest == expect_head
        if first_seq is None:
            first_seq = seq
        last_seq, head_hash = seq, digest
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
    if not head_found:
        purged = " (or it was purged since)" if anchor is not None else ""
        return broken(
            last_seq,
            f"the expected head {expect_head} is not in the chain{purged}: events were cut off its end, "
            "or this is another database",
        )
    return VerifyReport(True, count, first_seq, last_seq, head_seq=last_seq, head_hash=head_hash)
