"""Smoke test of benchmarks/mrz_speed.py: a tiny run, so that the benchmark cannot rot unnoticed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "mrz_speed.py"


def load_benchmark() -> ModuleType:
    name = "benchmarks_mrz_speed"
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: its dataclasses look their module up in sys.modules.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_a_tiny_run_races_every_parser_over_valid_documents() -> None:
    bench = load_benchmark()
    printed: list[str] = []
    rates = bench.run(count=25, repeats=1, out=printed.append)
    assert set(rates) == {"checkpoint.mrz.parse", "  (strict=True)", "PassportEye MRZ", "mrz TD3CodeChecker"}
    assert all(rate > 0 for rate in rates.values())
    report = "\n".join(printed)
    assert "25 generated TD3 documents" in report
    assert all(name in report for name in rates)
    assert "what a 'valid' establishes" in report


def test_the_documents_are_the_same_for_the_same_seed_and_differ_between_seeds() -> None:
    bench = load_benchmark()
    assert bench.generate_fields(50) == bench.generate_fields(50)
    assert bench.generate_fields(50, seed=1) != bench.generate_fields(50)


def test_a_parser_that_rejects_a_generated_document_stops_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = load_benchmark()
    real = bench.contenders

    def with_a_broken_parser() -> list[object]:
        racers = real()
        return [*racers, bench.Contender("broken", lambda lines: lines, lambda lines: False)]

    monkeypatch.setattr(bench, "contenders", with_a_broken_parser)
    with pytest.raises(SystemExit, match="broken calls 3 of 3 generated documents invalid"):
        bench.run(count=3, repeats=1, out=lambda line: None)


def test_the_command_line_refuses_a_zero_count() -> None:
    bench = load_benchmark()
    with pytest.raises(SystemExit):
        bench.main(["--count", "0"])
