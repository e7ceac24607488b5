"""``checkpoint devices``: the readers this machine can see, with the address that opens each."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from checkpoint.cli import EXIT_OK, plain


def register(subparsers: Any) -> None:
    """Add ``devices`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "devices",
        help="list the passport readers plugged into this machine",
        description="List the readers found (serial ports and USB devices matched against the known "
        "reader identities, and the PC/SC chip readers pcscd lists), each with the URL that opens it with "
        "checkpoint read, checkpoint chip read or the client. "
        "Exit status 0, also when none is found.",
    )
    p.add_argument("--json", action="store_true", help="print a JSON array of the readers found")
    p.set_defaults(handler=_devices_command)


def _devices_command(args: argparse.Namespace) -> int:
    from checkpoint.drivers import list_readers

    readers = list_readers()
    if args.json:
        print(json.dumps([asdict(reader) for reader in readers], indent=2))
        return EXIT_OK
    if not readers:
        print("no readers found (plug one in, or check checkpoint read's permission hints)", file=sys.stderr)
        return EXIT_OK
    width = max(len(plain(reader.url)) for reader in readers)
    for reader in readers:
        # The description comes from the device's own descriptor strings.
        print(f"{plain(reader.url):<{width}}  {plain(reader.description)}")
    return EXIT_OK
