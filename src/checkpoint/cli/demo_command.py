"""``checkpoint demo``: the client with nothing to set up.

A throwaway database in a temporary directory, a demo officer already signed in with a shift open, the
watchlists seeded so the simulator's watchlisted sample documents hit, and a ``sim://`` reader that
presents a varied stream of documents every few seconds and on a key press (``p``).
"""

from __future__ import annotations

import argparse
import csv
import secrets
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from checkpoint.cli import EXIT_OK, Ended, ended_by_signals, run_app
from checkpoint.cli.run_command import fail, make_readers
from checkpoint.drivers import ReaderError

if TYPE_CHECKING:
    from checkpoint.store import Store
    from checkpoint.store.records import Direction
    from checkpoint.tui.app import CheckpointApp

DEFAULT_READER: Final = "sim://mixed?interval=5"
# With the chip library installed, the demo's passports and ID cards carry chips (some forged pages).
CHIP_READER: Final = "sim://mixed?interval=5&chips=1"


def default_reader() -> str:
    """Return the demo's reader: with chips when the chip library's dependencies are installed."""
    try:
        import checkpoint.mocks.sim_chips  # noqa: F401
    except ImportError:
        return DEFAULT_READER
    return CHIP_READER


DEMO_OFFICER: Final = "DEMO-0001"
DEMO_POST: Final = "Demo crossing"
DEMO_LANE: Final = "1"


def register(subparsers: Any) -> None:
    """Add ``demo`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "demo",
        help="try the officer's client with a simulated reader and a throwaway database",
        description="Start the officer's client on a throwaway database with a demo officer signed in, a "
        "shift open and a simulated reader presenting documents (valid, expired, watchlisted, minor, bad "
        "check digit, specimen, with a chip or a forged data page) every few seconds; press p to present "
        "one now. Nothing is kept. To train officers on scored cases, see training mode: "
        "checkpoint train run --scenario basics --trainee NAME.",
    )
    p.add_argument(
        "--reader",
        action="append",
        default=None,
        metavar="URL",
        help=f"read from this reader instead of {CHIP_READER} (repeatable)",
    )
    p.set_defaults(handler=_demo_command)


def _demo_command(args: argparse.Namespace) -> int:
    from checkpoint.store import StoreError

    with tempfile.TemporaryDirectory(prefix="checkpoint-demo-") as folder:
        try:
            # Setting up takes a few seconds: a signal then ends it as the app's exit does, leaving no
            # throwaway folder behind.
            with ended_by_signals():
                app, store = prepare_demo(Path(folder), args.reader or [default_reader()])
        except Ended:
            return EXIT_OK
        except ReaderError as exc:
            return fail(f"{exc.title}: {exc}")
        except StoreError as exc:
            return fail(f"{exc.title}: {exc}")
        try:
            run_app(app)
        finally:
            store.close()
    return EXIT_OK


def prepare_demo(
    folder: Path, reader_urls: Sequence[str], clock: Callable[[], datetime] | None = None
) -> tuple[CheckpointApp, Store]:
    """Return the demo app and its store, in ``folder``: officer signed in, shift open, lists seeded.

    The caller runs the app and closes the store. Raises :class:`ReaderError` for a bad reader address
    and :class:`checkpoint.store.StoreError` when the database cannot be made.
    """
    from checkpoint.cli.config_command import example_text
    from checkpoint.inspection.post_config import parse_post_config
    from checkpoint.store import open_store
    from checkpoint.tui import make_app
    from checkpoint.tui.app import utc_now
    from checkpoint.tui.models import OfficerSession, ShiftInfo
    from checkpoint.tui.store_backend import StoreBackend

    clock = clock or utc_now
    readers = make_readers(reader_urls)
    store = open_store(folder / "demo.db", clock=clock)
    try:
        # A PIN nobody needs to know: the demo signs its officer in itself, through the store, so the
        # sign-in is audited like any other.
        pin = secrets.token_urlsafe(12)
        store.add_officer(DEMO_OFFICER, "Demo Officer", pin, actor="demo")
        officer = store.authenticate(DEMO_OFFICER, pin)
        seed_travel_history(store, officer.officer_id, clock())
        shift = store.open_shift(officer.officer_id, DEMO_POST, DEMO_LANE, "entry")
        seed_watchlists(store, folder, officer.officer_id)
    except BaseException:
        store.close()
        raise
    session = OfficerSession(officer.officer_id, officer.name)
    # The example post configuration, so every check has what it needs and can fire.
    post = replace(
        parse_post_config(example_text(), "post-example.toml"), refusal_forms=str(folder / "refusals")
    )
    app = make_app(
        readers,
        StoreBackend(store, clock, post=post),
        clock,
        officer=session,
        shift=ShiftInfo(shift.shift_id, session, shift.post, shift.lane, shift.direction),
    )
    return app, store


# The specimen holder's earlier stay: an entry and an exit 95 days apart, within the last 180 days, so
# that the 90-days-in-any-180 rule (which the example post applies to UTO nationals) fires on the
# specimen documents the simulated reader presents.
STAY_HISTORY: Final[tuple[tuple[Direction, int], ...]] = (("entry", 170), ("exit", 75))


def seed_travel_history(store: Store, officer_id: str, now: datetime) -> None:
    """Record the specimen holder's earlier entry and exit at the demo post, each in a shift of its own
    (closed again), as an earlier shift at the post would have."""
    from checkpoint.mocks.documents import sample_document
    from checkpoint.store import NewCrossing

    sample = sample_document("specimen", "TD3", today=now.date())
    fields = sample.fields
    for direction, days_ago in STAY_HISTORY:
        shift = store.open_shift(officer_id, DEMO_POST, DEMO_LANE, direction)
        store.record_crossing(
            NewCrossing(
                shift_id=shift.shift_id,
                decision="admit",
                suggestion="admit",
                surname=str(fields["surname"]),
                given_names=str(fields["given_names"]),
                birth_date=fields["birth_date"],  # type: ignore[arg-type]
                sex=str(fields["sex"]),
                nationality=str(fields["nationality"]),
                document_type="P",
                issuing_state=str(fields["issuing_state"]),
                document_number=str(fields["document_number"]),
                expiry_date=fields["expiry_date"],  # type: ignore[arg-type]
                mrz_lines=sample.lines,
                source="demo history",
                time=now - timedelta(days=days_ago),
            )
        )
        store.close_shift(shift.shift_id, "Demo: an earlier shift at this post.")


def seed_watchlists(store: Store, folder: Path, actor: str) -> None:
    """Import the demo's alert lists, built from the simulator's watchlisted identities, so that the
    ``watchlisted`` sample documents hit: the first identity's document is on the lost/stolen list, the
    others are on the person list (as :data:`checkpoint.mocks.documents.WATCHLISTED` describes them)."""
    from checkpoint.mocks.documents import watchlisted_identities

    stolen, *wanted = watchlisted_identities()
    documents = folder / "demo-documents.csv"
    with documents.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["document_number", "issuing_state", "document_type", "reason", "reference"])
        writer.writerow([stolen.document_number, stolen.issuing_state, "", "STOLEN", "DEMO-SLTD-0001"])
    persons = folder / "demo-persons.csv"
    with persons.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["surname", "given_names", "birth_date", "nationality", "reason", "reference"])
        for number, person in enumerate(wanted, start=1):
            writer.writerow(
                [
                    person.surname,
                    person.given_names,
                    person.birth_date.isoformat(),
                    person.nationality,
                    "Refusal of entry",
                    f"DEMO-ALERT-{number:04d}",
                ]
            )
    store.import_watchlist("documents", documents, actor=actor, version="demo")
    store.import_watchlist("persons", persons, actor=actor, version="demo")
