"""``checkpoint run``: the officer's client on a terminal's own database and its readers."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checkpoint.cli import EXIT_OK, EXIT_USAGE, run_app
from checkpoint.cli.db_option import add_db_argument, error, existing_db_path
from checkpoint.drivers import Reader, ReaderError, make_reader
from checkpoint.inspection import SCHENGEN_ANNEX_V_PART_B, ReasonTable


def register(subparsers: Any) -> None:
    """Add ``run`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "run",
        help="start the officer's client on a database and readers",
        description="Start the officer's client: sign in, open a shift, inspect documents from the "
        "readers (or typed in), decide. Exit status: 0 after a normal quit, 2 when a reader address or "
        "the database cannot be used.",
    )
    p.add_argument(
        "--reader",
        action="append",
        default=[],
        metavar="URL",
        help="a reader address, e.g. serial:///dev/ttyACM0?protocol=access-is or sim://mixed "
        "(repeat for several readers; none means manual entry only)",
    )
    add_db_argument(p, post=False)
    p.add_argument(
        "--reasons",
        type=Path,
        metavar="CSV",
        help="the post's reason codes, one 'code,text' row each (default: Schengen Borders Code, Annex V "
        "Part B, letters A to I)",
    )
    p.add_argument(
        "--server",
        metavar="URL",
        help="sync with the post's PostgreSQL database in the background, postgresql://USER@HOST/DB "
        "(see `checkpoint sync`)",
    )
    p.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the post's configuration (TOML: name, lanes, direction, the checks' rules; see "
        "'checkpoint config example'); without it the checks run on their defaults",
    )
    p.set_defaults(handler=_run_command)


def read_reasons(path: Path) -> ReasonTable:
    """Return the reason table in the CSV at ``path`` (rows ``code,text``; a ``code,text`` header is
    skipped). Raises ``ValueError`` naming the file and the row that is wrong, or ``OSError``."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)]
    if rows and [cell.strip().lower() for cell in rows[0]] == ["code", "text"]:
        rows = rows[1:]
    for number, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise ValueError(f"{path}: reason row {number} has {len(row)} cells; expected code,text")
    try:
        return ReasonTable.from_rows((row[0], row[1]) for row in rows)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def make_readers(urls: Sequence[str]) -> list[Reader]:
    """Return an unopened reader for each address.

    Raises :class:`ReaderError` (a malformed address, an unknown driver, a missing dependency) before any
    screen is drawn, so the message reaches the terminal.
    """
    return [make_reader(url) for url in urls]


def fail(message: str) -> int:
    """Print ``message`` as the command's error and return the usage exit status."""
    error(message)
    return EXIT_USAGE


def _run_command(args: argparse.Namespace) -> int:
    from checkpoint.cli.config_command import load_post_config
    from checkpoint.inspection.post_config import PostConfigError
    from checkpoint.store import StoreError, open_store
    from checkpoint.tui import make_app
    from checkpoint.tui.app import utc_now
    from checkpoint.tui.store_backend import StoreBackend

    post = None
    if args.config is not None:
        try:
            post = load_post_config(args.config)
        except OSError as exc:
            return fail(f"cannot read the post configuration {args.config}: {exc.strerror or exc}")
        except PostConfigError as exc:
            return fail(f"post configuration not usable:\n{exc}")
    try:
        reasons = read_reasons(args.reasons) if args.reasons else SCHENGEN_ANNEX_V_PART_B
    except (OSError, ValueError) as exc:
        return fail(f"reason codes not usable: {exc}")
    try:
        readers = make_readers(args.reader)
    except ReaderError as exc:
        return fail(f"{exc.title}: {exc}")
    # Only an existing database: a new, empty one would have no officer to sign in.
    path = existing_db_path(args)
    if path is None:
        return EXIT_USAGE
    if _is_training_database(path):
        return fail(
            f"{path} is a training database: a shift runs on a live one (train with 'checkpoint train run')"
        )
    try:
        store = open_store(path)
    except StoreError as exc:
        return fail(f"{exc.title}: {exc}")
    try:
        link = post_link(store, args.server)
    except (StoreError, ImportError) as exc:
        store.close()
        return fail(f"cannot sync with the post: {exc}")
    try:
        # Without a folder in the post's configuration, refusal forms go beside the database.
        backend = StoreBackend(
            store, utc_now, reasons=reasons, post=post, refusal_forms=path.parent / "refusal-forms"
        )
        run_app(make_app(readers, backend, utc_now, post_link=link))
    finally:
        store.close()
    return EXIT_OK


def post_link(store: Any, server: str | None) -> Any:
    """Return the background sync with the post at ``server`` (None without one). Raises ImportError
    without the 'post' extra, StoreError for a database that cannot sync."""
    if not server:
        return None
    from checkpoint.store.paths import is_postgres_url
    from checkpoint.store.sync import SyncOffline

    if not is_postgres_url(server):
        raise SyncOffline(f"--server {server!r} is not a PostgreSQL URL (postgresql://USER@HOST/DB)")
    from checkpoint.tui.post_link import PostLink

    return PostLink(store, server)


def _is_training_database(path: Path) -> bool:
    """Return whether ``path`` is marked as a training database (read without writing)."""
    from checkpoint.store import StoreError
    from checkpoint.training.database import TRAINING_ROLE, database_role

    try:
        return database_role(path) == TRAINING_ROLE
    except StoreError:
        return False  # not a checkpoint database at all: open_store says so in its own words
