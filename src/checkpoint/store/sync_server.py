"""The post's side of sync: what a terminal's push is checked against, and what terminals pull.

Runs on a psycopg connection in autocommit mode, so that each ``connection.transaction()`` here is a
real transaction (with autocommit off, psycopg would make it a savepoint of an outer one, and nothing
would be committed when the block ends).

A push is taken whole or not at all. The post keeps one audit chain per terminal, keyed by the chain
id the terminal's database was given when it was made, and the events it holds are final: an event
that arrives again must be the same event (same id, same hash), and a new one must continue the head.
Anything else is a cloned or rewritten terminal file: refused, recorded in ``sync_refusals`` for the
supervisor, never merged. Crossings and shifts arrive as the exact text the terminal stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

import psycopg

from checkpoint.store import chain
from checkpoint.store.crossing_sql import CROSSING_COLUMNS, timestamp
from checkpoint.store.errors import StoreError
from checkpoint.store.postgres import WRITE_LOCK_KEY

Row = tuple[Any, ...]
EVENT_COLUMNS = (
    "seq",
    "event_id",
    "time",
    "terminal_id",
    "actor",
    "action",
    "subject",
    "details",
    "prev_hash",
    "hash",
)
SHIFT_COLUMNS = (
    "shift_id",
    "officer_id",
    "post",
    "lane",
    "direction",
    "terminal_id",
    "opened_at",
    "closed_at",
    "close_note",
)
CHECK_COLUMNS = (
    "crossing_id",
    "position",
    "check_id",
    "version",
    "status",
    "message",
    "data_version",
    "details",
)


class SyncRefused(StoreError):
    """The post refused a push: the terminal's file was copied or rewritten. Never merged."""

    title: ClassVar[str] = "Sync refused"

    def __init__(
        self,
        message: str,
        *,
        chain_id: str,
        terminal_id: str,
        event_id: str | None = None,
        seq: int | None = None,
    ) -> None:
        super().__init__(message)
        self.chain_id = chain_id
        self.terminal_id = terminal_id
        self.event_id = event_id
        self.seq = seq

    @property
    def why(self) -> str:
        """A few words for the header: what kind of refusal this is."""
        text = str(self)
        if "copied" in text or "rewritten" in text:
            return "copied or rewritten file"
        if "altered" in text:
            return "altered record"
        return "does not match the post's copy"


@dataclass(frozen=True, slots=True)
class PushBatch:
    """One push: a run of the terminal's chain, and the shifts, crossings and checks it covers, each a
    row of the terminal's own text in the column order above."""

    chain_id: str
    terminal_id: str
    terminal_clock: str
    events: Sequence[Row] = ()
    shifts: Sequence[Row] = ()
    crossings: Sequence[Row] = ()
    checks: Sequence[Row] = ()


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the post committed: its receive time, the head of the terminal's chain, the clock skew."""

    received_at: str
    head_seq: int
    clock_skew_s: float
    crossings_added: int = 0
    events_added: int = 0


def content_sha256(crossing: Row, checks: Sequence[Row]) -> str:
    """Return the SHA-256 of a crossing's stored text and its checks: a re-sent crossing must match."""
    body = json.dumps([list(crossing), [list(c) for c in checks]], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def receive_push(connection: psycopg.Connection[Any], batch: PushBatch) -> Receipt:
    """Check and commit ``batch`` in one transaction and return the receipt.

    Raises SyncRefused (recorded in ``sync_refusals`` first) when the batch does not fit the post's copy.
    """
    if not connection.autocommit:
        # transaction() would then be a savepoint inside an open transaction: nothing committed at its end,
        # yet the terminal would mark the batch synced.
        raise ValueError("receive_push needs a connection in autocommit mode")
    try:
        with connection.transaction():
            return _apply(connection, batch)
    except SyncRefused as refusal:
        with connection.transaction():
            connection.execute(
                b"INSERT INTO sync_refusals (chain_id, terminal_id, event_id, seq, reason, refused_at) "
                b"SELECT %s, %s, %s, %s, %s, now()::text WHERE NOT EXISTS (SELECT 1 FROM sync_refusals "
                b"WHERE chain_id = %s AND seq IS NOT DISTINCT FROM %s AND reason = %s)",
                (
                    refusal.chain_id,
                    refusal.terminal_id,
                    refusal.event_id,
                    refusal.seq,
                    str(refusal),
                    refusal.chain_id,
                    refusal.seq,
                    str(refusal),
                ),
            )
        raise


def _apply(connection: psycopg.Connection[Any], batch: PushBatch) -> Receipt:
    connection.execute(b"SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
    server_now: datetime = connection.execute(b"SELECT now()").fetchone()[0]  # type: ignore[index]
    received = timestamp(server_now)
    skew = (datetime.fromisoformat(batch.terminal_clock) - server_now).total_seconds()
    terminal = batch.terminal_id

    def refuse(message: str, event_id: str | None = None, seq: int | None = None) -> SyncRefused:
        return SyncRefused(
            f"terminal {terminal}: {message}",
            chain_id=batch.chain_id,
            terminal_id=terminal,
            event_id=event_id,
            seq=seq,
        )

    head = connection.execute(
        b"SELECT terminal_id, head_seq, head_hash FROM terminal_chains WHERE chain_id = %s FOR UPDATE",
        (batch.chain_id,),
    ).fetchone()
    if head is None:
        if not batch.events:
            return Receipt(received, 0, skew)
        first = batch.events[0]
        connection.execute(
            b"INSERT INTO terminal_chains (chain_id, terminal_id, first_seq, first_prev_hash, head_seq, head_hash, "
            b"first_push_at, last_push_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (batch.chain_id, terminal, first[0], first[8], first[0] - 1, first[8], received, received),
        )
        head_seq, head_hash = int(first[0]) - 1, str(first[8])
    else:
        if head[0] != terminal:
            raise refuse(
                f"its chain {batch.chain_id} belongs to terminal {head[0]} at the post: a copied file"
            )
        head_seq, head_hash = int(head[1]), str(head[2])
    new_events: list[Row] = []
    # What the post already holds of this batch, looked up once: by number in this chain, by id anywhere.
    seqs = [int(e[0]) for e in batch.events]
    held_here: dict[int, tuple[str, str]] = {}
    if seqs and seqs[0] <= head_seq:
        held_here = {
            int(r[0]): (str(r[1]), str(r[2]))
            for r in connection.execute(
                b"SELECT seq, event_id, hash FROM terminal_events WHERE chain_id = %s AND seq BETWEEN %s AND %s",
                (batch.chain_id, min(seqs), min(max(seqs), head_seq)),
            )
        }
    held_ids = {
        str(r[0]): (str(r[1]), int(r[2]))
        for r in connection.execute(
            b"SELECT event_id, chain_id, seq FROM terminal_events WHERE event_id = ANY(%s)",
            ([str(e[1]) for e in batch.events if int(e[0]) > head_seq],),
        )
    }
    for event in batch.events:
        seq, event_id, time, terminal_id, actor, action, subject, details, prev_hash, digest = event
        if seq <= head_seq:
            held = held_here.get(int(seq))
            if held is None:
                raise refuse(
                    f"event {seq} ({event_id}) comes before the part of its chain the post holds",
                    event_id,
                    seq,
                )
            if (held[0], held[1]) != (event_id, digest):
                raise refuse(
                    f"event {seq} ({event_id}) differs from the post's copy (event {held[0]}): the terminal's "
                    "file was copied or rewritten; refused, not merged",
                    event_id,
                    seq,
                )
            continue
        if seq != head_seq + 1 or prev_hash != head_hash:
            raise refuse(
                f"event {seq} ({event_id}) does not continue the post's copy of its chain, which ends at event "
                f"{head_seq}: the terminal's file was copied or rewritten; refused, not merged",
                event_id,
                seq,
            )
        if terminal_id != terminal:
            raise refuse(f"event {seq} ({event_id}) names terminal {terminal_id}", event_id, seq)
        if (
            chain.event_hash(prev_hash, seq, event_id, time, terminal_id, actor, action, subject, details)
            != digest
        ):
            raise refuse(f"event {seq} ({event_id}) does not match its hash: it was altered", event_id, seq)
        elsewhere = held_ids.get(str(event_id))
        if elsewhere is not None:
            raise refuse(
                f"event {seq} ({event_id}) already arrived as event {elsewhere[1]} of chain {elsewhere[0]} "
                "with another hash: a copied file",
                event_id,
                seq,
            )
        new_events.append((batch.chain_id, *event, received))
        head_seq, head_hash = int(seq), str(digest)
    if new_events:
        with connection.cursor() as cursor:
            cursor.executemany(
                b"INSERT INTO terminal_events (chain_id, seq, event_id, time, terminal_id, actor, action, subject, "
                b"details, prev_hash, hash, received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                new_events,
            )
    post, lane = _receive_shifts(connection, batch, received, refuse)
    added = _receive_crossings(connection, batch, received, refuse)
    connection.execute(
        b"UPDATE terminal_chains SET head_seq = %s, head_hash = %s, last_push_at = %s, terminal_clock = %s, "
        b"clock_skew_seconds = %s, post = COALESCE(%s, post), lane = COALESCE(%s, lane) WHERE chain_id = %s",
        (head_seq, head_hash, received, batch.terminal_clock, skew, post, lane, batch.chain_id),
    )
    return Receipt(received, head_seq, skew, added, len(new_events))


def _receive_shifts(
    connection: psycopg.Connection[Any], batch: PushBatch, received: str, refuse: Any
) -> tuple[str | None, str | None]:
    post = lane = None
    for shift in batch.shifts:
        values = dict(zip(SHIFT_COLUMNS, shift, strict=True))
        if values["terminal_id"] != batch.terminal_id:
            raise refuse(f"shift {values['shift_id']} names terminal {values['terminal_id']}")
        held = connection.execute(
            b"SELECT officer_id, post, lane, direction, terminal_id, opened_at, closed_at, close_note FROM shifts "
            b"WHERE shift_id = %s",
            (values["shift_id"],),
        ).fetchone()
        if held is None:
            connection.execute(
                b"INSERT INTO shifts (shift_id, officer_id, post, lane, direction, terminal_id, opened_at, closed_at, "
                b"close_note, received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (*shift, received),
            )
        elif tuple(held[:6]) != tuple(shift[1:7]):
            raise refuse(f"shift {values['shift_id']} differs from the post's copy")
        elif held[6] is None and values["closed_at"] is not None:
            connection.execute(
                b"UPDATE shifts SET closed_at = %s, close_note = %s WHERE shift_id = %s",
                (values["closed_at"], values["close_note"], values["shift_id"]),
            )
        elif held[6] is not None and (held[6], held[7]) != (values["closed_at"], values["close_note"]):
            raise refuse(f"shift {values['shift_id']} was closed differently at the post")
        post, lane = str(values["post"]), str(values["lane"])
    return post, lane


def _receive_crossings(
    connection: psycopg.Connection[Any], batch: PushBatch, received: str, refuse: Any
) -> int:
    if not batch.crossings:
        return 0
    ids = [str(row[0]) for row in batch.crossings]
    checks: dict[str, list[Row]] = {crossing_id: [] for crossing_id in ids}
    for check in batch.checks:
        checks.setdefault(str(check[0]), []).append(check)
    decided = {
        str(r[0])
        for r in connection.execute(
            b"SELECT subject FROM terminal_events WHERE chain_id = %s AND action = 'decision' AND subject = ANY(%s)",
            (batch.chain_id, ids),
        )
    }
    # As in verification: a crossing older than the chain's first event the post holds needs none.
    first = connection.execute(
        b"SELECT time FROM terminal_events WHERE chain_id = %s ORDER BY seq LIMIT 1", (batch.chain_id,)
    ).fetchone()
    chain_starts = str(first[0]) if first is not None else ""
    held = {
        str(r[0]): str(r[1])
        for r in connection.execute(
            b"SELECT crossing_id, content_sha256 FROM crossings WHERE crossing_id = ANY(%s)", (ids,)
        )
    }
    new_rows: list[Row] = []
    new_checks: list[Row] = []
    for row in batch.crossings:
        crossing_id = str(row[0])
        if row[CROSSING_COLUMNS.index("terminal_id")] != batch.terminal_id:
            raise refuse(f"crossing {crossing_id} names another terminal")
        if crossing_id not in decided and str(row[CROSSING_COLUMNS.index("time")]) >= chain_starts:
            raise refuse(f"crossing {crossing_id} has no decision event in the terminal's chain")
        digest = content_sha256(row, checks[crossing_id])
        if crossing_id in held:
            if held[crossing_id] != digest:
                raise refuse(f"crossing {crossing_id} differs from the post's copy: the record was altered")
            continue
        new_rows.append((*row, received, digest, batch.chain_id))
        new_checks += checks[crossing_id]
    columns = ", ".join((*CROSSING_COLUMNS, "received_at", "content_sha256", "chain_id"))
    marks = ", ".join("%s" for _ in range(len(CROSSING_COLUMNS) + 3))
    with connection.cursor() as cursor:
        if new_rows:
            cursor.executemany(f"INSERT INTO crossings ({columns}) VALUES ({marks})".encode(), new_rows)
        if new_checks:
            cursor.executemany(
                b"INSERT INTO crossing_checks (crossing_id, position, check_id, version, status, message, "
                b"data_version, details) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                new_checks,
            )
    return len(new_rows)


# --- what terminals pull --------------------------------------------------------------------------


def officers(connection: psycopg.Connection[Any]) -> list[Row]:
    """Return every officer account: (officer_id, name, pin_hash, active, roles, created_at)."""
    return list(
        connection.execute(b"SELECT officer_id, name, pin_hash, active, roles, created_at FROM officers")
    )


def watchlist_head(connection: psycopg.Connection[Any], kind: str) -> Row | None:
    """Return HQ's newest published ``kind`` list: (number, version, list_date, imported_at, entry_count,
    source_name, sha256), or None."""
    return connection.execute(
        b"SELECT v.version_id, v.version, v.list_date, v.imported_at, v.entry_count, v.source_name, v.sha256 "
        b"FROM watchlist_versions v WHERE v.kind = %s "
        b"AND EXISTS (SELECT 1 FROM watchlist_files f WHERE f.version_id = v.version_id) "
        b"ORDER BY v.version_id DESC LIMIT 1",
        (kind,),
    ).fetchone()


def watchlist_file(connection: psycopg.Connection[Any], number: int) -> bytes | None:
    """Return the file of list version ``number`` byte for byte, or None when it is no longer kept."""
    row = connection.execute(b"SELECT data FROM watchlist_files WHERE version_id = %s", (number,)).fetchone()
    return None if row is None else bytes(row[0])


def crossings_after(
    connection: psycopg.Connection[Any], after_seq: int, terminal_id: str, since: str, limit: int = 5000
) -> list[Row]:
    """Return other terminals' crossings recorded at the post after ``after_seq`` (its own order, which
    is commit order: every writer holds the post's write lock), not older than ``since``:
    (seq, crossing_id, time, post, lane, direction, terminal_id, decision, document_number,
    issuing_state, corrects, received_at)."""
    return list(
        connection.execute(
            b"SELECT seq, crossing_id, time, post, lane, direction, terminal_id, decision, document_number, "
            b"issuing_state, corrects, received_at FROM crossings WHERE seq > %s AND terminal_id <> %s "
            b"AND time >= %s ORDER BY seq LIMIT %s",
            (after_seq, terminal_id, since, limit),
        )
    )
