"""``checkpoint ocr`` and ``checkpoint sim page`` end to end, through the real command-line entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from checkpoint.mocks.pages import make_page

from checkpoint.cli import ocr_command, page_command


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``checkpoint ARGS`` as a user does (``python -m checkpoint``)."""
    return subprocess.run(
        [sys.executable, "-m", "checkpoint", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_sim_page_then_ocr_json(tmp_path: Path) -> None:
    image = tmp_path / "page.jpg"
    made = run(
        "sim", "page", "--format", "TD2", "--seed", "7", "--degrade", "noisy", "-o", str(image), "--truth"
    )
    assert made.returncode == 0, made.stderr
    truth = json.loads(made.stdout)
    assert truth["lines"] == list(make_page("TD2", seed=7, degrade="noisy").lines)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    read = run("ocr", str(image), str(bogus), "--json")
    objects = [json.loads(line) for line in read.stdout.splitlines()]
    assert [o["image"] for o in objects] == [str(image), str(bogus)]
    assert objects[0]["valid"] is True and objects[0]["lines"] == truth["lines"]
    assert objects[0]["mrz"]["format"] == "TD2"
    assert objects[1]["error"] == f"{bogus}: not an image file (no known image format)"
    assert read.returncode == ocr_command.EXIT_UNREADABLE


def test_ocr_text_output_and_invalid_status(tmp_path: Path) -> None:
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (400, 300), 255).save(blank)
    read = run("ocr", str(blank))
    assert read.returncode == 1
    assert read.stdout.splitlines()[0].startswith(f"{blank}: no MRZ found")


def test_ocr_refuses_bad_files_clearly(tmp_path: Path) -> None:
    import io

    from PIL import Image

    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    pdf = tmp_path / "passport.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj\n")
    huge = tmp_path / "huge.png"
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    huge.write_bytes(buffer.getvalue())
    read = run("ocr", str(empty), str(pdf), str(huge))
    assert read.returncode == ocr_command.EXIT_UNREADABLE
    errors = read.stderr.splitlines()
    assert errors[0] == f"{empty}: Not a readable image: {empty}: the file is empty (0 bytes)"
    assert "a PDF document, not an image" in errors[1]
    assert "larger than the 120-megapixel limit" in errors[2]
    assert "Traceback" not in read.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "TD9"], "unknown document format 'TD9'"),
        (["--degrade", "dpi=10"], "dpi must be between"),
        (["-o", "page.gif"], "cannot tell the image format"),
    ],
)
def test_sim_page_rejects_bad_arguments(tmp_path: Path, args: list[str], message: str) -> None:
    output = ["-o", str(tmp_path / "page.png")] if "-o" not in args else []
    made = run("sim", "page", *args, *output)
    assert made.returncode == 2
    assert message in made.stderr
    assert "Traceback" not in made.stderr


def test_commands_are_registered() -> None:
    from checkpoint.cli import COMMAND_MODULES
    from checkpoint.cli.sim_command import SIM_MODE_MODULES

    assert ocr_command.__name__ in COMMAND_MODULES
    assert page_command.__name__ in SIM_MODE_MODULES


def test_ocr_text_output_lists_the_reading_steps_corrections(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    import checkpoint.ocr
    from checkpoint.mrz import parse
    from checkpoint.ocr import OCRLine, OCRResult
    from checkpoint.ocr.choices import OCRCorrection

    lines = ("P<D<<DE<LA<CRUZ<<OLGA<<<<<<<<<<<<<<<<<<<<<<<", "BZ56508734NLD6003265F3404115SSTXVF7<<<<<<<72")
    corrected = OCRResult(
        found=True,
        ocr_lines=tuple(OCRLine(line, 97.0, 90.0, confirmed=True) for line in lines),
        mrz=parse(list(lines)),
        corrections=(OCRCorrection(2, 0, "8", "B", "document_number", "8BM"),),
    )
    monkeypatch.setattr(checkpoint.ocr, "read_mrz", lambda path: corrected)
    status = ocr_command.run(argparse.Namespace(images=["photo.jpg"], json=False))
    out = capsys.readouterr().out
    assert status == 0
    assert (
        "  ~ line 2, column 1: read '8', taken as 'B' (document_number check digit; the model weighed '8BM')"
        in out.splitlines()
    )
