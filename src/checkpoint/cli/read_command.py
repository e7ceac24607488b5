"""``checkpoint read URL``: print what a reader sends, one line (or one JSON object) per event.

Exit status: 0 when the read ended as asked (``--count`` documents read, or ``--timeout`` seconds with
no event when no count was asked for), 1 when ``--count`` documents did not arrive before the timeout,
2 when the address or an option is wrong, 3 when the reader cannot be used (not found, no permission,
driver unavailable, I/O error), 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any, Final, TextIO

from checkpoint.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, plain
from checkpoint.drivers import (
    BarcodeRead,
    DocumentPresent,
    DocumentRead,
    DocumentRemoved,
    MalformedFrame,
    ReaderConfigError,
    ReaderError,
    ReaderEvent,
    ReaderStatus,
    StripeRead,
    make_reader,
)

EXIT_READER: Final = 3


def register(subparsers: Any) -> None:
    """Add ``read`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "read",
        help="print the documents and events a reader sends",
        description="Open the reader at URL (e.g. serial:///dev/ttyACM0?protocol=access-is, sim://td3) and "
        "print each event as it arrives. Exit status: 0 done, 1 fewer than --count documents before the "
        "timeout, 2 bad address or option, 3 reader unusable (not found, no permission, I/O), 130 Ctrl-C.",
    )
    p.add_argument("url", metavar="URL", help="the reader's address")
    p.add_argument("--count", type=_positive_int, metavar="N", help="stop after N documents")
    p.add_argument("--timeout", type=_positive_float, metavar="S", help="stop after S seconds with no event")
    p.add_argument("--json", action="store_true", help="print one JSON object per event")
    p.add_argument(
        "--mock",
        action="store_true",
        help="read a simulated device that answers the usb:// URL (a mock pyusb backend), not hardware",
    )
    p.set_defaults(handler=_read_command)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a whole number greater than 0, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds greater than 0, got {text!r}")
    return value


def _read_command(args: argparse.Namespace) -> int:
    out: TextIO = sys.stdout
    try:
        reader = make_reader(args.url, **_mock_options(args))
        reader.open()
    except ReaderConfigError as exc:
        return _fail(exc, EXIT_USAGE)
    except ReaderError as exc:
        return _fail(exc, EXIT_READER)
    documents = 0
    with reader:
        for event in reader.events(timeout=args.timeout):
            record = event_record(event)
            if args.json:
                print(json.dumps(record), file=out, flush=True)
            else:
                print(readable(record), file=out, flush=True)
            if isinstance(event, DocumentRead):
                documents += 1
                if args.count is not None and documents >= args.count:
                    return EXIT_OK
    if args.count is not None:
        print(f"checkpoint: read {documents} of {args.count} documents before the timeout", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _mock_options(args: argparse.Namespace) -> dict[str, Any]:
    """Return the options that put a simulated reader behind a usb:// address when --mock is given."""
    if not args.mock:
        return {}
    from checkpoint.mocks.usb_sim import mock_usb_backend

    return {"backend": mock_usb_backend(args.url)}


def _fail(exc: ReaderError, status: int) -> int:
    print(f"checkpoint: {exc.title}: {exc}", file=sys.stderr)
    return status


def event_record(event: ReaderEvent) -> dict[str, Any]:
    """Return the JSON-ready record of ``event``: ``{"event": kind, ..., "source", "time"}``."""
    record: dict[str, Any]
    if isinstance(event, DocumentRead):
        from checkpoint.mrz import parse

        record = {"event": "document", "lines": list(event.lines), "mrz": parse(event.lines).to_dict()}
        if event.chip is not None:
            from checkpoint.cli.chip_command import chip_record

            record["chip"] = chip_record(event.chip)
    elif isinstance(event, ReaderStatus):
        record = {"event": "status", "state": event.state, "detail": event.detail}
    elif isinstance(event, BarcodeRead):
        record = {"event": "barcode", "data": event.data, "symbology": event.symbology}
    elif isinstance(event, StripeRead):
        record = {"event": "stripe", "tracks": list(event.tracks), "card_type": event.card_type}
    elif isinstance(event, MalformedFrame):
        record = {"event": "malformed", "detail": event.detail, "raw": event.raw.hex(" ")}
    elif isinstance(event, DocumentPresent):
        record = {"event": "present"}
    elif isinstance(event, DocumentRemoved):
        record = {"event": "removed"}
    else:
        record = {"event": type(event).__name__}
    record["source"] = event.source
    record["time"] = datetime.datetime.fromtimestamp(event.timestamp, datetime.UTC).isoformat(
        timespec="milliseconds"
    )
    return record


def readable(record: dict[str, Any]) -> str:
    """Return one event record as a line (or a few) for a person at a terminal."""
    kind = record["event"]
    if kind == "document":
        mrz = record["mrz"]
        verdict = "valid" if mrz.get("valid") else "INVALID"
        problems = "; ".join(plain(error.get("message", "")) for error in mrz.get("errors", []))
        head = f"document  {mrz.get('format') or '?'} {verdict}" + (f": {problems}" if problems else "")
        lines = [head, *(f"  {plain(line)}" for line in record["lines"])]
        if "chip" in record:
            from checkpoint.cli.chip_command import chip_summary

            lines.append(chip_summary(record["chip"]))
        return "\n".join(lines)
    if kind == "status":
        return f"status    {record['state']}" + (f": {plain(record['detail'])}" if record["detail"] else "")
    if kind == "barcode":
        return f"barcode   [{plain(record['symbology'])}] {plain(record['data'])}"
    if kind == "stripe":
        return f"stripe    type {plain(record['card_type'])}: " + " | ".join(
            plain(t) for t in record["tracks"]
        )
    if kind == "malformed":
        return f"malformed {plain(record['detail'])}: {record['raw']}"
    return f"{kind:<9} {plain(record['source'])}"
