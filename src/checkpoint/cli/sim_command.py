"""``checkpoint sim MODE ...``: run a simulated device so a person can point the client at it.

Each mode is a sub-command of ``sim``. The serial reader protocols are built in (their names come from
:data:`checkpoint.mocks.serial_sims.SIMULATORS`); other modes register themselves by adding their module
to :data:`SIM_MODE_MODULES`, a module with a ``register(sim_subparsers)`` function like a command's.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from checkpoint.cli import EXIT_OK, EXIT_USAGE, stopped_by_sigterm

# Extra ``checkpoint sim`` modes, e.g. a page scanner simulator: modules with ``register(subparsers)``.
SIM_MODE_MODULES: tuple[str, ...] = ("checkpoint.cli.page_command",)

_MRZ_CHARACTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")


def register(subparsers: Any) -> None:
    """Add ``sim`` and its modes to the ``checkpoint`` command line."""
    sim = subparsers.add_parser(
        "sim",
        help="run a simulated reader for the client or checkpoint read to use",
        description="Run a simulated device until Ctrl-C. For a serial reader it prints the device path, "
        "e.g. checkpoint sim access-is --link /tmp/reader, then in another terminal: "
        "checkpoint read 'serial:///tmp/reader?protocol=access-is'.",
    )
    modes = sim.add_subparsers(dest="sim_mode", metavar="MODE")
    sim.set_defaults(handler=lambda _args: _usage(sim))
    from checkpoint.mocks.serial_sims import SIMULATORS

    for protocol in SIMULATORS:
        _register_serial(modes, protocol)
    for name in SIM_MODE_MODULES:
        importlib.import_module(name).register(modes)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _register_serial(modes: Any, protocol: str) -> None:
    from checkpoint.mocks.pty_device import FAULTS

    p = modes.add_parser(
        protocol,
        help=f"simulated {protocol} serial reader on a pseudo-terminal",
        description=f"Simulate a {protocol} passport reader on a pseudo-terminal, byte for byte as the "
        "device's wire protocol. Presents sample documents (or those of --document) every --interval "
        "seconds. Exit status 0 on Ctrl-C, 2 on a bad option or document file.",
    )
    p.add_argument(
        "--link", type=Path, metavar="PATH", help="make PATH a symlink to the device (kept across unplug)"
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--document",
        type=Path,
        metavar="FILE",
        help="present the MRZs in FILE (one line per MRZ line, documents separated by a blank line)",
    )
    source.add_argument("--random", type=int, metavar="N", help="present N sample documents (0: no end)")
    p.add_argument(
        "--kind", default="mixed", choices=("td1", "td2", "td3", "mrv", "mixed"), help="sample formats"
    )
    p.add_argument("--interval", type=float, default=2.0, metavar="S", help="seconds between documents")
    p.add_argument(
        "--fault", action="append", choices=FAULTS, default=[], help="apply this fault to every document"
    )
    p.add_argument("--seed", type=int, default=0, metavar="N", help="makes samples and faults repeatable")
    p.set_defaults(handler=_serial_sim_command, protocol=protocol)


def read_documents(path: Path) -> list[tuple[str, ...]]:
    """Return the documents in ``path``: MRZ lines, documents separated by blank lines.

    Raises ``ValueError`` naming the file and line when a line holds a character no MRZ has.
    """
    documents: list[tuple[str, ...]] = []
    current: list[str] = []
    text = path.read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                documents.append(tuple(current))
                current = []
            continue
        bad = sorted(set(line) - _MRZ_CHARACTERS)
        if bad:
            raise ValueError(
                f"{path}:{number}: {', '.join(repr(c) for c in bad)} cannot appear in an MRZ line"
            )
        current.append(line)
    if current:
        documents.append(tuple(current))
    if not documents:
        raise ValueError(f"{path}: no MRZ lines")
    return documents


def _serial_sim_command(args: argparse.Namespace) -> int:
    from checkpoint.mocks.documents import sample_documents
    from checkpoint.mocks.serial_sims import make_simulator

    if not args.interval >= 0:
        return _error("--interval must be 0 or more seconds")
    if args.random is not None and args.random < 0:
        return _error("--random must be 0 or more")
    documents: Iterator[tuple[str, ...]]
    if args.document is not None:
        try:
            documents = iter(read_documents(args.document))
        except (OSError, UnicodeDecodeError) as exc:
            return _error(f"cannot read {args.document}: {exc}")
        except ValueError as exc:
            return _error(str(exc))
    else:
        samples = (sample.lines for sample in sample_documents(args.kind, seed=args.seed))
        documents = samples if not args.random else itertools.islice(samples, args.random)
    try:
        device = make_simulator(args.protocol, link=args.link, faults=args.fault, seed=args.seed)
        device.start()
    except (OSError, ValueError) as exc:
        return _error(f"cannot start the simulator: {exc}")
    stop = threading.Event()
    # A service manager or `kill` stops the simulator as cleanly as Ctrl-C does (the link is removed).
    try:
        with stopped_by_sigterm(stop):
            print(f"{args.protocol} simulator on {device.path}", flush=True)
            print(
                f"read it with: checkpoint read 'serial://{device.path}?protocol={args.protocol}'", flush=True
            )
            for lines in documents:
                presented = device.present(lines)
                # A Honeywell imager sends only when triggered: wait for this one before the next.
                while not presented.sent.wait(0.2):
                    if stop.is_set():
                        break
                if stop.wait(args.interval):
                    break
            if not stop.is_set():
                print("all documents presented; Ctrl-C to stop", flush=True)
            stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        device.stop()
    return EXIT_OK


def _error(message: str) -> int:
    print(f"checkpoint: {message}", file=sys.stderr)
    return EXIT_USAGE
