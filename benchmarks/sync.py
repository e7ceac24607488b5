"""How long a terminal that was offline for a week takes to push its records to the post, and whether
the booth stays responsive meanwhile.

A terminal records ``--crossings`` crossings (10,000 by default) over a simulated week, one read and one
decision event each, in a few shifts, with no link. Then it syncs with a post on a throwaway
PostgreSQL (Debian's server binaries, durable settings: fsync on) over loopback TCP, while the booth
goes on recording a crossing every 50 ms in another thread; the booth's recording times during the
sync are reported.

The peer, in the same run: PostgreSQL's own bulk load (``COPY``) of the same crossing rows, checks and
events into scratch tables in one transaction: the floor for moving these bytes into this server.

    python benchmarks/sync.py             # 10,000 crossings
    python benchmarks/sync.py --quick     # 2,000 crossings

Target: the whole push (and the pull after it) under 60 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from checkpoint.mocks.postgres import PostgresCluster

from checkpoint.store import CheckRecord, NewCrossing, SQLiteStore, open_store
from checkpoint.store.crossing_sql import CROSSING_COLUMNS
from checkpoint.store.postgres import open_post_store
from checkpoint.store.sync import SyncClient

TARGET_S = 60.0
WEEK_START = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
CHECKS = tuple(
    CheckRecord(check_id, 1, "PASS", "ok")
    for check_id in (
        "mrz.validity",
        "document.dates",
        "watchlist.document",
        "watchlist.person",
        "travel.movement",
    )
)


@dataclass
class WeekClock:
    """The terminal's clock during the offline week: moved forward by each crossing."""

    now: datetime = WEEK_START

    def __call__(self) -> datetime:
        return self.now


def decision(shift_id: str, n: int) -> NewCrossing:
    return NewCrossing(
        shift_id=shift_id, decision="admit", suggestion="CLEAR", surname="PETROVIC", given_names="MARKO",
        birth_date=date(1980, 5, 17), sex="M", nationality="MNE", document_type="P", issuing_state="MNE",
        document_number=f"AB{n:07d}", expiry_date=date(2031, 3, 1), mrz_lines=("L1", "L2"),
        source="sim://td3", checks=CHECKS,
    )  # fmt: skip


def offline_week(path: Path, crossings: int) -> SQLiteStore:
    """Return a terminal that recorded ``crossings`` over a week, never synced."""
    clock = WeekClock()
    store = open_store(path, clock=clock, terminal_id="T-BENCH")
    store._db.execute("PRAGMA synchronous=OFF")  # building the week only; the sync runs as in service
    store.add_officer("MNE-0412", "Ana", "4821", actor="bench")
    step = timedelta(days=7) / crossings
    shift = None
    for n in range(crossings):
        if n % 1000 == 0:
            if shift is not None:
                store.close_shift(shift)
            shift = store.open_shift("MNE-0412", "Bozaj", "1", "entry").shift_id
        store.audit("read", actor="MNE-0412", subject=shift, details={"source": "sim://td3"})
        store.record_crossing(decision(shift, n))
        clock.now += step
    store._db.execute("PRAGMA synchronous=FULL")
    store._clock = lambda: datetime.now(UTC)
    return store


def booth(store: SQLiteStore, stop: threading.Event, times: list[float]) -> None:
    """Record a crossing every 50 ms until ``stop``, timing each."""
    shift = store.open_shift("MNE-0412", "Bozaj", "1", "entry").shift_id
    n = 900_000
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        store.record_crossing(decision(shift, n))
        times.append(time.perf_counter() - started)
        stop.wait(0.05)


def copy_peer(dsn: str, path: Path) -> float:
    """Return the seconds PostgreSQL's COPY takes to load the same rows into scratch tables."""
    with sqlite3.connect(path) as raw:
        crossings = raw.execute(f"SELECT {', '.join(CROSSING_COLUMNS)} FROM crossings").fetchall()
        checks = raw.execute("SELECT * FROM crossing_checks").fetchall()
        events = raw.execute("SELECT * FROM audit_events").fetchall()
    with psycopg.connect(dsn) as connection:
        started = time.perf_counter()
        for name, like, rows in (
            ("peer_crossings", "crossings", crossings),
            ("peer_checks", "crossing_checks", checks),
            ("peer_events", "audit_events", events),
        ):
            columns = ", ".join(CROSSING_COLUMNS) if like == "crossings" else "*"
            connection.execute(f"CREATE TABLE {name} AS SELECT {columns} FROM {like} WHERE FALSE".encode())
            with connection.cursor().copy(f"COPY {name} FROM STDIN".encode()) as copy:
                for row in rows:
                    copy.write_row(row)
        connection.commit()
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--crossings", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="2,000 crossings")
    args = parser.parse_args(argv)
    crossings = 2_000 if args.quick else args.crossings
    with tempfile.TemporaryDirectory() as folder, PostgresCluster.start(tcp=True, fsync=True) as cluster:
        cluster.create_database("post")
        dsn = cluster.dsn("post", tcp=True)
        open_post_store(dsn, terminal_id="HQ").close()
        print(f"recording an offline week: {crossings:,} crossings ...", flush=True)
        started = time.perf_counter()
        store = offline_week(Path(folder) / "terminal.db", crossings)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
        stop, times = threading.Event(), []
        worker = threading.Thread(target=booth, args=(store, stop, times))
        worker.start()
        started = time.perf_counter()
        report = SyncClient(store, dsn).sync_once()
        took = time.perf_counter() - started
        stop.set()
        worker.join()
        pending = SyncClient(store, dsn).sync_once()  # what the booth recorded meanwhile
        held = cluster_count(dsn)
        peer = copy_peer(dsn, Path(folder) / "terminal.db")
        store.close()
    print(
        f"sync: {report.crossings_pushed:,} crossings and {report.events_pushed:,} audit events in "
        f"{report.batches} batches: {took:.2f} s ({report.crossings_pushed / took:,.0f} crossings/s); "
        f"target {TARGET_S:.0f} s: {'MET' if took < TARGET_S else 'MISSED'}"
    )
    print(f"then {pending.crossings_pushed} crossings the booth recorded meanwhile; the post holds {held:,}")
    print(f"peer: COPY of the same rows into this server: {peer:.2f} s; ratio sync/COPY {took / peer:.1f}x")
    if times:
        ms = sorted(t * 1000 for t in times)
        print(
            f"booth during the sync: {len(ms)} crossings recorded, median {statistics.median(ms):.1f} ms, "
            f"p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, max {ms[-1]:.1f} ms"
        )
    return 0 if took < TARGET_S else 1


def cluster_count(dsn: str) -> int:
    with psycopg.connect(dsn) as connection:
        return int(connection.execute(b"SELECT COUNT(*) FROM crossings").fetchone()[0])  # type: ignore[index]


if __name__ == "__main__":
    sys.exit(main())
