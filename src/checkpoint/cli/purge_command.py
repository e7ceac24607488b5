"""``checkpoint purge --older-than DAYS``: delete crossings and audit events past the retention period.

The purge is itself an audit event; the shortened chain still verifies (see
:mod:`checkpoint.store.purge`). A crossing that a kept correction points to is kept with it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_OK
from checkpoint.cli.db_option import add_db_argument, local_actor, run_on_store

if TYPE_CHECKING:
    from checkpoint.store import Store


def register(subparsers: Any) -> None:
    """Add ``purge`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "purge",
        help="delete records older than the retention period",
        description="Delete crossings and audit events older than DAYS days. Exit status: 0 done, "
        "1 refused, 2 usage or database problem.",
    )
    p.add_argument("--older-than", type=_days, required=True, metavar="DAYS", help="retention in days (>= 1)")
    add_db_argument(p)
    p.set_defaults(handler=_purge)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if days < 1:
        raise argparse.ArgumentTypeError(f"the retention must be at least 1 day, got {days}")
    return days


def _purge(args: argparse.Namespace) -> int:
    from checkpoint.store import InvalidRecord

    def purge(store: Store) -> int:
        report = store.purge(args.older_than, actor=local_actor())
        start = (
            f"; the audit chain now starts at event {report.chain_starts_at}"
            if report.chain_starts_at
            else ""
        )
        print(
            f"purged {report.crossings_deleted} crossings and {report.events_deleted} audit events "
            f"older than {report.cutoff:%Y-%m-%d %H:%M} UTC{start}"
        )
        if report.crossings_kept_unsynced or report.events_kept_unsynced:
            print(
                f"kept {report.crossings_kept_unsynced} crossings and {report.events_kept_unsynced} audit "
                "events past the retention period: the post does not hold them yet (run `checkpoint sync`)"
            )
        return EXIT_OK

    return run_on_store(args, purge, refused=(InvalidRecord,))
