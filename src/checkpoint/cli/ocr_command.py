"""``checkpoint ocr IMAGE... [--json]``: read the MRZ of page images, photos or MRZ crops."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK

EXIT_UNREADABLE = 3


def register(subparsers: Any) -> None:
    """Add the ``ocr`` sub-command to ``subparsers``."""
    parser = subparsers.add_parser(
        "ocr",
        help="read the MRZ from page scans, photos or MRZ crops",
        description=(
            "Read the machine-readable zone of each IMAGE (PNG, JPEG, HEIC, PNM, TIFF ...; EXIF orientation "
            "is honoured) with the project's own Tesseract model. Exit status: 0 when every image gave a valid, "
            "confirmed MRZ, 1 when one did not, 3 when an image could not be read at all."
        ),
    )
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image file to read")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per image, in order: image, found, valid, lines, confidence, mrz, problems, timings",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read every image named in ``args``; return the exit status."""
    from checkpoint.ocr import OCRError, read_mrz

    status = EXIT_OK
    for path in args.images:
        try:
            result = read_mrz(path)
        except OCRError as exc:
            status = max(status, EXIT_UNREADABLE)
            if args.json:
                print(json.dumps({"image": path, "error": str(exc), "title": exc.title}))
            else:
                print(f"{path}: {exc.title}: {exc}", file=sys.stderr)
            continue
        if not result.valid:
            status = max(status, EXIT_INVALID)
        if args.json:
            print(json.dumps({"image": path, **result.to_dict()}))
            continue
        verdict = "valid" if result.valid else ("no MRZ found" if not result.found else "NOT valid")
        print(f"{path}: {verdict} ({result.timings.get('total', 0.0):.2f} s)")
        for line, confidence in zip(result.lines, result.confidence, strict=False):
            print(f"  {line}  {confidence:5.1f}%")
        for correction in result.corrections:
            print(
                f"  ~ line {correction.line}, column {correction.column + 1}: read {correction.from_!r}, "
                f"taken as {correction.to!r} ({correction.field} check digit; "
                f"the model weighed {correction.alternatives!r})"
            )
        for problem in result.problems:
            print(f"  ! {problem}")
        if result.mrz is not None:
            for error in result.mrz.errors:
                print(f"  ! {error.message}")
    return status
