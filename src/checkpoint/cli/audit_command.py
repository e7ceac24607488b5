"""``checkpoint audit verify``: walk the audit hash chain, then check every record against the event that
recorded it, and report the first problem.

Exit status 0 when the chain and the records are intact, 1 when broken (the message names the event or
the record and what is wrong: altered, missing, inserted, or a moved starting point), 2 when the
database cannot be used. The database is opened read-only: verifying never changes it. The chain head
is printed so it can be written down or sent away; ``--expect-head HASH`` later proves that the chain
still contains it (nothing was cut off its end).
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from checkpoint.cli.db_option import add_db_argument, error, existing_db_path, run_on_store

if TYPE_CHECKING:
    from checkpoint.store import Store


def register(subparsers: Any) -> None:
    """Add ``audit`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "audit",
        help="verify the audit hash chain",
        description="Work with the audit chain. Exit status: 0 intact, 1 broken, 2 usage or database problem.",
    )
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="verify every link of the chain", description="Verify the audit chain link by link."
    )
    verify.add_argument(
        "--expect-head",
        type=_head,
        metavar="HASH",
        help="a chain head printed by an earlier verify: fail unless the chain still contains it",
    )
    add_db_argument(verify)
    verify.set_defaults(handler=_verify)


def _head(text: str) -> str:
    head = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", head):
        raise argparse.ArgumentTypeError(f"{text!r} is not a chain head (64 hexadecimal digits)")
    return head


def _verify(args: argparse.Namespace) -> int:
    if isinstance(args.db, str):  # a post's PostgreSQL database: its own chain and every terminal's
        status: int = run_on_store(args, lambda store: _verify_post(store, args.expect_head))
        return status
    from checkpoint.store import StoreError, verify_database

    path = existing_db_path(args)
    if path is None:
        return EXIT_USAGE
    try:
        report = verify_database(path, expect_head=args.expect_head)
    except StoreError as exc:
        error(f"{exc.title}: {exc}")
        return EXIT_USAGE
    if not report.ok:
        error(str(report))
        return EXIT_INVALID
    print(report)
    if report.head_hash is not None:
        print(f"chain head: event {report.head_seq} {report.head_hash}")
    return EXIT_OK


def _verify_post(store: Store, expect_head: str | None) -> int:
    report = store.verify_audit(expect_head=expect_head)
    status = EXIT_OK
    if report.ok:
        print(report)
        if report.head_hash is not None:
            print(f"chain head: event {report.head_seq} {report.head_hash}")
    else:
        error(str(report))
        status = EXIT_INVALID
    for terminal in getattr(store, "verify_terminal_chains", list)():
        if terminal.report.ok:
            print(terminal)
        else:
            error(str(terminal))
            status = EXIT_INVALID
    return status
