"""Smoke tests of the OCR benchmarks: tiny runs, so that they cannot rot unnoticed, with a model given
as a candidate (the way a freshly trained model is measured against the committed one)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from checkpoint.ocr.engine import MODEL_DIR, MODEL_NAME

ROOT = Path(__file__).resolve().parents[2]
REAL_LINES = ROOT.parent / "shared" / "data" / "ocr" / "real-mrz-lines"


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_ocr_lines_measures_a_candidate_model_beside_ours_and_the_peer(tmp_path: Path) -> None:
    for name in ("line_000", "line_001"):
        for suffix in (".png", ".gt.txt"):
            shutil.copyfile(REAL_LINES / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    candidate = tmp_path / "model" / "candidate.traineddata"
    candidate.parent.mkdir()
    shutil.copyfile(MODEL_DIR / f"{MODEL_NAME}.traineddata", candidate)
    done = run("benchmarks/ocr_lines.py", "--data", str(tmp_path), "--model", str(candidate))
    assert done.returncode == 0, done.stderr
    rows = [line.split()[0] for line in done.stdout.splitlines() if "per-character" in line]
    assert rows == ["checkpoint", "candidate", "peer"]
    # The same model file as a candidate reads exactly as ours does (the time per line aside).
    figures = [re.findall(r"[\d.]+%", line) for line in done.stdout.splitlines() if "per-character" in line]
    assert len(figures[0]) == 2
    assert figures[0] == figures[1]


def test_ocr_lines_also_scores_against_the_print_where_a_label_is_wrong(tmp_path: Path) -> None:
    # line_008's label has a 3 the print lacks (45 characters on a 44-character line); ours reads the print.
    for suffix in (".png", ".gt.txt"):
        shutil.copyfile(REAL_LINES / f"line_008{suffix}", tmp_path / f"line_008{suffix}")
    done = run("benchmarks/ocr_lines.py", "--data", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    ours = next(index for index, line in enumerate(lines) if line.strip().startswith("checkpoint"))
    assert "per-line   0.00%" in lines[ours]
    assert lines[ours + 1].strip() == "with the labels in LABEL_ERRORS corrected: 100.00% and 100.00%"


def test_ocr_lines_refuses_a_missing_model(tmp_path: Path) -> None:
    done = run("benchmarks/ocr_lines.py", "--model", str(tmp_path / "none.traineddata"))
    assert done.returncode == 2
    assert "no model file" in done.stderr


def test_ocr_accuracy_runs_a_candidate_model_on_the_same_pages() -> None:
    candidate = MODEL_DIR / f"{MODEL_NAME}.traineddata"
    done = run(
        "benchmarks/ocr_accuracy.py",
        "--engines",
        "checkpoint",
        "--per-class",
        "1",
        "--classes",
        "clean",
        "--model",
        str(candidate),
    )
    assert done.returncode == 0, done.stderr
    sections = [line for line in done.stdout.splitlines() if line and not line.startswith(" ")]
    assert sections == ["checkpoint", "candidate"]
    assert done.stdout.count("clean       1/1") == 2
