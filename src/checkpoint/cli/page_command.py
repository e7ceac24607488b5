"""``checkpoint sim page``: write a synthetic document page with known ground truth.

    checkpoint sim page --format TD3 --seed 7 --degrade photo,blur=1.5 -o page.jpg [--truth]

This module is the ``page`` mode of the ``sim`` command: listed in
``checkpoint.cli.sim_command.SIM_MODE_MODULES``, its :func:`register` gets the ``sim`` modes' sub-parsers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from checkpoint.cli import EXIT_OK, EXIT_USAGE

SUFFIX_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".pnm": "pnm", ".ppm": "pnm", ".pgm": "pgm"}


def register(subparsers: Any) -> None:
    """Add the ``page`` mode to ``subparsers`` (the modes of ``checkpoint sim``)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "page",
        help="write a synthetic document page image with known MRZ",
        description=(
            "Render a TD1, TD2, TD3 or visa page (OCR-B MRZ at ICAO size, visual zone, portrait placeholder, "
            "security background), degrade it and write it as PNG, JPEG (with EXIF orientation) or PNM. "
            "The same --seed and --degrade always give the same file."
        ),
    )
    parser.add_argument("--format", default="TD3", help="TD1, TD2, TD3, MRVA, MRVB or visa (default TD3)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the holder's data and the degradation")
    parser.add_argument(
        "--degrade",
        default="clean",
        metavar="SPEC",
        help=(
            "a class (clean, noisy, lowres, rotated, photo, watermark, hologram, guilloche, fold, phone, moire, "
            "askew) and/or KEY=VALUE items, comma-separated: dpi, skew (degrees, -45 to 45), rotate "
            "(0/90/180/270), exif, blur, noise, jpeg, "
            "light, glare, perspective, watermark, hologram, guilloche, fold, moire (0-1), tilt (degrees), "
            "bend (mm the page's middle lies off flat, -15 to 15)"
        ),
    )
    parser.add_argument("-o", "--output", required=True, type=Path, help="file to write (.png, .jpg, .pnm)")
    parser.add_argument(
        "--truth", action="store_true", help="print the ground truth as JSON on standard output"
    )
    parser.set_defaults(handler=run_page)


def run_page(args: argparse.Namespace) -> int:
    """Write the page ``args`` describe; return the exit status."""
    from checkpoint.mocks.pages import make_page

    kind = SUFFIX_FORMATS.get(args.output.suffix.lower())
    if kind is None:
        print(
            f"checkpoint sim page: cannot tell the image format of {str(args.output)!r}: use .png, .jpg or .pnm",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        page = make_page(args.format, seed=args.seed, degrade=args.degrade)
    except ValueError as exc:
        print(f"checkpoint sim page: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        args.output.write_bytes(page.encode(kind))
    except OSError as exc:
        print(
            f"checkpoint sim page: cannot write {str(args.output)!r}: {exc.strerror or exc}", file=sys.stderr
        )
        return EXIT_USAGE
    if args.truth:
        truth = {
            "format": page.format,
            "seed": page.seed,
            "lines": list(page.lines),
            "dpi": page.dpi,
            "exif_orientation": page.exif_orientation,
            "degradation": page.degradation.name,
        }
        print(json.dumps(truth))
    return EXIT_OK
