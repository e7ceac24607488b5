"""The distribution ships every package folder, under the names architecture.md gives them."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source distribution of this tree."""
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        [sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(out)!r})"],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    (built,) = out.glob("checkpoint-*.tar.gz")
    return built


@pytest.fixture(scope="module")
def wheel(sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this tree as a user's pip builds it: from the sdist, offline (no build isolation,
    no dependencies). Built from the tree itself, it would take in whatever a stale build/ folder of
    the checkout holds, and a file missing from the package data could go unnoticed."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(out), str(sdist)],
        check=True, capture_output=True, cwd=out,
    )  # fmt: skip
    (built,) = out.glob("checkpoint-*.whl")
    return built


def test_wheel_installs_the_mapped_packages(wheel: Path) -> None:
    """`pip install .` (not only the editable install) ships drivers/ and hardware-mocks/ under checkpoint."""
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


def test_wheel_ships_every_file_of_the_package_folders(wheel: Path) -> None:
    """Nothing in a package folder is left out of the wheel: a data file added without a package-data
    pattern (include-package-data is off) fails here rather than on a user's machine."""
    names = set(zipfile.ZipFile(wheel).namelist())
    _, package_dir = _declared()
    folders = {"checkpoint": ROOT / package_dir[""] / "checkpoint"}
    folders |= {prefix.replace(".", "/"): ROOT / folder for prefix, folder in package_dir.items() if prefix}
    expected = [
        f"{target}/{path.relative_to(folder).as_posix()}"
        for target, folder in folders.items()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert [name for name in expected if name not in names] == []
    assert len(expected) > 200


def test_wheel_holds_the_data_files_and_the_pytest_plugin(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    for data in (
        "checkpoint/ocr/data/mrz.traineddata",
        "checkpoint/ocr/data/NOTICE",
        "checkpoint/drivers/60-checkpoint-readers.rules",
        "checkpoint/tui/checkpoint.tcss",
    ):
        assert data in names, data
    for tcss in (ROOT / "src/checkpoint").rglob("*.tcss"):
        assert f"checkpoint/{tcss.relative_to(ROOT / 'src/checkpoint').as_posix()}" in names, tcss
    entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "[pytest11]\ncheckpoint = checkpoint.mocks.pytest_plugin" in entry_points
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Apache License" in archive.read(next(n for n in names if n.endswith("licenses/LICENSE"))).decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    base = [line for line in requires if "extra ==" not in line]
    assert base == ["Requires-Dist: pyserial>=3.5"], base


def _pure_python_wheel(distribution: str, out: Path) -> Path:
    """Return a wheel of the installed pure-Python ``distribution``, rebuilt from its files (offline)."""
    dist = importlib.metadata.distribution(distribution)
    name = f"{dist.metadata['Name']}-{dist.version}-py3-none-any.whl"
    with zipfile.ZipFile(out / name, "w") as archive:
        for file in dist.files or ():
            if not str(file).startswith("..") and "__pycache__" not in str(file):
                archive.write(dist.locate_file(file), str(file))
    return out / name


LIGHT_INSTALL_SCRIPT = r"""
import importlib.util, json, subprocess, sys
from checkpoint import __version__
from checkpoint.mrz import parse, COUNTRIES
from checkpoint.drivers import DocumentRead, ReaderUnavailable, open_reader

result = parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
out = {"version": __version__, "valid": result.valid, "utopia": COUNTRIES["UTO"]}
out["heavy"] = [m for m in ("numpy", "cv2", "PIL", "textual", "usb", "tesserocr") if importlib.util.find_spec(m)]
with open_reader("sim://td3?interval=0.01&seed=1") as reader:
    out["sim"] = next(e for e in reader.events(timeout=5) if isinstance(e, DocumentRead)).lines[0][:2]
try:
    open_reader("usb://auto?protocol=hid-wedge")
except ReaderUnavailable as exc:
    out["usb"] = str(exc)
for module in ("checkpoint.ocr", "checkpoint.tui"):
    try:
        __import__(module)
    except ImportError as exc:
        out[module] = str(exc)
cli = [sys.executable, "-m", "checkpoint"]
out["help"] = subprocess.run([*cli, "--help"], capture_output=True, text=True).returncode
ocr = subprocess.run([*cli, "ocr", "page.png"], capture_output=True, text=True)
out["ocr"] = [ocr.returncode, ocr.stderr]
demo = subprocess.run([*cli, "demo"], capture_output=True, text=True)
out["demo"] = [demo.returncode, demo.stderr]
print(json.dumps(out))
"""


@pytest.mark.slow
def test_the_wheel_installs_without_extras_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    """`pip install checkpoint` gives the MRZ library and the drivers with pyserial alone; each heavy part
    fails, when used, with the extra that brings it."""
    house = tmp_path / "wheelhouse"
    house.mkdir()
    shutil.copy(wheel, house)
    # pyserial, the one dependency, and pytest for a dependent project's tests: pure Python, rebuilt offline.
    for distribution in ("pyserial", "pytest", "pluggy", "iniconfig", "packaging", "pygments"):
        _pure_python_wheel(distribution, house)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    # Offline, and only what the wheelhouse holds: a heavy base dependency would fail to resolve.
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(house), "checkpoint",
         "pytest"],
        check=True, capture_output=True, text=True, env={**os.environ, "PIP_CONSTRAINT": "", "PIP_FIND_LINKS": ""},
    )  # fmt: skip
    run = subprocess.run(
        [str(python), "-c", LIGHT_INSTALL_SCRIPT], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["version"] == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert out["valid"] is True and out["utopia"]
    assert out["heavy"] == []
    assert out["sim"] == "P<"
    assert "pip install 'checkpoint[usb]'" in out["usb"]
    assert "pip install 'checkpoint[ocr]'" in out["checkpoint.ocr"]
    assert "pip install 'checkpoint[client]'" in out["checkpoint.tui"]
    assert out["help"] == 0
    assert out["ocr"][0] == 2 and "pip install 'checkpoint[ocr]'" in out["ocr"][1]
    assert "Traceback" not in out["ocr"][1]
    assert out["demo"][0] == 2 and "pip install 'checkpoint[client]'" in out["demo"][1]

    # A project that depends on checkpoint gets the simulator fixtures without importing anything.
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_kiosk.py").write_text(DEPENDENT_PROJECT_TEST)
    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], capture_output=True, text=True,
        cwd=project, timeout=120,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed" in tests.stdout


DEPENDENT_PROJECT_TEST = """
from checkpoint.drivers import DocumentRead, open_reader

LINES = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def test_my_kiosk_reads_a_passport(serial_reader_sim):
    device = serial_reader_sim("access-is")
    with open_reader(f"serial://{device.path}?protocol=access-is") as reader:
        device.present(LINES)
        read = next(e for e in reader.events(timeout=5) if isinstance(e, DocumentRead))
    assert read.lines == LINES
"""


def test_the_sdist_holds_the_licence_and_the_changelog(sdist: Path) -> None:
    import tarfile

    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        licence = archive.extractfile(next(m for m in archive.getmembers() if m.name.endswith("/LICENSE")))
        assert licence is not None and b"Apache License" in licence.read()
    assert {"LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml"} <= names
    metadata = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # No [project.urls] yet: the project has no public address to name.
    assert metadata["license"] == "Apache-2.0" and metadata["keywords"]
    assert any(c.startswith("Typing :: Typed") for c in metadata["classifiers"])
