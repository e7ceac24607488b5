"""Events a reader yields. Plain frozen dataclasses, so they cross threads and compare by value."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from checkpoint.emrtd.report import ChipReport

ReaderState = Literal["connected", "disconnected", "error"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReaderEvent:
    """Base of all events: ``source`` is the address of the reader that produced it."""

    source: str
    timestamp: float = field(default_factory=time.time, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRead(ReaderEvent):
    """A machine-readable zone was read: its ``lines`` as the device sent them, and the frame's bytes.

    The lines are not validated here; :func:`checkpoint.mrz.parse` judges them. ``chip`` is what a reader
    with a chip antenna made of the document's chip; None when the reader has none (or did not try).
    """

    lines: tuple[str, ...]
    raw: bytes
    images: tuple[bytes, ...] = ()
    chip: ChipOutcome | None = None


ChipState = Literal["read", "absent", "failed", "unavailable"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ChipOutcome:
    """What a chip antenna made of a document: ``state`` "read" with the ``report``; "absent" when no chip
    answered (a document issued before chips, or a dead chip); "failed" when the read broke off, with the
    error's ``title`` and ``detail`` (the chip refused the key, the card was removed ...); "unavailable" when
    the chip reader itself could not be used. ``error`` names the
    error class (``AccessDenied``, ``CardRemoved`` ...) for programs; ``reader`` is the antenna's name.
    """

    state: ChipState
    report: ChipReport | None = None
    title: str = ""
    detail: str = ""
    error: str = ""
    reader: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class BarcodeRead(ReaderEvent):
    """A barcode (1D or 2D) was read. ``symbology`` is the device's own identifier for the code type."""

    data: str
    symbology: str
    raw: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class StripeRead(ReaderEvent):
    """A magnetic stripe was read: one string per track, in track order."""

    tracks: tuple[str, ...]
    raw: bytes
    card_type: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class MalformedFrame(ReaderEvent):
    """Bytes that started a frame but did not make a complete one (truncated, corrupt, timed out).

    Drivers never drop such bytes silently: they report them here and resynchronise.
    """

    raw: bytes
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentPresent(ReaderEvent):
    """A document was placed on (or inserted into) the reader."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRemoved(ReaderEvent):
    """The document was taken off the reader, or the device signalled the end of a read."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ReaderStatus(ReaderEvent):
    """The reader's connection changed: ``connected``, ``disconnected`` or ``error``, with a detail."""

    state: ReaderState
    detail: str = ""
