"""The chip error tree. Every error :mod:`checkpoint.emrtd` raises is a :class:`ChipError`.

Each carries a short ``title`` a screen can show; the message says what happened in words an officer or a
developer can act on (which file, which status word, which step of the protocol).
"""

from __future__ import annotations

from typing import ClassVar

# ISO 7816-4 status words a travel document's chip answers with, in words.
STATUS_WORDS: dict[int, str] = {
    0x6282: "end of file reached before the requested length",
    0x6300: "authentication failed",
    0x6581: "memory failure",
    0x6700: "wrong length",
    0x6882: "secure messaging not supported",
    0x6883: "last command of the chain expected",
    0x6982: "security status not satisfied (access control not performed)",
    0x6983: "authentication method blocked",
    0x6984: "reference data not usable",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed (no current elementary file)",
    0x6987: "expected secure messaging data objects missing",
    0x6988: "secure messaging data objects incorrect",
    0x6A80: "incorrect parameters in the command data field",
    0x6A82: "file or application not found",
    0x6A86: "incorrect parameters P1-P2",
    0x6A88: "referenced data not found",
    0x6B00: "wrong parameters (offset outside the file)",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x6F00: "no precise diagnosis",
}


def describe_status(sw: int) -> str:
    """Return ``"6A82 (file or application not found)"`` for a status word."""
    meaning = STATUS_WORDS.get(sw)
    if meaning is None and sw & 0xFFF0 == 0x63C0:
        meaning = f"verification failed, {sw & 0x0F} tries left"
    if meaning is None and sw >> 8 == 0x6C:
        meaning = f"wrong length, the chip has {sw & 0xFF} bytes"
    return f"{sw:04X} ({meaning or 'unknown status'})"


class ChipError(Exception):
    """Base of every error :mod:`checkpoint.emrtd` raises."""

    title: ClassVar[str] = "Chip error"


class AccessDenied(ChipError, PermissionError):
    """The chip refused the access key: the MRZ (document number, birth, expiry) or the CAN is not this chip's."""

    title: ClassVar[str] = "Chip refused the access key"


class CardRemoved(ChipError, ConnectionError):
    """The card left the reader's field (or the reader went away) during the exchange."""

    title: ClassVar[str] = "Card removed"


class SecureMessagingError(ChipError):
    """A response under secure messaging failed its check: bad MAC, missing DO'99' or DO'8E', bad padding."""

    title: ClassVar[str] = "Secure messaging broken"


class ChipStatusError(ChipError):
    """The chip answered a command with an error status word; ``sw`` holds it (e.g. ``0x6A82``)."""

    title: ClassVar[str] = "Chip refused a command"

    def __init__(self, message: str, sw: int) -> None:
        super().__init__(f"{message}: chip answered {describe_status(sw)}")
        self.sw = sw


class NotAnEMRTD(ChipError):
    """The card is not an ICAO 9303 travel document (no eMRTD application, or its files are not LDS)."""

    title: ClassVar[str] = "Not an e-passport chip"


class ChipDataError(ChipError, ValueError):
    """A file read from the chip is not well formed (says which file and what is wrong)."""

    title: ClassVar[str] = "Chip data malformed"
