"""What a framer yields: frames with the bytes they came from, and how a frame becomes a reader event;
and :class:`MarkedFramer`, the start-marker-to-end-marker mechanics that two protocols share.

Framers (:mod:`checkpoint.drivers.framing_access_is`, ``framing_lines``, ``framing_est100``) are pure:
bytes and the time they arrived go in, frames come out. They never read a device and never log above
DEBUG, so the same framer serves a serial port, a USB HID report stream and a test's hex fixture.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal, Protocol

from checkpoint.drivers.events import (
    BarcodeRead,
    DocumentPresent,
    DocumentRead,
    DocumentRemoved,
    MalformedFrame,
    ReaderEvent,
    StripeRead,
)

# The characters of a machine-readable zone (ICAO 9303 Part 3): what may appear inside an MRZ line.
MRZ_ALPHABET: frozenset[int] = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")

# Line lengths of the ICAO formats: TD1 has three lines of 30, TD2/MRV-B two of 36, TD3/MRV-A two of 44.
MRZ_LINE_LENGTHS: dict[int, int] = {30: 3, 36: 2, 44: 2}


@dataclass(frozen=True, slots=True)
class MrzFrame:
    """A machine-readable zone as the device framed it: its lines, and the frame's bytes."""

    lines: tuple[str, ...]
    raw: bytes


@dataclass(frozen=True, slots=True)
class BarcodeFrame:
    """A barcode read: its data, the device's symbology identifier, and the frame's bytes."""

    data: str
    symbology: str
    raw: bytes


@dataclass(frozen=True, slots=True)
class StripeFrame:
    """A magnetic-stripe read: one string per track in the order sent, and the card type."""

    tracks: tuple[str, ...]
    card_type: str
    raw: bytes


@dataclass(frozen=True, slots=True)
class SignalFrame:
    """A document was placed on the reader (``present``) or its read ended (``removed``)."""

    signal: Literal["present", "removed"]
    raw: bytes


@dataclass(frozen=True, slots=True)
class PartialFrame:
    """Bytes that began a frame but did not make a complete one; ``detail`` says why."""

    raw: bytes
    detail: str


Frame = MrzFrame | BarcodeFrame | StripeFrame | SignalFrame | PartialFrame


class Framer(Protocol):
    """Turns a byte stream into frames, whatever the read boundaries.

    ``now`` is a monotonic time in seconds: framers use it to end a frame after silence (protocols
    without an end marker) and to give up on a frame that never ends.
    """

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Return the frames that ``data`` completes."""
        ...

    def flush(self, now: float) -> list[Frame]:
        """Return what the silence up to ``now`` ends: a silence-ended frame, or a stalled partial one."""
        ...

    def deadline(self) -> float | None:
        """Return the time at which :meth:`flush` would end the frame in progress, or None when idle."""
        ...

    def reset(self) -> list[Frame]:
        """Drop the frame in progress (the device went away) and return it as a partial frame, if any."""
        ...


class MarkedFramer:
    """The mechanics of a protocol whose frames run from a start marker to that start's end marker
    (Access-IS, EST-100); a subclass says what the markers are and what a frame means.

    Bytes outside a frame are noise: skipped and logged at DEBUG. A frame that meets the start of
    another, outlives ``frame_timeout`` seconds of silence or grows past ``max_frame`` bytes is returned
    as a :class:`PartialFrame` with its bytes, and the framer resynchronises on the next start.
    Satisfies :class:`Framer`.
    """

    #: start marker -> end marker; no end marker may contain a start marker.
    markers: ClassVar[Mapping[bytes, bytes]]
    #: how debug messages name the protocol.
    name: ClassVar[str]

    def __init__(self, *, frame_timeout: float, max_frame: int) -> None:
        self.frame_timeout = frame_timeout
        self.max_frame = max_frame
        self._buffer = bytearray()
        self._last = 0.0
        # The subclass's module logger, so each protocol's noise is logged (and filtered) under its name.
        self._log = logging.getLogger(type(self).__module__)

    def decode(self, start: bytes, raw: bytes) -> Frame | None:
        """Return the frame that the complete frame ``raw`` (opened by ``start``) stands for, or None
        when it carries nothing this library reads."""
        raise NotImplementedError

    def unit(self, start: bytes) -> str:
        """Return what a frame opened by ``start`` is called in a partial frame's detail."""
        raise NotImplementedError

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Return the frames completed by ``data`` (see :class:`Framer`)."""
        frames = self.flush(now)
        if data:
            self._buffer += data
            self._last = now
        frames.extend(self._scan())
        return frames

    def flush(self, now: float) -> list[Frame]:
        """Return the frame in progress as partial when it has been silent for ``frame_timeout``."""
        deadline = self.deadline()
        if deadline is not None and now >= deadline:
            return self.reset()
        return []

    def deadline(self) -> float | None:
        """Return when the frame in progress times out, or None when no frame is in progress."""
        return self._last + self.frame_timeout if self._opening(self._buffer) is not None else None

    def reset(self) -> list[Frame]:
        """Drop the buffered bytes; return a frame in progress as partial (noise is only logged)."""
        raw = bytes(self._buffer)
        self._buffer.clear()
        start = self._opening(raw)
        if start is not None:
            return [PartialFrame(raw=raw, detail=f"{self.unit(start)} ended before its end marker")]
        if raw:
            self._log.debug("%s: skipped %d noise bytes: %s", self.name, len(raw), raw.hex(" "))
        return []

    def _scan(self) -> list[Frame]:
        frames: list[Frame] = []
        buffer = self._buffer
        while buffer:
            start = self._next_start(0)
            if start != 0:
                # Noise before the next frame (or all of it, keeping a tail that may begin a marker).
                keep = start if start >= 0 else len(buffer) - self._marker_tail()
                if keep:
                    self._log.debug(
                        "%s: skipped %d noise bytes: %s", self.name, keep, bytes(buffer[:keep]).hex(" ")
                    )
                    del buffer[:keep]
                if start < 0:
                    break
                continue
            marker = self._opening(buffer)
            assert marker is not None  # _next_start found a marker at 0
            end_marker = self.markers[marker]
            end = buffer.find(end_marker, len(marker))
            restart = self._next_start(len(marker))
            if restart >= 0 and (end < 0 or restart < end + len(end_marker)):
                frames.append(
                    PartialFrame(
                        raw=bytes(buffer[:restart]), detail=f"{self.unit(marker)} cut off by the next frame"
                    )
                )
                del buffer[:restart]
                continue
            if end < 0:
                if len(buffer) > self.max_frame:
                    frames.append(
                        PartialFrame(
                            raw=bytes(buffer),
                            detail=f"{self.unit(marker)} longer than {self.max_frame} bytes",
                        )
                    )
                    buffer.clear()
                break
            raw = bytes(buffer[: end + len(end_marker)])
            del buffer[: end + len(end_marker)]
            frame = self.decode(marker, raw)
            if frame is not None:
                frames.append(frame)
        return frames

    def _opening(self, data: bytes | bytearray) -> bytes | None:
        """Return the start marker ``data`` begins with, or None."""
        return next((start for start in self.markers if data.startswith(start)), None)

    def _next_start(self, offset: int) -> int:
        """Return the index of the first start marker at or after ``offset``, or -1."""
        found = [i for i in (self._buffer.find(start, offset) for start in self.markers) if i >= 0]
        return min(found) if found else -1

    def _marker_tail(self) -> int:
        """Return the length of the longest end of the buffer that begins a start marker."""
        return max(
            (n for start in self.markers for n in range(1, len(start)) if self._buffer.endswith(start[:n])),
            default=0,
        )


def frame_event(frame: Frame, source: str) -> ReaderEvent:
    """Return the reader event that ``frame`` stands for, naming ``source`` as its reader."""
    match frame:
        case MrzFrame(lines=lines, raw=raw):
            return DocumentRead(source=source, lines=lines, raw=raw)
        case BarcodeFrame(data=data, symbology=symbology, raw=raw):
            return BarcodeRead(source=source, data=data, symbology=symbology, raw=raw)
        case StripeFrame(tracks=tracks, card_type=card_type, raw=raw):
            return StripeRead(source=source, tracks=tracks, card_type=card_type, raw=raw)
        case SignalFrame(signal="present"):
            return DocumentPresent(source=source)
        case SignalFrame(signal="removed"):
            return DocumentRemoved(source=source)
        case PartialFrame(raw=raw, detail=detail):
            return MalformedFrame(source=source, raw=raw, detail=detail)
    raise TypeError(f"not a frame: {frame!r}")  # pragma: no cover - the match is exhaustive


def mrz_line_ok(line: bytes) -> bool:
    """Return True when ``line`` has an MRZ line length and only MRZ characters."""
    return len(line) in MRZ_LINE_LENGTHS and all(byte in MRZ_ALPHABET for byte in line)
