"""``checkpoint chip read``: read and verify an e-passport's chip through a PC/SC reader."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK, plain
from checkpoint.cli.run_command import fail

if TYPE_CHECKING:
    from checkpoint.drivers import ChipOutcome
    from checkpoint.emrtd import ChipReport

DEFAULT_READER = "pcsc://auto"


def register(subparsers: Any) -> None:
    """Add ``chip`` (with ``chip read``) to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "chip",
        help="read and verify an e-passport's chip through a PC/SC reader",
        description="Work with e-passport chips (ICAO 9303 eMRTD) on a PC/SC reader.",
    )
    commands = p.add_subparsers(dest="chip_command", metavar="SUBCOMMAND", required=True)
    read = commands.add_parser(
        "read",
        help="open the chip with the MRZ or the CAN, read it and verify it",
        description="Wait for a document on the reader, open its chip with the printed MRZ (BAC or PACE) "
        "or the card access number (PACE), read its data groups and verify them: the SOD's signature and "
        "its Document Signer's chain to a trusted CSCA, every data group's hash, no data group the SOD "
        "does not list, the signer's country, DG1 against the printed MRZ, and the anti-cloning checks "
        "(active or chip authentication). Exit status: 0 when the chip was read and no check failed, 1 "
        "when a check failed or the chip could not be read (wrong MRZ, card removed), 2 when the reader "
        "or the arguments cannot be used.",
    )
    read.add_argument(
        "--reader",
        default=DEFAULT_READER,
        metavar="URL",
        help=f"the chip reader's address (default {DEFAULT_READER}; see checkpoint devices)",
    )
    key = read.add_mutually_exclusive_group(required=True)
    key.add_argument(
        "--mrz",
        nargs="+",
        metavar="LINE",
        help="the MRZ printed on the data page: its lines as separate arguments, or in one argument "
        "separated by '|' or newlines",
    )
    key.add_argument("--can", metavar="DIGITS", help="the card access number printed on the data page")
    read.add_argument(
        "--csca", type=Path, metavar="DIR", help="a folder of trusted CSCA certificates (and CRLs)"
    )
    read.add_argument("--master-list", type=Path, metavar="FILE", help="a trusted ICAO master list (CMS)")
    read.add_argument(
        "--wait",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="how long to wait for a document on the reader (default 20)",
    )
    read.add_argument("--json", action="store_true", help="print the whole report as JSON")
    read.set_defaults(handler=_chip_read_command)


def _chip_read_command(args: argparse.Namespace) -> int:
    from checkpoint.drivers import DocumentPresent, DocumentRead, ReaderError, ReaderStatus, make_reader
    from checkpoint.drivers.pcsc_reader import mrz_lines

    options: dict[str, Any] = {}
    if args.mrz:
        lines = mrz_lines("|".join(args.mrz))
        from checkpoint.emrtd import AccessKey

        try:
            AccessKey.from_mrz(list(lines))
        except ValueError as exc:
            return fail(f"--mrz: no chip access key in this MRZ ({exc})")
        options["mrz"] = "|".join(lines)
    elif not args.can.isdigit():
        return fail(f"--can {args.can!r}: a card access number is digits only")
    else:
        options["can"] = args.can
    for name, path in (("csca", args.csca), ("master_list", args.master_list)):
        if path is not None:
            if not path.exists():
                return fail(f"--{name.replace('_', '-')} {path}: no such file or folder")
            options[name] = str(path)
    try:
        reader = make_reader(args.reader, **options)
        reader.open()
    except ReaderError as exc:
        return fail(f"{exc.title}: {exc}")
    with reader:
        print(f"waiting for a document on {plain(reader.describe())} ...", file=sys.stderr)
        for event in reader.events(timeout=args.wait):
            if isinstance(event, DocumentPresent):
                print("document found, reading its chip ...", file=sys.stderr)
            elif isinstance(event, ReaderStatus) and event.state != "connected":
                return fail(f"the chip reader is {event.state}: {plain(event.detail)}")
            elif isinstance(event, DocumentRead) and event.chip is not None:
                return _show(event.chip, as_json=args.json)
    return fail(
        f"no document on the reader within {args.wait:g} s: put the passport on the reader, data page down"
    )


def chip_record(outcome: ChipOutcome) -> dict[str, Any]:
    """Return the JSON-ready record of a chip outcome: the whole report, or the error that stopped it."""
    record: dict[str, Any] = {"reader": outcome.reader, "state": outcome.state}
    if outcome.report is not None:
        record["report"] = outcome.report.to_dict()
    else:
        record["error"] = {"kind": outcome.error, "title": outcome.title, "detail": outcome.detail}
    return record


def chip_summary(record: dict[str, Any]) -> str:
    """Return a chip record as one line for a terminal: how it was read and every check that did not pass."""
    report = record.get("report")
    if report is None:
        error = record.get("error", {})
        return (
            f"chip      {record['state']}: {plain(error.get('title', ''))}: {plain(error.get('detail', ''))}"
        )
    failed = [v for v in report["verifications"] if v["status"] != "PASS"]
    words = "; ".join(f"{v['status']} {v['name']}" for v in failed) or "every check passed"
    return f"chip      read with {report['access']['method']}: {words}"


def _show(outcome: ChipOutcome, *, as_json: bool) -> int:
    report = outcome.report
    failed = report is None or any(v.status.value == "FAIL" for v in report.verifications)
    if as_json:
        print(json.dumps(chip_record(outcome), indent=2, ensure_ascii=False))
        return EXIT_INVALID if failed else EXIT_OK
    if report is None:
        print(f"{plain(outcome.title)}: {plain(outcome.detail)}", file=sys.stderr)
        return EXIT_INVALID
    _print_report(report)
    return EXIT_INVALID if failed else EXIT_OK


def _print_report(report: ChipReport) -> None:
    access = report.access
    how = access.method + (
        f" ({', '.join(p for p in (access.protocol, access.curve, access.cipher) if p)})"
        if access.protocol
        else ""
    )
    if access.fell_back_to_bac:
        how += ", after PACE failed"
    print(f"chip opened with {plain(how)}, {access.password} key")
    if report.dg1 is not None:
        dg1 = report.dg1
        print(f"DG1        {plain(' / '.join(dg1.lines))}")
    groups = " ".join(f"DG{number}" for number in sorted(report.data_groups))
    print(
        f"read       {groups}"
        + (f"; face {report.face.format}, {len(report.face.data):,} bytes" if report.face else "")
    )
    width = max((len(v.name) for v in report.verifications), default=0)
    for verification in report.verifications:
        print(f"{verification.status.value:<7}  {verification.name:<{width}}  {plain(verification.message)}")
    for problem in report.errors:
        print(f"problem    {plain(problem)}")
    t = report.timings
    print(
        f"time       access {t.access * 1000:.0f} ms, reading {t.reading * 1000:.0f} ms, "
        f"verification {t.verification * 1000:.0f} ms"
    )
