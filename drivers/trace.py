"""Wire traces for field engineers: every byte in and out of a device as a timestamped hex dump.

Enabled per reader with ``&trace=FILE``. Each chunk is written as soon as it moves, 16 bytes a row::

    2026-11-27T03:41:07.512034Z RX 91 bytes
      0000  1c 02 50 3c 55 54 4f 45 52 49 4b 53 53 4f 4e 3c  |..P<UTOERIKSSON<|

The file holds personal data (the MRZ) exactly as the device sent it: treat it like the device itself.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
from pathlib import Path
from typing import Literal, TextIO

from checkpoint.drivers.errors import ReaderConfigError

log = logging.getLogger(__name__)

Direction = Literal["RX", "TX"]


def hex_dump(data: bytes, *, width: int = 16) -> list[str]:
    """Return ``data`` as hex-dump rows: offset, hex bytes, and the printable ASCII beside them."""
    rows = []
    for offset in range(0, len(data), width):
        chunk = data[offset : offset + width]
        text = "".join(chr(byte) if 0x20 <= byte < 0x7F else "." for byte in chunk)
        rows.append(f"{offset:04x}  {chunk.hex(' '):<{width * 3 - 1}}  |{text}|")
    return rows


class WireTrace:
    """Appends hex dumps of the bytes a device sends (RX) and receives (TX) to a file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            # The trace holds whole MRZs (personal data): owner-only, like the database, even if the file
            # already existed with a wider mode.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.fchmod(fd, 0o600)
            self._file: TextIO | None = open(fd, "a", encoding="ascii")  # noqa: SIM115 - closed in close()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path (found by fuzzing)
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise ReaderConfigError(
                f"cannot write the wire trace to {str(self.path)!r}: {reason}; "
                "give trace=FILE a path in a writable folder"
            ) from exc

    def record(self, direction: Direction, data: bytes, note: str = "") -> None:
        """Write one chunk of ``data`` that moved in ``direction`` (never raises)."""
        if not data or self._file is None:
            return
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        header = f"{stamp} {direction} {len(data)} bytes" + (f" ({note})" if note else "")
        with self._lock:
            try:
                self._file.write("\n".join([header, *("  " + row for row in hex_dump(data))]) + "\n")
                self._file.flush()
            except (OSError, ValueError) as exc:
                log.warning("wire trace to %s stopped: %s", self.path, exc)
                self._file = None

    def mark(self, text: str) -> None:
        """Write a line of context (opened, closed, disconnected) between the dumps."""
        if self._file is None:
            return
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with self._lock:
            try:
                self._file.write(f"{stamp} -- {text}\n")
                self._file.flush()
            except (OSError, ValueError):
                self._file = None

    def close(self) -> None:
        """Close the file; later records are dropped."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
