"""Sync over a failing link and a failing process: nothing lost, nothing twice, nothing hangs.

The synced marks a terminal keeps must always be a subset of what the post holds; every fault is seen
within seconds, shows as "offline since", and the next sync completes the push.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import psycopg
import pytest
from sync_builders import LinkProxy, Post, make_post, record

from checkpoint.store import sync_server
from checkpoint.store.sync import SyncClient, SyncOffline, sync_state


@pytest.fixture
def post(postgres_db, tmp_path) -> Iterator[Post]:
    made = make_post(postgres_db("post"), tmp_path)
    yield made
    for store in made.terminals:
        store.close()
    made.hq.close()


def _dbname(dsn: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(dsn)["dbname"])


def assert_marks_within_the_post(post: Post, path) -> tuple[int, int]:
    """Assert the terminal's synced marks are a subset of what the post holds; return (marked, held)."""
    with sqlite3.connect(path) as raw:
        marked = {r[0] for r in raw.execute("SELECT crossing_id FROM crossing_sync")}
        row = raw.execute("SELECT last_seq FROM sync_events").fetchone()
        terminal = raw.execute("SELECT value FROM settings WHERE key = 'terminal_id'").fetchone()[0]
    held = {r[0] for r in post.rows("SELECT crossing_id FROM crossings WHERE terminal_id = %s", (terminal,))}
    assert marked <= held, f"marked but not at the post: {sorted(marked - held)[:3]}"
    head = post.rows(
        "SELECT COALESCE(MAX(head_seq), 0) FROM terminal_chains WHERE terminal_id = %s", (terminal,)
    )
    assert (0 if row is None else row[0]) <= head[0][0]
    return len(marked), len(held)


def assert_complete(post: Post, store) -> None:
    """Assert the post holds each of the terminal's crossings and events exactly once."""
    with sqlite3.connect(store.path) as raw:
        crossings = raw.execute("SELECT COUNT(*) FROM crossings").fetchone()[0]
        events = raw.execute("SELECT COUNT(*) FROM audit_events").fetchone()[0]
    held = post.rows(
        "SELECT COUNT(*), COUNT(DISTINCT crossing_id) FROM crossings WHERE terminal_id = %s",
        (store.terminal_id,),
    )[0]
    assert held == (crossings, crossings)
    assert post.count("terminal_events", "terminal_id = %s", (store.terminal_id,)) == events
    assert sync_state(store).describe() == "synced"


CHILD = textwrap.dedent(
    """
    import sys
    from datetime import date
    from checkpoint.store import CheckRecord, NewCrossing, open_store
    from checkpoint.store.sync import SyncClient

    store = open_store(sys.argv[1])
    client = SyncClient(store, sys.argv[2], batch_events=7)
    n = int(sys.argv[4])
    print("ready", flush=True)
    while True:
        for _ in range(3):
            n += 1
            store.record_crossing(NewCrossing(
                shift_id=sys.argv[3], decision="admit", suggestion="CLEAR", surname="PETROVIC", given_names="MARKO",
                birth_date=date(1980, 5, 17), sex="M", nationality="MNE", document_type="P", issuing_state="MNE",
                document_number=f"K{n:08d}", expiry_date=date(2031, 3, 1), mrz_lines=("L1", "L2"),
                source="sim://td3", checks=(CheckRecord("mrz.validity", 1, "PASS", "ok"),),
            ))
        client.sync_once()
    """
)


@pytest.mark.slow
def test_sync_killed_at_20_random_instants_loses_and_duplicates_nothing(post):
    lane1, _ = post.terminal("T-LANE1")
    shift_id = record(lane1, "1", 60)
    path = lane1.path
    lane1.close()
    post.terminals.clear()
    chance = random.Random(11)
    for attempt in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), post.dsn, shift_id, str(1000 * (attempt + 1))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
            time.sleep(chance.uniform(0.0, 0.25))
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=60)
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        assert_marks_within_the_post(post, path)
    from checkpoint.store import open_store

    with open_store(path) as reopened:
        SyncClient(reopened, post.dsn).sync_once()
        assert_complete(post, reopened)
        assert reopened.verify_audit().ok
    reports = post.hq.verify_terminal_chains()
    assert [r.report.ok for r in reports] == [True]


def test_server_stopped_mid_push_then_back(post, postgres_cluster, monkeypatch):
    lane1, _ = post.terminal("T-LANE1", batch_events=10)
    record(lane1, "1", 40)
    client = SyncClient(lane1, post.dsn, batch_events=10, deadline_s=5)
    real = sync_server.receive_push
    calls = []

    def stop_after_two(connection, batch):
        calls.append(1)
        if len(calls) == 3:
            postgres_cluster.stop_server("immediate")
        return real(connection, batch)

    monkeypatch.setattr(sync_server, "receive_push", stop_after_two)
    started = time.monotonic()
    try:
        with pytest.raises(SyncOffline):
            client.sync_once()
        assert time.monotonic() - started < 15
        state = sync_state(lane1)
        assert state.offline_since is not None and state.crossings_waiting > 0
        assert state.describe().startswith("offline since")
        with pytest.raises(SyncOffline):  # still down: fails fast, no hang
            client.sync_once()
    finally:
        postgres_cluster.start_server()
    monkeypatch.setattr(sync_server, "receive_push", real)
    assert_marks_within_the_post(post, lane1.path)
    client.sync_once()
    assert_complete(post, lane1)


def test_every_connection_reset_mid_push_then_resumed(post, monkeypatch):
    lane1, _ = post.terminal("T-LANE1")
    record(lane1, "1", 30)
    client = SyncClient(lane1, post.dsn, batch_events=10)
    real = sync_server.receive_push
    calls = []

    def reset_on_second(connection, batch):
        calls.append(1)
        if len(calls) == 2:
            post.rows(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'checkpoint' "
                "AND pid <> pg_backend_pid()"
            )
        return real(connection, batch)

    monkeypatch.setattr(sync_server, "receive_push", reset_on_second)
    with pytest.raises(SyncOffline, match="terminating connection"):
        client.sync_once()
    assert_marks_within_the_post(post, lane1.path)
    monkeypatch.setattr(sync_server, "receive_push", real)
    client.sync_once()
    assert_complete(post, lane1)


def test_a_link_that_accepts_and_says_nothing_times_out_then_recovers(post, postgres_cluster, monkeypatch):
    proxy = LinkProxy(postgres_cluster.port)
    try:
        dsn = proxy.dsn(_dbname(post.dsn))
        lane1, _ = post.terminal("T-LANE1")
        record(lane1, "1", 60)
        client = SyncClient(lane1, dsn, batch_events=40, deadline_s=2)
        # Silent from the start: the connection is accepted and never answered.
        proxy.silent.set()
        started = time.monotonic()
        with pytest.raises(SyncOffline, match="within 2 s"):
            client.sync_once()
        assert time.monotonic() - started < 8
        # Silent in the middle of a push: our own deadline ends the wait.
        proxy.silent.clear()
        real = sync_server.receive_push
        calls = []

        def silence_on_second(connection, batch):
            calls.append(1)
            if len(calls) == 2:
                proxy.silent.set()
            return real(connection, batch)

        monkeypatch.setattr(sync_server, "receive_push", silence_on_second)
        started = time.monotonic()
        with pytest.raises(SyncOffline, match="did not answer within 2 s"):
            client.sync_once()
        assert time.monotonic() - started < 8
        assert client.batch_now == 20  # a slow link gets smaller batches next time
        assert_marks_within_the_post(post, lane1.path)
        assert sync_state(lane1).offline_since is not None
        # The link comes back.
        monkeypatch.setattr(sync_server, "receive_push", real)
        proxy.silent.clear()
        client.sync_once()
        assert_complete(post, lane1)
    finally:
        proxy.close()
