"""``checkpoint config``: check a post's configuration file, or print the example to start one from."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from checkpoint.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from checkpoint.inspection.post_config import PostConfig, PostConfigError, parse_post_config


def register(subparsers: Any) -> None:
    """Add ``config check`` and ``config example`` to the ``checkpoint`` command line."""
    p = subparsers.add_parser(
        "config",
        help="check a post's configuration file, or print an example",
        description="A post's configuration (TOML): its name, lanes, direction, and the rules its checks "
        "apply. 'check' exits 0 when the file is usable, 1 listing every problem with its line.",
    )
    actions = p.add_subparsers(dest="config_action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="check a configuration file and list every problem")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=_check)
    example = actions.add_parser("example", help="print the complete example (the demo's post)")
    example.set_defaults(handler=_example)


def example_text() -> str:
    """Return the example configuration shipped with the package (the demo's post)."""
    return resources.files("checkpoint.cli").joinpath("data/post-example.toml").read_text(encoding="utf-8")


def load_post_config(path: Path) -> PostConfig:
    """Return the post configuration in the file at ``path``; a relative ``refusal_forms`` folder is
    made relative to the file. Raises :class:`PostConfigError` (every problem, with lines) or OSError."""
    text = path.read_text(encoding="utf-8")
    config = parse_post_config(text, str(path))
    if config.refusal_forms and not Path(config.refusal_forms).is_absolute():
        from dataclasses import replace

        config = replace(config, refusal_forms=str(path.parent / config.refusal_forms))
    return config


def describe_config(config: PostConfig) -> str:
    """Return a few lines saying what a configuration sets up."""
    inspection = config.inspection
    lanes = ", ".join(config.lanes) or "typed at shift open"
    return "\n".join(
        [
            f"post {config.name!r}, lanes {lanes}, {config.direction}",
            f"stay rule for {len(inspection.stay_rule_nationalities)} nationalities, visa required for "
            f"{len(inspection.visa_required_nationalities)}, exempt {len(inspection.visa_exempt_nationalities)}",
            f"minors under {inspection.minor_age}, alone under {inspection.min_age_alone or 'any age'} "
            f"{'FAILs' if inspection.min_age_alone else 'WARNs'}",
            f"blocking checks: {', '.join(sorted(inspection.blocking_checks)) or 'none'}",
            f"{len(config.reasons)} reason codes",
        ]
    )


def _check(args: argparse.Namespace) -> int:
    try:
        config = load_post_config(args.file)
    except OSError as exc:
        print(f"checkpoint: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except PostConfigError as exc:
        print(str(exc), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); the configuration is not usable.", file=sys.stderr)
        return EXIT_INVALID
    print(f"{args.file}: OK")
    print(describe_config(config))
    return EXIT_OK


def _example(args: argparse.Namespace) -> int:
    sys.stdout.write(example_text())
    return EXIT_OK
