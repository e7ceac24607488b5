"""``checkpoint watchlist``: import a lost/stolen document list or a person alert list, show what is loaded.

``checkpoint watchlist import FILE [--kind documents|persons] [--version V] [--list-date YYYY-MM-DD]``
replaces the loaded list of that kind. The kind is read from the header when not given. The CSV formats
are documented in :mod:`checkpoint.store.watchlist_csv` and by ``checkpoint watchlist import --help``:

- documents: ``document_number,issuing_state,document_type,reason,reference`` (type and reference
  optional)
- persons: ``surname,given_names,birth_date,nationality,reason,reference`` (all but surname and reason
  optional; birth_date as YYYY-MM-DD)

A file with any bad line is not imported at all; every problem is listed as ``FILE:LINE: message``.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkpoint.cli import EXIT_OK, EXIT_USAGE, iso_date
from checkpoint.cli.db_option import add_db_argument, error, local_actor, run_on_store
from checkpoint.store.records import WatchlistKind

if TYPE_CHECKING:
    from checkpoint.store import Store

FORMATS = """CSV formats (UTF-8, header row first, columns in any order, [optional] ones may be absent):
  documents: document_number, issuing_state, [document_type], reason, [reference]
             e.g.  L898902C3,UTO,P,STOLEN,SLTD-0001
  persons:   surname, [given_names], [birth_date YYYY-MM-DD], [nationality], reason, [reference]
             e.g.  Müller,Hans-Peter,1970-01-31,D,Refusal of entry,SIS-123
Codes are ICAO 9303 (D for Germany). A file with any bad line is not imported at all."""


def register(subparsers: Any) -> None:
    """Add ``watchlist`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "watchlist",
        help="import lost/stolen document and person alert lists",
        description="Manage the watchlists the checks use. Exit status: 0 done, 1 the file has errors "
        "(nothing imported), 2 usage or database problem.",
    )
    actions = p.add_subparsers(dest="watchlist_action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help="replace a list with a CSV file",
        description="Replace the loaded list of a kind with a CSV file.",
        epilog=FORMATS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--kind", choices=("documents", "persons"), help="the list's kind (default: from the header)"
    )
    imp.add_argument("--version", help="the list owner's version (default: the file's SHA-256, 12 digits)")
    imp.add_argument(
        "--list-date", type=iso_date, metavar="YYYY-MM-DD", help="the list's date (default: today)"
    )
    add_db_argument(imp)
    imp.set_defaults(handler=_import)
    status = actions.add_parser("status", help="show the loaded lists", description="Show the loaded lists.")
    add_db_argument(status)
    status.set_defaults(handler=_status)


def detect_kind(path: Path) -> WatchlistKind | None:
    """Return the list kind its header names (``document_number`` or ``surname`` column), or None."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader(io.StringIO(handle.readline())), [])
    except OSError:
        return None
    names = {name.strip().lower() for name in header}
    if "document_number" in names and "surname" not in names:
        return "documents"
    if "surname" in names and "document_number" not in names:
        return "persons"
    return None


def _import(args: argparse.Namespace) -> int:
    from checkpoint.store import WatchlistImportError

    try:
        args.file.open("rb").close()
    except OSError as exc:
        # Said before the kind is guessed from the header, which a missing file does not have.
        error(f"cannot read the list {args.file}: {exc.strerror or exc}")
        return EXIT_USAGE
    kind: WatchlistKind | None = args.kind or detect_kind(args.file)
    if kind is None:
        error(
            f"{args.file}: cannot tell the list's kind from its header; give --kind documents or --kind persons"
        )
        return EXIT_USAGE
    chosen: WatchlistKind = kind

    def import_list(store: Store) -> int:
        info = store.import_watchlist(
            chosen, args.file, actor=local_actor(), version=args.version, list_date=args.list_date
        )
        print(
            f"{info.kind} list {info.version} of {info.list_date.isoformat()} imported: "
            f"{info.entry_count} entries"
        )
        return EXIT_OK

    return run_on_store(args, import_list, create=True, refused=(WatchlistImportError,))


def _status(args: argparse.Namespace) -> int:
    def status(store: Store) -> int:
        # Both read before anything is printed: a store error shows alone, not after half a report.
        infos = [(kind, store.watchlist_info(kind)) for kind in ("documents", "persons")]
        for kind, info in infos:
            if info is None:
                print(f"{kind}: none loaded")
            else:
                print(
                    f"{kind}: version {info.version} of {info.list_date.isoformat()}, "
                    f"{info.entry_count} entries, imported {info.imported_at:%Y-%m-%d %H:%M} UTC "
                    f"from {info.source_name}"
                )
        return EXIT_OK

    return run_on_store(args, status)
