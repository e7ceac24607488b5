"""What a framer yields: frames with the bytes they came from, and how a frame becomes a reader event.

Framers (:mod:`checkpoint.drivers.framing_access_is`, ``framing_lines``, ``framing_est100``) are pure:
bytes and the time they arrived go in, frames come out. They never read a device and never log above
DEBUG, so the same framer serves a serial port, a USB HID report stream and a test's hex fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

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
