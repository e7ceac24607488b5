"""The training database: a checkpoint database of its own, marked as such, that a live one can never be.

A file is used for training only when it is new or carries ``database_role = training`` in its
settings; anything else (a live terminal's database, another file) is refused before it is opened for
writing, so a training session cannot change a live database. Each session works at a post of its own
(``Training crossing #1A2B3C``), so the crossings a trainee records in one session never show in the
history of the next.
"""

from __future__ import annotations

import csv
import secrets
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Final

from checkpoint.store import Crossing, CrossingQuery, Movement, NewCrossing, NotFound, StoreError
from checkpoint.store.sqlite import SQLiteStore
from checkpoint.training.model import Scenario

ROLE_KEY: Final = "database_role"
TRAINING_ROLE: Final = "training"
TRAINER: Final = "TRAINER"


class NotATrainingDatabase(StoreError):
    """The file is a live database (or no checkpoint database): training refuses to touch it."""

    title = "Not a training database"


def database_role(path: Path) -> str | None:
    """Return the role recorded in the database at ``path``: ``training``, ``live`` (a checkpoint database
    without the training mark), or None when there is no database yet. Only reads the file.

    Raises :class:`NotATrainingDatabase` when the file exists but is no checkpoint database.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        # immutable: not even the -wal and -shm files a read-only open of a WAL database would make. A
        # mark still in another process's WAL reads as live: refused, the safe way to be wrong.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "settings" not in tables:
                raise NotATrainingDatabase(f"{path} is not a checkpoint database")
            row = connection.execute("SELECT value FROM settings WHERE key = ?", (ROLE_KEY,)).fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise NotATrainingDatabase(f"{path} is not a checkpoint database: {exc}") from exc
    return "live" if row is None else str(row[0])


class TrainingStore(SQLiteStore):
    """A training database, seen from one session: histories hold only the posts tagged with this
    session's ``session_tag`` (``#1A2B3C``)."""

    session_tag: str = ""

    def __init__(self, path: Path, *, clock: Callable[[], datetime]) -> None:
        # Checked here, before SQLite opens (and migrates) the file: however a TrainingStore is made, it
        # never writes to a live database.
        role = database_role(Path(path))
        if role not in (None, TRAINING_ROLE):
            raise NotATrainingDatabase(
                f"{path} is a live checkpoint database: training never writes to one. Give a training "
                "database with --db (a new file is made and marked for training)."
            )
        super().__init__(path, clock=clock)
        self.new = role is None

    def document_history(
        self, document_number: str, issuing_state: str, *, limit: int = 50
    ) -> list[Crossing]:
        """Return the document's crossings at this session's post (see :meth:`SQLiteStore.document_history`)."""
        found = super().document_history(document_number, issuing_state, limit=10 * limit)
        return [c for c in found if c.post.endswith(self.session_tag)][:limit]

    def document_movements(
        self, document_number: str, issuing_state: str, *, since: datetime
    ) -> list[Movement]:
        """Return the document's movements at this session's post (see :meth:`SQLiteStore.document_movements`)."""
        found = super().document_movements(document_number, issuing_state, since=since)
        return [m for m in found if m.post.endswith(self.session_tag)]

    def search_crossings(self, query: CrossingQuery, *, purpose: str, actor: str) -> list[Crossing]:
        """Return the matching crossings of this session's posts (see :meth:`SQLiteStore.search_crossings`)."""
        found = super().search_crossings(query, purpose=purpose, actor=actor)
        return [c for c in found if c.post.endswith(self.session_tag)]


def open_training_store(path: Path, *, clock: Callable[[], datetime]) -> TrainingStore:
    """Open (creating if new) the training database at ``path`` and return it.

    Raises :class:`NotATrainingDatabase`, without writing anything, when ``path`` is a live database or
    not a checkpoint database; :class:`checkpoint.store.StoreError` when it cannot be opened.
    """
    store = TrainingStore(path, clock=clock)
    try:
        if store.new:
            store.set_setting(ROLE_KEY, TRAINING_ROLE, actor=TRAINER)
    except BaseException:
        store.close()
        raise
    return store


def ensure_officer(store: SQLiteStore, officer_id: str, name: str) -> None:
    """Create ``officer_id`` in the training database unless it exists (a PIN nobody needs: training
    signs its trainee in itself)."""
    try:
        store.get_officer(officer_id)
    except NotFound:
        store.add_officer(officer_id, name, secrets.token_urlsafe(12), actor=TRAINER)


def seed_session(store: TrainingStore, scenario: Scenario, session_tag: str) -> None:
    """Load the scenario's alert lists and earlier crossings into the training database for the session
    tagged ``session_tag`` (its posts' names end with it). Raises StoreError when the database refuses them."""
    store.session_tag = session_tag
    ensure_officer(store, TRAINER, "Trainer")
    context = scenario.context
    with tempfile.TemporaryDirectory(prefix="checkpoint-training-") as folder:
        documents, persons = Path(folder) / "documents.csv", Path(folder) / "persons.csv"
        with documents.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["document_number", "issuing_state", "document_type", "reason", "reference"])
            for d in scenario.document_alerts:
                writer.writerow([d.document_number, d.issuing_state, d.document_type, d.reason, d.reference])
            # A list is replaced, never emptied: a scenario without entries gets one that matches no
            # document, so an earlier session's list does not stay loaded.
            if not scenario.document_alerts:
                writer.writerow(["TRAININGNONE", "UTO", "", "training placeholder", "TRAINING-NONE"])
        with persons.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["surname", "given_names", "birth_date", "nationality", "reason", "reference"])
            for p in scenario.person_alerts:
                born = p.birth_date.isoformat() if p.birth_date else ""
                writer.writerow([p.surname, p.given_names, born, p.nationality, p.reason, p.reference])
            if not scenario.person_alerts:
                writer.writerow(
                    ["Training Placeholder", "", "1900-01-01", "UTO", "training placeholder", "TRAINING-NONE"]
                )
        version = f"training-{session_tag.lstrip('#')}"
        store.import_watchlist(
            "documents", documents, actor=TRAINER, version=version, list_date=context.today
        )
        store.import_watchlist("persons", persons, actor=TRAINER, version=version, list_date=context.today)
    _seed_crossings(store, scenario, session_tag)


def _seed_crossings(store: TrainingStore, scenario: Scenario, session_tag: str) -> None:
    from checkpoint.mrz import parse

    shifts: dict[tuple[str, str, str], str] = {}
    for crossing in sorted(scenario.crossings, key=lambda c: c.time):
        key = (crossing.post, crossing.direction, crossing.lane)
        if key not in shifts:
            post = f"{crossing.post} {session_tag}"
            shifts[key] = store.open_shift(TRAINER, post, crossing.lane, crossing.direction).shift_id
        result = parse(scenario.case(crossing.case_id).lines, today=scenario.context.today)
        store.record_crossing(
            NewCrossing(
                shift_id=shifts[key],
                decision=crossing.decision,
                suggestion="CLEAR",
                surname=result.surname,
                given_names=result.given_names,
                birth_date=result.birth_date,
                sex=result.sex,
                nationality=result.nationality,
                document_type=result.document_code,
                issuing_state=result.issuing_state,
                document_number=result.document_number,
                expiry_date=result.expiry_date,
                mrz_lines=result.lines,
                source="training:seed",
                reason_codes=("E",) if crossing.decision == "refuse" else (),
                time=crossing.time,
            )
        )
    for shift_id in shifts.values():
        store.close_shift(shift_id, "training seed")
