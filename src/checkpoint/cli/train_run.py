"""``checkpoint train run`` and ``checkpoint train report``."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from checkpoint.cli import EXIT_OK, EXIT_USAGE, plain, run_app
from checkpoint.cli.db_option import error

if TYPE_CHECKING:
    from checkpoint.training.database import TrainingStore
    from checkpoint.training.session import Mode
    from checkpoint.tui.training import TrainingApp


def register(sub: Any) -> None:
    """Add ``run`` and ``report`` under ``checkpoint train``."""
    run = sub.add_parser(
        "run",
        help="start the client in training mode on a scenario",
        description="Start the client in training mode: a training database of its own (a live database "
        "is refused), the trainee signed in, the scenario's cases presented one by one through the "
        "simulated reader. Practice shows each lesson after the decision, exam only at the end.",
    )
    run.add_argument(
        "--scenario", required=True, metavar="FILE", help="a scenario file or a shipped pack name"
    )
    run.add_argument(
        "--trainee", required=True, metavar="NAME", help="the trainee's ID (letters, digits, . _ -)"
    )
    run.add_argument(
        "--db",
        type=Path,
        default=Path("training.db"),
        metavar="FILE",
        help="training database (default: training.db; made if new)",
    )
    run.add_argument(
        "--seed", type=int, default=None, metavar="N", help="draw the cases in an order reproducible from N"
    )
    run.add_argument("--mode", choices=("practice", "exam"), default="practice")
    run.add_argument("--count", type=int, default=None, metavar="N", help="how many cases (default: all)")
    run.set_defaults(handler=_run_command)
    report = sub.add_parser(
        "report",
        help="scores per trainee and across trainees",
        description="Report training sessions from a training database: score over time, most-missed "
        "cases, time per case. Text by default, --json for machines, --html for a file with charts.",
    )
    report.add_argument("--db", type=Path, required=True, metavar="FILE")
    report.add_argument("--trainee", metavar="NAME", help="only this trainee")
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the report as JSON")
    form.add_argument("--html", type=Path, metavar="FILE", help="write an HTML report with charts to FILE")
    report.set_defaults(handler=_report_command)


def prepare_training(
    scenario_name: str,
    trainee: str,
    db: Path,
    *,
    seed: int | None,
    mode: Mode,
    count: int | None,
    reader_url: str = "sim://td3?interval=0",
) -> tuple[TrainingApp, TrainingStore]:
    """Return the training app for these options and its store (the caller runs the app, closes the
    store). Raises ScenarioError, StoreError, ValueError (count), FileNotFoundError (scenario)."""
    from checkpoint.drivers import make_reader
    from checkpoint.mocks.sim_reader import SimReader
    from checkpoint.training.database import open_training_store, seed_session
    from checkpoint.training.packs import scenario_path
    from checkpoint.training.scenario import load_scenario
    from checkpoint.training.session import TrainingSession, draw_cases
    from checkpoint.tui.training import ScenarioClock, make_training_app

    scenario = load_scenario(scenario_path(scenario_name))
    cases = draw_cases(scenario, count, seed)
    clock = ScenarioClock(scenario.context.start)
    store = open_training_store(db, clock=clock)
    try:
        tag = f"#{secrets.token_hex(3).upper()}"
        seed_session(store, scenario, tag)
        session = TrainingSession(scenario, cases, mode, trainee, f"TS-{tag[1:]}-{secrets.token_hex(4)}")
        pages = db.parent / f"{db.stem}-pages" / session.session_id
        reader = make_reader(reader_url)
        if not isinstance(reader, SimReader):
            raise ValueError(f"training presents its cases on a simulated reader (sim://), not {reader_url}")
        app = make_training_app(store, reader, clock, session, pages_folder=pages)
    except BaseException:
        store.close()
        raise
    return app, store


def _run_command(args: argparse.Namespace) -> int:
    import re

    from checkpoint.store import StoreError
    from checkpoint.training.model import ScenarioError

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}", args.trainee):
        error(f"--trainee {plain(args.trainee)!r}: use 1-32 letters, digits, '.', '_' or '-'")
        return EXIT_USAGE
    try:
        app, store = prepare_training(
            args.scenario,
            args.trainee.upper(),
            args.db,
            seed=args.seed,
            mode=cast("Mode", args.mode),
            count=args.count,
        )
    except ScenarioError as exc:
        error(f"scenario not usable (run 'checkpoint train check'):\n{plain(exc)}")
        return EXIT_USAGE
    except (StoreError, ValueError, FileNotFoundError) as exc:
        error(plain(exc))
        return EXIT_USAGE
    try:
        run_app(app)
        app.close_shifts()
    except StoreError as exc:
        error(plain(exc))
        return EXIT_USAGE
    finally:
        store.close()
    return EXIT_OK


def _report_command(args: argparse.Namespace) -> int:
    from checkpoint.store import StoreError
    from checkpoint.training.report import build_report, report_text

    try:
        report = build_report(args.db, trainee=args.trainee.upper() if args.trainee else None)
    except StoreError as exc:
        error(plain(exc))
        return EXIT_USAGE
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif args.html:
        from checkpoint.training.report_html import write_html

        try:
            write_html(report, args.html)
        except ImportError as exc:
            error(f"the HTML report needs matplotlib (pip install 'checkpoint[training]'): {exc}")
            return EXIT_USAGE
        except OSError as exc:
            error(f"cannot write {args.html}: {exc.strerror or exc}")
            return EXIT_USAGE
        print(f"wrote {args.html}")
    else:
        for line in report_text(report).splitlines():
            print(plain(line))
    return EXIT_OK
