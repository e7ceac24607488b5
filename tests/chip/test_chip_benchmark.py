"""Smoke test of benchmarks/chip_read.py: one read each way, so that the benchmark cannot rot unnoticed.
It asserts what the benchmark reports, never how fast: a slow machine is not a failure.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from checkpoint.mocks.pcsc_stack import PcscStack

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "chip_read.py"


def load_benchmark() -> ModuleType:
    name = "benchmarks_chip_read"
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_one_read_each_way_reports_the_phases_and_the_overhead(
    pcsc_stack: PcscStack, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_benchmark().main(["--reads", "1"]) == 0
    out = capsys.readouterr().out
    assert "chip read: TD3, face 1" in out  # a face of some 15 KB
    assert "pcscd already running" in out  # the test session's stack was used, not a second one
    for configuration in ("PACE + CA + AA:", "BAC + AA:"):
        assert configuration in out
    assert out.count("through PC/SC          total") == 2
    assert out.count("in-process (peer)      total") == 2
    assert "our overhead (all but the emulator's answering):" in out
    assert "worst overhead" in out
