"""``checkpoint sync --db TERMINAL.db --server postgresql://...``: push this terminal's records to its
post and pull officers, watchlists and other lanes' crossings; once, or every ``--interval`` seconds
with ``--watch``.

Exit status: 0 synced, 1 the post refused this terminal's chain (a copied or rewritten file: the
supervisor must look), 2 usage, database or link problem (nothing is lost: the next sync resumes).
"""

from __future__ import annotations

import argparse
import os
import threading
from typing import Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, plain, stopped_by_sigterm
from checkpoint.cli.db_option import add_db_argument, error, existing_db_path
from checkpoint.store.paths import is_postgres_url


def _url(text: str) -> str:
    if not is_postgres_url(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a PostgreSQL URL (postgresql://USER@HOST/DB)")
    return text


def register(subparsers: Any) -> None:
    """Add ``sync`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "sync",
        help="push this terminal's records to its post and pull from it",
        description="Push shifts, crossings, corrections and audit events to the post's PostgreSQL; pull "
        "officer accounts, watchlists and other lanes' crossings. Exit status: 0 synced, 1 refused by "
        "the post, 2 usage, database or link problem.",
    )
    add_db_argument(p, post=False)
    p.add_argument(
        "--server",
        type=_url,
        default=os.environ.get("CHECKPOINT_SERVER"),
        metavar="URL",
        help="the post's database, postgresql://USER@HOST/DB (default: $CHECKPOINT_SERVER)",
    )
    p.add_argument(
        "--watch", action="store_true", help="keep syncing until interrupted (Ctrl-C) or stopped (SIGTERM)"
    )
    p.add_argument(
        "--interval", type=float, default=30.0, metavar="S", help="seconds between syncs with --watch"
    )
    p.set_defaults(handler=_sync)


def describe(report: Any) -> str:
    """Return one line about a sync round."""
    pulled = report.pull
    parts = [f"pushed {report.crossings_pushed} crossings and {report.events_pushed} audit events"]
    if pulled.officers_changed:
        parts.append(f"{pulled.officers_changed} officer accounts updated")
    parts += [f"watchlist {name} applied" for name in pulled.watchlists]
    parts.append(f"{pulled.crossings} crossings of other lanes pulled")
    if report.clock_skew_s is not None and abs(report.clock_skew_s) > 300:
        parts.append(f"WARNING: this terminal's clock is {report.clock_skew_s:+.0f} s off the post's")
    return "; ".join(parts)


def _sync(args: argparse.Namespace) -> int:
    if not args.server:
        error("give the post's database with --server postgresql://USER@HOST/DB (or $CHECKPOINT_SERVER)")
        return EXIT_USAGE
    path = existing_db_path(args)
    if path is None:
        return EXIT_USAGE
    from checkpoint.store import StoreError, open_store

    try:
        from checkpoint.store.sync import SyncClient, SyncRefused
    except ImportError as exc:
        error(f"sync needs the 'post' extra (pip install 'checkpoint[post]'): {exc}")
        return EXIT_USAGE
    try:
        with open_store(path) as store:
            client = SyncClient(store, args.server)
            if not args.watch:
                print(describe(client.sync_once()))
                return EXIT_OK
            stop = threading.Event()

            def report(outcome: Any) -> None:
                if isinstance(outcome, SyncRefused):
                    error(f"REFUSED by the post: {plain(outcome)}")
                elif isinstance(outcome, StoreError):
                    error(f"{outcome.title}: {plain(outcome)}")
                elif (
                    outcome.events_pushed
                    or outcome.pull.officers_changed
                    or outcome.pull.watchlists
                    or (outcome.pull.crossings)
                ):
                    print(describe(outcome), flush=True)  # quiet while nothing moves

            try:
                with stopped_by_sigterm(stop):
                    client.watch(stop, interval_s=args.interval, report=report)
            except KeyboardInterrupt:
                stop.set()
            return EXIT_OK
    except SyncRefused as exc:
        error(f"REFUSED by the post: {plain(exc)}")
        return EXIT_INVALID
    except StoreError as exc:
        error(f"{exc.title}: {plain(exc)}")
        return EXIT_USAGE
