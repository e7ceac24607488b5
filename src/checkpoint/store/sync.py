"""A terminal's sync with its post: push what it recorded, pull what HQ and the other lanes did.

Push is idempotent and resumable. Records travel as the exact text the terminal stored, with their
UUIDv7 ids, in batches cut along the audit chain (a batch carries a run of events and the crossings
whose decision events are in it). The post commits a batch whole (:func:`sync_server.receive_push`),
and only then does the terminal mark the batch synced, in one local transaction: a sync killed at any
instant leaves marks that are a subset of what the post holds, and the next push re-sends the rest,
which the post recognises event by event and takes once.

Pull brings HQ's officer accounts (name, PIN hash, roles, active; lockout counters stay local), the
newest watchlist version of each kind (checked against its SHA-256 and switched in one transaction;
an older version never replaces a newer one), and the other lanes' crossings for the movement and
stay checks, with the time they were pulled.

The link: every exchange runs under a :class:`~checkpoint.store.pg_connection.Deadline`; the
connection has libpq's connect timeout, keepalives and ``tcp_user_timeout``. A failure leaves the
terminal "offline since" its first failed attempt, and the next attempt starts over from the marks.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, Final

import psycopg

from checkpoint.store import sync_server
from checkpoint.store.crossing_sql import CROSSING_COLUMNS, timestamp
from checkpoint.store.errors import StoreError, StoreUnavailable
from checkpoint.store.pg_connection import Deadline, connect, redact
from checkpoint.store.records import WATCHLIST_KINDS, WatchlistInfo, WatchlistKind
from checkpoint.store.sqlite import SQLiteStore
from checkpoint.store.sqlite_watchlists import store_entries
from checkpoint.store.sync_server import PushBatch, Receipt, SyncRefused
from checkpoint.store.sync_status import (
    CLOCK_SKEW_LIMIT_S,
    SyncState,
    chain_id,
    read_status,
    sync_state,
    write_status,
)
from checkpoint.store.watchlist_csv import parse_watchlist

logger = logging.getLogger(__name__)

BATCH_EVENTS: Final = 1000
MIN_BATCH_EVENTS: Final = 20
PEER_WINDOW: Final = timedelta(days=200)
"""How far back other lanes' crossings are pulled: the stay rule looks at 180 days."""
TARGET: Final = "post"

__all__ = [
    "PullReport",
    "SyncClient",
    "SyncOffline",
    "SyncRefused",
    "SyncReport",
    "SyncState",
    "apply_watchlist",
    "sync_state",
]


class SyncOffline(StoreUnavailable):
    """The post could not be reached, or stopped answering; nothing is lost, the next sync resumes."""

    title = "Post unreachable"


@dataclass(frozen=True, slots=True)
class PullReport:
    """What a pull changed on the terminal."""

    officers_changed: int = 0
    watchlists: tuple[str, ...] = ()
    crossings: int = 0


@dataclass(frozen=True, slots=True)
class SyncReport:
    """One sync round: what was pushed and pulled, and the terminal's clock against the post's."""

    events_pushed: int
    crossings_pushed: int
    batches: int
    pull: PullReport
    clock_skew_s: float | None


def apply_watchlist(store: SQLiteStore, kind: WatchlistKind, head: tuple[Any, ...], data: bytes) -> bool:
    """Switch the terminal to HQ's list version ``head`` (see :func:`sync_server.watchlist_head`) with
    its file ``data``, in one transaction; return False, changing nothing, when the terminal already has
    this version or a newer one. Raises StoreError when the file does not match its SHA-256."""
    number, version, list_date, _imported, _count, source_name, sha256 = head
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise StoreError(f"HQ's {kind} list {version} (#{number}) does not match its SHA-256: not applied")
    parsed = parse_watchlist(data, kind, f"HQ {kind} list {version}")
    now = store._now()
    with store._write() as db:
        held = db.execute("SELECT MAX(hq_number) FROM watchlist_versions WHERE kind = ?", (kind,)).fetchone()[
            0
        ]
        if held is not None and int(held) >= int(number):
            return False
        info = WatchlistInfo(
            kind, str(version), date.fromisoformat(str(list_date)), now, parsed.entry_count, str(source_name)
        )
        version_id = store_entries(db, parsed, info, digest)
        db.execute(
            "UPDATE watchlist_versions SET hq_number = ? WHERE version_id = ?", (int(number), version_id)
        )
        store._event(
            db,
            "watchlist.pull",
            "sync",
            kind,
            {"version": info.version, "number": int(number), "entries": info.entry_count, "sha256": digest},
            now=now,
        )
    logger.info("%s watchlist %s (#%s) pulled from HQ", kind, version, number)
    return True


class SyncClient:
    """Syncs one terminal's store with its post at ``server`` (a libpq URL or connection string)."""

    def __init__(
        self, store: SQLiteStore, server: str, *, deadline_s: float = 30.0, batch_events: int = BATCH_EVENTS
    ) -> None:
        self.store = store
        self.server = server
        self.deadline_s = deadline_s
        self.batch_events = batch_events
        # Halved after a batch overran the deadline (a slow link), doubled back after each success.
        self.batch_now = batch_events
        self.last_overran = False
        self.where = redact(server)
        self._chain_id = chain_id(store)

    @contextmanager
    def session(self) -> Iterator[psycopg.Connection[Any]]:
        """Yield a connection to the post (autocommit: each server-side transaction is a real one).
        Raises SyncOffline when the post cannot be reached or its schema is missing."""
        try:
            with connect(self.server, deadline_s=self.deadline_s, autocommit=True) as connection:
                yield connection
        except psycopg.errors.UndefinedTable as exc:
            raise SyncOffline(
                f"{self.where} has no checkpoint schema: run `checkpoint post init` there"
            ) from exc
        except psycopg.OperationalError as exc:
            raise SyncOffline(
                f"cannot sync with {self.where}: {str(exc).strip() or type(exc).__name__}"
            ) from exc

    def exchange(self, connection: psycopg.Connection[Any], work: Callable[[], Any]) -> Any:
        """Run ``work`` (which talks to the post over ``connection``) under the deadline."""
        self.last_overran = False
        with Deadline(connection, self.deadline_s) as deadline:
            try:
                return work()
            except psycopg.OperationalError as exc:
                if deadline.expired:
                    self.last_overran = True
                    raise psycopg.OperationalError(
                        f"{self.where} did not answer within {self.deadline_s:.0f} s (a dead or very slow "
                        "link: the next attempt sends smaller batches)"
                    ) from exc
                raise

    def sync_once(self) -> SyncReport:
        """Push everything waiting, then pull; record the outcome for the header. Raises SyncOffline
        (the link) or SyncRefused (the post refused this terminal's chain)."""
        status = read_status(self.store)
        if status.get("server") != self.where:
            write_status(self.store, server=self.where)
        try:
            with self.session() as connection:
                pushed = self.push(connection)
                pulled = self.pull(connection)
        except SyncRefused as refusal:
            write_status(self.store, refused=str(refusal), refused_why=refusal.why, offline_since=None)
            logger.error("the post refused this terminal's push: %s", refusal)
            raise
        except (SyncOffline, psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if not status.get("offline_since"):
                write_status(self.store, offline_since=timestamp(datetime.now(UTC)))
            if isinstance(exc, SyncOffline):
                raise
            raise SyncOffline(
                f"lost the link to {self.where}: {str(exc).strip() or type(exc).__name__}"
            ) from exc
        except psycopg.Error as exc:
            message = f"{self.where} could not take the push: {str(exc).strip()}"
            write_status(
                self.store, refused=message, refused_why="the post's database refused it", offline_since=None
            )
            raise StoreError(message) from exc
        events, crossings, batches, skew = pushed
        write_status(
            self.store,
            last_ok_at=timestamp(datetime.now(UTC)),
            offline_since=None,
            refused=None,
            refused_why=None,
        )
        if skew is not None:
            write_status(self.store, clock_skew_s=f"{skew:.1f}")
        return SyncReport(events, crossings, batches, pulled, skew)

    # --- push --------------------------------------------------------------------------------------

    def _next_batch(self) -> tuple[PushBatch, int, list[tuple[str, int]]] | None:
        """Return the next batch to push, the last event number in it and its shifts' (id, closed)."""
        with self.store._read() as db:
            row = db.execute("SELECT last_seq FROM sync_events WHERE id = 1").fetchone()
            after = 0 if row is None else int(row[0])
            events = [
                tuple(r)
                for r in db.execute(
                    "SELECT seq, event_id, time, terminal_id, actor, action, subject, details, prev_hash, hash "
                    "FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?",
                    (after, self.batch_now),
                )
            ]
            shifts = [
                tuple(r)
                for r in db.execute(
                    "SELECT s.shift_id, s.officer_id, s.post, s.lane, s.direction, s.terminal_id, s.opened_at, "
                    "s.closed_at, s.close_note FROM shifts s LEFT JOIN shift_sync y ON y.shift_id = s.shift_id "
                    "WHERE y.shift_id IS NULL OR (s.closed_at IS NOT NULL AND y.closed = 0) ORDER BY s.opened_at"
                )
            ]
            if not events and not shifts:
                return None
            last = int(events[-1][0]) if events else after
            columns = ", ".join(f"c.{name}" for name in CROSSING_COLUMNS)
            # Crossings older than the chain's first kept event (a purge before this terminal synced,
            # keeping an old crossing that a newer one corrects) have no decision event left to go with.
            crossings = [
                tuple(r)
                for r in db.execute(
                    f"SELECT {columns} FROM crossings c WHERE c.time < (SELECT MIN(time) FROM audit_events) "
                    "AND NOT EXISTS (SELECT 1 FROM crossing_sync s WHERE s.crossing_id = c.crossing_id) "
                    "ORDER BY c.seq"
                )
            ]
            crossings += [
                tuple(r)
                for r in db.execute(
                    f"SELECT {columns} FROM crossings c JOIN audit_events e "
                    "ON e.subject = c.crossing_id AND e.action = 'decision' "
                    "WHERE e.seq > ? AND e.seq <= ? ORDER BY c.seq",
                    (after, last),
                )
            ]
            checks: list[tuple[Any, ...]] = []
            ids = [str(c[0]) for c in crossings]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                checks += [
                    tuple(r)
                    for r in db.execute(
                        "SELECT crossing_id, position, check_id, version, status, message, data_version, details "
                        f"FROM crossing_checks WHERE crossing_id IN ({', '.join('?' for _ in chunk)}) "
                        "ORDER BY crossing_id, position",
                        chunk,
                    )
                ]
        batch = PushBatch(
            self._chain_id,
            self.store.terminal_id,
            timestamp(self.store._now()),
            events,
            shifts,
            crossings,
            checks,
        )
        return batch, last, [(str(s[0]), 0 if s[7] is None else 1) for s in shifts]

    def _mark(self, batch: PushBatch, last: int, shifts: list[tuple[str, int]], receipt: Receipt) -> None:
        """Mark a batch synced, after the post committed it (all in one local transaction)."""
        with self.store._write() as db:
            db.executemany(
                "INSERT OR IGNORE INTO crossing_sync (crossing_id, synced_at, target) VALUES (?, ?, ?)",
                [(str(c[0]), receipt.received_at, TARGET) for c in batch.crossings],
            )
            db.executemany(
                "INSERT INTO shift_sync (shift_id, closed, synced_at) VALUES (?, ?, ?) ON CONFLICT(shift_id) "
                "DO UPDATE SET closed = MAX(closed, excluded.closed), synced_at = excluded.synced_at",
                [(shift_id, closed, receipt.received_at) for shift_id, closed in shifts],
            )
            db.execute(
                "INSERT INTO sync_events (id, last_seq, synced_at) VALUES (1, ?, ?) ON CONFLICT(id) "
                "DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq), synced_at = excluded.synced_at",
                (last, receipt.received_at),
            )

    def push(self, connection: psycopg.Connection[Any]) -> tuple[int, int, int, float | None]:
        """Push every waiting batch; return (events, crossings, batches, clock skew in seconds)."""
        events = crossings = batches = 0
        skew: float | None = None
        while True:
            found = self._next_batch()
            if found is None:
                return events, crossings, batches, skew
            batch, last, shifts = found
            try:
                receipt: Receipt = self.exchange(
                    connection, partial(sync_server.receive_push, connection, batch)
                )
            except psycopg.OperationalError:
                if self.last_overran:
                    self.batch_now = max(min(MIN_BATCH_EVENTS, self.batch_events), self.batch_now // 2)
                raise
            self.batch_now = min(self.batch_events, self.batch_now * 2)
            self._mark(batch, last, shifts, receipt)
            events += receipt.events_added
            crossings += receipt.crossings_added
            batches += 1
            skew = receipt.clock_skew_s
            if skew is not None and abs(skew) > CLOCK_SKEW_LIMIT_S:
                logger.warning("this terminal's clock is %+.0f s off the post's", skew)

    # --- pull --------------------------------------------------------------------------------------

    def pull(self, connection: psycopg.Connection[Any]) -> PullReport:
        """Pull officers, watchlists and the other lanes' crossings; return what changed."""
        officers = self.exchange(connection, partial(sync_server.officers, connection))
        changed = self._apply_officers(officers)
        lists: list[str] = []
        for kind in WATCHLIST_KINDS:
            head = self.exchange(connection, partial(sync_server.watchlist_head, connection, kind))
            if head is None or int(head[0]) <= self._held_number(kind):
                continue
            data = self.exchange(connection, partial(sync_server.watchlist_file, connection, int(head[0])))
            if data is not None and apply_watchlist(self.store, kind, head, data):
                lists.append(f"{kind} {head[1]}")
        crossings = self._pull_crossings(connection)
        return PullReport(changed, tuple(lists), crossings)

    def _held_number(self, kind: str) -> int:
        with self.store._read() as db:
            held = db.execute(
                "SELECT MAX(hq_number) FROM watchlist_versions WHERE kind = ?", (kind,)
            ).fetchone()[0]
        return 0 if held is None else int(held)

    def _apply_officers(self, rows: list[tuple[Any, ...]]) -> int:
        if not rows:
            return 0
        with self.store._write() as db:
            changed = 0
            for officer_id, name, pin_hash, active, roles, created_at in rows:
                changed += db.execute(
                    "INSERT INTO officers (officer_id, name, pin_hash, active, created_at, roles) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(officer_id) DO UPDATE SET name = excluded.name, "
                    "pin_hash = excluded.pin_hash, active = excluded.active, roles = excluded.roles "
                    "WHERE officers.name IS NOT excluded.name OR officers.pin_hash IS NOT excluded.pin_hash "
                    "OR officers.active IS NOT excluded.active OR officers.roles IS NOT excluded.roles",
                    (officer_id, name, pin_hash, int(active), created_at, roles),
                ).rowcount
            if changed:
                self.store._event(db, "officers.pull", "sync", "", {"changed": changed})
        return changed

    def _pull_crossings(self, connection: psycopg.Connection[Any]) -> int:
        status = read_status(self.store)
        after = int(status.get("peers_seq", "0"))
        since = timestamp(self.store._now() - PEER_WINDOW)
        pulled = 0
        while True:
            rows = self.exchange(
                connection,
                partial(sync_server.crossings_after, connection, after, self.store.terminal_id, since),
            )
            now = timestamp(datetime.now(UTC))
            with self.store._write() as db:
                db.executemany(
                    "INSERT OR IGNORE INTO remote_crossings (crossing_id, time, post, lane, direction, terminal_id, "
                    "decision, document_number, issuing_state, corrects, received_at, pulled_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(*r[1:], now) for r in rows],
                )
                if rows:
                    after = int(rows[-1][0])
                for key, value in (("peers_seq", str(after)), ("peers_as_of", now)):
                    db.execute(
                        "INSERT INTO sync_status (key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (key, value),
                    )
            pulled += len(rows)
            if len(rows) < 5000:
                return pulled

    # --- watching ----------------------------------------------------------------------------------

    def watch(
        self,
        stop: threading.Event,
        *,
        interval_s: float = 30.0,
        report: Callable[[SyncReport | StoreError], None] | None = None,
    ) -> None:
        """Sync every ``interval_s`` until ``stop`` is set; a failed round is retried sooner, backing off
        up to the interval. ``report`` gets each round's report or error."""
        delay = 1.0
        while not stop.is_set():
            try:
                outcome: SyncReport | StoreError = self.sync_once()
                wait = interval_s
                delay = 1.0
            except StoreError as exc:
                outcome = exc
                wait = min(delay, interval_s)
                delay = min(delay * 2, interval_s)
            if report is not None:
                report(outcome)
            stop.wait(wait)
