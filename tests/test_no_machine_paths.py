"""No path of the machine the project is developed on appears in what is shipped, tested or run.

Shared data is reached as ``../shared`` relative to the repository root; system files are found the way
their owner says (Tesseract's search path, ``importlib.resources``), never by a developer's folder.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A developer's home or workspace folder: home, Users or root, or the shared workspace, then a name.
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:home|Users|root|work)/[\w.-]+")


def test_the_pattern_finds_the_paths_it_is_for() -> None:
    found = MACHINE_PATH.findall('default=Path("/wo' + 'rk/shared/data") or /ho' + "me/anna/x, not ../shared")
    assert found == ["/wo" + "rk/shared", "/ho" + "me/anna"]


def test_no_file_in_the_repository_names_a_developer_machine_path() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    offenders = []
    for name in tracked:
        path = ROOT / name
        if not name or not path.is_file() or path.suffix in {".svg", ".traineddata", ".jsonl"}:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        offenders.extend(
            f"{name}:{text.count(chr(10), 0, match.start()) + 1}: {match.group()}"
            for match in MACHINE_PATH.finditer(text)
        )
    assert offenders == []
