"""Secure messaging, the reader's side (ICAO 9303-11 section 9.8): protect each command, and check each
response's MAC and its DO'99' status before trusting a byte of it.

:class:`SecureChannel` is itself a :class:`CardTransport`: callers send plain APDUs and get plain responses.
"""

from __future__ import annotations

import logging

from checkpoint.emrtd.apdu import command, iter_tlv, split_response, tlv
from checkpoint.emrtd.crypto import SessionKeys, pad
from checkpoint.emrtd.errors import ChipDataError, ChipStatusError, SecureMessagingError, describe_status
from checkpoint.emrtd.transport import CardTransport

log = logging.getLogger(__name__)


class SecureChannel:
    """Wraps a transport in secure messaging with ``keys`` (3DES or AES). ``keys.ssc`` advances by two per
    exchange: once for the command, once for the response."""

    def __init__(self, transport: CardTransport, keys: SessionKeys) -> None:
        self.transport = transport
        self.keys = keys

    def transmit(self, apdu: bytes) -> bytes:
        """Protect the plain command ``apdu``, send it, verify and unprotect the answer.

        Returns plain response data + SW1SW2 (SW from DO'99'). Raises SecureMessagingError when the answer
        fails its MAC, lacks DO'99'/DO'8E', or the chip rejects the protected command (6987/6988).
        """
        ssc = self.keys.ssc
        protected = self.protect(apdu)
        log.debug("SM > %s", protected.hex())
        response = self.transport.transmit(protected)
        log.debug("SM < %s", response.hex())
        if response == b"\x67\x00" and len(protected) > 5 and protected[4] == 0:
            # A chip without extended length refuses the APDU before secure messaging sees it: its send
            # sequence counter did not move, and the session goes on. The caller retries with short length.
            self.keys.ssc = ssc
            raise ChipStatusError("extended-length command", 0x6700)
        return self.unprotect(response)

    def protect(self, apdu: bytes) -> bytes:
        """The protected form of a plain command APDU (increments the SSC)."""
        cla, ins, p1, p2, data, le, extended = _parse_command(apdu)
        keys = self.keys
        keys.ssc += 1
        header = bytes((cla | 0x0C, ins, p1, p2))
        objects = b""
        if data:
            cryptogram = keys.encrypt(data)
            objects += tlv(0x85, cryptogram) if ins & 1 else tlv(0x87, b"\x01" + cryptogram)
        if le is not None:
            size = 2 if extended else 1
            objects += tlv(0x97, (le % (1 << (8 * size))).to_bytes(size, "big"))
        objects += tlv(0x8E, keys.mac(pad(header, keys.block_size) + objects))
        return command(cla | 0x0C, ins, p1, p2, objects, 0, extended=extended)

    def unprotect(self, response: bytes) -> bytes:
        """Check and decrypt one protected response (increments the SSC)."""
        keys = self.keys
        keys.ssc += 1
        body, sw = split_response(response)
        if not body:
            # A chip answers a broken protected command with a plain status and ends the session.
            raise SecureMessagingError(
                f"the chip answered without secure messaging: {describe_status(sw)}; the session is closed"
            )
        try:
            objects = list(iter_tlv(body))
        except ChipDataError as exc:
            raise SecureMessagingError(f"secure messaging response is not data objects: {exc}") from exc
        found = {tag: value for tag, value in objects}
        if 0x8E not in found:
            raise SecureMessagingError("the chip's response has no MAC (DO'8E')")
        if 0x99 not in found or len(found[0x99]) != 2:
            raise SecureMessagingError("the chip's response has no protected status word (DO'99')")
        covered = b"".join(tlv(tag, value) for tag, value in objects if tag in (0x85, 0x87, 0x99))
        if keys.mac(covered) != found[0x8E]:
            raise SecureMessagingError(
                "the MAC of the chip's response is wrong: the data may have been altered"
            )
        protected_sw = int.from_bytes(found[0x99], "big")
        if protected_sw != sw:
            raise SecureMessagingError(
                f"status {sw:04X} differs from the protected status {protected_sw:04X}"
            )
        data = b""
        if 0x87 in found:
            value = found[0x87]
            if not value or value[0] != 0x01:
                raise SecureMessagingError("DO'87' lacks its padding-content indicator 01")
            try:
                data = keys.decrypt(value[1:])
            except ValueError as exc:
                raise SecureMessagingError(f"the chip's encrypted data does not decrypt: {exc}") from exc
        elif 0x85 in found:
            data = keys.decrypt(found[0x85])
        return data + found[0x99]


def _parse_command(apdu: bytes) -> tuple[int, int, int, int, bytes, int | None, bool]:
    """Split a command APDU into CLA INS P1 P2, data, Le (None: absent) and whether it is extended."""
    if len(apdu) < 4:
        raise ValueError(f"command APDU of {len(apdu)} bytes")
    cla, ins, p1, p2 = apdu[:4]
    rest = apdu[4:]
    if not rest:
        return cla, ins, p1, p2, b"", None, False
    if len(rest) == 1:
        return cla, ins, p1, p2, b"", rest[0], False
    if rest[0] == 0 and len(rest) >= 3:  # extended
        if len(rest) == 3:
            return cla, ins, p1, p2, b"", int.from_bytes(rest[1:3], "big"), True
        lc = int.from_bytes(rest[1:3], "big")
        data = rest[3 : 3 + lc]
        tail = rest[3 + lc :]
        return cla, ins, p1, p2, data, int.from_bytes(tail, "big") if tail else None, True
    lc = rest[0]
    data = rest[1 : 1 + lc]
    tail = rest[1 + lc :]
    return cla, ins, p1, p2, data, tail[0] if tail else None, False
