"""EST-100 style auto-output framing: ``02 | <Type> ":" <compact JSON, UTF-8> | 03 0D 0A``.

One document is a sequence of messages (``protocols/serial-readers.md`` section 3)::

    PCSign:{"stage":"readStart","type":"PassPort"}      -> present
    CameraData:{"data":"L1\\nL2","type":"PassPort"}      -> MRZ lines (or a barcode, with "QRType")
    EidlinkResult:{"reqId":...}                         optional chip data, not parsed for now
    PCSign:{"stage":"readEnd","type":"PassPort"}        -> removed (end of read)

The JSON is parsed as JSON, never by position: key order and whitespace are not guaranteed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final

from checkpoint.drivers.frames import BarcodeFrame, Frame, MarkedFramer, MrzFrame, PartialFrame, SignalFrame

log = logging.getLogger(__name__)

STX: Final = b"\x02"
END: Final = b"\x03\r\n"


def encode_message(message_type: str, payload: Mapping[str, Any]) -> bytes:
    """Return one frame: ``message_type``, a colon and ``payload`` as compact UTF-8 JSON."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return STX + f"{message_type}:{body}".encode() + END


def encode_document(lines: Iterable[str], *, document_type: str = "PassPort") -> bytes:
    """Return the messages of one document read: readStart, the MRZ in CameraData, readEnd."""
    return (
        encode_message("PCSign", {"stage": "readStart", "type": document_type})
        + encode_message("CameraData", {"data": "\n".join(lines), "type": document_type})
        + encode_message("PCSign", {"stage": "readEnd", "type": document_type})
    )


def encode_barcode(data: str, *, qr_type: str = "QR CODE") -> bytes:
    """Return the CameraData message of a barcode read."""
    return encode_message("CameraData", {"QRType": qr_type, "data": data, "type": "QRCode"})


def decode_message(raw: bytes) -> Frame | None:
    """Return the frame that one complete message ``raw`` (STX ... END) stands for.

    Returns None for a message that carries nothing this library reads yet (chip data, other stages),
    and a :class:`PartialFrame` when the message is not ``Type:{JSON}``.
    """
    body = raw[len(STX) : -len(END)]
    message_type, colon, text = body.partition(b":")
    if not colon:
        return PartialFrame(raw=raw, detail="message without a 'Type:' prefix")
    try:
        payload = json.loads(text.decode("utf-8"))
    except ValueError as exc:  # not UTF-8, not JSON, or a number too long to convert (found by fuzzing)
        return PartialFrame(raw=raw, detail=f"message body is not UTF-8 JSON ({exc})")
    if not isinstance(payload, dict):
        return PartialFrame(raw=raw, detail="message body is not a JSON object")
    kind = message_type.decode("ascii", "replace")
    if kind == "PCSign":
        stage = payload.get("stage")
        if stage == "readStart":
            return SignalFrame(signal="present", raw=raw)
        if stage == "readEnd":
            return SignalFrame(signal="removed", raw=raw)
    elif kind == "CameraData":
        data = payload.get("data")
        if not isinstance(data, str):
            return PartialFrame(raw=raw, detail="CameraData without a text 'data' field")
        if "QRType" in payload:
            return BarcodeFrame(data=data, symbology=str(payload["QRType"]), raw=raw)
        lines = tuple(line.strip() for line in data.replace("\r", "\n").split("\n") if line.strip())
        if not lines:
            return PartialFrame(raw=raw, detail="CameraData with no MRZ lines")
        return MrzFrame(lines=lines, raw=raw)
    log.debug("est100: ignored a %s message (%d bytes)", kind, len(raw))
    return None


class Est100Framer(MarkedFramer):
    """Frames an EST-100 message stream. Pure: feed it bytes with their arrival time, get frames back."""

    markers: ClassVar[Mapping[bytes, bytes]] = {STX: END}
    name: ClassVar[str] = "est100"

    def __init__(self, *, frame_timeout: float = 1.0, max_frame: int = 1 << 20) -> None:
        super().__init__(frame_timeout=frame_timeout, max_frame=max_frame)

    def decode(self, start: bytes, raw: bytes) -> Frame | None:
        """Return :func:`decode_message` of ``raw``."""
        return decode_message(raw)

    def unit(self, start: bytes) -> str:
        """Return "message": what the protocol calls a frame."""
        return "message"
