"""Imports point down the layers, as architecture.md draws them, with one change of order: ``ocr`` sits
below ``drivers``, because the scanner drivers (``sane://``, ``folder://``) read their pages through it,
and ``ocr`` itself needs nothing of ours but ``mrz``.

Every import is counted, at module level or inside a function (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "mrz": ROOT / "src/checkpoint/mrz",
    "ocr": ROOT / "src/checkpoint/ocr",
    "emrtd": ROOT / "src/checkpoint/emrtd",
    "drivers": ROOT / "drivers",
    "mocks": ROOT / "hardware-mocks",
    "inspection": ROOT / "src/checkpoint/inspection",
    "store": ROOT / "src/checkpoint/store",
    "training": ROOT / "src/checkpoint/training",
    "tui": ROOT / "src/checkpoint/tui",
    "cli": ROOT / "src/checkpoint/cli",
}
# What each package may import of ours (besides itself).
ALLOWED = {
    "mrz": set(),
    "ocr": {"mrz"},
    "emrtd": {"mrz"},
    "drivers": {"mrz", "ocr", "emrtd"},
    "mocks": {"mrz", "drivers", "emrtd"},  # framing code is shared with the drivers
    "inspection": {"mrz", "emrtd"},
    "store": {"mrz", "inspection", "emrtd"},
    "training": {"mrz", "ocr", "emrtd", "drivers", "mocks", "inspection", "store"},
    "tui": {"mrz", "ocr", "drivers", "mocks", "inspection", "store", "emrtd", "training"},
    "cli": {"mrz", "ocr", "drivers", "mocks", "inspection", "store", "tui", "emrtd", "training"},
}


def imported_packages(folder: Path) -> dict[str, list[str]]:
    """Return, per package of ours that the Python files under ``folder`` import, where they do."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "checkpoint" and len(parts) > 1 and parts[1] in PACKAGES:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(parts[1], []).append(where)
    return found


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_imports_point_down(package: str) -> None:
    imports = imported_packages(PACKAGES[package])
    imports.pop(package, None)
    upward = {name: places for name, places in imports.items() if name not in ALLOWED[package]}
    assert upward == {}, f"checkpoint.{package} imports what sits above it: {upward}"


def test_the_rule_is_a_strict_order() -> None:
    # No package may, through the allowed imports, reach itself again.
    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(ALLOWED[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(ALLOWED[name])
        return seen

    assert [name for name in ALLOWED if name in reachable(name)] == []
