"""``checkpoint officer``: create officer accounts and lift lockouts.

``checkpoint officer add ID --name NAME`` asks for the PIN twice without echo; with ``--pin-stdin`` it
reads one line from standard input instead (for scripts: ``printf '4821\\n' | checkpoint officer add
...``). ``checkpoint officer unlock ID`` clears a lockout after repeated wrong PINs. Both are audited.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_OK, EXIT_USAGE
from checkpoint.cli.db_option import add_db_argument, error, local_actor, run_on_store

if TYPE_CHECKING:
    from checkpoint.store import Store


def register(subparsers: Any) -> None:
    """Add ``officer`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "officer",
        help="create officer accounts, lift lockouts",
        description="Manage officer accounts. Exit status: 0 done, 1 refused (bad ID, weak PIN, exists, "
        "unknown officer), 2 usage or database problem.",
    )
    actions = p.add_subparsers(dest="officer_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="create an officer with a PIN", description="Create an officer.")
    add.add_argument("officer_id", metavar="ID", help="the officer's ID, e.g. MNE-0412")
    add.add_argument("--name", required=True, help="the officer's name as shown on screen")
    add.add_argument(
        "--pin-stdin",
        action="store_true",
        help="read the PIN from the first line of standard input instead of asking twice without echo",
    )
    add_db_argument(add)
    add.set_defaults(handler=_add)
    unlock = actions.add_parser("unlock", help="clear a lockout", description="Clear an officer's lockout.")
    unlock.add_argument("officer_id", metavar="ID")
    add_db_argument(unlock)
    unlock.set_defaults(handler=_unlock)


def read_pin(from_stdin: bool) -> str | None:
    """Return the new PIN, from stdin or asked twice without echo; print why and return None on failure."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            error("--pin-stdin: standard input is empty")
            return None
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        error("no terminal to ask for the PIN: use --pin-stdin to read it from standard input")
        return None
    first = getpass.getpass("New PIN: ")
    if getpass.getpass("Repeat PIN: ") != first:
        error("the two PINs differ; nothing changed")
        return None
    return first


def _add(args: argparse.Namespace) -> int:
    from checkpoint.store import InvalidRecord

    pin = read_pin(args.pin_stdin)
    if pin is None:
        return EXIT_USAGE

    def add(store: Store) -> int:
        officer = store.add_officer(args.officer_id, args.name, pin, actor=local_actor())
        print(f"officer {officer.officer_id} created")
        return EXIT_OK

    # The first officer creates the database.
    return run_on_store(args, add, create=True, refused=(InvalidRecord,))


def _unlock(args: argparse.Namespace) -> int:
    from checkpoint.store import NotFound

    def unlock(store: Store) -> int:
        store.unlock_officer(args.officer_id, actor=local_actor())
        print(f"officer {args.officer_id.strip().upper()} unlocked")
        return EXIT_OK

    return run_on_store(args, unlock, refused=(NotFound,))
