"""Records bound to the audit chain, in SQLite: which event binds which row, and checking every row
against the event that recorded it (hashes: :func:`checkpoint.store.chain.row_hash`).

A crossing is bound by its ``decision`` event, a shift by ``shift.open`` and ``shift.close``, a watchlist
version and its entries by ``watchlist.import`` (the entries of the loaded version only: an import
deletes the previous version's); rows written before binding existed are bound once, when the database
is migrated, by ``audit.bind`` events (:func:`bind_existing_rows`). A row that no longer matches its
event is altered; a bound row that is gone was deleted, unless a later purge's cutoff covers it; a row
no event binds was inserted, unless it is older than the start of a purged chain (a crossing kept
because a kept correction points to it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Final, cast

from checkpoint.store import chain
from checkpoint.store.crossing_sql import UNREADABLE as _UNREADABLE
from checkpoint.store.crossing_sql import select_crossings
from checkpoint.store.ids import new_id
from checkpoint.store.records import (
    Crossing,
    Direction,
    JSONScalar,
    Shift,
    VerifyReport,
    WatchlistInfo,
    WatchlistKind,
)

BIND_ACTION: Final = "audit.bind"
_KIND_OF_ACTION: Final = {
    "decision": "crossing",
    "shift.open": "shift.open",
    "shift.close": "shift.close",
    "watchlist.import": "watchlist",
}
_NAMES: Final = {
    "crossing": "crossing",
    "shift.open": "shift",
    "shift.close": "the closing of shift",
    "watchlist": "watchlist version",
    "watchlist.entries": "the entries of watchlist version",
}


BINDING_MIGRATION: Final = "bind records to the audit chain"
"""The name of the migration after which every row is bound (version numbers may be renumbered)."""


@dataclass(frozen=True, slots=True)
class Binding:
    """One event's promise about one row: the row's hash and, for crossings, its time."""

    seq: int
    digest: str
    row_time: str | None


@dataclass(slots=True)
class Bindings:
    """What the chain walk collected: every binding by (kind, row key), and every purge's cutoff."""

    rows: dict[tuple[str, str], Binding] = field(default_factory=dict)
    purges: list[tuple[int, str]] = field(default_factory=list)

    def note(self, seq: int, action: str, subject: str, details: Mapping[str, object]) -> None:
        """Record what event ``seq`` binds, if anything."""
        if action == "purge" and isinstance(details.get("cutoff"), str):
            self.purges.append((seq, str(details["cutoff"])))
            return
        digest = details.get(chain.ROW_HASH_KEY)
        if not isinstance(digest, str):
            return
        kind = str(details.get("row_kind")) if action == BIND_ACTION else _KIND_OF_ACTION.get(action)
        if kind is None:
            return
        key = str(details["version_id"]) if kind == "watchlist" and action != BIND_ACTION else subject
        row_time = details.get("row_time")
        self.rows[(kind, key)] = Binding(seq, digest, row_time if isinstance(row_time, str) else None)
        entries = details.get(chain.ENTRIES_HASH_KEY)
        if kind == "watchlist" and isinstance(entries, str):
            self.rows[("watchlist.entries", key)] = Binding(seq, entries, None)

    def purged(self, binding: Binding) -> bool:
        """Return whether a purge after ``binding`` covers its row (so the row may be gone)."""
        return binding.row_time is not None and any(
            seq > binding.seq and binding.row_time < cutoff for seq, cutoff in self.purges
        )


@dataclass(frozen=True, slots=True)
class RowProblem:
    """The first row that does not match the chain, and the event it concerns."""

    seq: int | None
    problem: str


def crossing_details(crossing: Crossing) -> dict[str, JSONScalar]:
    """Return the audit details that bind ``crossing`` to the event recording it."""
    content = chain.crossing_content(crossing)
    return {chain.ROW_HASH_KEY: chain.row_hash("crossing", content), "row_time": str(content["time"])}


def _shifts(db: sqlite3.Connection) -> Iterator[Shift]:
    for row in db.execute(
        "SELECT shift_id, officer_id, post, lane, direction, terminal_id, opened_at, closed_at, close_note "
        "FROM shifts ORDER BY opened_at"
    ):
        yield Shift(
            str(row[0]),
            str(row[1]),
            str(row[2]),
            str(row[3]),
            cast(Direction, row[4]),
            str(row[5]),
            datetime.fromisoformat(str(row[6])),
            datetime.fromisoformat(str(row[7])) if row[7] else None,
            str(row[8]),
        )


def _watchlist_versions(db: sqlite3.Connection) -> Iterator[tuple[int, WatchlistInfo, str]]:
    for row in db.execute(
        "SELECT version_id, kind, version, list_date, imported_at, entry_count, source_name, sha256 "
        "FROM watchlist_versions ORDER BY version_id"
    ):
        info = WatchlistInfo(
            cast(WatchlistKind, row[1]),
            str(row[2]),
            date.fromisoformat(str(row[3])),
            datetime.fromisoformat(str(row[4])),
            int(row[5]),
            str(row[6]),
        )
        yield int(row[0]), info, str(row[7])


def entries_hash(db: sqlite3.Connection, kind: str, version_id: int) -> str:
    """Return the :func:`checkpoint.store.chain.watchlist_entries_hash` of one version's stored entries."""
    table = "watchlist_documents" if kind == "documents" else "watchlist_persons"
    fields = ", ".join(chain.WATCHLIST_ENTRY_FIELDS[kind])
    rows = db.execute(f"SELECT {fields} FROM {table} WHERE version_id = ?", (version_id,))
    return chain.watchlist_entries_hash(kind, rows)


def _crossings(db: sqlite3.Connection) -> Iterator[tuple[str, Crossing | Exception]]:
    """Yield (crossing id, crossing or why it cannot be read), a batch at a time, naming a bad row."""
    last = 0
    while True:
        batch = db.execute(
            "SELECT seq, crossing_id FROM crossings WHERE seq > ? ORDER BY seq LIMIT 500", (last,)
        )
        rows = [(int(seq), str(crossing_id)) for seq, crossing_id in batch]
        if not rows:
            return
        try:
            found = select_crossings(
                db, "c.seq >= ? AND c.seq <= ? ORDER BY c.seq", (rows[0][0], rows[-1][0])
            )
        except _UNREADABLE:
            found = None
        if found is not None:
            yield from ((c.crossing_id, c) for c in found)
        else:
            for seq, crossing_id in rows:  # one at a time, to name the unreadable one
                try:
                    yield crossing_id, select_crossings(db, "c.seq = ?", (seq,))[0]
                except _UNREADABLE as exc:
                    yield crossing_id, exc
        last = rows[-1][0]


def _row_hashes(db: sqlite3.Connection) -> Iterator[tuple[str, str, str, str | None] | RowProblem]:
    """Yield (kind, key, hash, time the row counts from) for every bound kind of row in the database."""
    for crossing_id, crossing in _crossings(db):
        if isinstance(crossing, Exception):
            yield RowProblem(None, f"crossing {crossing_id} cannot be read ({crossing}): the row was altered")
            continue
        content = chain.crossing_content(crossing)
        yield "crossing", crossing_id, chain.row_hash("crossing", content), cast(str, content["time"])
    for shift in _shifts(db):
        opened = chain.shift_open_content(shift)
        yield (
            "shift.open",
            shift.shift_id,
            chain.row_hash("shift.open", opened),
            cast(str, opened["opened_at"]),
        )
        if shift.closed_at is not None:
            closed = chain.shift_close_content(shift)
            yield (
                "shift.close",
                shift.shift_id,
                chain.row_hash("shift.close", closed),
                cast(str, closed["closed_at"]),
            )
    latest = {
        str(kind): int(version)
        for kind, version in db.execute("SELECT kind, MAX(version_id) FROM watchlist_versions GROUP BY kind")
    }
    for version_id, info, sha256 in _watchlist_versions(db):
        if latest.get(info.kind) == version_id:  # the entries of older versions go at the next import
            when = chain.watchlist_content(version_id, info, sha256)["imported_at"]
            entries = entries_hash(db, info.kind, version_id)
            yield "watchlist.entries", str(version_id), entries, cast(str, when)
        content = chain.watchlist_content(version_id, info, sha256)
        yield (
            "watchlist",
            str(version_id),
            chain.row_hash("watchlist", content),
            cast(str, content["imported_at"]),
        )


def check_rows(
    db: sqlite3.Connection, bindings: Bindings, chain_start: str | None
) -> tuple[int, RowProblem | None]:
    """Compare every bound kind of row with the event that binds it; return (rows checked, first problem).

    ``chain_start`` is the time of the first event kept (rows older than it may have lost their event to
    a purge).
    """
    unseen = dict(bindings.rows)
    checked = 0
    try:
        for item in _row_hashes(db):
            if isinstance(item, RowProblem):
                return checked, item
            kind, key, digest, since = item
            name = f"{_NAMES[kind]} {key}"
            binding = unseen.pop((kind, key), None)
            if binding is None:
                if chain_start is not None and since is not None and since < chain_start:
                    continue  # its event went with a purge
                return checked, RowProblem(
                    None, f"{name} is not recorded by any audit event: it was inserted"
                )
            if binding.digest != digest:
                return checked, RowProblem(
                    binding.seq,
                    f"{name} does not match what event {binding.seq} recorded: the row was altered",
                )
            checked += 1
    except (ValueError, TypeError) as exc:
        return checked, RowProblem(None, f"a record cannot be read ({exc}): the database was altered")
    superseded = {
        str(row[0])
        for row in db.execute(
            "SELECT version_id FROM watchlist_versions v WHERE version_id < "
            "(SELECT MAX(version_id) FROM watchlist_versions w WHERE w.kind = v.kind)"
        )
    }
    for (kind, key), binding in sorted(unseen.items(), key=lambda item: item[1].seq):
        if kind == "crossing" and bindings.purged(binding):
            continue
        if kind == "watchlist.entries" and key in superseded:
            continue  # replaced by a later import, which deleted them
        return checked, RowProblem(
            binding.seq, f"{_NAMES[kind]} {key} recorded by event {binding.seq} is missing: it was deleted"
        )
    return checked, None


def bind_existing_rows(db: sqlite3.Connection) -> None:
    """Append an ``audit.bind`` event for every row written before rows were bound to the chain.

    Run once, by the migration that introduced binding, inside its transaction; does nothing on a new
    database. The rows are taken as they are then: what happened to them before cannot be shown.
    """
    terminal = db.execute("SELECT value FROM settings WHERE key = 'terminal_id'").fetchone()
    if terminal is None:
        return
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    for item in list(_row_hashes(db)):
        if isinstance(item, RowProblem):
            raise sqlite3.DatabaseError(item.problem)
        kind, key, digest, since = item
        details: dict[str, JSONScalar] = {"row_kind": kind, chain.ROW_HASH_KEY: digest}
        if kind == "crossing":
            details["row_time"] = since
        chain.append_event(
            db,
            event_id=new_id(),
            time=now,
            terminal_id=str(terminal[0]),
            actor="system",
            action=BIND_ACTION,
            subject=key,
            details=details,
        )


def verify(db: sqlite3.Connection, *, expect_head: str | None = None) -> VerifyReport:
    """Verify the chain link by link, then every bound row against its event; return the report.

    Rows are checked once the database has the binding migration; an older database (verified without
    migrating it) has its chain verified and ``rows_checked`` 0.
    """
    bindings = Bindings()

    def observe(seq: int, action: str, subject: str, details_json: str) -> None:
        if action in _KIND_OF_ACTION or action in (BIND_ACTION, "purge"):
            try:
                details = json.loads(details_json)
            except ValueError:
                return
            if isinstance(details, dict):
                bindings.note(seq, action, subject, details)

    report = chain.verify_chain(db, expect_head=expect_head, observe=observe)
    if not report.ok or not _rows_bound(db):
        return report
    start = db.execute("SELECT MIN(time) FROM audit_events").fetchone()[0]
    checked, problem = check_rows(db, bindings, None if start is None else str(start))
    if problem is not None:
        return replace(
            report, ok=False, broken_seq=problem.seq, problem=problem.problem, rows_checked=checked
        )
    return replace(report, rows_checked=checked)


def _rows_bound(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (BINDING_MIGRATION,)).fetchone()
    return row is not None
