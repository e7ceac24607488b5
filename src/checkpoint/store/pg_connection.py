"""Connecting to a post's PostgreSQL: libpq settings that find a dead link within seconds, a deadline of
our own for a server that accepts and then says nothing, and the store's SQL (written with ``?``
parameters, the common ground with SQLite) run through psycopg.

A dead link is found by: ``connect_timeout`` (no answer while connecting), TCP keepalives (the far end
vanished while we wait), ``tcp_user_timeout`` (sent data never acknowledged), ``statement_timeout`` (the
server is there but a statement runs too long), and :class:`Deadline`, which shuts the socket down when
a whole exchange overruns: a link that accepts bytes and never answers passes every other test.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import psycopg

CONNECT_TIMEOUT_S: Final = 5
STATEMENT_TIMEOUT_MS: Final = 30_000

LINK_SETTINGS: Final[dict[str, Any]] = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,
    "application_name": "checkpoint",
}


def link_kwargs(statement_timeout_ms: int = STATEMENT_TIMEOUT_MS) -> dict[str, Any]:
    """Return the connection keywords every checkpoint connection to PostgreSQL uses.

    ``synchronous_commit=on`` whatever the server's default: a terminal marks records synced once the
    post's commit returns, so that commit must be on disk.
    """
    options = f"-c statement_timeout={statement_timeout_ms} -c synchronous_commit=on"
    return {**LINK_SETTINGS, "options": options}


def redact(dsn: str) -> str:
    """Return ``dsn`` without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the server"
    host = str(info.get("host", "localhost"))
    where = host if host.startswith("/") else f"{host}:{info.get('port', 5432)}"
    return f"postgresql://{where}/{info.get('dbname', '')}"


_TOKEN = re.compile(r"'(?:[^']|'')*'|\?(\d*)|%")


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, tuple[int, ...]]:
    """Return ``sql`` with SQLite's ``?`` / ``?N`` parameters as psycopg's ``%s`` and the order in which
    to pass the parameters; a ``%`` of the text is doubled."""
    order: list[int] = []
    plain = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal plain
        text = match.group(0)
        if text.startswith("'"):
            return text.replace("%", "%%")
        if text == "%":
            return "%%"
        if match.group(1):
            order.append(int(match.group(1)) - 1)
        else:
            order.append(plain)
            plain += 1
        return "%s"

    translated = _TOKEN.sub(replace, sql)
    return (translated, tuple(order)) if order else (sql, ())


class QmarkConnection:
    """A psycopg connection seen through the two methods of :class:`sqlite3.Connection` the store's SQL
    uses: ``execute`` and ``executemany`` with ``?`` parameters, returning a cursor."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Sequence[object] = ()) -> psycopg.Cursor[Any]:
        """Run one statement; return its cursor (``fetchone``, ``fetchall``, ``rowcount``, iteration)."""
        translated, order = translate(sql)
        if not order:
            return self.connection.execute(translated.encode())
        values = list(params)
        return self.connection.execute(translated.encode(), [values[i] for i in order])

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> psycopg.Cursor[Any]:
        """Run one statement for each row of parameters (pipelined)."""
        translated, order = translate(sql)
        cursor = self.connection.cursor()
        batch = [[list(row)[i] for i in order] for row in rows]
        if batch:
            cursor.executemany(translated.encode(), batch)
        return cursor


class Deadline:
    """Shut a connection's socket down if an exchange is not over within ``seconds``.

    Use around anything that talks to the server: ``with Deadline(conn, 20): ...``. On expiry the
    blocked call fails with an OperationalError and :attr:`expired` is true.
    """

    def __init__(self, connection: psycopg.Connection[Any], seconds: float) -> None:
        self._connection = connection
        self._seconds = seconds
        self._timer: threading.Timer | None = None
        self.expired = False

    def _expire(self) -> None:
        self.expired = True
        try:
            fd = self._connection.pgconn.socket
            # A duplicate of the descriptor: shutting it down stops the socket for libpq too.
            with socket.socket(fileno=os.dup(fd)) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except (OSError, psycopg.Error):
            pass

    def __enter__(self) -> Deadline:
        self._timer = threading.Timer(self._seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._timer is not None:
            self._timer.cancel()


@contextmanager
def connect(
    dsn: str, *, deadline_s: float = 30.0, autocommit: bool = False
) -> Iterator[psycopg.Connection[Any]]:
    """Open a connection with the link settings; the connecting itself is bounded by ``deadline_s``.

    Raises psycopg.OperationalError when the server cannot be reached in time.
    """
    result: list[psycopg.Connection[Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    abandoned = threading.Event()

    def attempt() -> None:
        try:
            connection = psycopg.connect(dsn, autocommit=autocommit, **link_kwargs())
        except BaseException as exc:
            errors.append(exc)
            return
        with lock:
            if abandoned.is_set():  # the caller gave up: a late connection is closed, not leaked
                connection.close()
            else:
                result.append(connection)

    # libpq's connect_timeout covers each host attempt; a thread bounds the whole in any case.
    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(deadline_s)
    with lock:
        if not result and not errors:
            abandoned.set()
            raise psycopg.OperationalError(f"no answer from {redact(dsn)} within {deadline_s:.0f} s")
    if errors:
        raise errors[0]
    connection = result[0]
    try:
        yield connection
    finally:
        connection.close()
