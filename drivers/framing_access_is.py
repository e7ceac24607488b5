"""Access-IS framing (OCR310/313/315, OCR600): the serial/virtual-COM stream and the vendor-HID payload.

Device to host, one frame per swipe (``protocols/serial-readers.md`` section 1)::

    1C 02 | L1 | 0D | L2 | [0D | L3] | [0D] | 03 1D       OCR (MRZ)      FS STX ... ETX GS
    1E 02 | symbology-id | data | 03 1F                   barcode        RS STX ... ETX US
    0E 02 | card-type | {track-id data 0D}... | 03 0F     magnetic stripe SO STX ... ETX SI

Bytes outside a frame are noise and are skipped. A frame that meets the start of another, outlives
``frame_timeout`` seconds of silence or grows past ``max_frame`` bytes is reported as a
:class:`PartialFrame` with its bytes, and the framer resynchronises on the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Final

from checkpoint.drivers.frames import BarcodeFrame, Frame, MrzFrame, PartialFrame, StripeFrame

log = logging.getLogger(__name__)

OCR_START: Final = b"\x1c\x02"
OCR_END: Final = b"\x03\x1d"
BARCODE_START: Final = b"\x1e\x02"
BARCODE_END: Final = b"\x03\x1f"
STRIPE_START: Final = b"\x0e\x02"
STRIPE_END: Final = b"\x03\x0f"

# start marker -> (end marker, what the frame is called in messages)
_KINDS: Final[dict[bytes, tuple[bytes, str]]] = {
    OCR_START: (OCR_END, "OCR"),
    BARCODE_START: (BARCODE_END, "barcode"),
    STRIPE_START: (STRIPE_END, "stripe"),
}
_FIRST_BYTES: Final = frozenset(start[0] for start in _KINDS)


def encode_mrz(lines: Iterable[str], *, trailing_cr: bool = False) -> bytes:
    """Return the OCR frame carrying ``lines``; ``trailing_cr`` adds the CR some firmware sends last."""
    body = b"\r".join(line.encode("ascii") for line in lines)
    return OCR_START + body + (b"\r" if trailing_cr else b"") + OCR_END


def encode_barcode(symbology: str, data: str) -> bytes:
    """Return the barcode frame for ``data`` read as ``symbology`` (one identifier character)."""
    return BARCODE_START + symbology.encode("latin-1") + data.encode("latin-1") + BARCODE_END


def encode_stripe(card_type: str, tracks: Iterable[tuple[str, str]]) -> bytes:
    """Return the magnetic-stripe frame: ``card_type`` then each ``(track_id, data)`` ended by CR."""
    body = b"".join(track_id.encode("latin-1") + data.encode("latin-1") + b"\r" for track_id, data in tracks)
    return STRIPE_START + card_type.encode("latin-1") + body + STRIPE_END


def _decode(start: bytes, raw: bytes) -> Frame:
    body = raw[len(start) : -2]
    if start == OCR_START:
        text = body.rstrip(b"\r")
        lines = tuple(line.decode("latin-1") for line in text.split(b"\r")) if text else ()
        if not lines:
            return PartialFrame(raw=raw, detail="OCR frame with no lines")
        return MrzFrame(lines=lines, raw=raw)
    if start == BARCODE_START:
        if not body:
            return PartialFrame(raw=raw, detail="barcode frame with no symbology identifier")
        return BarcodeFrame(symbology=body[:1].decode("latin-1"), data=body[1:].decode("latin-1"), raw=raw)
    if not body:
        return PartialFrame(raw=raw, detail="stripe frame with no card type")
    tracks = tuple(track[1:].decode("latin-1") for track in body[1:].split(b"\r") if track)
    return StripeFrame(card_type=body[:1].decode("latin-1"), tracks=tracks, raw=raw)


class AccessIsFramer:
    """Frames an Access-IS byte stream. Pure: feed it bytes with their arrival time, get frames back."""

    def __init__(self, *, frame_timeout: float = 1.0, max_frame: int = 4096) -> None:
        self.frame_timeout = frame_timeout
        self.max_frame = max_frame
        self._buffer = bytearray()
        self._last = 0.0

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Return the frames completed by ``data`` (see :class:`~checkpoint.drivers.frames.Framer`)."""
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
        if bytes(self._buffer[:2]) in _KINDS:
            return self._last + self.frame_timeout
        return None

    def reset(self) -> list[Frame]:
        """Drop the buffered bytes; return a frame in progress as partial (noise is only logged)."""
        raw = bytes(self._buffer)
        self._buffer.clear()
        if raw[:2] in _KINDS:
            return [PartialFrame(raw=raw, detail=f"{_KINDS[raw[:2]][1]} frame ended before its end marker")]
        if raw:
            log.debug("access-is: skipped %d noise bytes: %s", len(raw), raw.hex(" "))
        return []

    def _scan(self) -> list[Frame]:
        frames: list[Frame] = []
        buffer = self._buffer
        while buffer:
            start = self._next_start(0)
            if start != 0:
                # Noise before the next frame (or all of it, keeping a last byte that may begin one).
                keep = (
                    start if start >= 0 else (len(buffer) - 1 if buffer[-1] in _FIRST_BYTES else len(buffer))
                )
                if keep:
                    log.debug("access-is: skipped %d noise bytes: %s", keep, bytes(buffer[:keep]).hex(" "))
                    del buffer[:keep]
                if start < 0:
                    break
                continue
            marker = bytes(buffer[:2])
            end_marker, kind = _KINDS[marker]
            end = buffer.find(end_marker, 2)
            restart = self._next_start(2)
            if restart >= 0 and (end < 0 or restart < end + 2):
                frames.append(
                    PartialFrame(
                        raw=bytes(buffer[:restart]), detail=f"{kind} frame cut off by the next frame"
                    )
                )
                del buffer[:restart]
                continue
            if end < 0:
                if len(buffer) > self.max_frame:
                    frames.append(
                        PartialFrame(
                            raw=bytes(buffer), detail=f"{kind} frame longer than {self.max_frame} bytes"
                        )
                    )
                    buffer.clear()
                break
            raw = bytes(buffer[: end + 2])
            del buffer[: end + 2]
            frames.append(_decode(marker, raw))
        return frames

    def _next_start(self, offset: int) -> int:
        """Return the index of the first frame start at or after ``offset``, or -1."""
        found = [i for i in (self._buffer.find(start, offset) for start in _KINDS) if i >= 0]
        return min(found) if found else -1
