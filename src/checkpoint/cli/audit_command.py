"""``checkpoint audit verify``: walk the audit hash chain and report the first broken link.

Exit status 0 when the chain is intact, 1 when it is broken (the message names the event and what is
wrong: altered, missing, inserted, or a moved starting point), 2 when the database cannot be used.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK
from checkpoint.cli.db_option import add_db_argument, error, run_on_store

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
    add_db_argument(verify)
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    def verify(store: Store) -> int:
        report = store.verify_audit()
        status = EXIT_OK
        if report.ok:
            print(report)
        else:
            error(str(report))
            status = EXIT_INVALID
        # A post's database: every terminal's chain as pushed, too.
        for terminal in getattr(store, "verify_terminal_chains", list)():
            if terminal.report.ok:
                print(terminal)
            else:
                error(str(terminal))
                status = EXIT_INVALID
        return status

    return run_on_store(args, verify)
