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

from collections.abc import Iterable, Mapping
from typing import ClassVar, Final

from checkpoint.drivers.frames import BarcodeFrame, Frame, MarkedFramer, MrzFrame, PartialFrame, StripeFrame

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


class AccessIsFramer(MarkedFramer):
    """Frames an Access-IS byte stream. Pure: feed it bytes with their arrival time, get frames back."""

    markers: ClassVar[Mapping[bytes, bytes]] = {start: end for start, (end, _) in _KINDS.items()}
    name: ClassVar[str] = "access-is"

    def __init__(self, *, frame_timeout: float = 1.0, max_frame: int = 4096) -> None:
        super().__init__(frame_timeout=frame_timeout, max_frame=max_frame)

    def decode(self, start: bytes, raw: bytes) -> Frame:
        """Return the OCR, barcode or stripe frame ``raw`` stands for (partial when it is empty)."""
        return _decode(start, raw)

    def unit(self, start: bytes) -> str:
        """Return "OCR frame", "barcode frame" or "stripe frame"."""
        return f"{_KINDS[start][1]} frame"
