"""Offline-first records of a checkpoint terminal: officers, shifts, crossings, watchlists, audit chain.

``open_store(path)`` returns the SQLite :class:`Store` (WAL, foreign keys, migrations, file mode 0600).
The interface is :class:`checkpoint.store.base.Store`; records are in :mod:`checkpoint.store.records`;
errors in :mod:`checkpoint.store.errors`. Crossings and audit events are append-only (the database
refuses UPDATE and DELETE on them); every officer action is an audit event in a SHA-256 hash chain that
:meth:`Store.verify_audit` checks link by link.

A border post or HQ runs the same store on PostgreSQL (:func:`checkpoint.store.postgres.open_post_store`),
and terminals sync with it (:mod:`checkpoint.store.sync`); both need the ``post`` extra (psycopg).
"""

from checkpoint.store.base import DocumentWatchlistView, PersonWatchlistView, Store
from checkpoint.store.errors import (
    AuthenticationFailed,
    CorruptRecord,
    InvalidRecord,
    NotFound,
    OfficerLocked,
    StoreError,
    StoreUnavailable,
    WatchlistImportError,
)
from checkpoint.store.records import (
    AuditEvent,
    CheckRecord,
    Companion,
    Crossing,
    CrossingQuery,
    DocumentAlertEntry,
    HitDisposition,
    Movement,
    NewCrossing,
    Officer,
    PersonAlertEntry,
    PurgeReport,
    Shift,
    ShiftSummary,
    VerifyReport,
    WatchlistInfo,
)
from checkpoint.store.sqlite import SQLiteStore, open_store, verify_database

__all__ = [
    "AuditEvent",
    "AuthenticationFailed",
    "CheckRecord",
    "Companion",
    "CorruptRecord",
    "Crossing",
    "CrossingQuery",
    "DocumentAlertEntry",
    "DocumentWatchlistView",
    "HitDisposition",
    "InvalidRecord",
    "Movement",
    "NewCrossing",
    "NotFound",
    "Officer",
    "OfficerLocked",
    "PersonAlertEntry",
    "PersonWatchlistView",
    "PurgeReport",
    "SQLiteStore",
    "Shift",
    "ShiftSummary",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "VerifyReport",
    "WatchlistImportError",
    "WatchlistInfo",
    "open_store",
    "verify_database",
]
