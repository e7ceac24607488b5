"""``folder://PATH``: a hot folder. Scanners that save files and phone-capture tools drop page images
into PATH; each new image, once written completely, is one scan.

"Written completely" is judged the way spoolers do: the file's size and modification time have not
changed for ``settle`` seconds. Files whose names start with ``.`` or end in ``.part``, ``.tmp`` or
``.crdownload`` are still being written by their tool and are left alone until renamed. A processed file
moves to ``done/`` (a document was read) or ``failed/`` (no image, no MRZ, or an uncertain reading),
under a fresh name if one is taken, so nothing is lost and nothing is read twice. Files already in the
folder when the reader opens are scans not yet processed, and are read too.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from checkpoint.drivers.address import Option, ReaderAddress, positive_float
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderDisconnected, ReaderNotFound, ReaderPermissionDenied
from checkpoint.drivers.events import MalformedFrame, ReaderEvent
from checkpoint.drivers.page_ocr import page_events

log = logging.getLogger(__name__)

DONE = "done"
FAILED = "failed"
IN_PROGRESS_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")


@dataclass(slots=True)
class _Seen:
    size: int
    mtime_ns: int
    since: float


class FolderReader(Reader):
    """Reads each image that appears in a folder; see the module documentation."""

    SCHEME: ClassVar[str] = "folder"
    TARGET_FORM: ClassVar[str] = "PATH"
    OPTIONS: ClassVar[tuple[Option, ...]] = (
        Option(
            "settle",
            default=0.5,
            convert=positive_float,
            metavar="SECONDS",
            help="how long a file's size must stay the same before it counts as written",
        ),
        Option("poll", default=0.2, convert=positive_float, metavar="SECONDS", help="how often to look"),
    )

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        super().__init__(address, **overrides)
        self.path = Path(self.address.target)
        self._seen: dict[str, _Seen] = {}

    def describe(self) -> str:
        """Return the watched folder."""
        return f"hot folder {self.path}"

    def _open(self) -> None:
        if not self.path.is_dir():
            raise ReaderNotFound(
                f"hot folder {str(self.path)!r} does not exist or is not a folder: create it or fix the address "
                f"(expected {self.expected_form()})"
            )
        try:
            for sub in (DONE, FAILED):
                (self.path / sub).mkdir(exist_ok=True)
        except PermissionError as exc:
            raise ReaderPermissionDenied(
                f"cannot create {DONE}/ and {FAILED}/ in {str(self.path)!r}: give this user write access to the folder"
            ) from exc
        self._seen.clear()

    def _close(self) -> None:
        self._seen.clear()

    def _ready(self) -> list[Path]:
        """Return the files that have stopped changing, oldest first; track the others."""
        now = time.monotonic()
        settle = float(self.options["settle"])
        present: dict[str, os.stat_result] = {}
        try:
            with os.scandir(self.path) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(".") or name.lower().endswith(IN_PROGRESS_SUFFIXES):
                        continue
                    try:
                        if not entry.is_file():
                            continue
                        present[name] = entry.stat()
                    except FileNotFoundError:
                        continue
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise ReaderDisconnected(f"hot folder {str(self.path)!r} has gone away") from exc
        except OSError as exc:
            raise ReaderDisconnected(
                f"hot folder {str(self.path)!r} cannot be listed: {exc.strerror or exc}"
            ) from exc
        ready: list[tuple[int, str]] = []
        for name, stat in present.items():
            seen = self._seen.get(name)
            if seen is None or (seen.size, seen.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
                self._seen[name] = _Seen(stat.st_size, stat.st_mtime_ns, now)
            elif now - seen.since >= settle and stat.st_size > 0:
                ready.append((stat.st_mtime_ns, name))
        for name in set(self._seen) - set(present):
            del self._seen[name]
        return [self.path / name for _, name in sorted(ready)]

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        deadline = time.monotonic() + timeout
        while True:
            ready = self._ready()
            if ready:
                return self._process(ready[0])
            wait = min(float(self.options["poll"]), deadline - time.monotonic())
            if wait <= 0 or self._stop.wait(wait):
                return []

    def _process(self, path: Path) -> list[ReaderEvent]:
        """Read one settled file, move it to done/ or failed/, and return its events."""
        self._seen.pop(path.name, None)
        try:
            data = path.read_bytes()
        except OSError as exc:
            events: list[ReaderEvent] = [
                MalformedFrame(
                    source=self.source, raw=b"", detail=f"{path.name}: cannot be read: {exc.strerror or exc}"
                )
            ]
            ok = False
        else:
            events, ok = page_events(self.source, path.name, data)
        destination = self._move(path, DONE if ok else FAILED)
        log.debug("%s: %s -> %s", self.source, path.name, destination)
        return events

    def _move(self, path: Path, folder: str) -> Path:
        """Move ``path`` into ``folder`` under its own name, or name-1, name-2 ... if taken."""
        target_dir = self.path / folder
        target = target_dir / path.name
        counter = 0
        while True:
            try:
                # link + unlink never overwrites an existing file, unlike rename.
                os.link(path, target)
            except FileExistsError:
                counter += 1
                target = target_dir / f"{path.stem}-{counter}{path.suffix}"
                continue
            except OSError:
                # Filesystems without hard links: rename, having checked the name is free.
                if target.exists():
                    counter += 1
                    target = target_dir / f"{path.stem}-{counter}{path.suffix}"
                    continue
                os.replace(path, target)
                return target
            path.unlink()
            return target
