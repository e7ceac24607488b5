"""A third-party driver registered as a real installed distribution's entry point (a dist-info folder
on the path), in a fresh interpreter: found by its name, a reused built-in name reported, a plugin
whose dependency is missing named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PLUGIN = """
import acme_vendor_sdk  # noqa: F401  (the broken plugin's missing dependency)
"""

DRIVER = """
from checkpoint.drivers import DocumentRead, Reader


class EchoReader(Reader):
    SCHEME = "echo"

    def _open(self):
        self._sent = False

    def _close(self):
        pass

    def _read_events(self, timeout):
        if self._sent:
            return []
        self._sent = True
        return [DocumentRead(source=self.source, lines=(self.address.target,), raw=b"")]
"""

SCRIPT = r"""
import json, warnings
from checkpoint.drivers import DocumentRead, ReaderUnavailable, driver_class, open_reader

out = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with open_reader("echo://HELLO") as reader:
        out["read"] = next(e for e in reader.events(timeout=5) if isinstance(e, DocumentRead)).lines[0]
    out["serial"] = driver_class("serial").__module__
out["warnings"] = [str(w.message) for w in caught]
try:
    driver_class("acme")
except ReaderUnavailable as exc:
    out["broken"] = str(exc)
print(json.dumps(out))
"""


def test_an_installed_plugin_is_found_and_its_problems_are_reported(tmp_path: Path) -> None:
    package = tmp_path / "acme_readers"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "echo.py").write_text(DRIVER)
    (package / "broken.py").write_text(PLUGIN)
    dist = tmp_path / "acme_readers-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-readers\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[checkpoint.readers]\n"
        "echo = acme_readers.echo:EchoReader\n"
        "serial = acme_readers.echo:EchoReader\n"
        "acme = acme_readers.broken:AcmeReader\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
    }
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["read"] == "HELLO"
    # The built-in serial driver stays, and the plugin that claimed its name is reported, once.
    assert out["serial"] == "checkpoint.drivers.serial_reader"
    (warning,) = [w for w in out["warnings"] if "reuses" in w]
    assert "serial = acme_readers.echo:EchoReader of acme-readers" in warning
    assert (
        "'acme_vendor_sdk' is missing" in out["broken"] and "acme_readers.broken:AcmeReader" in out["broken"]
    )
