"""A throwaway PostgreSQL cluster for tests, from the server binaries of the machine's PostgreSQL package.

``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run as the ``postgres`` user
(``runuser -u postgres --``). The cluster lives in a temporary folder and listens on a Unix socket in
it (and on loopback TCP when asked, for tests that put a faulty link between client and server), with
``fsync=off``: fast, and never for real data. :meth:`PostgresCluster.close` stops the server it
started and removes the folder; it never touches another cluster on the machine::

    with PostgresCluster.start() as cluster:
        dsn = cluster.create_database("t1")
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Self

BINDIR_CANDIDATES = tuple(Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14, 13))


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing or the cluster would not start."""


def find_bindir() -> Path:
    """Return the folder of ``initdb`` and ``pg_ctl`` (``$PG_BINDIR``, else Debian's, newest first)."""
    explicit = os.environ.get("PG_BINDIR")
    candidates = (Path(explicit),) if explicit else BINDIR_CANDIDATES
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) found in "
        + ", ".join(str(c) for c in candidates)
        + ": install the postgresql package (tools/setup.sh does) or set PG_BINDIR"
    )


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """One started throwaway cluster. Make it with :meth:`start`; end it with :meth:`close`."""

    def __init__(
        self, root: Path, port: int, tcp: bool, bindir: Path, as_postgres: bool, fsync: bool = False
    ) -> None:
        self.root = root
        self.fsync = fsync
        self.port = port
        self.tcp = tcp
        self.bindir = bindir
        self._as_postgres = as_postgres
        self.data = root / "data"
        self.socket_dir = root / "sock"
        self.log = root / "server.log"
        self.running = False

    @classmethod
    def start(cls, *, tcp: bool = False, bindir: Path | None = None, fsync: bool = False) -> Self:
        """Create, initialise and start a cluster in a new temporary folder; return it. ``fsync``: keep
        PostgreSQL's durability settings (for benchmarks); tests run without."""
        bindir = bindir or find_bindir()
        as_postgres = os.geteuid() == 0
        # A short path: a Unix socket's path must fit in 107 bytes.
        root = Path(tempfile.mkdtemp(prefix="cp-pg-", dir="/tmp"))
        cluster = cls(root, free_port(), tcp, bindir, as_postgres, fsync)
        try:
            cluster.socket_dir.mkdir()
            if as_postgres:
                shutil.chown(root, "postgres", "postgres")
                shutil.chown(cluster.socket_dir, "postgres", "postgres")
            cluster._run(
                "initdb",
                "-D",
                str(cluster.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            )
            cluster.start_server()
        except BaseException:
            cluster.close()
            raise
        return cluster

    def _run(self, tool: str, *args: str) -> None:
        command: list[str] = [str(self.bindir / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120, cwd="/")
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PostgresUnavailable(f"{tool} failed ({done.returncode}): {done.stderr.strip()}\n{log}")

    def start_server(self) -> None:
        """Start (or restart after :meth:`stop_server`) the server on the same data and port."""
        listen = "127.0.0.1" if self.tcp else ""
        options = (
            f"-c listen_addresses='{listen}' -c port={self.port} -c unix_socket_directories='{self.socket_dir}' "
            "-c max_connections=60 -c shared_buffers=16MB"
        )
        if not self.fsync:
            options += " -c fsync=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start"
        )
        self.running = True

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server (``fast`` ends sessions; ``immediate`` is a crash), keeping its data."""
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
            self.running = False

    def dsn(self, dbname: str = "postgres", *, tcp: bool = False) -> str:
        """Return a libpq connection string for ``dbname`` (over the socket, or loopback TCP)."""
        host = "127.0.0.1" if tcp else str(self.socket_dir)
        return f"host={host} port={self.port} dbname={dbname} user=postgres"

    def sql(self, statements: Sequence[str], dbname: str = "postgres") -> None:
        """Run ``statements`` one by one, each on its own (CREATE DATABASE cannot run in a transaction)."""
        import psycopg

        with psycopg.connect(self.dsn(dbname), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement.encode())

    def create_database(self, name: str, *, template: str = "template0") -> str:
        """Create database ``name`` (a copy of ``template``) and return its connection string."""
        self.sql([f'CREATE DATABASE "{name}" TEMPLATE "{template}"'])
        return self.dsn(name)

    def close(self) -> None:
        """Stop the server if this object started it, and remove the cluster's folder."""
        with contextlib.suppress(PostgresUnavailable, subprocess.TimeoutExpired, OSError):
            self.stop_server("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
