"""``checkpoint train``: training mode. ``check`` validates a scenario, ``run`` starts the client on a
training database with a trainee signed in, ``report`` shows how trainees did."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, plain


def register(subparsers: Any) -> None:
    """Add ``train`` and its sub-commands to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "train",
        help="training mode: check scenarios, train officers on the client, report scores",
        description="Training mode: the same client, fed by the simulator with documents whose right "
        "answer is known, on a training database of its own.",
    )
    sub = p.add_subparsers(dest="train_command", metavar="SUBCOMMAND")
    check = sub.add_parser(
        "check",
        help="validate scenario files (or shipped packs by name)",
        description="Validate scenario files: say which case, which key and which line is wrong, and flag "
        "a case whose expected decision contradicts what the checks show. Exit status 0 when every file "
        "is usable, 1 when one is not.",
    )
    check.add_argument(
        "files", nargs="*", metavar="FILE", help="scenario files or pack names (default: every shipped pack)"
    )
    check.set_defaults(handler=_check_command)
    from checkpoint.cli import train_run

    train_run.register(sub)
    p.set_defaults(handler=lambda args: _no_subcommand(p))


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def check_file(name: str) -> tuple[bool, list[str]]:
    """Return whether the scenario ``name`` (a file or a pack) is usable, and the lines to print."""
    from checkpoint.training.evaluate import check_scenario
    from checkpoint.training.model import ScenarioError
    from checkpoint.training.packs import scenario_path
    from checkpoint.training.scenario import load_scenario

    try:
        path = scenario_path(name)
    except FileNotFoundError as exc:
        return False, [plain(exc)]
    shown = name if Path(name).exists() else f"{name} ({path.name})"
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        return False, [plain(problem.render(shown)) for problem in exc.problems]
    problems = [*scenario.warnings, *check_scenario(scenario)]
    lines = [plain(problem.render(shown)) for problem in problems]
    ok = not any(p.severity == "error" for p in problems)
    verdict = "ok" if ok else "NOT usable"
    lines.append(plain(f"{shown}: {verdict}: {scenario.title!r}, {len(scenario.cases)} cases"))
    return ok, lines


def _check_command(args: argparse.Namespace) -> int:
    from checkpoint.training.packs import pack_names

    names = args.files or pack_names()
    usable = True
    for name in names:
        ok, lines = check_file(name)
        usable = usable and ok
        for line in lines:
            print(line, file=sys.stdout if ok else sys.stderr)
    return EXIT_OK if usable else EXIT_INVALID
