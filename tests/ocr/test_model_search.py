"""Where the OCR finds its models: ours through importlib.resources, the verifier's where Tesseract looks."""

from __future__ import annotations

import importlib.resources
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import tesserocr

from checkpoint.ocr import verify
from checkpoint.ocr.engine import MODEL_DIR


@pytest.fixture
def fresh_lookup() -> Iterator[None]:
    verify.verifier_dir.cache_clear()
    yield
    verify.verifier_dir.cache_clear()


def _fake_tesseract(folder: Path, reports: Path) -> None:
    """A ``tesseract`` command on PATH whose --list-langs names ``reports``, as the real one does."""
    script = folder / "tesseract"
    script.write_text(
        f"#!/bin/sh\necho 'List of available languages in \"{reports}/\" (1):'\necho eng\n", encoding="utf-8"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_our_model_is_the_package_resource() -> None:
    resource = importlib.resources.files("checkpoint.ocr") / "data" / "mrz.traineddata"
    assert resource.is_file()
    assert (MODEL_DIR / "mrz.traineddata").read_bytes() == resource.read_bytes()


def test_tessdata_prefix_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lookup: None
) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"model")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    assert verify.verifier_dir() == tmp_path


def test_tessdata_prefix_may_name_the_parent_of_tessdata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lookup: None
) -> None:
    (tmp_path / "tessdata").mkdir()
    (tmp_path / "tessdata" / "eng.traineddata").write_bytes(b"model")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    assert verify.verifier_dir() == tmp_path / "tessdata"


def test_the_tesseract_command_says_where_its_models_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_lookup: None
) -> None:
    # As on Fedora or macOS: the models are somewhere no Debian path names.
    models = tmp_path / "opt" / "homebrew" / "share" / "tessdata"
    models.mkdir(parents=True)
    (models / "eng.traineddata").write_bytes(b"model")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_tesseract(bin_dir, models)
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert verify.verifier_dir() == models


def test_a_missing_model_is_reported_once_with_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, fresh_lookup: None
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_tesseract(bin_dir, empty)
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))
    monkeypatch.setenv("PATH", str(bin_dir))
    # The tesserocr library's own default folder, which may bundle models elsewhere, is empty too.
    monkeypatch.setattr(tesserocr, "get_languages", lambda *args: (str(empty), []))
    with caplog.at_level(logging.WARNING, logger="checkpoint.ocr.verify"):
        assert verify.verifier_dir() is None
        assert verify.verifier_dir() is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "eng.traineddata" in message and "TESSDATA_PREFIX" in message and "apt install" in message
