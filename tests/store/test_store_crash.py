"""A process killed with SIGKILL while recording loses no committed crossing and leaves a sound chain."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from store_builders import PIN

from checkpoint.store import open_store

# The child records reads and decisions as fast as it can and prints each crossing id only after
# record_crossing() returned, i.e. after COMMIT.
CHILD = textwrap.dedent(
    """
    import sys
    from datetime import date
    from checkpoint.store import CheckRecord, NewCrossing, open_store

    store = open_store(sys.argv[1])
    shift_id = sys.argv[2]
    n = 0
    while True:
        n += 1
        store.audit("read", actor="MNE-0412", subject="sim://td3", details={"n": n})
        recorded = store.record_crossing(NewCrossing(
            shift_id=shift_id, decision="admit", suggestion="CLEAR", surname="PETROVIC", given_names="MARKO",
            birth_date=date(1980, 5, 17), sex="M", nationality="MNE", document_type="P", issuing_state="MNE",
            document_number=f"AB{n:07d}", expiry_date=date(2031, 3, 1), mrz_lines=("L1", "L2"),
            source="sim://td3", checks=(CheckRecord("mrz.validity", 1, "PASS", "ok"),),
        ))
        print(recorded.crossing_id, flush=True)
    """
)


@pytest.mark.parametrize("kill_after", [5, 40])
def test_sigkill_while_recording_loses_no_committed_crossing(db_path, kill_after):
    with open_store(db_path) as store:
        store.add_officer("MNE-0412", "Ana", PIN, actor="admin")
        shift = store.open_shift("MNE-0412", "Bozaj", "2", "entry")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), shift.shift_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed: list[str] = []
    deadline = time.monotonic() + 120  # generous: the machine is shared
    try:
        assert child.stdout is not None
        while len(committed) < kill_after and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            committed.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        stderr = child.stderr.read() if child.stderr else ""
    assert child.returncode == -signal.SIGKILL, stderr
    assert len(committed) >= kill_after, f"child recorded only {len(committed)}: {stderr}"
    with open_store(db_path) as reopened:
        for crossing_id in committed:
            assert reopened.get_crossing(crossing_id).decision == "admit"
        report = reopened.verify_audit()
        assert report.ok, report
        # Every decision in the file (printed or not yet) has its event; reads interleave with them.
        events = reopened.audit_events(limit=10_000)
        decisions = [e for e in events if e.action == "decision"]
        assert len(decisions) >= len(committed)
        # The store is still usable: the next write continues the chain.
        reopened.audit("sign_in.check", actor="test")
        assert reopened.verify_audit().ok


def test_two_writers_on_one_file_keep_one_sound_chain(db_path):
    """The client and a command (e.g. a watchlist import) write the same file at the same time."""
    import threading

    from store_builders import crossing

    with open_store(db_path) as store:
        store.add_officer("MNE-0412", "Ana", PIN, actor="admin")
        shift = store.open_shift("MNE-0412", "Bozaj", "2", "entry")
    booth, command = open_store(db_path), open_store(db_path)
    errors: list[BaseException] = []

    def record(target, n):
        try:
            for i in range(n):
                target.record_crossing(crossing(shift.shift_id, document_number=f"T{i}"))
                target.audit("read", actor="MNE-0412", subject="sim://td3")
        except BaseException as exc:  # reported below, with the failing writer's error
            errors.append(exc)

    threads = [threading.Thread(target=record, args=(s, 15)) for s in (booth, command)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    booth.close()
    command.close()
    assert not errors, errors
    with open_store(db_path) as reopened:
        report = reopened.verify_audit()
        assert report.ok, report
        assert sum(e.action == "decision" for e in reopened.audit_events(limit=1000)) == 30
