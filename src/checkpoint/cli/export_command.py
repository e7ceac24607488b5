"""``checkpoint export``: crossings as CSV (columns: :mod:`checkpoint.store.export_csv`), audited.

Writes to standard output, or to ``--output FILE`` created readable by its owner only (it holds personal
data). ``--since`` / ``--until`` (YYYY-MM-DD, UTC days, until exclusive) narrow the export.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_OK, EXIT_USAGE, iso_date
from checkpoint.cli.db_option import add_db_argument, error, local_actor, run_on_store

if TYPE_CHECKING:
    from checkpoint.store import Store


def register(subparsers: Any) -> None:
    """Add ``export`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "export",
        help="export crossings as CSV",
        description="Export crossings as CSV, oldest first; the export is recorded in the audit chain. "
        "Exit status: 0 done, 2 usage or database problem.",
    )
    p.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here (mode 0600) instead of stdout"
    )
    p.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="first day to include (UTC)")
    p.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="first day to leave out (UTC)")
    add_db_argument(p)
    p.set_defaults(handler=_export)


def _day(text: str) -> datetime:
    return datetime.combine(iso_date(text), datetime.min.time(), tzinfo=UTC)


def _export(args: argparse.Namespace) -> int:
    from checkpoint.store import CrossingQuery

    query = None
    if args.since is not None or args.until is not None:
        query = CrossingQuery(since=args.since, until=args.until)

    def export(store: Store) -> int:
        try:
            if args.output is None:
                count = store.export_crossings(sys.stdout, actor=local_actor(), query=query)
            else:
                fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.fchmod(fd, 0o600)
                with open(fd, "w", encoding="utf-8", newline="") as out:
                    count = store.export_crossings(out, actor=local_actor(), query=query)
        except OSError as exc:
            error(f"cannot write {args.output}: {exc.strerror or exc}")
            return EXIT_USAGE
        print(f"{count} crossings exported", file=sys.stderr)
        return EXIT_OK

    return run_on_store(args, export)
