"""How often OCR repair turns a damaged MRZ into a valid-looking *wrong* document.

Generated documents (deterministic seed, every format) are damaged one character at a time: every
position a check digit covers (the field and the digit itself), changed to every other MRZ character.
Each damaged MRZ goes through ``checkpoint.mrz.parse`` (lenient, with repair), and the outcome is one of:

- caught: the result is not valid (the check digits found the damage);
- restored: valid, with the original document (the repair put the right character back);
- undetectable: valid with a changed document, no correction made, because the 7-3-1 check digit cannot
  see this change by design (``<``/``0``/``A``/``K``/``U`` share a value, and so on);
- WRONG REPAIR: valid with a changed document after the repair changed a character. This must be 0.

    python benchmarks/repair_safety.py            # 40 documents per format
    python benchmarks/repair_safety.py --quick    # 8 documents per format
    python benchmarks/repair_safety.py --baseline REV   # the same, and the figure of git revision REV

With ``--baseline``, the same damaged documents also go through ``parse`` as it was at ``REV`` (checked
out to a temporary directory), so the before and after figures come from one run.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from checkpoint.mrz import check_digit, compose, parse
from checkpoint.mrz.layouts import LAYOUTS

SEED = 9303
TODAY = date(2026, 12, 4)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
ALNUM = ALPHABET[:-1]
FORMATS = ("TD1", "TD2", "TD3", "MRV-A", "MRV-B")
FIELDS = ("document_number", "birth_date", "expiry_date", "optional_data", "optional_data_2", "issuing_state",
          "nationality", "sex", "document_code", "surname", "given_names")  # fmt: skip


def documents(per_format: int, seed: int = SEED) -> Iterator[tuple[str, ...]]:
    """Yield valid MRZs (as line tuples) of every format, with varied numbers and optional data."""
    rng = random.Random(seed)
    for format in FORMATS:
        for _ in range(per_format):
            length = rng.choice((8, 9, 9, 9)) if format != "TD1" else rng.choice((9, 9, 12))
            number = "".join(rng.choice(ALNUM if rng.random() < 0.3 else "0123456789") for _ in range(length))
            if length > 9 and check_digit(number[:9]) == "0":  # (TD1 only draws long numbers here)
                number = number[:9]  # also nine characters with a misread 0: ambiguous, refused on purpose
            optional = "".join(rng.choice(ALNUM) for _ in range(rng.choice((0, 0, 4, 7))))
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(30000))
            lines = compose(
                format,
                issuing_state=rng.choice(("UTO", "D", "FRA", "MNE")),
                surname=rng.choice(("ERIKSSON", "NOWAK", "PETROVIC")),
                given_names=rng.choice(("ANNA", "MARKO", "")),
                document_number=number,
                nationality=rng.choice(("UTO", "D", "MNE")),
                birth_date=born,
                sex=rng.choice("MF<"),
                expiry_date=TODAY + timedelta(days=rng.randrange(-300, 3000)),
                optional_data=optional,
            )
            yield tuple(lines)


def _covered(format: str) -> set[tuple[int, int]]:
    layout = LAYOUTS[format]
    covered: set[tuple[int, int]] = set()
    for check in layout.checks:
        covered.add((check.line, check.pos))
        for line, start, end in check.parts:
            covered.update((line, col) for col in range(start, end))
    return covered


def damaged(lines: tuple[str, ...], format: str) -> Iterator[tuple[str, ...]]:
    """Yield every single-character change of ``lines`` at a position a check digit covers."""
    for line, col in sorted(_covered(format)):
        for char in ALPHABET:
            if char != lines[line][col]:
                row = lines[line]
                yield (*lines[:line], row[:col] + char + row[col + 1 :], *lines[line + 1 :])


def _document(result: object) -> tuple[object, ...]:
    return tuple(getattr(result, name) for name in FIELDS)


def classify(original: tuple[object, ...], result: object) -> str:
    """Return the outcome of one damaged MRZ (see the module docstring)."""
    if not result.valid:  # type: ignore[attr-defined]
        return "caught"
    if _document(result) == original:
        return "restored"
    return "wrong repair" if result.corrections else "undetectable"  # type: ignore[attr-defined]


def run(per_format: int) -> Counter[str]:
    """Return the outcome counts over every damaged MRZ of the generated documents."""
    counts: Counter[str] = Counter()
    for lines in documents(per_format):
        clean = parse(list(lines), today=TODAY)
        assert clean.valid, (lines, clean.errors)
        original = _document(clean)
        for changed in damaged(lines, str(clean.format)):
            counts[classify(original, parse(list(changed), today=TODAY))] += 1
    return counts


def _baseline(revision: str, per_format: int) -> Counter[str]:
    """Run this same measurement against the package as it was at git ``revision``."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", revision, "src/checkpoint/mrz"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        out = subprocess.run(
            [sys.executable, __file__, "--json", "--per-format", str(per_format)],
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": f"{tmp}/src", "PATH": "/usr/bin:/bin"},
        ).stdout
    return Counter(json.loads(out))


def _report(label: str, counts: Counter[str]) -> float:
    total = sum(counts.values())
    wrong = counts["wrong repair"]
    rate = wrong / total if total else 0.0
    print(
        f"{label:<10} {total:>8} changes: caught {counts['caught']:>7}  restored {counts['restored']:>6}  "
        f"undetectable {counts['undetectable']:>6} ({counts['undetectable'] / total:.1%})  "
        f"WRONG REPAIR {wrong:>6} ({rate:.2%})"
    )
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="8 documents per format instead of 40")
    parser.add_argument("--per-format", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", metavar="REV", help="also measure parse as it was at this git revision")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    per_format = args.per_format or (8 if args.quick else 40)
    counts = run(per_format)
    if args.json:
        print(json.dumps(counts))
        return 0
    print(f"single-character changes covered by a check digit, {per_format} documents per format {FORMATS}")
    if args.baseline:
        before = _report(f"@{args.baseline[:8]}", _baseline(args.baseline, per_format))
    after = _report("now", counts)
    if args.baseline:
        print(f"wrong repairs: {before:.2%} before, {after:.2%} now")
    return 0 if counts["wrong repair"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
