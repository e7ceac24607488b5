"""The ``--db`` option and opening the store, shared by the store's commands (officer, watchlist, audit,
export, purge).

The database defaults to ``$CHECKPOINT_DB``, else ``$XDG_DATA_HOME/checkpoint/checkpoint.db``
(``~/.local/share/checkpoint/checkpoint.db`` when ``XDG_DATA_HOME`` is unset).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from checkpoint.cli import EXIT_INVALID, EXIT_USAGE
from checkpoint.store.paths import default_db_path, is_postgres_url

if TYPE_CHECKING:
    from checkpoint.store import Store, StoreError

DB_HELP = (
    "the terminal's SQLite database (default: $CHECKPOINT_DB, else "
    "$XDG_DATA_HOME/checkpoint/checkpoint.db, i.e. ~/.local/share/checkpoint/checkpoint.db)"
)


POST_DB_HELP = "; or a post's or HQ's PostgreSQL database, postgresql://USER@HOST/DB"


def db_location(text: str) -> Path | str:
    """Return ``--db``'s value: a SQLite file's path, or a PostgreSQL URL kept as written."""
    return text if is_postgres_url(text) else Path(text)


def add_db_argument(parser: argparse.ArgumentParser, *, post: bool = True) -> None:
    """Add ``--db PATH`` with the documented default (``post``: a PostgreSQL URL is accepted too)."""
    parser.add_argument(
        "--db",
        type=db_location if post else Path,
        default=None,
        metavar="PATH",
        help=DB_HELP + (POST_DB_HELP if post else ""),
    )


def db_path(args: argparse.Namespace) -> Path:
    """Return the database path the command line chose."""
    chosen: Path | str | None = args.db
    return Path(chosen) if chosen is not None else default_db_path()


def post_url(args: argparse.Namespace) -> str | None:
    """Return the PostgreSQL URL ``--db`` names, or None for a SQLite file."""
    return args.db if isinstance(args.db, str) else None


def existing_db_path(args: argparse.Namespace) -> Path | None:
    """Return the chosen database path if the file exists; else print why not and return None.

    Commands that only read or prune must not silently create an empty database (an empty chain
    "verifies").
    """
    path = db_path(args)
    if not path.is_file():
        error(f"no database at {path}: give --db PATH, or create it with `checkpoint officer add`")
        return None
    return path


def local_actor() -> str:
    """Return who runs an administrative command on this terminal, for the audit chain."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        user = "unknown"
    return f"local:{user}"


def error(message: str) -> None:
    """Print ``message`` as the command's error on stderr."""
    print(f"checkpoint: {message}", file=sys.stderr)


def run_on_store(
    args: argparse.Namespace,
    work: Callable[[Store], int],
    *,
    create: bool = False,
    refused: tuple[type[StoreError], ...] = (),
) -> int:
    """Open the database the command line chose, run ``work`` on it and return its exit status.

    The database must exist unless ``create``. Prints the error and returns EXIT_INVALID when the store
    raises one of ``refused`` (the request was refused), EXIT_USAGE when the database is missing or
    any other store error is raised.
    """
    # Imported here so that commands which never open a store do not pay for loading it.
    from checkpoint.store import open_store

    url = post_url(args)
    if url is not None:
        return run_on_post(url, work, refused=refused)
    path = db_path(args) if create else existing_db_path(args)
    if path is None:
        return EXIT_USAGE
    return _run_opened(lambda: open_store(path), work, refused)


def run_on_post(
    url: str,
    work: Callable[[Store], int],
    *,
    refused: tuple[type[StoreError], ...] = (),
) -> int:
    """Open the post's PostgreSQL store at ``url`` (migrating it), run ``work`` on it and return its status."""
    try:
        from checkpoint.store.postgres import open_post_store
    except ImportError as exc:
        error(f"PostgreSQL needs the 'post' extra (pip install 'checkpoint[post]'): {exc}")
        return EXIT_USAGE
    return _run_opened(lambda: open_post_store(url), work, refused)


def _run_opened(
    open_it: Callable[[], AbstractContextManager[Store]],
    work: Callable[[Store], int],
    refused: tuple[type[StoreError], ...],
) -> int:
    """Open a store with ``open_it``, run ``work`` on it and return its status; a store error becomes
    EXIT_INVALID (one of ``refused``: the request was refused) or EXIT_USAGE, its message printed."""
    from checkpoint.store import StoreError

    try:
        with open_it() as store:
            return work(store)
    except refused as exc:
        error(str(exc))
        return EXIT_INVALID
    except StoreError as exc:
        error(f"{exc.title}: {exc}")
        return EXIT_USAGE
