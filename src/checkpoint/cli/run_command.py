"""``checkpoint run``: the officer's client on a terminal's own database and its readers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checkpoint.cli import EXIT_OK, EXIT_USAGE
from checkpoint.drivers import Reader, ReaderError, make_reader


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
    p.add_argument("--db", required=True, type=Path, metavar="PATH", help="the terminal's SQLite database")
    p.set_defaults(handler=_run_command)


def make_readers(urls: Sequence[str]) -> list[Reader]:
    """Return an unopened reader for each address.

    Raises :class:`ReaderError` (a malformed address, an unknown driver, a missing dependency) before any
    screen is drawn, so the message reaches the terminal.
    """
    return [make_reader(url) for url in urls]


def fail(message: str) -> int:
    """Print ``message`` as the command's error and return the usage exit status."""
    print(f"checkpoint: {message}", file=sys.stderr)
    return EXIT_USAGE


def _run_command(args: argparse.Namespace) -> int:
    from checkpoint.store import StoreError, open_store
    from checkpoint.tui import make_app
    from checkpoint.tui.app import utc_now

    try:
        readers = make_readers(args.reader)
    except ReaderError as exc:
        return fail(f"{exc.title}: {exc}")
    try:
        store = open_store(args.db)
    except StoreError as exc:
        return fail(f"{exc.title}: {exc}")
    try:
        make_app(readers, store, utc_now).run()
    finally:
        store.close()
    return EXIT_OK
