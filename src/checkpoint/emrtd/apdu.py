"""Command APDUs (ISO/IEC 7816-4, short and extended length) and the BER-TLV data objects inside them.

The TLV helper here is for the few data objects of APDUs and secure messaging (tags of one or two bytes);
files of the LDS are parsed with asn1crypto elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from checkpoint.emrtd.errors import ChipDataError

SW_OK = 0x9000


def command(
    cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None, *, extended: bool = False
) -> bytes:
    """Encode a command APDU. ``le`` is the number of bytes expected (``0`` = as many as possible: 256,
    or 65536 extended); ``extended`` forces extended length, which is used anyway when ``data`` exceeds
    255 bytes or ``le`` exceeds 256."""
    extended = extended or len(data) > 255 or (le is not None and le > 256)
    apdu = bytes((cla, ins, p1, p2))
    if extended:
        if data:
            apdu += b"\x00" + len(data).to_bytes(2, "big") + data
        if le is not None:
            apdu += (b"" if data else b"\x00") + (le % 65536).to_bytes(2, "big")
        return apdu
    if data:
        apdu += bytes((len(data),)) + data
    if le is not None:
        apdu += bytes((le % 256,))
    return apdu


def split_response(response: bytes) -> tuple[bytes, int]:
    """Split a response APDU into its data and its status word. Raises ChipDataError below 2 bytes."""
    if len(response) < 2:
        raise ChipDataError(f"response APDU of {len(response)} bytes has no status word")
    return response[:-2], int.from_bytes(response[-2:], "big")


def tlv(tag: int, value: bytes) -> bytes:
    """Encode one BER-TLV data object (tag of one or two bytes, definite length)."""
    tag_bytes = tag.to_bytes(2 if tag > 0xFF else 1, "big")
    return tag_bytes + encode_length(len(value)) + value


def encode_length(length: int) -> bytes:
    """BER definite length: one byte below 128, else 0x81/0x82/0x83 and the length."""
    if length < 0x80:
        return bytes((length,))
    size = (length.bit_length() + 7) // 8
    return bytes((0x80 | size,)) + length.to_bytes(size, "big")


def read_header(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """Read the TLV header at ``offset``: returns (tag, offset of the value, length of the value).

    Raises ChipDataError when the header is cut short or malformed.
    """
    try:
        tag = data[offset]
        offset += 1
        if tag & 0x1F == 0x1F:  # multi-byte tag
            while True:
                tag = (tag << 8) | data[offset]
                offset += 1
                if not data[offset - 1] & 0x80:
                    break
        first = data[offset]
        offset += 1
        if first < 0x80:
            return tag, offset, first
        size = first & 0x7F
        if size == 0 or size > 4 or offset + size > len(data):
            raise ChipDataError(f"BER length of {size} bytes at offset {offset - 1} is not usable")
        return tag, offset + size, int.from_bytes(data[offset : offset + size], "big")
    except IndexError:
        raise ChipDataError(f"data object header cut short after {len(data)} bytes") from None


def iter_tlv(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield (tag, value) for each data object in ``data``; raises ChipDataError if one runs past the end."""
    offset = 0
    while offset < len(data):
        tag, start, length = read_header(data, offset)
        if start + length > len(data):
            raise ChipDataError(f"data object {tag:X} claims {length} bytes, only {len(data) - start} remain")
        yield tag, data[start : start + length]
        offset = start + length


def find_tlv(data: bytes, tag: int) -> bytes | None:
    """Value of the first data object ``tag`` at the top level of ``data``, or None."""
    for found, value in iter_tlv(data):
        if found == tag:
            return value
    return None
