"""Builders for sync tests: a post on the session's PostgreSQL with HQ's officer, terminals that sync to it,
and what the post holds, read straight from its tables."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from store_builders import PIN, crossing

from checkpoint.store import SQLiteStore, open_store
from checkpoint.store.postgres import PostgresStore
from checkpoint.store.sync import SyncClient

OFFICER = "MNE-0412"


@dataclass
class Post:
    """A post's database, HQ's store on it, and terminals made against it."""

    dsn: str
    hq: PostgresStore
    folder: Path
    terminals: list[SQLiteStore] = field(default_factory=list)

    def terminal(self, name: str, **options: Any) -> tuple[SQLiteStore, SyncClient]:
        """Return a new terminal (its officers pulled from HQ) and its sync client."""
        store = open_store(self.folder / f"{name}.db", terminal_id=name)
        self.terminals.append(store)
        client = SyncClient(store, self.dsn, **options)
        client.sync_once()
        return store, client

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Return the rows of a query on the post's database."""
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            return [tuple(r) for r in connection.execute(sql.encode(), params)]

    def query(self, read: Callable[[psycopg.Connection[Any]], Any]) -> Any:
        """Return ``read(connection)`` on a connection to the post, closed afterwards."""
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            return read(connection)

    def count(self, table: str, where: str = "TRUE", params: tuple[Any, ...] = ()) -> int:
        return int(self.rows(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)[0][0])


def make_post(dsn: str, folder: Path) -> Post:
    """Return a post whose HQ has one active officer."""
    from checkpoint.store.postgres import open_post_store

    hq = open_post_store(dsn, terminal_id="HQ")
    hq.add_officer(OFFICER, "Ana Vuković", PIN, actor="hq:admin")
    return Post(dsn, hq, folder)


def record(
    store: SQLiteStore, lane: str, n: int, *, number: Callable[[int], str] = lambda i: f"AB{i:07d}"
) -> str:
    """Open a shift at ``lane`` and record ``n`` admitted crossings; return the shift id."""
    shift = store.open_shift(OFFICER, "Bozaj", lane, "entry")
    for i in range(n):
        store.record_crossing(crossing(shift.shift_id, document_number=number(i)))
    return shift.shift_id


class LinkProxy:
    """A loopback TCP proxy to the post that forwards bytes, or, once ``silent`` is set, takes them and
    forwards nothing either way (a link that accepts and then says nothing)."""

    def __init__(self, target_port: int) -> None:
        import socket
        import threading

        self.target_port = target_port
        self.silent = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def dsn(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user=postgres"

    def _accept(self) -> None:
        import socket
        import threading

        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._sockets.append(client)
            if self.silent.is_set():
                continue  # accepted, never answered
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self._sockets.append(server)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: Any, sink: Any) -> None:
        try:
            while data := source.recv(65536):
                if not self.silent.is_set():
                    sink.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
