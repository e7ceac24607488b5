"""Framing for readers that send bare MRZ lines: ``protocol=lines`` and the data of ``protocol=honeywell``.

There is no frame marker: lines are separated by CR, LF or CR LF, and whether the last line is ended
varies (Honeywell sends ``L1 0D L2`` with no terminator unless a suffix is configured). A document is
complete when its shape is: the first line's length says how many lines the format has (30 -> three,
36 or 44 -> two), and the last line is complete when it reaches that length, so no wait for silence is
needed. When the device stops short (one row dropped, a truncated line) the silence of ``silence``
seconds ends the read: lines that are all whole MRZ lines become a :class:`MrzFrame` that the parser
judges; anything else is a :class:`PartialFrame` with its bytes. Bytes that are neither MRZ characters
nor line ends are noise before a line and are skipped; inside a line they make it malformed. A line
longer than an MRZ line (44 characters) is malformed too; a malformed read holds at most a few lines'
bytes and is reported as a :class:`PartialFrame` when it reaches that bound or falls silent, so no
stream, however long, is buffered whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Final

from checkpoint.drivers.frames import (
    MRZ_ALPHABET,
    MRZ_LINE_LENGTHS,
    Frame,
    MrzFrame,
    PartialFrame,
    mrz_line_ok,
)

log = logging.getLogger(__name__)

_LINE_ENDS: Final = frozenset(b"\r\n")
MAX_MRZ_LINE: Final = max(MRZ_LINE_LENGTHS)
"""The longest MRZ line (TD3, 44 characters): a longer line is malformed, and is not held past it."""


def encode_lines(lines: Iterable[str], *, separator: bytes = b"\r", suffix: bytes = b"\r\n") -> bytes:
    """Return ``lines`` joined by ``separator`` and followed by ``suffix`` (e.g. ``b""`` for Honeywell)."""
    return separator.join(line.encode("ascii") for line in lines) + suffix


class LinesFramer:
    """Frames a stream of CR/LF-separated MRZ lines into documents. Pure, like every framer."""

    def __init__(self, *, silence: float = 0.3, max_line: int = MAX_MRZ_LINE) -> None:
        self.silence = silence
        self.max_line = max_line
        self._raw = bytearray()  # every byte of the document in progress, as received
        self._lines: list[bytes] = []  # its finished lines
        self._line = bytearray()  # the line in progress
        self._spoiled = ""  # why the read in progress cannot be a document; it then runs to silence
        self._last = 0.0

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Return the documents completed by ``data`` (see :class:`~checkpoint.drivers.frames.Framer`)."""
        frames = self.flush(now)
        if data:
            self._last = now
        noise = bytearray()
        for byte in data:
            if self._spoiled:
                self._raw.append(byte)
                if len(self._raw) > self.max_line * 4:
                    frames.extend(self.reset())
                continue
            if byte in _LINE_ENDS:
                if self._line:
                    self._raw.append(byte)
                    frames.extend(self._end_line())
                elif self._raw:
                    self._raw.append(byte)
                continue
            if not self._line and byte not in MRZ_ALPHABET and not self._lines:
                noise.append(byte)
                continue
            self._raw.append(byte)
            self._line.append(byte)
            if self._line_complete():
                frames.extend(self._end_line())
            elif len(self._line) > self.max_line:
                self._spoiled = f"line longer than {self.max_line} characters"
        if noise:
            log.debug("lines: skipped %d noise bytes: %s", len(noise), bytes(noise).hex(" "))
        return frames

    def flush(self, now: float) -> list[Frame]:
        """Return the read in progress when ``silence`` seconds have passed since its last byte."""
        deadline = self.deadline()
        if deadline is None or now < deadline:
            return []
        return self.reset()

    def deadline(self) -> float | None:
        """Return when silence ends the read in progress, or None when nothing is buffered."""
        return self._last + self.silence if self._raw else None

    def reset(self) -> list[Frame]:
        """End the read in progress now: whole MRZ lines make a document, anything else a partial frame."""
        if not self._raw:
            return []
        if self._line:
            self._lines.append(bytes(self._line))
        lines, raw, spoiled = list(self._lines), bytes(self._raw), self._spoiled
        self._clear()
        if spoiled:
            return [PartialFrame(raw=raw, detail=spoiled)]
        if lines and all(mrz_line_ok(line) for line in lines) and len({len(line) for line in lines}) == 1:
            return [MrzFrame(lines=tuple(line.decode("ascii") for line in lines), raw=raw)]
        lengths = ", ".join(str(len(line)) for line in lines)
        return [PartialFrame(raw=raw, detail=f"incomplete MRZ: line lengths {lengths}")]

    def _line_complete(self) -> bool:
        """A line of the expected length is complete only if it is the document's last one."""
        if not self._lines:
            return False
        expected = len(self._lines[0])
        return len(self._line) == expected and len(self._lines) + 1 == MRZ_LINE_LENGTHS.get(expected)

    def _end_line(self) -> list[Frame]:
        self._lines.append(bytes(self._line))
        self._line.clear()
        first = self._lines[0]
        if not mrz_line_ok(self._lines[-1]) or len(self._lines[-1]) != len(first):
            # The rest of this read belongs to the same bad document: take it all, up to the silence.
            self._spoiled = f"line {len(self._lines)} is not an MRZ line"
            return []
        if len(self._lines) == MRZ_LINE_LENGTHS[len(first)]:
            lines, raw = list(self._lines), bytes(self._raw)
            self._clear()
            return [MrzFrame(lines=tuple(line.decode("ascii") for line in lines), raw=raw)]
        return []

    def _clear(self) -> None:
        self._raw.clear()
        self._lines.clear()
        self._line.clear()
        self._spoiled = ""
