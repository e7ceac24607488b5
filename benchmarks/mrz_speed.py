"""How fast checkpoint.mrz parses TD3 passports, against PassportEye and the ``mrz`` package, in one run.

The same generated documents (deterministic seed) go through:

- ``checkpoint.mrz.parse`` (ours),
- PassportEye's ``passporteye.mrz.text.MRZ``,
- the ``mrz`` package's ``mrz.checker.td3.TD3CodeChecker``.

Each is timed over the whole set in CPU time (``time.process_time``: the work the parser does, not the
time other programs on a shared machine hold the processor) in rounds that interleave the parsers, and
keeps its best pass (the one least disturbed by the rest of the machine). Input strings are prepared
before timing, each in the form that parser takes. Every parser must call every generated document
valid, or the run stops: a fast parser that rejects good documents has measured nothing.

    python benchmarks/mrz_speed.py            # 10,000 documents, best of 5
    python benchmarks/mrz_speed.py --quick    # 1,000 documents, best of 3
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

SEED = 9303
STATES = ("UTO", "D", "FRA", "NLD", "GBR", "USA", "CAN", "ITA", "ESP", "POL", "MNE", "SRB", "UKR", "JPN")
SURNAMES = ("ERIKSSON", "MUSTERMANN", "VAN DER BERG", "NOWAK", "GARCIA LOPEZ", "SMITH-JONES", "OCONNOR",
            "PAPANDROPOULOUS", "KOWALSKA", "NGUYEN", "DUBOIS", "ROSSI", "SATO", "PETROVIC")  # fmt: skip
GIVEN_NAMES = ("ANNA MARIA", "ERIKA", "JAN", "MARIA JOSE", "SUSIE MARGARET", "ENYA", "JONATHON ALEC",
               "ZOFIA", "VAN", "MARIE", "LUCA", "YUKI", "", "PETAR")  # fmt: skip
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# One line each, printed with the figures: what a "valid" from that parser actually establishes.
VALIDATES = {
    "  (strict=True)": "the same, on exact ICAO lines only (no normalisation or OCR repair)",
    "checkpoint.mrz.parse": "format, every check digit (incl. composite, '<' for an empty personal number), "
    "calendar dates, state codes, sex, characters; errors with positions",
    "PassportEye MRZ": "check digits, calendar dates, line lengths, a leading 'P'; not state codes, sex, "
    "characters or names",
    "mrz TD3CodeChecker": "check digits, state codes (its own list), dates, sex, document type, name and "
    "field characters",
}


@dataclass(frozen=True)
class Document:
    """The fields of one generated passport."""

    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    sex: str
    expiry_date: date
    optional_data: str


def generate_fields(count: int, seed: int = SEED) -> list[Document]:
    """Return ``count`` passports' fields, the same for the same seed."""
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 70 * 365))
        expiry = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 20 * 365))
        optional = "" if rng.random() < 0.5 else "".join(rng.choices(ALNUM, k=rng.randint(1, 14)))
        documents.append(
            Document(
                issuing_state=rng.choice(STATES),
                surname=rng.choice(SURNAMES),
                given_names=rng.choice(GIVEN_NAMES),
                document_number="".join(rng.choices(ALNUM, k=9)),
                nationality=rng.choice(STATES),
                birth_date=birth,
                sex=rng.choice("MF"),
                expiry_date=expiry,
                optional_data=optional,
            )
        )
    return documents


def compose_lines(document: Document) -> tuple[str, str]:
    """Return the two TD3 lines of ``document``, written by ``checkpoint.mrz.compose``."""
    from checkpoint.mrz import compose

    lines = compose(
        format="TD3",
        document_code="P",
        issuing_state=document.issuing_state,
        surname=document.surname,
        given_names=document.given_names,
        document_number=document.document_number,
        nationality=document.nationality,
        birth_date=document.birth_date,
        sex=document.sex,
        expiry_date=document.expiry_date,
        optional_data=document.optional_data,
    )
    first, second = lines
    return first, second


@dataclass(frozen=True)
class Contender:
    """One parser in the race: how to prepare its input and how to ask it whether a document is valid."""

    name: str
    prepare: Callable[[tuple[str, str]], Any]
    is_valid: Callable[[Any], bool]


def contenders() -> list[Contender]:
    """Return the three parsers, imported here so that a missing one fails with its own name."""
    from mrz.checker.td3 import TD3CodeChecker
    from passporteye.mrz.text import MRZ

    from checkpoint.mrz import parse

    return [
        Contender("checkpoint.mrz.parse", lambda lines: list(lines), lambda lines: parse(lines).valid),
        Contender(
            "  (strict=True)", lambda lines: list(lines), lambda lines: parse(lines, strict=True).valid
        ),
        Contender("PassportEye MRZ", lambda lines: list(lines), lambda lines: bool(MRZ(lines).valid)),
        Contender("mrz TD3CodeChecker", "\n".join, lambda text: bool(TD3CodeChecker(text))),
    ]


def time_pass(contender: Contender, inputs: Sequence[Any]) -> float:
    """Return the CPU seconds one pass of ``contender`` over ``inputs`` takes."""
    is_valid = contender.is_valid
    start = time.process_time()
    for item in inputs:
        is_valid(item)
    return time.process_time() - start


def run(count: int, repeats: int, out: Callable[[str], None] = print) -> dict[str, float]:
    """Generate ``count`` documents, race the parsers over them and print the table.

    Returns documents per second by parser name. Raises ``SystemExit`` if any parser calls any of the
    generated (valid) documents invalid, naming the parser and the first such document's index.
    """
    documents = [compose_lines(fields) for fields in generate_fields(count)]
    racers = contenders()
    inputs: dict[str, list[Any]] = {}
    for contender in racers:
        inputs[contender.name] = [contender.prepare(lines) for lines in documents]
        rejected = [i for i, item in enumerate(inputs[contender.name]) if not contender.is_valid(item)]
        if rejected:
            raise SystemExit(
                f"{contender.name} calls {len(rejected)} of {count} generated documents invalid "
                f"(first: #{rejected[0]}); the comparison would be meaningless"
            )
    # Rounds interleave the parsers, so that a burst of load from the rest of the machine hits them all
    # alike; each keeps its fastest pass, the one least disturbed.
    best = {contender.name: float("inf") for contender in racers}
    for _ in range(repeats):
        for contender in racers:
            best[contender.name] = min(best[contender.name], time_pass(contender, inputs[contender.name]))
    rates = {name: count / seconds for name, seconds in best.items()}

    ours = rates["checkpoint.mrz.parse"]
    out(
        f"{count} generated TD3 documents (seed {SEED}), best of {repeats} runs, Python {sys.version.split()[0]}"
    )
    out("")
    out(f"{'parser':<22} {'documents/s':>12} {'ours is':>9}")
    for name, rate in rates.items():
        ratio = "" if name.startswith(("checkpoint", " ")) else f"{ours / rate:.2f}x"
        out(f"{name:<22} {rate:>12,.0f} {ratio:>9}")
    out("")
    out("what a 'valid' establishes:")
    for name in rates:
        out(f"  {name}: {VALIDATES[name]}")
    return rates


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="1,000 documents, best of 3")
    parser.add_argument("--count", type=int, help="number of documents (default 10,000)")
    parser.add_argument("--repeats", type=int, help="timed passes per parser; the best counts (default 5)")
    args = parser.parse_args(argv)
    count = args.count if args.count is not None else 1_000 if args.quick else 10_000
    repeats = args.repeats if args.repeats is not None else 3 if args.quick else 5
    if count < 1 or repeats < 1:
        parser.error("--count and --repeats must be at least 1")
    run(count, repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
