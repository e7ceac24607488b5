"""Smoke tests of benchmarks/fuzz.py and benchmarks/repair_safety.py: tiny runs, so that they cannot rot
unnoticed, and a fuzz crash or a wrong repair on these seeds fails the suite."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(script: str) -> ModuleType:
    name = f"benchmarks_{script}"
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{script}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_tiny_fuzz_run_covers_every_target_and_finds_no_crash() -> None:
    fuzz = load("fuzz")
    tally = fuzz.Tally()
    rng = random.Random(15)
    fuzz.fuzz_parser(rng, 300, tally)
    fuzz.fuzz_framers(rng, 6, tally)
    fuzz.fuzz_addresses(rng, 300, tally)
    assert set(tally.runs) == {
        "parse",
        "parse strict",
        "framer lines",
        "framer access-is",
        "framer est100",
        "framer hid-wedge",
        "address",
        "address trace",
    }
    assert tally.crashes == []


def test_the_fuzz_reports_what_breaks_the_contract() -> None:
    fuzz = load("fuzz")
    tally = fuzz.Tally()

    # An encoder that sends one line short: the document after the noise cannot come out whole.
    def short(lines: list[str]) -> bytes:
        return fuzz.encode_lines(lines[:-1])

    fuzz._stream_framer(random.Random(1), "framer lines", fuzz.LinesFramer(), short, tally)
    assert tally.crashes and "the document after the noise came out as" in tally.crashes[0][2]


def test_a_tiny_repair_safety_run_classifies_every_change() -> None:
    bench = load("repair_safety")
    counts = bench.run(1)
    assert sum(counts.values()) > 4000
    assert set(counts) <= {"caught", "restored", "undetectable", "wrong repair"}
    assert counts["caught"] > counts["restored"] > 0
