"""The sane:// reader through the real SANE stack: scanimage, libsane and its pnm test backend.

SANE reads ``dll.conf`` from ``SANE_CONFIG_DIR``; a folder whose ``dll.conf`` lists only ``pnm`` gives
the devices ``pnm:0`` and ``pnm:1``, which return the PNM file named by the backend's ``filename``
option as the scanned page, and fail on demand with ``status-nodocs``, ``status-jammed`` ... . A busy
device, which pnm cannot simulate, comes from SANE's ``test`` backend (``read-return-value``).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from checkpoint.drivers import (
    DocumentRead,
    ReaderConfigError,
    ReaderEvent,
    ReaderNotFound,
    ReaderStatus,
    make_reader,
)
from checkpoint.drivers.sane_reader import SaneReader, scan_failure_message
from checkpoint.mocks.pages import make_page


@pytest.fixture
def sane_pnm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point SANE at a configuration with only the pnm backend; return the folder."""
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("pnm\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    return config


@pytest.fixture(scope="module")
def page() -> tuple[tuple[str, ...], bytes]:
    generated = make_page("TD1", seed=31, degrade="dpi=300")
    return generated.lines, generated.encode("pnm")


# SANE's test backend hangs in roughly one scan in twenty to a hundred and fifty (see the busy
# test); each attempt is independent, so five in a row almost never all hang.
BUSY_SCAN_TIMEOUT = 10.0
BUSY_SCAN_ATTEMPTS = 5


def collect(reader: SaneReader, count: int, timeout: float = 60.0) -> list[ReaderEvent]:
    got: list[ReaderEvent] = []
    for event in reader.events(timeout=timeout):
        got.append(event)
        if len([e for e in got if not (isinstance(e, ReaderStatus) and e.state == "connected")]) >= count:
            break
    return got


def test_scan_through_sane_pnm_backend(
    sane_pnm: Path, tmp_path: Path, page: tuple[tuple[str, ...], bytes]
) -> None:
    lines, data = page
    (tmp_path / "page.pnm").write_bytes(data)
    reader = make_reader(f"sane://pnm:0?options=filename:{tmp_path / 'page.pnm'}")
    assert isinstance(reader, SaneReader)
    with reader:
        events = collect(reader, 1)
    assert isinstance(events[0], ReaderStatus) and events[0].state == "connected"
    document = events[-1]
    assert isinstance(document, DocumentRead)
    assert document.lines == lines
    assert document.images[0].startswith(b"P6")


def test_auto_picks_the_first_scanner_and_scans_on_request(
    sane_pnm: Path, tmp_path: Path, page: tuple[tuple[str, ...], bytes]
) -> None:
    lines, data = page
    (tmp_path / "page.pnm").write_bytes(data)
    reader = make_reader(f"sane://auto?scan_on_open=0&options=filename:{tmp_path / 'page.pnm'}")
    assert isinstance(reader, SaneReader)
    with reader:
        assert reader.device == "pnm:0"
        idle = [e for e in reader.events(timeout=0.5) if not isinstance(e, ReaderStatus)]
        threading.Timer(0.2, reader.request_scan).start()
        started = time.monotonic()
        events = [e for e in collect(reader, 1) if isinstance(e, DocumentRead)]
    assert idle == []
    assert [e.lines for e in events] == [lines]
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("status-nodocs", "no document in the scanner"),
        ("status-jammed", "the document is jammed in the scanner"),
        ("status-ioerror", "the scanner reported an I/O error"),
        ("status-coveropen", "the scanner cover is open"),
    ],
)
def test_scanner_failures_become_status_events(
    sane_pnm: Path, tmp_path: Path, page: tuple[tuple[str, ...], bytes], status: str, message: str
) -> None:
    (tmp_path / "page.pnm").write_bytes(page[1])
    url = f"sane://pnm:0?options=filename:{tmp_path / 'page.pnm'},{status}:yes"
    with make_reader(url) as reader:
        assert isinstance(reader, SaneReader)
        events = collect(reader, 1)
        # The reader stays open: the next request fails the same way and is reported again.
        reader.request_scan()
        again = collect(reader, 1)
    errors = [e for e in events + again if isinstance(e, ReaderStatus) and e.state == "error"]
    assert len(errors) == 2
    assert errors[0].detail.startswith(message)
    assert "(SANE: sane_read: " in errors[0].detail


def test_busy_scanner_becomes_a_status_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The pnm backend cannot say busy; SANE's own ``test`` backend can, through the same stack.
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    url = f"sane://test:0?timeout={BUSY_SCAN_TIMEOUT}&options=read-return-value:SANE_STATUS_DEVICE_BUSY"
    busy = (
        "the scanner is busy (another program is using it): wait, then scan again "
        "(SANE: sane_read: Device busy)"
    )
    hung = f"the scan took longer than {BUSY_SCAN_TIMEOUT} s and was stopped"
    no_page = "the scanner sent no page"
    details = []
    with make_reader(url) as reader:
        assert isinstance(reader, SaneReader)
        for _ in range(BUSY_SCAN_ATTEMPTS):
            events = collect(reader, 1)
            assert not [e for e in events if isinstance(e, DocumentRead)]
            errors = [e.detail for e in events if isinstance(e, ReaderStatus) and e.state == "error"]
            assert len(errors) == 1
            details += errors
            if errors[0] != hung and not errors[0].startswith(no_page):
                break
            reader.request_scan()
    # The test backend cancels its reader thread asynchronously. Now and then the thread dies holding
    # its malloc arena lock and scanimage waits for it for ever (seen in gdb: pthread_join in
    # sane_test_cancel, the thread in tcache_thread_shutdown), and the driver stops the scan at its
    # timeout; or the thread writes on after the pipe closed, scanimage aborts on the second SIGPIPE
    # with status 0 and no page, and the driver reports that. Either way the next scan is asked for.
    assert all(d == hung or d.startswith(no_page) for d in details[:-1])
    assert details[-1] == busy


def test_busy_device_message() -> None:
    text = scan_failure_message(3, "scanimage: open of device pnm:0 failed: Device busy\n")
    assert text == (
        "the scanner is busy (another program is using it): wait, then scan again "
        "(SANE: open of device pnm:0 failed: Device busy)"
    )


def test_the_signal_scanimage_ends_on_is_not_the_reason() -> None:
    # Under load scanimage may also see its output pipe close as it stops, and says so last.
    text = scan_failure_message(3, "scanimage: sane_read: Device busy\nscanimage: received signal 13\n")
    assert text.endswith("(SANE: sane_read: Device busy)")


def test_scanimage_stopping_is_not_the_reason_either() -> None:
    # Under load the busy scan is stopped as it fails: scanimage says so after the reason.
    stderr = "scanimage: sane_read: Device busy\nscanimage: received signal 13\nscanimage: trying to stop scanner\n"
    assert scan_failure_message(3, stderr).endswith("(SANE: sane_read: Device busy)")


def test_a_scan_that_ends_without_a_page_is_an_error() -> None:
    stderr = (
        "scanimage: received signal 13\nscanimage: trying to stop scanner\n"
        "scanimage: received signal 13\nscanimage: aborting\n"
    )
    assert scan_failure_message(0, stderr) == (
        "the scanner sent no page: scan again (SANE: trying to stop scanner aborting)"
    )


def test_unknown_device_lists_the_known_ones(sane_pnm: Path) -> None:
    reader = make_reader("sane://epson2:libusb:001:004")
    with pytest.raises(ReaderNotFound, match=r"not found; scanners SANE lists: pnm:0, pnm:1"):
        reader.open()


def test_no_scanner_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "dll.conf").write_text("")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(tmp_path))
    with pytest.raises(ReaderNotFound, match="no SANE scanner found"):
        make_reader("sane://auto").open()


def test_malformed_device_options_are_rejected() -> None:
    with pytest.raises(ReaderConfigError, match="expected NAME:VALUE items"):
        make_reader("sane://pnm:0?options=filename")
