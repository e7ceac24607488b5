"""``checkpoint post``: a border post's or HQ's PostgreSQL database.

``post init --db postgresql://...`` creates the schema and HQ's first administrator; ``post lanes``
lists the terminals that push to the post, their sync state, clock skew and refused pushes (the
supervisor's view on the command line); ``post deactivate`` / ``post activate`` change an officer's
account at HQ, which terminals apply on their next pull. Exit status: 0 done, 1 refused (bad input,
unknown officer, a lane with refused pushes), 2 usage or database problem.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, plain
from checkpoint.cli.db_option import error, local_actor, run_on_post
from checkpoint.cli.officer_command import read_pin
from checkpoint.store.paths import is_postgres_url

if TYPE_CHECKING:
    from checkpoint.store import Store


def _url(text: str) -> str:
    if not is_postgres_url(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a PostgreSQL URL (postgresql://USER@HOST/DB)")
    return text


def register(subparsers: Any) -> None:
    """Add ``post`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "post",
        help="set up and watch a post's or HQ's PostgreSQL database",
        description="A border post's or HQ's PostgreSQL database. Exit status: 0 done, 1 refused, "
        "2 usage or database problem.",
    )
    actions = p.add_subparsers(dest="post_action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create the schema and HQ's first administrator",
        description="Create (or migrate) the post's schema and HQ's first administrator account.",
    )
    init.add_argument("--db", type=_url, required=True, metavar="URL", help="postgresql://USER@HOST/DB")
    init.add_argument("--admin", required=True, metavar="ID", help="the administrator's officer ID")
    init.add_argument("--name", required=True, help="the administrator's name")
    init.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    init.set_defaults(handler=_init)
    lanes = actions.add_parser(
        "lanes",
        help="the post's terminals, their sync state and refused pushes",
        description="List every terminal that pushes to the post and every refused push.",
    )
    lanes.add_argument("--db", type=_url, required=True, metavar="URL")
    lanes.set_defaults(handler=_lanes)
    for action, active in (("deactivate", False), ("activate", True)):
        change = actions.add_parser(
            action,
            help=f"{action} an officer at HQ (terminals apply it on their next pull)",
            description=f"{action.capitalize()} an officer's account at HQ.",
        )
        change.add_argument("officer_id", metavar="ID")
        change.add_argument("--db", type=_url, required=True, metavar="URL")
        change.set_defaults(handler=_set_active, active=active)


def _init(args: argparse.Namespace) -> int:
    from checkpoint.store import InvalidRecord

    pin = read_pin(args.pin_stdin)
    if pin is None:
        return EXIT_USAGE

    def init(store: Store) -> int:
        admin = store.add_officer(args.admin, args.name, pin, actor=local_actor())
        store.set_officer_active(admin.officer_id, True, actor=local_actor(), roles="hq-admin")  # type: ignore[attr-defined]
        print(f"post database ready; HQ administrator {admin.officer_id} created")
        return EXIT_OK

    return run_on_post(args.db, init, refused=(InvalidRecord,))


def _set_active(args: argparse.Namespace) -> int:
    from checkpoint.store import NotFound

    def change(store: Store) -> int:
        store.set_officer_active(args.officer_id, args.active, actor=local_actor())  # type: ignore[attr-defined]
        state = "active" if args.active else "deactivated"
        print(f"officer {args.officer_id.strip().upper()} {state}; terminals apply it on their next pull")
        return EXIT_OK

    return run_on_post(args.db, change, refused=(NotFound,))


def _lanes(args: argparse.Namespace) -> int:
    def show(store: Store) -> int:
        from checkpoint.store import post_lanes

        with store.connection() as connection:  # type: ignore[attr-defined]
            lanes = post_lanes.lanes(connection)
            refused = post_lanes.refusals(connection)
        if not lanes:
            print("no terminal has pushed to this post yet")
        for lane in lanes:
            skew = "" if lane.clock_skew_s is None else f", clock {lane.clock_skew_s:+.0f} s"
            flag = "  CLOCK OFF" if lane.clock_flagged else ""
            print(
                f"{plain(lane.post)} lane {plain(lane.lane)}: terminal {plain(lane.terminal_id)}, "
                f"{lane.crossings} crossings, chain at event {lane.head_seq}, last push "
                f"{lane.last_push_at:%Y-%m-%d %H:%M} UTC{skew}{flag}"
            )
        for refusal in refused:
            error(f"REFUSED {refusal.refused_at:%Y-%m-%d %H:%M} UTC: {plain(refusal.reason)}")
        return EXIT_INVALID if refused else EXIT_OK

    return run_on_post(args.db, show)
