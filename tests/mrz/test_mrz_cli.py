"""``checkpoint mrz parse`` and ``checkpoint mrz compose``: exit codes, JSON, stdin, the caret report."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from checkpoint.cli import main
from tests.mrz.conftest import TD1, TD3, with_char


def run(
    argv: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    assert monkeypatch is not None
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


def test_lines_as_arguments_valid_json(monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run(["mrz", "parse", "--json", "--today", "2024-01-01", *TD3], monkeypatch=monkeypatch)
    assert status == 0
    (obj,) = [json.loads(line) for line in out.splitlines()]
    assert obj["valid"] is True and obj["document_number"] == "L898902C3" and obj["lines"] == list(TD3)


def test_stdin_documents_separated_by_blank_lines_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = with_char(TD3, 2, 9, "7")
    text = "\n".join(TD3) + "\n\n\n" + "\n".join(TD1) + "\n  \n" + "\n".join(bad) + "\n\nnot an mrz\n"
    status, out, _ = run(["mrz", "parse", "--json"], text, monkeypatch)
    objs = [json.loads(line) for line in out.splitlines()]
    assert [(o["format"], o["valid"]) for o in objs] == [
        ("TD3", True),
        ("TD1", True),
        ("TD3", False),
        (None, False),
    ]
    assert status == 1
    assert objs[2]["errors"][0] == {
        "code": "check_digit",
        "field": "document_number",
        "line": 2,
        "start": 9,
        "end": 10,
        "message": objs[2]["errors"][0]["message"],
        "expected": "6",
        "found": "7",
    }


def test_readable_report_points_at_the_wrong_character(monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run(["mrz", "parse", "--strict", *with_char(TD3, 2, 19, "3")], monkeypatch=monkeypatch)
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == "Document 1: TD3, INVALID"
    i = next(n for n, line in enumerate(lines) if "check_digit (birth_date)" in line)
    shown, caret = lines[i + 1], lines[i + 2]
    assert shown.endswith(with_char(TD3, 2, 19, "3")[1])
    column = shown.index("L898902C3")
    assert caret.index("^") - column == 19 and caret.count("^") == 1


def test_strict_non_mrz_is_an_invalid_document_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run(["mrz", "parse", "--strict", "--json", "p<uto"], monkeypatch=monkeypatch)
    obj = json.loads(out)
    assert status == 1 and obj["format"] is None and obj["errors"][0]["code"] == "no_mrz"


def test_control_characters_are_escaped_in_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, _ = run(["mrz", "parse", "--strict", "\x1b[31mP<UTO"], monkeypatch=monkeypatch)
    assert status == 1 and "\x1b" not in out and "\\x1b" in out


@pytest.mark.parametrize(
    "argv",
    [["mrz", "parse", "--today", "yesterday", "X"], ["mrz", "parse", "--bogus"], ["mrz"], ["mrz", "compose"]],
)
def test_usage_errors_exit_2(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    status, _, err = run(argv, monkeypatch=monkeypatch)
    assert status == 2 and err


def test_no_input_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err = run(["mrz", "parse"], "\n\n", monkeypatch)
    assert (status, out) == (2, "") and "no MRZ lines" in err


def test_compose_prints_the_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["mrz", "compose", "--format", "TD3", "--surname", "Eriksson", "--given-names", "Anna Maria"]
    argv += ["--document-number", "L898902C3", "--issuing-state", "UTO", "--nationality", "UTO"]
    argv += [
        "--birth-date",
        "1974-08-12",
        "--sex",
        "F",
        "--expiry-date",
        "120415",
        "--optional-data",
        "ZE184226B",
    ]
    status, out, _ = run(argv, monkeypatch=monkeypatch)
    assert (status, out) == (0, "\n".join(TD3) + "\n")
    status, out, err = run([*argv[:-2], "--optional-data", "Z" * 20], monkeypatch=monkeypatch)
    assert status == 2 and out == "" and "optional_data" in err


def test_the_installed_command_exit_status() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "checkpoint", "mrz", "parse", "--json"],
        input="\n".join(TD3) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["valid"] is True
