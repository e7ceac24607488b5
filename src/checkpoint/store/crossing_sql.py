"""Crossings to and from SQL rows (used by :mod:`checkpoint.store.sqlite`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import cast

from checkpoint.store.crossing_rules import normalize_code, normalize_number
from checkpoint.store.errors import CorruptRecord
from checkpoint.store.records import (
    CheckRecord,
    Companion,
    Crossing,
    CrossingKind,
    CrossingQuery,
    Direction,
    HitDisposition,
    Outcome,
)

# Columns of ``crossings`` in the order of the Crossing fields they fill (checks, hits and sync aside).
_COLUMNS: tuple[str, ...] = (
    "crossing_id",
    "time",
    "post",
    "lane",
    "direction",
    "terminal_id",
    "officer_id",
    "shift_id",
    "decision",
    "suggestion",
    "surname",
    "given_names",
    "birth_date",
    "sex",
    "nationality",
    "document_type",
    "issuing_state",
    "document_number",
    "expiry_date",
    "mrz_lines",
    "source",
    "hits",
    "reason_codes",
    "override_reason",
    "corrects",
    "correction_reason",
    "audit_prev_hash",
    "kind",
    "remarks",
    "companions",
)
_SELECT = (
    "SELECT "
    + ", ".join(f"c.{name}" for name in _COLUMNS)
    + ", CASE WHEN s.crossing_id IS NULL THEN 'pending' ELSE 'synced' END"
    + " FROM crossings c LEFT JOIN crossing_sync s ON s.crossing_id = c.crossing_id"
)


def timestamp(moment: datetime) -> str:
    """Return the stored form of a time: UTC ISO 8601 with microseconds, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _date_or_none(text: object) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def companion_row(companion: Companion) -> dict[str, str | None]:
    """Return a companion document as a JSON-safe mapping (dates ISO 8601)."""
    row = {name: getattr(companion, name) for name in Companion.__dataclass_fields__}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


def companion_from_row(row: Mapping[str, object]) -> Companion:
    """Return the companion document stored as ``row``."""
    values = {k: v for k, v in row.items() if k in Companion.__dataclass_fields__}
    for name in ("birth_date", "expiry_date"):
        values[name] = _date_or_none(values.get(name))
    return Companion(**values)  # type: ignore[arg-type]


def crossing_fields(crossing: Crossing) -> dict[str, object]:
    """Return a crossing's columns as plain values (lists not yet JSON): what :func:`insert_crossing`
    stores and, with the checks, what the audit chain binds (:func:`checkpoint.store.chain.crossing_content`)."""
    return {
        "crossing_id": crossing.crossing_id,
        "time": timestamp(crossing.time),
        "post": crossing.post,
        "lane": crossing.lane,
        "direction": crossing.direction,
        "terminal_id": crossing.terminal_id,
        "officer_id": crossing.officer_id,
        "shift_id": crossing.shift_id,
        "decision": crossing.decision,
        "suggestion": crossing.suggestion,
        "surname": crossing.surname,
        "given_names": crossing.given_names,
        "birth_date": crossing.birth_date.isoformat() if crossing.birth_date else None,
        "sex": crossing.sex,
        "nationality": crossing.nationality,
        "document_type": crossing.document_type,
        "issuing_state": crossing.issuing_state,
        "document_number": crossing.document_number,
        "expiry_date": crossing.expiry_date.isoformat() if crossing.expiry_date else None,
        "mrz_lines": list(crossing.mrz_lines),
        "source": crossing.source,
        "hits": [[h.check_id, h.reference, h.disposition, h.score] for h in crossing.hits],
        "reason_codes": list(crossing.reason_codes),
        "override_reason": crossing.override_reason,
        "corrects": crossing.corrects,
        "correction_reason": crossing.correction_reason,
        "audit_prev_hash": crossing.audit_prev_hash,
        "kind": crossing.kind,
        "remarks": crossing.remarks,
        "companions": [companion_row(c) for c in crossing.companions],
    }


def insert_crossing(connection: sqlite3.Connection, crossing: Crossing) -> None:
    """Insert a crossing and its checks (inside the caller's transaction)."""
    fields = crossing_fields(crossing)
    values = {
        **fields,
        "mrz_lines": json.dumps(fields["mrz_lines"], ensure_ascii=False),
        "hits": json.dumps(fields["hits"], ensure_ascii=False),
        "reason_codes": json.dumps(fields["reason_codes"]),
        "companions": json.dumps(fields["companions"], ensure_ascii=False),
    }
    connection.execute(
        f"INSERT INTO crossings ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})",
        [values[name] for name in _COLUMNS],
    )
    connection.executemany(
        "INSERT INTO crossing_checks (crossing_id, position, check_id, version, status, message, data_version, "
        "details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                crossing.crossing_id,
                position,
                check.check_id,
                check.version,
                check.status,
                check.message,
                check.data_version,
                json.dumps(dict(check.details), sort_keys=True, ensure_ascii=False),
            )
            for position, check in enumerate(crossing.checks)
        ],
    )


def _checks_for(connection: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[CheckRecord]]:
    found: dict[str, list[CheckRecord]] = {crossing_id: [] for crossing_id in ids}
    # Bound the number of SQL variables per statement (SQLite's limit is 32766 in current versions).
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = connection.execute(
            "SELECT crossing_id, check_id, version, status, message, data_version, details FROM crossing_checks "
            f"WHERE crossing_id IN ({', '.join('?' for _ in chunk)}) ORDER BY crossing_id, position",
            chunk,
        )
        for crossing_id, check_id, version, status, message, data_version, details in rows:
            found[crossing_id].append(
                CheckRecord(check_id, version, status, message, data_version, json.loads(details))
            )
    return found


def _row_to_crossing(row: Sequence[object], checks: list[CheckRecord]) -> Crossing:
    v = dict(zip((*_COLUMNS, "sync_state"), row, strict=True))
    hits = tuple(
        HitDisposition(str(h[0]), str(h[1]), str(h[2]), None if h[3] is None else int(h[3]))
        for h in json.loads(str(v["hits"]))
    )
    return Crossing(
        crossing_id=str(v["crossing_id"]),
        time=datetime.fromisoformat(str(v["time"])),
        post=str(v["post"]),
        lane=str(v["lane"]),
        direction=cast(Direction, v["direction"]),
        terminal_id=str(v["terminal_id"]),
        officer_id=str(v["officer_id"]),
        shift_id=str(v["shift_id"]),
        decision=cast(Outcome, v["decision"]),
        suggestion=str(v["suggestion"]),
        surname=str(v["surname"]),
        given_names=str(v["given_names"]),
        birth_date=_date_or_none(v["birth_date"]),
        sex=str(v["sex"]),
        nationality=str(v["nationality"]),
        document_type=str(v["document_type"]),
        issuing_state=str(v["issuing_state"]),
        document_number=str(v["document_number"]),
        expiry_date=_date_or_none(v["expiry_date"]),
        mrz_lines=tuple(json.loads(str(v["mrz_lines"]))),
        source=str(v["source"]),
        checks=tuple(checks),
        hits=hits,
        reason_codes=tuple(json.loads(str(v["reason_codes"]))),
        override_reason=str(v["override_reason"]),
        corrects=None if v["corrects"] is None else str(v["corrects"]),
        correction_reason=str(v["correction_reason"]),
        audit_prev_hash=str(v["audit_prev_hash"]),
        sync_state=str(v["sync_state"]),
        kind=cast(CrossingKind, v["kind"]),
        remarks=str(v["remarks"]),
        companions=tuple(companion_from_row(row) for row in json.loads(str(v["companions"]))),
    )


def select_crossings(
    connection: sqlite3.Connection, where: str = "TRUE", params: Sequence[object] = (), *, suffix: str = ""
) -> list[Crossing]:
    """Return the crossings matching a WHERE clause over alias ``c``, with their checks."""
    rows = connection.execute(f"{_SELECT} WHERE {where} {suffix}", params).fetchall()
    checks = _checks_for(connection, [str(row[0]) for row in rows])
    return [_row_to_crossing(row, checks[str(row[0])]) for row in rows]


def query_clause(query: CrossingQuery) -> tuple[str, list[object]]:
    """Return the WHERE clause and parameters of a search; ``("", [])`` when it has no criteria."""
    clauses: list[str] = []
    params: list[object] = []
    text = query.text.strip().upper()
    if text:
        number = normalize_number(text)
        clauses.append("(c.document_number = ? OR c.surname LIKE ? ESCAPE '\\')")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [number, escaped + "%"]
    if query.document_number.strip():
        clauses.append("c.document_number = ?")
        params.append(normalize_number(query.document_number))
    if query.issuing_state.strip():
        clauses.append("c.issuing_state = ?")
        params.append(normalize_code(query.issuing_state))
    if query.surname.strip():
        clauses.append("c.surname = ?")
        params.append(" ".join(query.surname.upper().split()))
    if query.birth_date is not None:
        clauses.append("c.birth_date = ?")
        params.append(query.birth_date.isoformat())
    if query.since is not None:
        clauses.append("c.time >= ?")
        params.append(timestamp(query.since))
    if query.until is not None:
        clauses.append("c.time < ?")
        params.append(timestamp(query.until))
    return " AND ".join(clauses), params


def iter_crossings(
    connection: sqlite3.Connection, where: str = "TRUE", params: Sequence[object] = (), *, batch: int = 500
) -> Iterator[Crossing]:
    """Yield the crossings matching a WHERE clause over alias ``c`` in record order, a batch at a time,
    so an export of every crossing never holds them all in memory."""
    last_seq = 0
    while True:
        seqs = [
            int(row[0])
            for row in connection.execute(
                f"SELECT c.seq FROM crossings c WHERE ({where}) AND c.seq > ? ORDER BY c.seq LIMIT ?",
                [*params, last_seq, batch],
            )
        ]
        if not seqs:
            return
        marks = ", ".join("?" for _ in seqs)
        try:
            found = select_crossings(connection, f"c.seq IN ({marks}) ORDER BY c.seq", seqs)
        except UNREADABLE:
            _name_the_unreadable(connection, seqs)
            raise
        yield from found
        last_seq = seqs[-1]


CROSSING_COLUMNS: tuple[str, ...] = _COLUMNS
"""The columns of ``crossings`` a record is made of (without the store's own ``seq``), in order."""


UNREADABLE = (ValueError, TypeError, KeyError, IndexError)
"""What reading back a row that was altered outside the store raises (bad JSON, date, ...)."""


def _name_the_unreadable(connection: sqlite3.Connection, seqs: Sequence[int]) -> None:
    """Raise CorruptRecord naming the first of ``seqs`` whose crossing cannot be read back."""
    for seq in seqs:
        try:
            select_crossings(connection, "c.seq = ?", (seq,))
        except UNREADABLE as exc:
            row = connection.execute("SELECT crossing_id FROM crossings WHERE seq = ?", (seq,)).fetchone()
            raise CorruptRecord(
                f"crossing {row[0]} (record {seq}) cannot be read back ({type(exc).__name__}: {exc}): "
                "the database was altered or damaged; `checkpoint audit verify` checks every record"
            ) from exc
