"""Selecting and reading elementary files: SELECT by file identifier, chunked READ BINARY that learns the
file's length from its own TLV header, and status words turned into errors that say which file."""

from __future__ import annotations

from typing import Final

from checkpoint.emrtd.apdu import SW_OK, command, find_tlv, read_header, split_response, tlv
from checkpoint.emrtd.errors import ChipDataError, ChipStatusError
from checkpoint.emrtd.transport import CardTransport

EMRTD_AID: Final = bytes.fromhex("A0000002471001")

# File identifiers (9303-10 section 4.7) and the names a person reads.
EF_CARD_ACCESS: Final = 0x011C
EF_COM: Final = 0x011E
EF_SOD: Final = 0x011D
FILE_NAMES: Final = {EF_CARD_ACCESS: "EF.CardAccess", EF_COM: "EF.COM", EF_SOD: "EF.SOD"}
FILE_NAMES.update({0x0100 + n: f"DG{n}" for n in range(1, 17)})

# Short reads fit every chip; extended reads save round trips on chips that support them.
SHORT_CHUNK: Final = 0xDF
EXTENDED_CHUNK: Final = 0x0400
MAX_B0_OFFSET: Final = 0x7FFF
# Faces are tens of KB, fingerprints a few hundred: a chip announcing more is broken or hostile.
MAX_FILE_SIZE: Final = 4 * 1024 * 1024


def dg_fid(number: int) -> int:
    """File identifier of data group ``number`` (DG1 = 0101 ... DG16 = 0110)."""
    return 0x0100 + number


def file_name(fid: int) -> str:
    return FILE_NAMES.get(fid, f"EF {fid:04X}")


def select_mf(card: CardTransport) -> None:
    """SELECT the master file. Raises ChipStatusError when the chip refuses."""
    _check(card.transmit(command(0x00, 0xA4, 0x00, 0x0C)), "SELECT MF")


def select_application(card: CardTransport, aid: bytes = EMRTD_AID) -> None:
    """SELECT the eMRTD application by AID. Raises ChipStatusError (6A82 when there is none)."""
    _check(card.transmit(command(0x00, 0xA4, 0x04, 0x0C, aid)), "SELECT eMRTD application")


def select_file(card: CardTransport, fid: int) -> None:
    """SELECT an elementary file by identifier. Raises ChipStatusError (6A82: the chip has no such file)."""
    _check(card.transmit(command(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))), f"SELECT {file_name(fid)}")


def read_binary(card: CardTransport, offset: int, length: int) -> bytes:
    """READ BINARY ``length`` bytes at ``offset`` of the selected file (fewer at its end). Offsets past
    32767, which INS B0 cannot address, are read with INS B1 and an offset data object (ISO 7816-4)."""
    if offset > MAX_B0_OFFSET:
        return _read_binary_odd(card, offset, length)
    apdu = command(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length, extended=length > 256)
    data, sw = split_response(card.transmit(apdu))
    if sw not in (SW_OK, 0x6282):
        raise ChipStatusError(f"READ BINARY at offset {offset}", sw)
    return data


class ReadOptions:
    """How large a READ BINARY may be. Starts with extended length and falls back to short reads for good
    when the chip answers 6700 (wrong length), as chips without extended length support do."""

    def __init__(self, extended: bool = True) -> None:
        self.extended = extended

    @property
    def chunk(self) -> int:
        return EXTENDED_CHUNK if self.extended else SHORT_CHUNK


def _read_binary_odd(card: CardTransport, offset: int, length: int) -> bytes:
    if length <= SHORT_CHUNK:
        # The answer's 53 L header, and under secure messaging its padding, must still fit a short answer.
        length = min(length, SHORT_CHUNK - 16)
    position = offset.to_bytes(max(2, (offset.bit_length() + 7) // 8), "big")
    header = 2 if length < 0x80 else 4  # the 53 L header of the answer counts towards Le
    apdu = command(
        0x00, 0xB1, 0x00, 0x00, tlv(0x54, position), le=length + header, extended=length + header > 256
    )
    data, sw = split_response(card.transmit(apdu))
    if sw not in (SW_OK, 0x6282):
        raise ChipStatusError(f"READ BINARY at offset {offset}", sw)
    value = find_tlv(data, 0x53) if data else b""
    if value is None:
        raise ChipDataError(f"READ BINARY at offset {offset} answered without its data object 53")
    return value


def read_file(card: CardTransport, fid: int, *, options: ReadOptions | None = None) -> bytes:
    """SELECT and read a whole elementary file whose content is one BER-TLV object.

    Reads the first bytes, takes the length from the TLV header, then reads the rest in chunks (extended
    length when ``options`` allow and the chip accepts it). Raises ChipStatusError (file missing, access
    refused) or ChipDataError (the file is not a TLV object, or the chip returns less than announced).
    """
    options = options or ReadOptions(extended=False)
    select_file(card, fid)
    name = file_name(fid)
    head = read_binary(card, 0, 8)
    if len(head) < 2:
        raise ChipDataError(f"{name} is empty")
    try:
        _tag, start, length = read_header(head)
    except ChipDataError as exc:
        raise ChipDataError(f"{name} does not start with a data object: {exc}") from exc
    total = start + length
    if total > MAX_FILE_SIZE:
        raise ChipDataError(f"{name} announces {total} bytes, more than any LDS file holds ({MAX_FILE_SIZE})")
    data = bytearray(head[:total])
    while len(data) < total:
        size = min(options.chunk, total - len(data))
        try:
            part = read_binary(card, len(data), size)
        except ChipStatusError as exc:
            if exc.sw != 0x6700 or size <= SHORT_CHUNK:
                raise
            options.extended = False
            continue
        if not part:
            raise ChipDataError(f"{name} ends after {len(data)} bytes; its header announced {total}")
        data += part[: total - len(data)]  # a chip answering more than asked is not let past the file
    return bytes(data)


def _check(response: bytes, what: str) -> None:
    _data, sw = split_response(response)
    if sw != SW_OK:
        raise ChipStatusError(what, sw)
