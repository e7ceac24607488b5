"""The schema, as numbered migrations applied in order, each in its own transaction and recorded in
``schema_migrations``. A migration is never edited once released: changes are new migrations.

Append-only tables (crossings, their checks, audit events) refuse UPDATE and DELETE by trigger. The only
deletion allowed is the retention purge, which raises a flag row in ``maintenance`` for the length of
its own transaction; the audit chain itself proves the purge happened and where the chain restarts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from checkpoint.store import bindings
from checkpoint.store.errors import StoreUnavailable

APPLICATION_ID: Final = (
    0x434B5054  # "CKPT" in the file header: `PRAGMA application_id`, see sqlite.org/fileformat
)
"""The schema marker: a SQLite file without it (or migration 1's record, before it existed) is not ours."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: a version number, a name, its statements, and then an optional step in Python
    (same transaction) for what SQL cannot do, such as hashing existing rows."""

    version: int
    name: str
    statements: tuple[str, ...]
    then: Callable[[sqlite3.Connection], None] | None = None


def _append_only(table: str, purgeable: bool) -> tuple[str, ...]:
    delete_guard = "WHEN NOT EXISTS (SELECT 1 FROM maintenance WHERE purging = 1) " if purgeable else ""
    return (
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: record a correction instead'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {delete_guard}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: only the retention purge deletes'); END""",
    )


_V1 = (
    """CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE maintenance (id INTEGER PRIMARY KEY CHECK (id = 1), purging INTEGER NOT NULL)""",
    """CREATE TABLE officers (
        officer_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        pin_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT)""",
    """CREATE TABLE shifts (
        shift_id TEXT PRIMARY KEY,
        officer_id TEXT NOT NULL REFERENCES officers(officer_id),
        post TEXT NOT NULL,
        lane TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
        terminal_id TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        close_note TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE crossings (
        seq INTEGER PRIMARY KEY,
        crossing_id TEXT NOT NULL UNIQUE,
        time TEXT NOT NULL,
        post TEXT NOT NULL,
        lane TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
        terminal_id TEXT NOT NULL,
        officer_id TEXT NOT NULL REFERENCES officers(officer_id),
        shift_id TEXT NOT NULL REFERENCES shifts(shift_id),
        decision TEXT NOT NULL CHECK (decision IN ('admit', 'refer', 'refuse')),
        suggestion TEXT NOT NULL,
        surname TEXT NOT NULL,
        given_names TEXT NOT NULL,
        birth_date TEXT,
        sex TEXT NOT NULL,
        nationality TEXT NOT NULL,
        document_type TEXT NOT NULL,
        issuing_state TEXT NOT NULL,
        document_number TEXT NOT NULL,
        expiry_date TEXT,
        mrz_lines TEXT NOT NULL,
        source TEXT NOT NULL,
        hits TEXT NOT NULL,
        reason_codes TEXT NOT NULL,
        override_reason TEXT NOT NULL,
        corrects TEXT REFERENCES crossings(crossing_id),
        correction_reason TEXT NOT NULL,
        audit_prev_hash TEXT NOT NULL)""",
    # The review path: a document's history, newest first.
    """CREATE INDEX crossings_document ON crossings(document_number, issuing_state, time)""",
    """CREATE INDEX crossings_time ON crossings(time)""",
    """CREATE INDEX crossings_shift ON crossings(shift_id)""",
    """CREATE INDEX crossings_surname ON crossings(surname)""",
    """CREATE INDEX crossings_corrects ON crossings(corrects)""",
    """CREATE TABLE crossing_checks (
        crossing_id TEXT NOT NULL REFERENCES crossings(crossing_id),
        position INTEGER NOT NULL,
        check_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('PASS', 'WARN', 'FAIL', 'NOT RUN')),
        message TEXT NOT NULL,
        data_version TEXT,
        details TEXT NOT NULL,
        PRIMARY KEY (crossing_id, position)) WITHOUT ROWID""",
    """CREATE TABLE crossing_sync (
        crossing_id TEXT PRIMARY KEY REFERENCES crossings(crossing_id),
        synced_at TEXT NOT NULL,
        target TEXT NOT NULL)""",
    """CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        time TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)""",
    """CREATE INDEX audit_events_subject ON audit_events(subject, action)""",
    # Where the chain starts after a purge: the first kept event and the hash it links to.
    """CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        first_seq INTEGER NOT NULL,
        prev_hash TEXT NOT NULL,
        purged_at TEXT NOT NULL)""",
    """CREATE TABLE watchlist_versions (
        version_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('documents', 'persons')),
        version TEXT NOT NULL,
        list_date TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        entry_count INTEGER NOT NULL,
        source_name TEXT NOT NULL,
        sha256 TEXT NOT NULL)""",
    """CREATE TABLE watchlist_documents (
        version_id INTEGER NOT NULL REFERENCES watchlist_versions(version_id),
        document_number TEXT NOT NULL,
        issuing_state TEXT NOT NULL,
        document_type TEXT,
        reason TEXT NOT NULL,
        reference TEXT NOT NULL)""",
    """CREATE INDEX watchlist_documents_lookup
        ON watchlist_documents(version_id, document_number, issuing_state)""",
    """CREATE TABLE watchlist_persons (
        version_id INTEGER NOT NULL REFERENCES watchlist_versions(version_id),
        surname TEXT NOT NULL,
        given_names TEXT NOT NULL,
        birth_date TEXT,
        nationality TEXT,
        reason TEXT NOT NULL,
        reference TEXT NOT NULL)""",
    """CREATE INDEX watchlist_persons_birth ON watchlist_persons(version_id, birth_date)""",
    *_append_only("crossings", purgeable=True),
    *_append_only("crossing_checks", purgeable=True),
    *_append_only("audit_events", purgeable=True),
)

# Sync with a post (checkpoint.store.sync): the chain's own id, fixed when the database is made (a copy
# of the file carries it, and the post refuses the copy's diverging chain); how far the post holds
# this terminal's chain and shifts; other lanes' crossings pulled from the post; HQ's watchlist numbers
# and officers' roles.
_V2 = (
    """INSERT OR IGNORE INTO settings (key, value) VALUES ('chain_id', lower(hex(randomblob(16))))""",
    """CREATE TRIGGER settings_chain_id_no_update BEFORE UPDATE ON settings WHEN OLD.key = 'chain_id'
        BEGIN SELECT RAISE(ABORT, 'the audit chain id is fixed when the database is made'); END""",
    """CREATE TRIGGER settings_chain_id_no_delete BEFORE DELETE ON settings WHEN OLD.key = 'chain_id'
        BEGIN SELECT RAISE(ABORT, 'the audit chain id is fixed when the database is made'); END""",
    """CREATE TABLE sync_events (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq INTEGER NOT NULL,
        synced_at TEXT NOT NULL)""",
    """CREATE TABLE shift_sync (
        shift_id TEXT PRIMARY KEY REFERENCES shifts(shift_id),
        closed INTEGER NOT NULL,
        synced_at TEXT NOT NULL)""",
    """CREATE TABLE sync_status (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE remote_crossings (
        crossing_id TEXT PRIMARY KEY,
        time TEXT NOT NULL,
        post TEXT NOT NULL,
        lane TEXT NOT NULL,
        direction TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        decision TEXT NOT NULL,
        document_number TEXT NOT NULL,
        issuing_state TEXT NOT NULL,
        corrects TEXT,
        received_at TEXT,
        pulled_at TEXT NOT NULL)""",
    """CREATE INDEX remote_crossings_document ON remote_crossings(document_number, issuing_state, time)""",
    """CREATE INDEX remote_crossings_corrects ON remote_crossings(corrects)""",
    """ALTER TABLE watchlist_versions ADD COLUMN hq_number INTEGER""",
    """ALTER TABLE officers ADD COLUMN roles TEXT NOT NULL DEFAULT ''""",
)

_REFERRALS_AND_COMPANIONS = (
    # What a crossing is: a first-line decision, a correction of one, or the second line's resolution
    # of a referral (both link to the crossing they follow through ``corrects``).
    """ALTER TABLE crossings ADD COLUMN kind TEXT NOT NULL DEFAULT 'decision'
        CHECK (kind IN ('decision', 'correction', 'resolution'))""",
    # The officer's remarks (the refusal form's), and the documents presented with the main one
    # (a visa, the adult a minor travels with, a consent letter), as JSON.
    """ALTER TABLE crossings ADD COLUMN remarks TEXT NOT NULL DEFAULT ''""",
    """ALTER TABLE crossings ADD COLUMN companions TEXT NOT NULL DEFAULT '[]'""",
    # Open referrals of a post, for the second line and the next shift.
    """CREATE INDEX crossings_post_decision ON crossings(post, decision)""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _V1),
    Migration(2, "sync with a post", _V2),
    Migration(3, "referral resolutions, remarks, companion documents", _REFERRALS_AND_COMPANIONS),
    # Rows written so far are bound by one audit.bind event each; later ones by the event recording them.
    Migration(
        4,
        bindings.BINDING_MIGRATION,
        (f"PRAGMA application_id = {APPLICATION_ID}",),
        then=bindings.bind_existing_rows,
    ),
)
"""Every migration, in order. The last version is the schema this code writes."""

SCHEMA_VERSION = MIGRATIONS[-1].version


def applied_versions(connection: sqlite3.Connection) -> list[int]:
    """Return the migration versions recorded in the database, ascending."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return [row[0] for row in connection.execute("SELECT version FROM schema_migrations ORDER BY version")]


def migrate(connection: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the migrations the database lacks, in order, each atomically; return the versions applied.

    ``connection`` must be in autocommit mode (``isolation_level=None``). Raises StoreUnavailable when
    the database has a migration this code does not know (it was written by a newer version).
    """
    known = {m.version for m in migrations}
    done = applied_versions(connection)
    newer = [v for v in done if v not in known]
    if newer:
        raise StoreUnavailable(
            f"the database has schema version {max(newer)}, newer than this program's {max(known)}: "
            "upgrade checkpoint before opening it"
        )
    applied = []
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version in done:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the write lock: another process may have migrated meanwhile.
            row = connection.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone()
            if row is None:
                for statement in migration.statements:
                    connection.execute(statement)
                if migration.then is not None:
                    migration.then(connection)
                connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, datetime.now(UTC).isoformat()),
                )
                applied.append(migration.version)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return applied


def is_checkpoint_database(connection: sqlite3.Connection) -> bool:
    """Return whether the database carries our schema marker (or, from before the marker, migration 1's
    record and our audit table); an empty file is not one either."""
    if connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return True
    tables = {
        str(row[0]) for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if not {"schema_migrations", "audit_events", "crossings"} <= tables:
        return False
    first = connection.execute("SELECT name FROM schema_migrations WHERE version = 1").fetchone()
    return first is not None and first[0] == MIGRATIONS[0].name


def is_empty_database(connection: sqlite3.Connection) -> bool:
    """Return whether the database holds nothing yet (a new file, ours to create): no tables, or only an
    empty ``schema_migrations`` left by a first open that stopped before migration 1 committed."""
    names = {str(row[0]) for row in connection.execute("SELECT name FROM sqlite_master")}
    if names - {"schema_migrations"}:
        return False
    return not names or connection.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == 0
