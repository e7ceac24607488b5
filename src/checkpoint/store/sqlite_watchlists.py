"""Watchlists in SQLite: storing an imported list, finding the current version, and the views the checks
engine looks entries up through (by index: number and issuer, or birth date)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime

from checkpoint.store.crossing_rules import normalize_code, normalize_number
from checkpoint.store.crossing_sql import timestamp
from checkpoint.store.errors import StoreError
from checkpoint.store.records import DocumentAlertEntry, PersonAlertEntry, WatchlistInfo, WatchlistKind
from checkpoint.store.watchlist_csv import ParsedWatchlist

RowSource = Callable[[WatchlistKind, int, str, Sequence[object]], list[tuple[object, ...]]]
"""``(kind, version_id, sql, params) -> rows``: runs a lookup against one list version, under the
store's lock; ``sql`` takes the version id as its first parameter."""


def store_entries(db: sqlite3.Connection, parsed: ParsedWatchlist, info: WatchlistInfo, sha256: str) -> int:
    """Replace the entries of ``info.kind`` with ``parsed`` as a new version; return its version id.

    Runs inside the caller's write transaction.
    """
    table = "watchlist_documents" if info.kind == "documents" else "watchlist_persons"
    db.execute(
        f"DELETE FROM {table} WHERE version_id IN (SELECT version_id FROM watchlist_versions WHERE kind = ?)",
        (info.kind,),
    )
    version_id = int(
        db.execute(
            "INSERT INTO watchlist_versions (kind, version, list_date, imported_at, entry_count, source_name, "
            "sha256) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING version_id",
            (
                info.kind,
                info.version,
                info.list_date.isoformat(),
                timestamp(info.imported_at),
                info.entry_count,
                info.source_name,
                sha256,
            ),
        ).fetchone()[0]
    )
    db.executemany(
        "INSERT INTO watchlist_documents (version_id, document_number, issuing_state, document_type, reason, "
        "reference) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (version_id, d.document_number, d.issuing_state, d.document_type, d.reason, d.reference)
            for d in parsed.documents
        ],
    )
    db.executemany(
        "INSERT INTO watchlist_persons (version_id, surname, given_names, birth_date, nationality, reason, "
        "reference) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                version_id,
                p.surname,
                p.given_names,
                p.birth_date.isoformat() if p.birth_date else None,
                p.nationality,
                p.reason,
                p.reference,
            )
            for p in parsed.persons
        ],
    )
    return version_id


def current_version(db: sqlite3.Connection, kind: WatchlistKind) -> tuple[int, WatchlistInfo] | None:
    """Return (version id, info) of the loaded ``kind`` list, or None if none was imported."""
    row = db.execute(
        "SELECT version_id, version, list_date, imported_at, entry_count, source_name FROM watchlist_versions "
        "WHERE kind = ? ORDER BY version_id DESC LIMIT 1",
        (kind,),
    ).fetchone()
    if row is None:
        return None
    info = WatchlistInfo(
        kind, row[1], date.fromisoformat(row[2]), datetime.fromisoformat(row[3]), row[4], row[5]
    )
    return int(row[0]), info


def version_rows(
    db: sqlite3.Connection, kind: WatchlistKind, version_id: int, sql: str, params: Sequence[object]
) -> list[tuple[object, ...]]:
    """Run a lookup against list version ``version_id``; raise StoreError if a newer one replaced it."""
    current = db.execute("SELECT MAX(version_id) FROM watchlist_versions WHERE kind = ?", (kind,)).fetchone()
    if current is None or current[0] != version_id:
        # The replaced version's entries are gone: an empty answer would be a false all-clear.
        raise StoreError("the watchlist was replaced while in use: look it up again")
    return [tuple(row) for row in db.execute(sql, (version_id, *params))]


class _ListVersion:
    """One imported version of a list: its version and date, and its entries through ``rows``."""

    def __init__(self, rows: RowSource, version_id: int, info: WatchlistInfo) -> None:
        self._rows = rows
        self._version_id = version_id
        self.info = info

    @property
    def version(self) -> str:
        """Return the list's version."""
        return self.info.version

    @property
    def list_date(self) -> date:
        """Return the date the list owner gave the list."""
        return self.info.list_date

    def _select(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]]:
        """Return the rows of ``sql`` (version id first parameter) in this version; raise StoreError
        if a newer version replaced it."""
        return self._rows(self.info.kind, self._version_id, sql, params)


class SQLiteDocumentWatchlist(_ListVersion):
    """One version of the document list, looked up through the index (a DocumentWatchlist)."""

    def lookup(self, document_number: str, issuing_state: str) -> list[DocumentAlertEntry]:
        """Return the entries for this number and issuer (fillers and case ignored)."""
        number = normalize_number(document_number)
        rows = self._select(
            "SELECT document_number, issuing_state, document_type, reason, reference FROM watchlist_documents "
            "WHERE version_id = ? AND document_number = ? AND issuing_state = ?",
            (number, normalize_code(issuing_state)),
        )
        return [
            DocumentAlertEntry(
                str(r[0]), str(r[1]), None if r[2] is None else str(r[2]), str(r[3]), str(r[4])
            )
            for r in rows
        ]


class SQLitePersonWatchlist(_ListVersion):
    """One version of the person list (a PersonWatchlist): candidates by birth date through the index."""

    def candidates(self, birth_date: date | None) -> list[PersonAlertEntry]:
        """Return entries born on ``birth_date`` or of unknown birth date; every entry for None."""
        columns = (
            "SELECT surname, given_names, birth_date, nationality, reason, reference FROM watchlist_persons "
        )
        if birth_date is None:
            rows = self._select(columns + "WHERE version_id = ?", ())
        else:
            rows = self._select(
                columns + "WHERE version_id = ?1 AND (birth_date = ?2 OR birth_date IS NULL)",
                (birth_date.isoformat(),),
            )
        return [
            PersonAlertEntry(
                str(r[0]),
                str(r[1]),
                date.fromisoformat(str(r[2])) if r[2] else None,
                None if r[3] is None else str(r[3]),
                str(r[4]),
                str(r[5]),
            )
            for r in rows
        ]
