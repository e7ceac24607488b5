"""The PostgreSQL schema of a border post or HQ, as numbered migrations (see :mod:`checkpoint.store.postgres`).

The store's own tables mirror the SQLite schema column for column, so the store's SQL runs on both:
every value that was hashed (times, details, hashes) is ``text``, stored and read back byte for byte,
never re-rendered by ``jsonb`` or ``timestamptz``. Beside them, the post keeps one audit chain per
terminal (``terminal_chains``, ``terminal_events`` keyed by chain id and number), the pushes it refused,
and the raw file of every watchlist version, so terminals can check its SHA-256 after pulling it.

Append-only tables refuse UPDATE, DELETE and TRUNCATE by trigger; the retention purge may delete while
its own transaction holds the ``maintenance`` flag row, as in SQLite.
"""

from __future__ import annotations

from checkpoint.store.bindings import BINDING_MIGRATION
from checkpoint.store.migrations import Migration

_REFUSE_FUNCTION = """
CREATE FUNCTION checkpoint_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'DELETE' AND TG_ARGV[0] = 'purgeable'
       AND EXISTS (SELECT 1 FROM maintenance WHERE purging = 1) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '% is append-only: record a correction instead', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RAISE EXCEPTION '% is append-only: only the retention purge deletes', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$body$"""


def _append_only(table: str, purgeable: bool) -> tuple[str, ...]:
    kind = "purgeable" if purgeable else "kept"
    return (
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION checkpoint_append_only('{kind}')""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION checkpoint_append_only('kept')""",
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
        locked_until TEXT,
        roles TEXT NOT NULL DEFAULT '',
        changed_at TEXT)""",
    # Officers of a terminal's shifts and crossings need not be known here (a terminal may have local
    # accounts), so shifts and crossings name them without a foreign key.
    """CREATE TABLE shifts (
        shift_id TEXT PRIMARY KEY,
        officer_id TEXT NOT NULL,
        post TEXT NOT NULL,
        lane TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
        terminal_id TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        close_note TEXT NOT NULL DEFAULT '',
        received_at TEXT)""",
    """CREATE TABLE crossings (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        crossing_id TEXT NOT NULL UNIQUE,
        time TEXT NOT NULL,
        post TEXT NOT NULL,
        lane TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
        terminal_id TEXT NOT NULL,
        officer_id TEXT NOT NULL,
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
        audit_prev_hash TEXT NOT NULL,
        received_at TEXT,
        content_sha256 TEXT,
        chain_id TEXT)""",
    """CREATE INDEX crossings_document ON crossings(document_number, issuing_state, time)""",
    """CREATE INDEX crossings_time ON crossings(time)""",
    """CREATE INDEX crossings_shift ON crossings(shift_id)""",
    """CREATE INDEX crossings_surname ON crossings(surname text_pattern_ops)""",
    """CREATE INDEX crossings_corrects ON crossings(corrects)""",
    """CREATE INDEX crossings_terminal ON crossings(terminal_id, seq)""",
    """CREATE INDEX crossings_chain ON crossings(chain_id)""",
    """CREATE TABLE crossing_checks (
        crossing_id TEXT NOT NULL REFERENCES crossings(crossing_id),
        position INTEGER NOT NULL,
        check_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('PASS', 'WARN', 'FAIL', 'NOT RUN')),
        message TEXT NOT NULL,
        data_version TEXT,
        details TEXT NOT NULL,
        PRIMARY KEY (crossing_id, position))""",
    """CREATE TABLE crossing_sync (
        crossing_id TEXT PRIMARY KEY REFERENCES crossings(crossing_id),
        synced_at TEXT NOT NULL,
        target TEXT NOT NULL)""",
    """CREATE TABLE audit_events (
        seq BIGINT PRIMARY KEY,
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
    """CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        first_seq BIGINT NOT NULL,
        prev_hash TEXT NOT NULL,
        purged_at TEXT NOT NULL)""",
    """CREATE TABLE watchlist_versions (
        version_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('documents', 'persons')),
        version TEXT NOT NULL,
        list_date TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        entry_count INTEGER NOT NULL,
        source_name TEXT NOT NULL,
        sha256 TEXT NOT NULL)""",
    """CREATE TABLE watchlist_documents (
        version_id BIGINT NOT NULL REFERENCES watchlist_versions(version_id),
        document_number TEXT NOT NULL,
        issuing_state TEXT NOT NULL,
        document_type TEXT,
        reason TEXT NOT NULL,
        reference TEXT NOT NULL)""",
    """CREATE INDEX watchlist_documents_lookup
        ON watchlist_documents(version_id, document_number, issuing_state)""",
    """CREATE TABLE watchlist_persons (
        version_id BIGINT NOT NULL REFERENCES watchlist_versions(version_id),
        surname TEXT NOT NULL,
        given_names TEXT NOT NULL,
        birth_date TEXT,
        nationality TEXT,
        reason TEXT NOT NULL,
        reference TEXT NOT NULL)""",
    """CREATE INDEX watchlist_persons_birth ON watchlist_persons(version_id, birth_date)""",
    # The file HQ imported, byte for byte: terminals pull it and check it against its SHA-256.
    """CREATE TABLE watchlist_files (
        version_id BIGINT PRIMARY KEY REFERENCES watchlist_versions(version_id),
        data BYTEA NOT NULL)""",
    # One audit chain per terminal, as pushed; the head is what the next push must continue.
    """CREATE TABLE terminal_chains (
        chain_id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        first_seq BIGINT NOT NULL,
        first_prev_hash TEXT NOT NULL,
        head_seq BIGINT NOT NULL,
        head_hash TEXT NOT NULL,
        first_push_at TEXT NOT NULL,
        last_push_at TEXT NOT NULL,
        terminal_clock TEXT,
        clock_skew_seconds DOUBLE PRECISION,
        post TEXT NOT NULL DEFAULT '',
        lane TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE terminal_events (
        chain_id TEXT NOT NULL REFERENCES terminal_chains(chain_id),
        seq BIGINT NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        time TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (chain_id, seq))""",
    """CREATE INDEX terminal_events_subject ON terminal_events(chain_id, subject, action)""",
    # Pushes refused as a cloned or tampered terminal file: for the supervisor, never merged.
    """CREATE TABLE sync_refusals (
        refusal_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        chain_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        event_id TEXT,
        seq BIGINT,
        reason TEXT NOT NULL,
        refused_at TEXT NOT NULL)""",
    # A terminal keeps other lanes' crossings apart; a post holds every lane's in ``crossings``.
    """CREATE VIEW remote_crossings AS SELECT crossing_id, time, post, lane, direction, terminal_id, decision,
        document_number, issuing_state, corrects FROM crossings WHERE FALSE""",
    _REFUSE_FUNCTION,
    *_append_only("crossings", purgeable=True),
    *_append_only("crossing_checks", purgeable=True),
    *_append_only("audit_events", purgeable=True),
    *_append_only("terminal_events", purgeable=False),
    *_append_only("sync_refusals", purgeable=False),
)

# The terminal schema's referrals and companions (its migration 3), so pushed crossings keep them.
_REFERRALS_AND_COMPANIONS = (
    """ALTER TABLE crossings ADD COLUMN kind TEXT NOT NULL DEFAULT 'decision'
        CHECK (kind IN ('decision', 'correction', 'resolution'))""",
    """ALTER TABLE crossings ADD COLUMN remarks TEXT NOT NULL DEFAULT ''""",
    """ALTER TABLE crossings ADD COLUMN companions TEXT NOT NULL DEFAULT '[]'""",
    """CREATE INDEX crossings_post_decision ON crossings(post, decision)""",
)

PG_MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "post schema", _V1),
    Migration(2, "referral resolutions, remarks, companion documents", _REFERRALS_AND_COMPANIONS),
    # The post's own records are bound to its chain from the start (the store code is the terminal's);
    # the migration's name is what tells verification that rows are bound.
    Migration(3, BINDING_MIGRATION, ()),
)
"""Every PostgreSQL migration, in order. Never edit a released one: append."""

PG_SCHEMA_VERSION = PG_MIGRATIONS[-1].version
