"""The store of a border post or HQ on PostgreSQL, through psycopg 3 and its connection pool.

It keeps the :class:`checkpoint.store.base.Store` contract with the same SQL as the SQLite store: that
SQL is written in the ground the two engines share (``?`` parameters are translated, see
:mod:`checkpoint.store.pg_connection`), and the tables mirror SQLite's with every hashed value kept as
text (see :mod:`checkpoint.store.pg_schema`). Only the plumbing differs: a pool instead of one file, one
transaction per write serialised by an advisory lock (the audit chain has one head), REPEATABLE READ
snapshots for exports and verification, and its own migrations.

Beside its own records and chain (an HQ officer's actions), the post's database holds what terminals
push (:mod:`checkpoint.store.sync_server`): one chain per terminal, verified here with the same code as
every chain (:func:`checkpoint.store.chain.verify_chain`), seen through temporary views.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from checkpoint.extras import require

require("post", "a post's PostgreSQL store (checkpoint.store.postgres)")

import psycopg  # noqa: E402
import psycopg_pool  # noqa: E402
from psycopg import sql  # noqa: E402

from checkpoint.store import bindings, chain  # noqa: E402
from checkpoint.store.base import Store  # noqa: E402
from checkpoint.store.errors import InvalidRecord, NotFound, StoreUnavailable  # noqa: E402
from checkpoint.store.migrations import Migration  # noqa: E402
from checkpoint.store.pg_connection import QmarkConnection, link_kwargs, redact  # noqa: E402
from checkpoint.store.pg_schema import PG_MIGRATIONS  # noqa: E402
from checkpoint.store.records import VerifyReport, WatchlistInfo, WatchlistKind  # noqa: E402
from checkpoint.store.sqlite import LOCKOUT, MAX_FAILED_ATTEMPTS, Clock, SQLiteStore, _officer_key, _utc_now  # noqa: E402

logger = logging.getLogger(__name__)

# One lock key for the writers of one database: the audit chain has a single head.
WRITE_LOCK_KEY = 0x63_6B_70_74


def migrate_postgres(
    connection: psycopg.Connection[Any], migrations: tuple[Migration, ...] = PG_MIGRATIONS
) -> list[int]:
    """Apply the PostgreSQL migrations the database lacks, each in its own transaction; return them.

    Raises StoreUnavailable when the database was migrated by a newer program.
    """
    applied: list[int] = []
    known = {m.version for m in migrations}
    for migration in sorted(migrations, key=lambda m: m.version):
        with connection.transaction():
            connection.execute(b"SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            connection.execute(
                b"CREATE TABLE IF NOT EXISTS schema_migrations ("
                b"version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {int(r[0]) for r in connection.execute(b"SELECT version FROM schema_migrations")}
            newer = sorted(done - known)
            if newer:
                raise StoreUnavailable(
                    f"the database has schema version {newer[-1]}, newer than this program's {max(known)}: "
                    "upgrade checkpoint before opening it"
                )
            if migration.version in done:
                continue
            for statement in migration.statements:
                connection.execute(statement.encode())
            connection.execute(
                b"INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, now()::text)",
                (migration.version, migration.name),
            )
            applied.append(migration.version)
    return applied


@dataclass(frozen=True, slots=True)
class ChainScope:
    """Which chain to verify: the store's own, or a terminal's as pushed (``chain_id``)."""

    terminal_id: str
    chain_id: str | None = None


def verify_scoped(
    connection: psycopg.Connection[Any], scope: ChainScope, *, expect_head: str | None = None
) -> VerifyReport:
    """Verify one chain of the database with :func:`checkpoint.store.chain.verify_chain`.

    Temporary views named like the store's tables show the chain's events, its starting point and its
    terminal's crossings; they vanish with the transaction, which the caller rolls back.
    """
    # A terminal's crossings are those pushed with its chain; the store's own have no chain id.
    own = sql.SQL("chain_id IS NULL AND terminal_id = {}").format(sql.Literal(scope.terminal_id))
    pushed = sql.SQL("chain_id = {}").format(sql.Literal(scope.chain_id))
    views: list[sql.Composed] = [
        sql.SQL("CREATE TEMP VIEW crossings AS SELECT * FROM public.crossings WHERE {}").format(
            own if scope.chain_id is None else pushed
        )
    ]
    if scope.chain_id is not None:
        chain_id = sql.Literal(scope.chain_id)
        views += [
            sql.SQL(
                "CREATE TEMP VIEW audit_events AS SELECT seq, event_id, time, terminal_id, actor, action, "
                "subject, details, prev_hash, hash FROM public.terminal_events WHERE chain_id = {}"
            ).format(chain_id),
            sql.SQL(
                "CREATE TEMP VIEW audit_anchor AS SELECT 1 AS id, first_seq, first_prev_hash AS prev_hash, "
                "first_push_at AS purged_at FROM public.terminal_chains WHERE chain_id = {} AND first_seq > 1"
            ).format(chain_id),
        ]
    else:
        # The post's own chain binds its own rows too (records bound to the chain, as on a terminal):
        # its shifts are those of its own terminal id, pushed ones are checked with their chains.
        views.append(
            sql.SQL("CREATE TEMP VIEW shifts AS SELECT * FROM public.shifts WHERE terminal_id = {}").format(
                sql.Literal(scope.terminal_id)
            )
        )
    for view in views:
        connection.execute(view)
    db = cast(sqlite3.Connection, QmarkConnection(connection))
    if scope.chain_id is None:
        return bindings.verify(db, expect_head=expect_head)
    return chain.verify_chain(db, expect_head=expect_head)


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The verification of one terminal's chain as the post holds it."""

    terminal_id: str
    chain_id: str
    report: VerifyReport

    def __str__(self) -> str:
        return f"terminal {self.terminal_id} (chain {self.chain_id}): {self.report}"


class PostgresStore(SQLiteStore):
    """The :class:`checkpoint.store.base.Store` on a PostgreSQL database (a post's or HQ's).

    It shares the SQLite store's logic and SQL and replaces its plumbing. Use :func:`open_post_store`.
    A call waits at most ``wait_s`` for a connection (the server down or every connection busy), then
    raises StoreUnavailable; the pool checks each connection before use and replaces broken ones.
    """

    def __init__(
        self,
        dsn: str,
        *,
        clock: Clock = _utc_now,
        terminal_id: str | None = None,
        max_failed_attempts: int = MAX_FAILED_ATTEMPTS,
        lockout: timedelta = LOCKOUT,
        pool_size: int = 4,
        wait_s: float = 10.0,
    ) -> None:
        self.dsn = dsn
        self.where = redact(dsn)
        self._clock = clock
        self._max_failed = max_failed_attempts
        self._lockout = lockout
        self._lock = threading.RLock()
        self._wait_s = wait_s
        try:
            # One direct connection first: an unreachable server fails now, with libpq's own reason.
            psycopg.connect(dsn, **link_kwargs()).close()
            self._pool = psycopg_pool.ConnectionPool(
                dsn,
                min_size=1,
                max_size=pool_size,
                kwargs=link_kwargs(),
                check=psycopg_pool.ConnectionPool.check_connection,
                open=False,
                name="checkpoint-store",
            )
            self._pool.open(wait=True, timeout=wait_s)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise StoreUnavailable(f"cannot reach the database {self.where}: {exc}") from exc
        try:
            with self._pool.connection() as connection:
                migrate_postgres(connection)
            self._terminal_id = self._ensure_terminal_id(terminal_id)
        except psycopg.Error as exc:
            self._pool.close()
            raise StoreUnavailable(f"{self.where} is not a usable checkpoint database: {exc}") from exc
        except BaseException:
            self._pool.close()
            raise

    def close(self) -> None:
        """Close every connection of the pool."""
        self._pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    @contextmanager
    def connection(self, *, write: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """Yield a pooled connection inside one transaction, committed when the block ends without error;
        ``write`` takes the writers' lock first. psycopg errors become StoreUnavailable / InvalidRecord."""
        try:
            with self._pool.connection(timeout=self._wait_s) as connection, connection.transaction():
                if write:
                    connection.execute(b"SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
                yield connection
        except psycopg.errors.IntegrityError as exc:
            raise InvalidRecord(f"refused by the database: {exc}") from exc
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise StoreUnavailable(f"cannot use the database {self.where}: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self.connection(write=True) as connection:
            yield cast(sqlite3.Connection, QmarkConnection(connection))

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self.connection() as connection:
            yield cast(sqlite3.Connection, QmarkConnection(connection))

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """Yield a REPEATABLE READ view of the database (rolled back at the end)."""
        with self._raw_snapshot() as connection:
            yield cast(sqlite3.Connection, QmarkConnection(connection))

    @contextmanager
    def _raw_snapshot(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection(timeout=self._wait_s) as connection:
                connection.execute(b"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                try:
                    yield connection
                finally:
                    connection.rollback()
        except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
            raise StoreUnavailable(f"cannot read the database {self.where}: {exc}") from exc

    def _after_purge(self) -> None:
        """Nothing to do: PostgreSQL's autovacuum reclaims the space."""

    def other_lanes_as_of(self) -> tuple[bool, datetime | None]:
        """(False, None): the post holds every lane's crossings itself, live."""
        return False, None

    def _sync_floor(self, db: sqlite3.Connection) -> int | None:
        """None: the post is where terminals sync to; its purge goes by the cutoff alone."""
        return None

    def verify_audit(self, *, expect_head: str | None = None) -> VerifyReport:
        """Verify this store's own chain (against this store's crossings only); ``expect_head``: an
        event hash written down earlier, which the chain must still contain."""
        with self._raw_snapshot() as connection:
            return verify_scoped(connection, ChainScope(self._terminal_id), expect_head=expect_head)

    def verify_terminal_chains(self) -> list[ChainReport]:
        """Verify every terminal's chain the post holds (as :meth:`verify_audit` does a terminal's),
        each in its own snapshot."""
        with self.connection() as connection:
            chains = list(
                connection.execute(b"SELECT chain_id, terminal_id FROM terminal_chains ORDER BY terminal_id")
            )
        reports = []
        for chain_id, terminal_id in chains:
            with self._raw_snapshot() as connection:
                report = verify_scoped(connection, ChainScope(str(terminal_id), str(chain_id)))
            reports.append(ChainReport(str(terminal_id), str(chain_id), report))
        return reports

    # --- what HQ does beyond a terminal -------------------------------------------------------------

    def import_watchlist(
        self,
        kind: WatchlistKind,
        path: Path,
        *,
        actor: str,
        version: str | None = None,
        list_date: date | None = None,
    ) -> WatchlistInfo:
        """Import as a terminal does, and keep the file byte for byte for terminals to pull."""
        info = super().import_watchlist(kind, path, actor=actor, version=version, list_date=list_date)
        data = Path(path).read_bytes()
        with self._write() as db:
            current = db.execute(
                "SELECT MAX(version_id) FROM watchlist_versions WHERE kind = ?", (kind,)
            ).fetchone()[0]
            db.execute(
                "DELETE FROM watchlist_files WHERE version_id IN "
                "(SELECT version_id FROM watchlist_versions WHERE kind = ? AND version_id < ?)",
                (kind, current),
            )
            db.execute(
                "INSERT INTO watchlist_files (version_id, data) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (current, data),
            )
        return info

    def set_officer_active(
        self, officer_id: str, active: bool, *, actor: str, roles: str | None = None
    ) -> None:
        """Activate or deactivate an officer (and set their roles); audited as ``officer.activate`` /
        ``officer.deactivate``. Terminals apply it on their next pull. Raises NotFound."""
        key = _officer_key(officer_id)
        now = self._now()
        with self._write() as db:
            changed = db.execute(
                "UPDATE officers SET active = ?, roles = COALESCE(?, roles), changed_at = ? WHERE officer_id = ?",
                (1 if active else 0, roles, now.isoformat(), key),
            ).rowcount
            if changed == 0:
                raise NotFound(f"no officer {key!r}")
            self._event(db, "officer.activate" if active else "officer.deactivate", actor, key, now=now)


def open_post_store(dsn: str, *, clock: Clock = _utc_now, terminal_id: str | None = None) -> PostgresStore:
    """Open (migrating if needed) the post's or HQ's store at ``dsn`` and return it.

    Raises StoreUnavailable if the server cannot be reached or the database is not a checkpoint one.
    """
    return PostgresStore(dsn, clock=clock, terminal_id=terminal_id)


def _implements_store(store: PostgresStore) -> Store:
    # Never called: mypy checks here that PostgresStore satisfies the Store protocol structurally.
    return store
