"""The documentation site: it builds in strict mode (a broken reference fails), every page is in the
navigation, the device guide lists every address option, and every guide's code runs.

Code in the guides runs as written, against the simulators:

- each ```python block of a page runs, in order, as one script (a block whose first line is
  ``# Needs a real reader.`` is shown only);
- a ```python block whose first line is ``# test_NAME.py`` is a pytest file of a project that depends on
  checkpoint: it runs under pytest, with the fixtures the package registers;
- the ```sh blocks of a page run, in order, as one bash script in a scratch folder (also its HOME),
  with the ``checkpoint`` command on the PATH (```console blocks are shown only: the client,
  hardware, servers).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from checkpoint.drivers import registry

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.S | re.M)
# A Python block that starts with one of these is shown, not run: it needs hardware or a server.
NOT_RUN = ("# Needs a real reader.", "# Needs a real server.")


def _mkdocs(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    subprocess.run([str(ROOT / "tools/link-tree.sh"), str(ROOT / "build/api-tree")], check=True)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _config() -> dict[str, object]:
    # mkdocs.yml is plain YAML (no Python tags), so the safe loader reads it.
    config: dict[str, object] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config


def _nav_pages(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def test_the_site_builds_in_strict_mode(tmp_path: Path) -> None:
    built = _mkdocs(ROOT / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    reference = (tmp_path / "site" / "reference" / "drivers" / "index.html").read_text(encoding="utf-8")
    assert "aevents" in reference and "recv" in reference  # the API reference comes from the docstrings
    assert (tmp_path / "site" / "guides" / "reading-an-mrz" / "index.html").is_file()


def test_a_broken_reference_fails_the_strict_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Broken\n\n::: checkpoint.mrz.no_such_thing\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {docs}\nnav:\n  - index.md\n"
        "plugins:\n  - mkdocstrings:\n      handlers:\n        python:\n"
        f"          paths: [{ROOT / 'build/api-tree'}]\n",
        encoding="utf-8",
    )
    built = _mkdocs(config, tmp_path / "site")
    assert built.returncode != 0
    assert "no_such_thing" in built.stdout + built.stderr


def test_every_page_is_in_the_navigation_and_every_entry_exists() -> None:
    listed = set(_nav_pages(_config()["nav"]))
    on_disk = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert listed == on_disk


def test_the_device_guide_names_every_driver_option() -> None:
    guide = (DOCS / "guides" / "reading-from-a-device.md").read_text(encoding="utf-8")
    missing = []
    for key, target in registry.BUILTIN_DRIVERS.items():
        cls = registry._load(key, target)
        assert f"`{cls.SCHEME}" in guide, key
        missing += [f"{key}: {option.name}" for option in cls.OPTIONS if f"`{option.name}=" not in guide]
    assert "`reconnect_max=" in guide
    assert missing == []


GUIDES = sorted(
    path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md") if "reference" not in path.parts
)


@pytest.mark.parametrize("page", [p for p in GUIDES if p not in ("changelog.md",)])
def test_the_code_of_each_guide_runs(page: str, tmp_path: Path) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    blocks = FENCE.findall(text)
    script = [
        code for lang, code in blocks if lang == "python" and not code.startswith(("# test_", *NOT_RUN))
    ]
    test_files = [code for lang, code in blocks if lang == "python" and code.startswith("# test_")]
    shell = [code for lang, code in blocks if lang == "sh"]
    assert script or test_files or shell, f"{page} has no code that runs"
    # The guide's commands use the test's scratch folder, never the user's own database.
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop("CHECKPOINT_DB", None)
    if script:
        (tmp_path / "guide.py").write_text("\n".join(script), encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "guide.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env
        )
        assert run.returncode == 0, f"{page}:\n{run.stdout}\n{run.stderr}"
    for code in test_files:
        name = code.splitlines()[0].removeprefix("# ").strip()
        (tmp_path / name).write_text(code, encoding="utf-8")
    if test_files:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *(c.splitlines()[0][2:].strip() for c in test_files)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip
        assert run.returncode == 0, f"{page}:\n{run.stdout}\n{run.stderr}"
    if shell:
        # One script, in the page's order: a later block relies on what an earlier one set up.
        code = "\n".join(shell)
        run = subprocess.run(
            ["bash", "-e", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env
        )
        assert run.returncode == 0, f"{page}:\n{code}\n{run.stdout}\n{run.stderr}"
