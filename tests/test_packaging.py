"""The distribution ships every package folder, under the names architecture.md gives them."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> tuple[list[str], dict[str, str]]:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return setuptools["packages"], setuptools["package-dir"]


def _on_disk(package_dir: dict[str, str]) -> set[str]:
    found: set[str] = set()
    for prefix, folder in package_dir.items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base).parts
            found.add(".".join(p for p in (prefix, *rel) if p))
    return found


def test_every_package_folder_is_declared() -> None:
    packages, package_dir = _declared()
    assert _on_disk(package_dir) == set(packages)


def test_mapped_packages_import_under_the_checkpoint_namespace() -> None:
    for name in ("checkpoint.drivers", "checkpoint.mocks", "checkpoint.mrz"):
        module = importlib.import_module(name)
        assert module.__file__ is not None


def test_py_typed_is_shipped() -> None:
    assert (ROOT / "src" / "checkpoint" / "py.typed").is_file()


def test_wheel_installs_the_mapped_packages(tmp_path: Path) -> None:
    """`pip install .` (not only the editable install) ships drivers/ and hardware-mocks/ under checkpoint."""
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("checkpoint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages, _ = _declared()
    for package in packages:
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    assert "checkpoint/py.typed" in names
    assert "checkpoint/drivers/base.py" in names
    # Training mode's scenario packs are package data: a wheel without them has nothing to train on.
    assert {"checkpoint/training/packs/basics.toml", "checkpoint/training/packs/forgery.toml"} <= names
    assert not any(name.startswith(("drivers/", "hardware-mocks/", "src/")) for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "checkpoint = checkpoint.cli:main" in text
