"""The folder:// hot-folder reader: complete files only, done/ and failed/, nothing lost or read twice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from checkpoint.drivers import (
    DocumentRead,
    MalformedFrame,
    ReaderEvent,
    ReaderNotFound,
    ReaderStatus,
    make_reader,
)
from checkpoint.drivers.folder import FolderReader
from checkpoint.mocks.pages import make_page

# A settle time short enough for a fast test, long enough that the writer below (a chunk every 20 ms)
# never looks finished to the reader on a busy machine.
SETTLE = 0.6


def documents(reader: FolderReader, count: int, timeout: float = 60.0) -> list[ReaderEvent]:
    """Collect events (other than status changes) until ``count`` arrive or ``timeout`` passes."""
    got: list[ReaderEvent] = []
    deadline = time.monotonic() + timeout
    for event in reader.events(timeout=timeout):
        if not isinstance(event, ReaderStatus):
            got.append(event)
        if len(got) >= count or time.monotonic() > deadline:
            break
    return got


@pytest.fixture(scope="module")
def page_bytes() -> tuple[tuple[str, ...], bytes]:
    page = make_page("TD3", seed=21, degrade="dpi=200")
    return page.lines, page.encode("png")


def test_registered_and_reads_a_dropped_page(
    tmp_path: Path, page_bytes: tuple[tuple[str, ...], bytes]
) -> None:
    lines, data = page_bytes
    reader = make_reader(f"folder://{tmp_path}?settle={SETTLE}&poll=0.05")
    assert isinstance(reader, FolderReader)
    with reader:
        (tmp_path / "scan1.png").write_bytes(data)
        (event,) = documents(reader, 1)
    assert isinstance(event, DocumentRead)
    assert event.lines == lines
    assert event.images == (data,)
    assert event.raw == "\n".join(lines).encode()
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["scan1.png"]
    assert not (tmp_path / "scan1.png").exists()


def test_partial_write_is_read_once_when_complete(
    tmp_path: Path, page_bytes: tuple[tuple[str, ...], bytes]
) -> None:
    lines, data = page_bytes
    target = tmp_path / "slow.png"

    def write_slowly() -> None:
        with target.open("wb") as out:
            for start in range(0, len(data), len(data) // 10 + 1):
                out.write(data[start : start + len(data) // 10 + 1])
                out.flush()
                time.sleep(0.02)

    with make_reader(f"folder://{tmp_path}?settle={SETTLE}&poll=0.05") as reader:
        writer = threading.Thread(target=write_slowly)
        writer.start()
        got = documents(reader, 1)
        writer.join()
        # Nothing more arrives: the file was read once, then moved away.
        later = [e for e in reader.events(timeout=2 * SETTLE) if not isinstance(e, ReaderStatus)]
    assert [type(e) for e in got] == [DocumentRead]
    assert isinstance(got[0], DocumentRead) and got[0].lines == lines
    assert later == []
    assert [p.name for p in (tmp_path / "done").iterdir()] == ["slow.png"]


def test_non_image_and_truncated_image_go_to_failed(
    tmp_path: Path, page_bytes: tuple[tuple[str, ...], bytes]
) -> None:
    _, data = page_bytes
    (tmp_path / "notes.txt").write_text("not a scan\n")
    (tmp_path / "broken.png").write_bytes(data[: len(data) // 2])
    with make_reader(f"folder://{tmp_path}?settle={SETTLE}&poll=0.05") as reader:
        got = documents(reader, 2)
    assert all(isinstance(e, MalformedFrame) for e in got)
    details = sorted(e.detail for e in got if isinstance(e, MalformedFrame))
    assert details[0].startswith("broken.png: the image cannot be decoded")
    assert details[1] == "notes.txt: not an image file (no known image format)"
    assert sorted(p.name for p in (tmp_path / "failed").iterdir()) == ["broken.png", "notes.txt"]


def test_a_phone_photo_is_read_as_it_comes(
    tmp_path: Path, phone_photo: tuple[tuple[str, ...], bytes]
) -> None:
    # 12 megapixels, EXIF-turned, at a steep angle: no resizing or turning by the user.
    lines, data = phone_photo
    (tmp_path / "IMG_2041.JPG").write_bytes(data)
    with make_reader(f"folder://{tmp_path}?settle={SETTLE}&poll=0.05") as reader:
        (event,) = documents(reader, 1)
    assert isinstance(event, DocumentRead), event
    assert event.lines == lines


def test_a_pdf_goes_to_failed_with_the_reason(tmp_path: Path) -> None:
    # (An empty file is one a scanner has only just created: the folder waits for its content.)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n")
    with make_reader(f"folder://{tmp_path}?settle={SETTLE}&poll=0.05") as reader:
        (event,) = documents(reader, 1)
    assert isinstance(event, MalformedFrame)
    assert (
        event.detail == "scan.pdf: a PDF document, not an image: save the page as PNG or JPEG and read that"
    )


def test_page_without_mrz_is_reported_not_dropped(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("L", (600, 400), 255).save(tmp_path / "blank.png")
    with make_reader(f"folder://{tmp_path}?settle={SETTLE}&poll=0.05") as reader:
        (event,) = documents(reader, 1)
    assert isinstance(event, MalformedFrame)
    assert event.detail == "blank.png: no MRZ found on the page"
    assert (tmp_path / "failed" / "blank.png").exists()


def test_same_name_twice_keeps_both(tmp_path: Path, page_bytes: tuple[tuple[str, ...], bytes]) -> None:
    _, data = page_bytes
    with make_reader(f"folder://{tmp_path}?settle={SETTLE}&poll=0.05") as reader:
        (tmp_path / "scan.png").write_bytes(data)
        first = documents(reader, 1)
        (tmp_path / "scan.png").write_bytes(data)
        second = documents(reader, 1)
    assert len(first) == len(second) == 1
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["scan-1.png", "scan.png"]


def test_files_still_being_written_by_name_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "scan.png.part").write_bytes(b"partial")
    (tmp_path / ".hidden.png").write_bytes(b"partial")
    with make_reader(f"folder://{tmp_path}?settle=0.1&poll=0.05") as reader:
        got = [e for e in reader.events(timeout=0.8) if not isinstance(e, ReaderStatus)]
    assert got == []
    assert (tmp_path / "scan.png.part").exists() and (tmp_path / ".hidden.png").exists()


def test_missing_folder_is_not_found(tmp_path: Path) -> None:
    reader = make_reader(f"folder://{tmp_path / 'absent'}")
    with pytest.raises(ReaderNotFound, match="does not exist or is not a folder"):
        reader.open()


def test_folder_removed_while_open_is_a_disconnection(tmp_path: Path) -> None:
    watched = tmp_path / "spool"
    watched.mkdir()
    with make_reader(f"folder://{watched}?settle=0.1&poll=0.05") as reader:
        for sub in ("done", "failed"):
            (watched / sub).rmdir()
        watched.rmdir()
        states = [e.state for e in reader.events(timeout=1.0) if isinstance(e, ReaderStatus)]
    assert "disconnected" in states
