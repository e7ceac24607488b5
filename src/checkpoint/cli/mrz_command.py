"""``checkpoint mrz parse`` and ``checkpoint mrz compose``: the MRZ library on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any, TextIO, get_args

from checkpoint.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, iso_date, plain
from checkpoint.mrz import (
    MRZCompositionError,
    MRZFormatError,
    MRZResult,
    Problem,
    TravelFormat,
    compose,
    parse,
)
from checkpoint.mrz.problems import NO_MRZ


def register(subparsers: Any) -> None:
    """Add ``mrz parse`` and ``mrz compose`` to the ``checkpoint`` command line."""
    mrz = subparsers.add_parser("mrz", help="parse, validate and compose machine-readable zones")
    commands = mrz.add_subparsers(dest="mrz_command", metavar="{parse,compose}")
    mrz.set_defaults(handler=lambda _args: _usage(mrz))

    p = commands.add_parser(
        "parse",
        help="parse and validate MRZs",
        description="Parse MRZs. The LINE arguments are one document; without them documents are read from"
        " standard input, separated by blank lines. Exit status: 0 all valid, 1 any invalid, 2 usage error.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per document, in input order")
    p.add_argument("--strict", action="store_true", help="accept only exact ICAO lines; repair nothing")
    p.add_argument("--today", type=iso_date, metavar="YYYY-MM-DD", help="reference day for two-digit years")
    p.add_argument("lines", nargs="*", metavar="LINE", help="the lines of one MRZ")
    p.set_defaults(handler=_parse_command)

    c = commands.add_parser(
        "compose", help="print the MRZ lines of a document", description="Compose an MRZ."
    )
    c.add_argument("--format", default="TD3", choices=get_args(TravelFormat))
    c.add_argument("--document-code")
    c.add_argument("--issuing-state", required=True)
    c.add_argument("--surname", required=True)
    c.add_argument("--given-names", default="")
    c.add_argument("--document-number", required=True)
    c.add_argument("--nationality", required=True)
    c.add_argument("--birth-date", required=True, type=_mrz_date, metavar="YYYY-MM-DD|YYMMDD")
    c.add_argument("--sex", default="<", help="M, F, X or < (unspecified)")
    c.add_argument("--expiry-date", required=True, type=_mrz_date, metavar="YYYY-MM-DD|YYMMDD")
    c.add_argument("--optional-data", default="")
    c.add_argument("--optional-data-2", default="")
    c.set_defaults(handler=_compose_command)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _mrz_date(text: str) -> date | str:
    # YYMMDD stays text so that partial dates ("74<<<<") pass through to compose.
    return text if len(text) == 6 else iso_date(text)


def split_documents(lines: Iterable[str]) -> Iterator[list[str]]:
    """Yield the documents of ``lines``: runs of non-blank lines separated by blank ones."""
    document: list[str] = []
    for line in lines:
        line = line.rstrip("\r\n")
        if line.strip():
            document.append(line)
        elif document:
            yield document
            document = []
    if document:
        yield document


def _not_mrz(error: MRZFormatError, lines: Sequence[str]) -> MRZResult:
    problem = Problem(NO_MRZ, "mrz", None, None, None, str(error))
    return MRZResult(
        None,
        "",
        "",
        "",
        "",
        "",
        "",
        None,
        "",
        None,
        "",
        "",
        MappingProxyType({}),
        (problem,),
        (),
        (),
        tuple(lines),
    )


def _parse_one(lines: Sequence[str], args: argparse.Namespace) -> MRZResult:
    try:
        return parse(lines, today=args.today, strict=args.strict)
    except MRZFormatError as error:
        return _not_mrz(error, lines)


def _caret(result: MRZResult, problem: Problem) -> list[str]:
    if problem.line is None or problem.start is None or not 0 < problem.line <= len(result.lines):
        return []
    line = plain(result.lines[problem.line - 1])
    width = max(1, (problem.end or problem.start + 1) - problem.start)
    return [
        f"    line {problem.line}: {line}",
        " " * (len(f"    line {problem.line}: ") + problem.start) + "^" * width,
    ]


def report(number: int, result: MRZResult, out: TextIO) -> None:
    """Write the readable report of one document, pointing at each wrong character."""
    state = "valid" if result.valid else "INVALID"
    out.write(f"Document {number}: {result.format or 'no MRZ'}, {state}\n")
    if result.format is not None:
        fields = result.to_dict()
        for name in (
            "document_code",
            "issuing_state",
            "surname",
            "given_names",
            "document_number",
            "nationality",
            "birth_date",
            "sex",
            "expiry_date",
            "optional_data",
            "optional_data_2",
        ):
            value = fields[name]
            out.write(f"  {name:<16} {plain('-' if value is None else str(value))}\n")
        checks = ", ".join(f"{k} {'ok' if v else 'FAILED'}" for k, v in result.checks.items())
        out.write(f"  checks           {checks}\n")
    for kind, problems in (("error", result.errors), ("warning", result.warnings)):
        for problem in problems:
            out.write(f"  {kind} {problem.code} ({problem.field}): {plain(problem.message)}\n")
            out.writelines(text + "\n" for text in _caret(result, problem))
    out.writelines(
        f"  corrected line {c.line} column {c.column}: {c.from_} -> {c.to} ({c.field})\n"
        for c in result.corrections
    )


def _parse_command(args: argparse.Namespace) -> int:
    if args.lines:
        documents: Iterable[list[str]] = [args.lines]
    else:
        documents = split_documents(sys.stdin)
    status = EXIT_OK
    count = 0
    for count, lines in enumerate(documents, 1):
        result = _parse_one(lines, args)
        if not result.valid:
            status = EXIT_INVALID
        if args.json:
            sys.stdout.write(json.dumps(result.to_dict()) + "\n")
        else:
            if count > 1:
                sys.stdout.write("\n")
            report(count, result, sys.stdout)
        sys.stdout.flush()
    if count == 0:
        sys.stderr.write("checkpoint mrz parse: no MRZ lines given (as arguments or on standard input)\n")
        return EXIT_USAGE
    return status


def _compose_command(args: argparse.Namespace) -> int:
    try:
        lines = compose(
            args.format,
            document_code=args.document_code,
            issuing_state=args.issuing_state,
            surname=args.surname,
            given_names=args.given_names,
            document_number=args.document_number,
            nationality=args.nationality,
            birth_date=args.birth_date,
            sex=args.sex,
            expiry_date=args.expiry_date,
            optional_data=args.optional_data,
            optional_data_2=args.optional_data_2,
        )
    except MRZCompositionError as error:
        sys.stderr.write(f"checkpoint mrz compose: {plain(str(error))}\n")
        return EXIT_USAGE
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
