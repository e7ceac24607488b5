"""The SQLite store: one file per terminal, WAL mode, foreign keys on, file mode 0600.

Durability: ``synchronous=FULL`` so that a committed crossing survives a crash or power loss; a
process killed mid-write loses only the transaction it had not committed. One connection, guarded by a
lock, serves every thread; ``BEGIN IMMEDIATE`` makes each write atomic against other processes (the CLI
may import a watchlist while the client runs), with a generous busy timeout.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO, cast

from checkpoint.store import bindings, chain, pins
from checkpoint.store.base import Store
from checkpoint.store.crossing_rules import (
    build_crossing,
    normalize_code,
    normalize_number,
    refuse_control_characters,
    validate_new_crossing,
)
from checkpoint.store.crossing_sql import (
    insert_crossing,
    iter_crossings,
    query_clause,
    select_crossings,
    timestamp,
)
from checkpoint.store.errors import (
    AuthenticationFailed,
    InvalidRecord,
    NotFound,
    OfficerLocked,
    StoreError,
    StoreUnavailable,
)
from checkpoint.store.export_csv import write_crossings
from checkpoint.store.ids import new_id
from checkpoint.store.migrations import is_checkpoint_database, is_empty_database, migrate
from checkpoint.store.purge import purge_before, unsynced_before
from checkpoint.store.records import (
    DIRECTIONS,
    WATCHLIST_KINDS,
    AuditEvent,
    Crossing,
    CrossingQuery,
    Direction,
    JSONScalar,
    Movement,
    NewCrossing,
    Officer,
    Outcome,
    PurgeReport,
    Shift,
    ShiftSummary,
    VerifyReport,
    WatchlistInfo,
    WatchlistKind,
)
from checkpoint.store.sqlite_watchlists import (
    SQLiteDocumentWatchlist,
    SQLitePersonWatchlist,
    current_version,
    store_entries,
    version_rows,
)
from checkpoint.store.watchlist_csv import HashingReader, parse_watchlist

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_OFFICER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
_STATUSES = ("PASS", "WARN", "FAIL", "NOT RUN")
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)


def _officer_key(officer_id: str) -> str:
    # Officers type their ID at sign-in: "mne-0412" and "MNE-0412" are the same person.
    return officer_id.strip().upper()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _create_private(path: Path) -> None:
    # Create the file 0600 before SQLite opens it: SQLite gives its -wal and -shm files the same mode.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class SQLiteStore:
    """The :class:`checkpoint.store.base.Store` on one SQLite file. Use :func:`open_store` to make one."""

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Clock = _utc_now,
        terminal_id: str | None = None,
        max_failed_attempts: int = MAX_FAILED_ATTEMPTS,
        lockout: timedelta = LOCKOUT,
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        self._max_failed = max_failed_attempts
        self._lockout = lockout
        self._lock = threading.RLock()
        try:
            if str(path) != ":memory:":
                _create_private(self.path)
            self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30.0)
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open the database {self.path}: {exc}") from exc
        try:
            # Before anything writes (even the journal mode): another program's database is left alone.
            if not is_empty_database(self._db) and not is_checkpoint_database(self._db):
                raise StoreUnavailable(
                    f"{self.path} is not a checkpoint database (no checkpoint schema marker)"
                )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=30000")
            # Deleted personal data (purge) is overwritten, not left in free pages.
            self._db.execute("PRAGMA secure_delete=ON")
            migrate(self._db)
            self._terminal_id = self._ensure_terminal_id(terminal_id)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreUnavailable(f"{self.path} is not a usable checkpoint database: {exc}") from exc
        except BaseException:
            self._db.close()
            raise

    # --- plumbing ----------------------------------------------------------------------------------

    @property
    def terminal_id(self) -> str:
        """Return this terminal's id (made once, stored in the database)."""
        return self._terminal_id

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise StoreError("the store's clock must return timezone-aware times")
        return now.astimezone(UTC)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot write to {self.path}: {exc}") from exc
            try:
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                self._rollback()
                raise InvalidRecord(f"refused by the database: {exc}") from exc
            except sqlite3.Error as exc:
                self._rollback()
                raise StoreUnavailable(f"cannot write to {self.path}: {exc}") from exc
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        # A failed COMMIT may already have ended the transaction; a second error must not hide the first.
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                logger.warning("rollback failed", exc_info=True)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot read {self.path}: {exc}") from exc

    def _ensure_terminal_id(self, wanted: str | None) -> str:
        with self._write() as db:
            row = db.execute("SELECT value FROM settings WHERE key = 'terminal_id'").fetchone()
            if row is not None and wanted is None:
                return str(row[0])
            terminal_id = wanted or f"T-{new_id()[-12:]}"
            db.execute(
                "INSERT INTO settings (key, value) VALUES ('terminal_id', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (terminal_id,),
            )
            return terminal_id

    def _event(
        self,
        db: sqlite3.Connection,
        action: str,
        actor: str,
        subject: str = "",
        details: dict[str, JSONScalar] | None = None,
        *,
        now: datetime | None = None,
    ) -> AuditEvent:
        return chain.append_event(
            db,
            event_id=new_id(),
            time=timestamp(now or self._now()),
            terminal_id=self._terminal_id,
            actor=actor,
            action=action,
            subject=subject,
            details=details or {},
        )

    # --- settings ----------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """Return the terminal setting ``key`` (e.g. ``database_role``), or None when it is not set."""
        with self._read() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str, *, actor: str) -> None:
        """Set the terminal setting ``key``; audited as ``setting`` with the key and value."""
        with self._write() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
            self._event(db, "setting", actor, key, {"value": value})

    # --- audit -------------------------------------------------------------------------------------

    def audit(
        self, action: str, *, actor: str, subject: str = "", details: dict[str, JSONScalar] | None = None
    ) -> AuditEvent:
        """Append an audit event (e.g. ``read``, ``reveal``) and return it. Raises InvalidRecord."""
        if not re.fullmatch(r"[a-z][a-z0-9_.]{0,39}", action):
            raise InvalidRecord(f"audit action {action!r} must be lower-case words joined by '.' or '_'")
        if not actor.strip():
            raise InvalidRecord("an audit event needs an actor")
        for key, value in (details or {}).items():
            if not isinstance(key, str) or not isinstance(value, str | int | float | bool | None):
                raise InvalidRecord(f"audit detail {key!r} must be text, a number, true/false or null")
        with self._write() as db:
            return self._event(db, action, actor, subject, details)

    def audit_events(self, *, since_seq: int = 0, limit: int = 1000) -> list[AuditEvent]:
        """Return up to ``limit`` audit events with ``seq >= since_seq``, in chain order."""
        with self._read() as db:
            rows = db.execute(
                "SELECT seq, event_id, time, terminal_id, actor, action, subject, details, prev_hash, hash "
                "FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?",
                (since_seq, limit),
            ).fetchall()
        return [chain.row_to_event(row) for row in rows]

    def verify_audit(self, *, expect_head: str | None = None) -> VerifyReport:
        """Verify the whole chain, then every crossing, shift and watchlist version against the event that
        recorded it; return the report of the first problem, if any. ``expect_head``: an event hash
        written down earlier, which the chain must still contain (catches a cut-off end)."""
        # One snapshot, so a writer (this booth or another process) cannot interleave mid-walk.
        with self._snapshot() as db:
            return bindings.verify(db, expect_head=expect_head)

    # --- officers ----------------------------------------------------------------------------------

    def add_officer(self, officer_id: str, name: str, pin: str, *, actor: str) -> Officer:
        """Create an officer with a scrypt-hashed PIN; audited as ``officer.add``; return it.

        Raises InvalidRecord for a malformed ID, a blank name, a weak PIN or an existing ID.
        """
        if not _OFFICER_ID.fullmatch(officer_id.strip()):
            raise InvalidRecord(
                f"officer ID {officer_id.strip()!r} must be 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        officer_id = _officer_key(officer_id)
        refuse_control_characters("officer's name", name)
        name = " ".join(name.split())
        if not name:
            raise InvalidRecord("an officer needs a name")
        try:
            pins.check_pin_policy(pin)
        except ValueError as exc:
            raise InvalidRecord(str(exc)) from None
        pin_hash = pins.hash_pin(pin)  # slow on purpose: outside the write lock
        now = self._now()
        with self._write() as db:
            if db.execute("SELECT 1 FROM officers WHERE officer_id = ?", (officer_id,)).fetchone():
                raise InvalidRecord(f"officer {officer_id} already exists")
            db.execute(
                "INSERT INTO officers (officer_id, name, pin_hash, created_at) VALUES (?, ?, ?, ?)",
                (officer_id, name, pin_hash, timestamp(now)),
            )
            self._event(db, "officer.add", actor, officer_id, now=now)
        logger.info("officer account created")
        return Officer(officer_id, name, True, now)

    def get_officer(self, officer_id: str) -> Officer:
        """Return the officer. Raises NotFound."""
        with self._read() as db:
            row = db.execute(
                "SELECT officer_id, name, active, created_at, failed_attempts, locked_until FROM officers "
                "WHERE officer_id = ?",
                (_officer_key(officer_id),),
            ).fetchone()
        if row is None:
            raise NotFound(f"no officer {_officer_key(officer_id)!r}")
        return Officer(
            row[0],
            row[1],
            bool(row[2]),
            datetime.fromisoformat(row[3]),
            row[4],
            datetime.fromisoformat(row[5]) if row[5] else None,
        )

    def authenticate(self, officer_id: str, pin: str) -> Officer:
        """Return the officer for a correct PIN, audited as ``sign_in``.

        The attempt is counted before the (slow) PIN check, in the same transaction as the lockout
        check, so attempts sent at once cannot slip past the limit: the attempt that reaches
        ``max_failed_attempts`` locks the officer for the lockout period (``officer.locked``) until it
        proves right, and every attempt while locked is refused unchecked (``sign_in.refused``). A
        wrong PIN is audited as ``sign_in.failed``; for an unknown ID the event does not record what
        was typed (it may be a PIN typed in the wrong field). Raises AuthenticationFailed (unknown ID or
        wrong PIN, without saying which) or OfficerLocked.
        """
        officer_id = _officer_key(officer_id)
        now = self._now()
        with self._write() as db:
            row = db.execute(
                "SELECT pin_hash, active, locked_until, failed_attempts FROM officers WHERE officer_id = ?",
                (officer_id,),
            ).fetchone()
            if row is not None and row[2] and datetime.fromisoformat(row[2]) > now:
                self._event(db, "sign_in.refused", officer_id, officer_id, {"reason": "locked"}, now=now)
                refused_until: datetime | None = datetime.fromisoformat(row[2])
            else:
                refused_until = None
                locks = row is not None and int(row[3]) + 1 >= self._max_failed
                if row is not None:
                    # Counted now; a right PIN clears it. Reaching the limit locks at once, so attempts
                    # in flight with this one are refused without a check.
                    db.execute(
                        "UPDATE officers SET failed_attempts = failed_attempts + 1, "
                        "locked_until = CASE WHEN ? THEN ? ELSE locked_until END WHERE officer_id = ?",
                        (locks, timestamp(now + self._lockout), officer_id),
                    )
                if locks:
                    self._event(
                        db,
                        "officer.locked",
                        "system",
                        officer_id,
                        {"until": timestamp(now + self._lockout)},
                        now=now,
                    )
        if refused_until is not None:
            raise OfficerLocked(
                f"too many wrong PINs: officer {officer_id} is locked until {refused_until:%H:%M} UTC",
                refused_until,
            )
        # Hash even for an unknown officer, so timing does not reveal which IDs exist.
        matched = pins.verify_pin(pin, row[0] if row is not None else pins.dummy_hash())
        if row is not None and matched and row[1]:
            with self._write() as db:
                db.execute(
                    "UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE officer_id = ?",
                    (officer_id,),
                )
                self._event(db, "sign_in", officer_id, officer_id, now=now)
            return self.get_officer(officer_id)
        with self._write() as db:
            if row is None:
                # Whatever was typed is not recorded: it may be a PIN typed into the ID field.
                self._event(db, "sign_in.failed", "(unknown)", "", {"known_officer": False}, now=now)
            else:
                self._event(db, "sign_in.failed", officer_id, officer_id, {"known_officer": True}, now=now)
                if locks:
                    db.execute("UPDATE officers SET failed_attempts = 0 WHERE officer_id = ?", (officer_id,))
        if locks:
            until = now + self._lockout
            raise OfficerLocked(
                f"too many wrong PINs: officer {officer_id} is locked until {until:%H:%M} UTC", until
            )
        raise AuthenticationFailed("wrong officer ID or PIN")

    def unlock_officer(self, officer_id: str, *, actor: str) -> Officer:
        """Clear an officer's lockout and failure count; audited as ``officer.unlock``. Raises NotFound."""
        self.get_officer(officer_id)
        with self._write() as db:
            db.execute(
                "UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE officer_id = ?",
                (_officer_key(officer_id),),
            )
            self._event(db, "officer.unlock", actor, _officer_key(officer_id))
        return self.get_officer(officer_id)

    # --- shifts ------------------------------------------------------------------------------------

    def open_shift(self, officer_id: str, post: str, lane: str, direction: Direction) -> Shift:
        """Open a shift for an active officer; audited as ``shift.open``; return it.

        Raises NotFound (officer) or InvalidRecord (blank post or lane, bad direction, inactive officer).
        """
        officer = self.get_officer(officer_id)
        if not officer.active:
            raise InvalidRecord(f"officer {officer.officer_id} is not active")
        refuse_control_characters("post", post)
        refuse_control_characters("lane", lane)
        post, lane = " ".join(post.split()), " ".join(lane.split())
        if not post or not lane:
            raise InvalidRecord("a shift needs a post and a lane")
        if direction not in DIRECTIONS:
            raise InvalidRecord(f"direction must be 'entry' or 'exit', got {direction!r}")
        shift = Shift(new_id(), officer.officer_id, post, lane, direction, self._terminal_id, self._now())
        with self._write() as db:
            db.execute(
                "INSERT INTO shifts (shift_id, officer_id, post, lane, direction, terminal_id, opened_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    shift.shift_id,
                    shift.officer_id,
                    post,
                    lane,
                    direction,
                    shift.terminal_id,
                    timestamp(shift.opened_at),
                ),
            )
            bound = chain.row_hash("shift.open", chain.shift_open_content(shift))
            self._event(
                db,
                "shift.open",
                officer.officer_id,
                shift.shift_id,
                {"post": post, "lane": lane, "direction": direction, chain.ROW_HASH_KEY: bound},
                now=shift.opened_at,
            )
        return shift

    def get_shift(self, shift_id: str) -> Shift:
        """Return the shift. Raises NotFound."""
        with self._read() as db:
            row = db.execute(
                "SELECT shift_id, officer_id, post, lane, direction, terminal_id, opened_at, closed_at, close_note "
                "FROM shifts WHERE shift_id = ?",
                (shift_id,),
            ).fetchone()
        if row is None:
            raise NotFound(f"no shift {shift_id}")
        return Shift(
            row[0],
            row[1],
            row[2],
            row[3],
            cast(Direction, row[4]),
            row[5],
            datetime.fromisoformat(row[6]),
            datetime.fromisoformat(row[7]) if row[7] else None,
            row[8],
        )

    def close_shift(self, shift_id: str, note: str = "") -> ShiftSummary:
        """Close a shift with a note for the next one; audited as ``shift.close``; return its summary.

        Raises NotFound, or InvalidRecord if the shift is already closed.
        """
        shift = self.get_shift(shift_id)
        if shift.closed_at is not None:
            raise InvalidRecord(
                f"shift {shift_id} was already closed at {shift.closed_at:%Y-%m-%d %H:%M} UTC"
            )
        now = self._now()
        note = note.strip()
        refuse_control_characters("shift note", note)
        with self._write() as db:
            updated = db.execute(
                "UPDATE shifts SET closed_at = ?, close_note = ? WHERE shift_id = ? AND closed_at IS NULL",
                (timestamp(now), note, shift_id),
            ).rowcount
            if updated != 1:
                raise InvalidRecord(f"shift {shift_id} was closed meanwhile")
            closed = replace(shift, closed_at=now, close_note=note)
            bound = chain.row_hash("shift.close", chain.shift_close_content(closed))
            self._event(
                db,
                "shift.close",
                shift.officer_id,
                shift_id,
                {"note_length": len(note), chain.ROW_HASH_KEY: bound},
                now=now,
            )
        return self.shift_summary(shift_id)

    def shift_summary(self, shift_id: str) -> ShiftSummary:
        """Return the counts by (direction, decision), the total and the open referrals of a shift.

        A referral is open while no later correction of it exists (corrections apply, as in history).
        Raises NotFound.
        """
        shift = self.get_shift(shift_id)
        current = "NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = c.crossing_id)"
        with self._read() as db:
            counts = {
                (str(direction), str(decision)): int(n)
                for direction, decision, n in db.execute(
                    f"SELECT direction, decision, COUNT(*) FROM crossings c WHERE shift_id = ? AND {current} "
                    "GROUP BY direction, decision",
                    (shift_id,),
                )
            }
            referrals = tuple(
                str(row[0])
                for row in db.execute(
                    f"SELECT crossing_id FROM crossings c WHERE shift_id = ? AND decision = 'refer' AND {current} "
                    "ORDER BY time",
                    (shift_id,),
                )
            )
        return ShiftSummary(shift, counts, sum(counts.values()), referrals)

    # --- crossings ---------------------------------------------------------------------------------

    def record_crossing(self, crossing: NewCrossing) -> Crossing:
        """Append a crossing, its checks and a ``decision`` audit event in one transaction; return it.

        Raises NotFound (shift, corrected crossing) or InvalidRecord (closed shift, admit over a FAIL
        without an override reason, refusal without reason codes, correction without a reason or of a
        crossing already corrected).
        """
        shift = self.get_shift(crossing.shift_id)
        validate_new_crossing(crossing, shift)
        now = self._now()
        with self._write() as db:
            if crossing.corrects is not None:
                followed = db.execute(
                    "SELECT decision FROM crossings WHERE crossing_id = ?", (crossing.corrects,)
                ).fetchone()
                if not followed:
                    raise NotFound(f"no crossing {crossing.corrects} to correct")
                if crossing.kind == "resolution" and followed[0] != "refer":
                    raise InvalidRecord(f"crossing {crossing.corrects} is not a referral: correct it instead")
                later = db.execute(
                    "SELECT crossing_id FROM crossings WHERE corrects = ?", (crossing.corrects,)
                ).fetchone()
                if later is not None:
                    raise InvalidRecord(
                        f"crossing {crossing.corrects} was already corrected by {later[0]}: correct that one"
                    )
            _seq, head = chain.chain_head(db)
            record = build_crossing(crossing, shift, new_id(), now, self._terminal_id, head)
            insert_crossing(db, record)
            details: dict[str, JSONScalar] = {
                "decision": record.decision,
                "suggestion": record.suggestion,
                "shift": record.shift_id,
                "reason_codes": ";".join(record.reason_codes),
                "override": bool(record.override_reason),
                "corrects": record.corrects,
                "kind": record.kind,
                "companions": len(record.companions),
                **bindings.crossing_details(record),
            }
            self._event(db, "decision", shift.officer_id, record.crossing_id, details, now=now)
        logger.info("crossing recorded: %s %s", record.direction, record.decision)
        return record

    def open_referrals(self, post: str | None = None, *, limit: int = 200) -> list[Crossing]:
        """Return the referrals no second-line resolution or correction has followed yet, oldest first,
        at ``post`` (every post when None). Not audited: the second line's work list."""
        where = (
            "c.decision = 'refer' AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = c.crossing_id)"
        )
        params: list[object] = []
        if post is not None:
            where += " AND c.post = ?"
            params.append(" ".join(post.split()))
        with self._read() as db:
            return select_crossings(db, f"{where} ORDER BY c.time LIMIT ?", [*params, limit])

    def shift_crossings(self, shift_id: str) -> list[Crossing]:
        """Return the crossings recorded in a shift, newest first, each as recorded (a correction is
        its own row). Not audited: the officer's own work."""
        with self._read() as db:
            return select_crossings(db, "c.shift_id = ? ORDER BY c.time DESC, c.seq DESC", (shift_id,))

    def last_closed_shift(self, post: str | None = None) -> Shift | None:
        """Return the shift closed most recently on this terminal (at ``post`` when given), whose note
        the next shift reads; None when no shift was closed yet."""
        query = "SELECT shift_id FROM shifts WHERE closed_at IS NOT NULL AND terminal_id = ?"
        params: list[object] = [self._terminal_id]
        if post is not None:
            query += " AND post = ?"
            params.append(" ".join(post.split()))
        with self._read() as db:
            row = db.execute(f"{query} ORDER BY closed_at DESC LIMIT 1", params).fetchone()
        return None if row is None else self.get_shift(row[0])

    def get_crossing(self, crossing_id: str) -> Crossing:
        """Return one crossing with its checks. Raises NotFound."""
        with self._read() as db:
            found = select_crossings(db, "c.crossing_id = ?", (crossing_id,))
        if not found:
            raise NotFound(f"no crossing {crossing_id}")
        return found[0]

    def document_history(
        self, document_number: str, issuing_state: str, *, limit: int = 50
    ) -> list[Crossing]:
        """Return this document's crossings, newest first, each replaced by its latest correction."""
        number = normalize_number(document_number)
        with self._read() as db:
            return select_crossings(
                db,
                "c.document_number = ? AND c.issuing_state = ? "
                "AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = c.crossing_id) "
                "ORDER BY c.time DESC LIMIT ?",
                (number, normalize_code(issuing_state), limit),
            )

    def document_movements(
        self, document_number: str, issuing_state: str, *, since: datetime
    ) -> list[Movement]:
        """Return every crossing of this document at or after ``since``, newest first, corrections applied.

        This is the history for :class:`checkpoint.inspection.InspectionContext` (with ``history_since``
        set to ``since``); unlike :meth:`document_history` it has no limit, so the stay rule sees every
        day, and it reads only the index and a few columns.
        """
        if since.tzinfo is None:
            raise InvalidRecord("since must be timezone-aware")
        with self._read() as db:
            # This terminal's crossings and the other lanes' pulled from the post (checkpoint.store.sync).
            key = (normalize_number(document_number), normalize_code(issuing_state), timestamp(since))
            rows = db.execute(_MOVEMENTS, key + key).fetchall()
        return [
            Movement(
                str(r[0]),
                datetime.fromisoformat(r[1]),
                cast(Direction, r[2]),
                r[3],
                r[4],
                cast(Outcome, r[5]),
            )
            for r in rows
        ]

    def search_crossings(self, query: CrossingQuery, *, purpose: str, actor: str) -> list[Crossing]:
        """Return matching crossings, newest first (corrected ones included); audited as ``search``.

        Raises InvalidRecord if the purpose is blank or the query has no criteria.
        """
        refuse_control_characters("search purpose", purpose)
        purpose = " ".join(purpose.split())
        if not purpose:
            raise InvalidRecord("a search needs a purpose: it is recorded in the audit log")
        where, params = query_clause(query)
        if not where:
            raise InvalidRecord("a search needs at least one criterion")
        limit = max(1, min(query.limit, 1000))
        with self._write() as db:
            found = select_crossings(db, f"{where} ORDER BY c.time DESC LIMIT ?", [*params, limit])
            criteria = query_criteria(query)
            self._event(db, "search", actor, "", {"purpose": purpose, "results": len(found), **criteria})
        return found

    def export_crossings(self, out: TextIO, *, actor: str, query: CrossingQuery | None = None) -> int:
        """Write the crossings (all, or those matching ``query``) as CSV in record order; audited as
        ``export`` with the row count; return the number of rows. Columns: :mod:`checkpoint.store.export_csv`.

        The rows come from one read snapshot (see :meth:`_snapshot`), so a long export to a slow pipe
        never holds the write lock the booth needs. The audit event is written before the rows: an
        export that fails midway is still on record.
        """
        where, params = query_clause(query) if query is not None else ("", [])
        where = where or "TRUE"
        with self._snapshot() as snapshot:
            count = int(
                snapshot.execute(f"SELECT COUNT(*) FROM crossings c WHERE {where}", params).fetchone()[0]
            )
            with self._write() as db:
                self._event(db, "export", actor, "", {"rows": count, **query_criteria(query)})
            return write_crossings(out, iter_crossings(snapshot, where, params))

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """Yield a read-only connection inside one read transaction: a consistent view that WAL lets
        writers go on around. An in-memory database has no second view, so it holds the lock instead
        (and runs outside any transaction, so the caller may still write)."""
        if str(self.path) == ":memory:":
            with self._read() as db:
                yield db
            return
        try:
            snapshot = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=30.0
            )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read {self.path}: {exc}") from exc
        try:
            snapshot.execute("BEGIN")
            yield snapshot
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read {self.path}: {exc}") from exc
        finally:
            snapshot.close()

    def purge(self, older_than_days: int, *, actor: str) -> PurgeReport:
        """Delete crossings and audit events older than ``older_than_days`` days; audited as ``purge``.

        A crossing that a kept crossing corrects is kept too. Audit events go as a prefix of the chain;
        the anchor and the purge event record where it now starts, so it still verifies. Raises
        InvalidRecord for a retention shorter than one day.
        """
        if older_than_days < 1:
            raise InvalidRecord(f"--older-than must be at least 1 day, got {older_than_days}")
        now = self._now()
        try:
            cutoff = now - timedelta(days=older_than_days)
        except OverflowError:
            raise InvalidRecord(
                f"--older-than {older_than_days} days reaches back before the year 1: give at most "
                f"{(now - datetime.min.replace(tzinfo=UTC)).days} days"
            ) from None
        cut = timestamp(cutoff)
        with self._write() as db:
            floor = self._sync_floor(db)
            crossings_deleted, events_deleted, anchor = purge_before(
                db, cut, timestamp(now), synced_through=floor
            )
            kept = (0, 0) if floor is None else unsynced_before(db, cut, floor)
            details: dict[str, JSONScalar] = {
                "cutoff": cut,
                "older_than_days": older_than_days,
                "crossings_deleted": crossings_deleted,
                "events_deleted": events_deleted,
                "chain_first_seq": None if anchor is None else int(anchor[0]),
                "chain_prev_hash": None if anchor is None else str(anchor[1]),
            }
            if floor is not None:
                details["crossings_kept_unsynced"], details["events_kept_unsynced"] = kept
            self._event(db, "purge", actor, "", details, now=now)
        self._after_purge()
        logger.info("purged %d crossings and %d audit events", crossings_deleted, events_deleted)
        return PurgeReport(
            cutoff, crossings_deleted, events_deleted, None if anchor is None else int(anchor[0]), *kept
        )

    def other_lanes_as_of(self) -> tuple[bool, datetime | None]:
        """Return whether this terminal syncs with a post, and when it last pulled the other lanes'
        crossings (None: not yet). The movement and stay checks see other lanes only as of then."""
        with self._read() as db:
            rows = dict(
                db.execute(
                    "SELECT key, value FROM sync_status WHERE key IN ('server', 'peers_as_of')"
                ).fetchall()
            )
        as_of = rows.get("peers_as_of")
        return "server" in rows, datetime.fromisoformat(as_of) if as_of else None

    def _sync_floor(self, db: sqlite3.Connection) -> int | None:
        """Return the last audit event the post holds when this terminal syncs (0: none yet), None when
        it does not sync: a purge then keeps whatever the post does not hold yet."""
        if db.execute("SELECT 1 FROM sync_status WHERE key = 'server'").fetchone() is None:
            return None
        row = db.execute("SELECT last_seq FROM sync_events WHERE id = 1").fetchone()
        return 0 if row is None else int(row[0])

    def _after_purge(self) -> None:
        with self._lock:
            # Give the freed pages of the WAL back to the main file, where secure_delete zeroed them.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- watchlists --------------------------------------------------------------------------------

    def import_watchlist(
        self,
        kind: WatchlistKind,
        path: Path,
        *,
        actor: str,
        version: str | None = None,
        list_date: date | None = None,
    ) -> WatchlistInfo:
        """Replace the ``kind`` list with the CSV at ``path`` (format: :mod:`checkpoint.store.watchlist_csv`).

        ``version`` defaults to the first 12 hex digits of the file's SHA-256, ``list_date`` to today.
        Audited as ``watchlist.import``. Raises WatchlistImportError listing every bad line (nothing is
        imported), InvalidRecord for an unknown kind, StoreUnavailable if the file cannot be read.
        """
        if kind not in WATCHLIST_KINDS:
            raise InvalidRecord(f"watchlist kind must be one of {', '.join(WATCHLIST_KINDS)}, got {kind!r}")
        try:
            with Path(path).open("rb") as file:
                reader = HashingReader(file)  # read line by line, each line bounded
                parsed = parse_watchlist(reader, kind, str(path))
        except OSError as exc:
            raise StoreUnavailable(f"cannot read {path}: {exc.strerror or exc}") from exc
        digest = reader.sha256.hexdigest()
        now = self._now()
        version = (version or digest[:12]).strip()
        list_date = list_date or now.date()
        info = WatchlistInfo(kind, version, list_date, now, parsed.entry_count, Path(path).name)
        with self._write() as db:
            version_id = store_entries(db, parsed, info, digest)
            bound = chain.row_hash("watchlist", chain.watchlist_content(version_id, info, digest))
            entries = bindings.entries_hash(db, kind, version_id)
            self._event(
                db,
                "watchlist.import",
                actor,
                kind,
                {
                    "version": version,
                    "list_date": list_date.isoformat(),
                    "entries": info.entry_count,
                    "sha256": digest,
                    "version_id": version_id,
                    chain.ROW_HASH_KEY: bound,
                    chain.ENTRIES_HASH_KEY: entries,
                },
                now=now,
            )
        logger.info("%s watchlist %s imported: %d entries", kind, version, info.entry_count)
        return info

    def _current_version(self, kind: WatchlistKind) -> tuple[int, WatchlistInfo] | None:
        with self._read() as db:
            return current_version(db, kind)

    def watchlist_info(self, kind: WatchlistKind) -> WatchlistInfo | None:
        """Return the loaded version of the ``kind`` list, or None if none was imported."""
        current = self._current_version(kind)
        return None if current is None else current[1]

    def document_watchlist(self) -> SQLiteDocumentWatchlist | None:
        """Return the loaded document list as the checks use it, or None."""
        current = self._current_version("documents")
        return (
            None if current is None else SQLiteDocumentWatchlist(self._watchlist_rows, current[0], current[1])
        )

    def person_watchlist(self) -> SQLitePersonWatchlist | None:
        """Return the loaded person list as the checks use it, or None."""
        current = self._current_version("persons")
        return (
            None if current is None else SQLitePersonWatchlist(self._watchlist_rows, current[0], current[1])
        )

    def _watchlist_rows(
        self, kind: WatchlistKind, version_id: int, sql: str, params: Sequence[object]
    ) -> list[tuple[object, ...]]:
        with self._read() as db:
            return version_rows(db, kind, version_id, sql, params)


_MOVEMENTS = (
    "SELECT m.crossing_id, m.time, m.direction, m.post, m.lane, m.decision FROM ("
    "SELECT c.crossing_id, c.time, c.direction, c.post, c.lane, c.decision FROM crossings c "
    "WHERE c.document_number = ? AND c.issuing_state = ? AND c.time >= ? "
    "AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = c.crossing_id) "
    "AND NOT EXISTS (SELECT 1 FROM remote_crossings k WHERE k.corrects = c.crossing_id) "
    "UNION ALL "
    "SELECT r.crossing_id, r.time, r.direction, r.post, r.lane, r.decision FROM remote_crossings r "
    "WHERE r.document_number = ? AND r.issuing_state = ? AND r.time >= ? "
    "AND NOT EXISTS (SELECT 1 FROM remote_crossings k WHERE k.corrects = r.crossing_id) "
    "AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.corrects = r.crossing_id) "
    "AND NOT EXISTS (SELECT 1 FROM crossings k WHERE k.crossing_id = r.crossing_id)"
    ") AS m ORDER BY m.time DESC"
)


def query_criteria(query: CrossingQuery | None) -> dict[str, JSONScalar]:
    """Return the criteria a search or export used, as audit details (``q.<field>``, given ones only)."""
    if query is None:
        return {}
    given = {name: getattr(query, name) for name in query.__dataclass_fields__ if name != "limit"}
    return {f"q.{name}": str(value) for name, value in given.items() if value not in ("", None)}


def verify_database(path: Path | str, *, expect_head: str | None = None) -> VerifyReport:
    """Verify the checkpoint database at ``path`` without writing to it (opened read-only, never
    migrated) and return the report; see :meth:`SQLiteStore.verify_audit`.

    Raises StoreUnavailable if the file cannot be read or is not a checkpoint database.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreUnavailable(f"no database at {path}")
    try:
        db = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=30.0
        )
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"cannot read {path}: {exc}") from exc
    try:
        if not is_checkpoint_database(db):
            raise StoreUnavailable(f"{path} is not a checkpoint database (no checkpoint schema marker)")
        db.execute("BEGIN")
        return bindings.verify(db, expect_head=expect_head)
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"{path} is not a usable checkpoint database: {exc}") from exc
    finally:
        db.close()


def open_store(path: Path | str, *, clock: Clock = _utc_now, terminal_id: str | None = None) -> SQLiteStore:
    """Open (creating and migrating if needed) the SQLite store at ``path`` and return it.

    Raises StoreUnavailable if the file cannot be opened, is not a checkpoint database, or was written
    by a newer schema.
    """
    return SQLiteStore(path, clock=clock, terminal_id=terminal_id)


__all__ = ["SQLiteStore", "open_store", "verify_database"]


def _implements_store(store: SQLiteStore) -> Store:
    # Never called: mypy checks here that SQLiteStore satisfies the Store protocol structurally.
    return store
