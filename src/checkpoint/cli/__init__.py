"""The ``checkpoint`` command.

Each sub-command lives in its own module of this package with a ``register(subparsers)`` function that
adds its parser and sets ``handler`` to a function ``(args) -> int`` returning the exit status. Modules
are imported only when the command line is built, so a command whose optional dependencies are missing
fails only when it is used.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from checkpoint.extras import MissingExtra

if TYPE_CHECKING:
    from textual.app import App

# Sub-command modules, in the order ``checkpoint --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "checkpoint.cli.mrz_command",
    "checkpoint.cli.demo_command",
    "checkpoint.cli.run_command",
    "checkpoint.cli.read_command",
    "checkpoint.cli.devices_command",
    "checkpoint.cli.sim_command",
    "checkpoint.cli.officer_command",
    "checkpoint.cli.watchlist_command",
    "checkpoint.cli.audit_command",
    "checkpoint.cli.export_command",
    "checkpoint.cli.purge_command",
    "checkpoint.cli.ocr_command",
    "checkpoint.cli.post_command",
    "checkpoint.cli.sync_command",
    "checkpoint.cli.chip_command",
    "checkpoint.cli.config_command",
    "checkpoint.cli.train_command",
)

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def iso_date(text: str) -> date:
    """Return the date ``YYYY-MM-DD`` in ``text``; an argparse ``type`` that says what it expected."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


@contextmanager
def _handling(handler: Callable[[int, Any], None], *signums: int) -> Iterator[None]:
    """Handle ``signums`` with ``handler`` while the block runs; restore the previous handlers after."""
    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)


@contextmanager
def stopped_by_sigterm(stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` when the process gets SIGTERM while the block runs; restore the previous handler after.

    A long-running command (a simulator, ``sync --watch``) then ends as cleanly on ``kill`` or a service
    manager's stop as on Ctrl-C, including when it was started in the background by a shell without job
    control, which starts it with Ctrl-C (SIGINT) ignored.
    """
    with _handling(lambda _signum, _frame: stop.set(), signal.SIGTERM):
        yield


class Ended(Exception):
    """SIGTERM or SIGHUP came while a command was setting up (see :func:`ended_by_signals`)."""


@contextmanager
def ended_by_signals() -> Iterator[None]:
    """Raise :class:`Ended` where the main thread is when the process gets SIGTERM or SIGHUP while the
    block runs, so that the ``with`` and ``finally`` blocks around it clean up as after an error; restore
    the previous handlers after. For a command's set-up before :func:`run_app`, which handles both
    signals itself while the app runs.
    """

    def end(signum: int, _frame: object) -> None:
        raise Ended(signal.Signals(signum).name)

    with _handling(end, signal.SIGTERM, signal.SIGHUP):
        yield


def run_app(app: App[Any]) -> None:
    """Run the Textual ``app`` until it exits: when the officer quits, and also when the process gets
    SIGTERM (``kill``, a service manager's stop) or SIGHUP (the terminal or the SSH session closed).

    Without this a signal ends the process at once: the terminal is left in the application's mode and
    the caller's clean-up (closing the store, ending a training shift, removing the demo's throwaway
    folder) never runs. Call it from the main thread, as ``App.run``.
    """

    async def run_until_exit() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, app.exit)
        await app.run_async()

    asyncio.run(run_until_exit())


def plain(text: object) -> str:
    """Return ``text`` with every control or unprintable character escaped, for a terminal.

    Text from a device, a file or a person is data: an escape sequence in it is shown, never obeyed.
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="checkpoint",
        description="Passport-reader integration library and border-checkpoint client.",
    )
    from checkpoint import __version__

    parser.add_argument("--version", action="version", version=f"checkpoint {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status: int = handler(args)
    except MissingExtra as exc:
        # A command whose optional part is not installed: say which extra brings it.
        print(f"checkpoint {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`: stop quietly, as Unix tools do.
        sys.stderr.close()
        return EXIT_OK
    return status
