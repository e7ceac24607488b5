"""An e-passport chip's card logic, as ICAO 9303-10/11 describe it: a file system (MF with EF.CardAccess,
the eMRTD application with EF.COM, EF.SOD and the data groups), access control (``69 82`` before BAC or
PACE), BAC and PACE, secure messaging that MACs every response and carries DO'99', extended length, active
and chip authentication, and the faults a border post meets.

:class:`ChipEmulator` is a :class:`checkpoint.emrtd.CardTransport`: hand it to ``read_chip`` directly, or put
it behind a virtual reader. Build one from a document with :func:`build_chip`::

    >>> pki = ChipPKI.create()                                                        # doctest: +SKIP
    >>> chip = ChipEmulator.from_document(specimen_document(), pki)
    >>> report = read_chip(chip, AccessKey.from_mrz(chip.document.mrz_lines), trust=pki.trust_store())
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from checkpoint.mocks.chip_access import (
    ChipBAC,
    ChipPACE,
    Refused,
    active_authentication_signature,
    chip_authentication_keys,
)
from checkpoint.mocks.chip_lds import ChipDocument, do

if TYPE_CHECKING:
    from checkpoint.mocks.chip_pki import ChipPKI
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from checkpoint.emrtd.crypto import SessionKeys, pad
from checkpoint.emrtd.errors import CardRemoved

log = logging.getLogger(__name__)

EMRTD_AID: Final = bytes.fromhex("A0000002471001")
MF: Final = "MF"
APPLICATION: Final = "eMRTD"
OK: Final = 0x9000
# The last arc of a chip-authentication protocol OID names its cipher (ICAO 9303-11, 9.2.5).
CA_CIPHERS: Final = {"1": "3DES", "2": "AES-128", "3": "AES-192", "4": "AES-256"}


def _atr() -> bytes:
    # A contactless card as PC/SC presents it (PC/SC part 3, ISO 14443-4 type B): 3B 88 80 01, the
    # application data of ATQB and protocol info, and the check byte TCK (XOR of T0 to the last byte).
    body = bytes.fromhex("888001") + bytes.fromhex("00000000") + bytes.fromhex("77818000")
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes((tck,))


@dataclass(frozen=True)
class ChipFaults:
    """What is wrong with this chip. ``pull_after``: the card leaves the field after that many APDUs;
    ``clone``: a copy of the data without the private keys, so AA and CA fail. The personalisation faults
    are made by :func:`build_chip`: ``wrong_mrz`` (the chip's access key is another document number's, so
    the printed MRZ does not open it), a tampered or injected data group, a wrong or expired signer."""

    pull_after: int | None = None
    clone: bool = False
    wrong_mrz: bool = False
    tampered_dg: int | None = None
    injected_dg: int | None = None
    wrong_signer: bool = False
    expired_signer: bool = False


@dataclass
class ChipKeys:
    """The chip's secrets: what opens it and the private keys of DG15 and DG14."""

    mrz_information: str
    can: str
    active_authentication: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None
    chip_authentication: ec.EllipticCurvePrivateKey | None = None
    chip_authentication_cipher: str = "AES-128"


@dataclass
class ChipEmulator:
    """The card: ``transmit(apdu)`` answers as the chip would. ``pace`` maps offered protocol OIDs to
    parameter ids; ``extended_length`` False makes the chip refuse extended APDUs with 6700."""

    document: ChipDocument
    card_access: bytes | None
    files: Mapping[int, bytes]
    keys: ChipKeys = field(repr=False)
    pace: Mapping[str, int] = field(default_factory=dict)
    faults: ChipFaults = field(default_factory=ChipFaults)
    extended_length: bool = True
    atr: bytes = field(default_factory=_atr)
    apdus: int = 0
    powered: bool = True
    removed: bool = False

    def __post_init__(self) -> None:
        self._reset_state()

    @classmethod
    def from_document(cls, document: ChipDocument, pki: ChipPKI, **options: Any) -> ChipEmulator:
        """A chip personalised with ``document``, signed by ``pki``: see :func:`chip_build.build_chip`."""
        from checkpoint.mocks.chip_build import build_chip

        return build_chip(document, pki, **options)

    # Power and presence ---------------------------------------------------------------------------

    def power_on(self) -> bytes:
        """Power the card (a fresh session); returns the ATR. Raises CardRemoved if it was pulled."""
        if self.removed:
            raise CardRemoved("no card in the field")
        self.powered = True
        self._reset_state()
        return self.atr

    def power_off(self) -> None:
        self.powered = False
        self._reset_state()

    def reset(self) -> bytes:
        """Warm reset: the session ends (keys forgotten), the ATR again."""
        return self.power_on()

    def insert(self) -> None:
        """Put a pulled card back in the field (powered off until power_on)."""
        self.removed = False
        self.powered = False
        self.apdus = 0

    def _reset_state(self) -> None:
        self.current_df = MF
        self.current_ef: int | None = None
        self.session: SessionKeys | None = None
        self.bac = ChipBAC(self.keys.mrz_information)
        passwords = {1: _sha1(self.keys.mrz_information), 2: self.keys.can.encode("ascii")}
        self.pace_state = ChipPACE(passwords, dict(self.pace))
        self.pending_keys: SessionKeys | None = None
        self.ca_protocol: str | None = None

    # The exchange -----------------------------------------------------------------------------------

    def transmit(self, apdu: bytes) -> bytes:
        """Answer one command APDU. Raises CardRemoved when the card is not in the field or powered."""
        if self.removed or not self.powered:
            raise CardRemoved("the card is not in the reader's field")
        self.apdus += 1
        if self.faults.pull_after is not None and self.apdus > self.faults.pull_after:
            self.removed = True
            self.powered = False
            raise CardRemoved("the card was pulled out of the field")
        response = self._answer(apdu)
        log.debug("chip %s -> %s", apdu.hex(), response.hex())
        return response

    def _answer(self, apdu: bytes) -> bytes:
        try:
            cla, ins, p1, p2, data, le, extended = _parse(apdu)
        except ValueError:
            return _sw(0x6700)
        if extended and not self.extended_length:
            return _sw(0x6700)
        if cla & 0x0C == 0x0C:
            return self._secure(cla, ins, p1, p2, data, le, extended)
        if self.session is not None:
            # A plain command during secure messaging ends the session (9303-11 section 9.8.6).
            self.session = None
        return self._plain(cla, ins, p1, p2, data, le)

    def _plain(self, cla: int, ins: int, p1: int, p2: int, data: bytes, le: int | None) -> bytes:
        try:
            body = self._command(cla, ins, p1, p2, data, le, secured=False)
        except Refused as exc:
            return _sw(exc.sw)
        return body + _sw(OK)

    def _secure(
        self, cla: int, ins: int, p1: int, p2: int, data: bytes, le: int | None, extended: bool
    ) -> bytes:
        keys = self.session
        if keys is None:
            return _sw(0x6982)
        keys.ssc += 1
        objects = _objects(data)
        if objects is None or 0x8E not in objects:
            self.session = None
            return _sw(0x6987)
        covered = b"".join(do(t, v) for t, v in objects.items() if t in (0x85, 0x87, 0x97))
        header = pad(bytes((cla, ins, p1, p2)), keys.block_size)
        if keys.mac(header + covered) != objects[0x8E]:
            self.session = None
            return _sw(0x6988)
        plain = b""
        try:
            if 0x87 in objects:
                plain = keys.decrypt(objects[0x87][1:])
            elif 0x85 in objects:
                plain = keys.decrypt(objects[0x85])
        except ValueError:
            self.session = None
            return _sw(0x6988)
        inner_le = None
        if 0x97 in objects:
            inner_le = int.from_bytes(objects[0x97], "big") or (65536 if len(objects[0x97]) == 2 else 256)
        try:
            body, sw = self._command(cla & ~0x0C, ins, p1, p2, plain, inner_le, secured=True), OK
        except Refused as exc:
            body, sw = b"", exc.sw
        keys.ssc += 1
        reply = self._protected_data(keys, ins, body)
        if not extended and len(reply) + 14 > 256:  # DO'99' and DO'8E' follow: 4 + 10 bytes
            # A short APDU's answer holds at most 256 bytes: the reader should have asked with extended Le.
            reply, sw = b"", 0x6700
        reply += do(0x99, sw.to_bytes(2, "big"))
        reply += do(0x8E, keys.mac(reply))
        if self.pending_keys is not None:  # chip authentication: this answer still under the old keys
            self.session, self.pending_keys = self.pending_keys, None
        return reply + _sw(sw)

    @staticmethod
    def _protected_data(keys: SessionKeys, ins: int, body: bytes) -> bytes:
        if not body:
            return b""
        if ins & 1:  # odd instructions carry BER-TLV data: DO'85' without the padding indicator
            return do(0x85, keys.encrypt(body))
        return do(0x87, b"\x01" + keys.encrypt(body))

    # Commands ----------------------------------------------------------------------------------------

    def _command(
        self, cla: int, ins: int, p1: int, p2: int, data: bytes, le: int | None, *, secured: bool
    ) -> bytes:
        if ins == 0xA4:
            return self._select(p1, data)
        if ins == 0xB0:
            return self._read_binary(p1, p2, le, secured)
        if ins == 0xB1:
            return self._read_binary_odd(data, le, secured)
        if ins == 0x84 and not secured:
            return self.bac.get_challenge()
        if ins == 0x82 and not secured:
            answer, keys = self.bac.mutual_authenticate(data)
            self.session = keys
            return answer
        if ins == 0x22:
            return self._manage_security_environment(p1, p2, data, secured)
        if ins == 0x86:
            return self._general_authenticate(data, secured)
        if ins == 0x88 and secured:
            return self._internal_authenticate(data)
        if ins in (0x88, 0x84, 0x82):
            raise Refused(0x6982)
        raise Refused(0x6D00)

    def _select(self, p1: int, data: bytes) -> bytes:
        if p1 == 0x00:
            self.current_df, self.current_ef = MF, None
        elif p1 == 0x04:
            if data != EMRTD_AID:
                raise Refused(0x6A82)
            self.current_df, self.current_ef = APPLICATION, None
        elif p1 == 0x02 and len(data) == 2:
            fid = int.from_bytes(data, "big")
            if (self.current_df == MF and fid == 0x011C and self.card_access is not None) or (
                self.current_df == APPLICATION and fid in self.files
            ):
                self.current_ef = fid
            else:
                raise Refused(0x6A82)
        else:
            raise Refused(0x6A86)
        return b""

    def _read_binary(self, p1: int, p2: int, le: int | None, secured: bool) -> bytes:
        if p1 & 0x80:
            raise Refused(0x6A81)  # short file identifiers: not offered by this chip
        content = self._selected_content(secured)
        offset = (p1 << 8) | p2
        if offset > len(content):
            raise Refused(0x6B00)
        return content[offset : offset + (le if le is not None else 256)]

    def _selected_content(self, secured: bool) -> bytes:
        if self.current_ef is None:
            raise Refused(0x6986)
        if self.current_df == APPLICATION and not secured:
            raise Refused(0x6982)
        content = self.card_access if self.current_ef == 0x011C else self.files[self.current_ef]
        assert content is not None
        return content

    def _read_binary_odd(self, data: bytes, le: int | None, secured: bool) -> bytes:
        objects = _objects(data)
        if objects is None or 0x54 not in objects or len(objects[0x54]) > 3:
            raise Refused(0x6A80)
        offset = int.from_bytes(objects[0x54], "big")
        wanted = (le or 256) - 4  # room for the 53 L header
        content = self._selected_content(secured)
        if offset > len(content):
            raise Refused(0x6B00)
        return do(0x53, content[offset : offset + max(wanted, 1)])

    def _manage_security_environment(self, p1: int, p2: int, data: bytes, secured: bool) -> bytes:
        objects = _objects(data)
        if objects is None:
            raise Refused(0x6A80)
        if (p1, p2) == (0xC1, 0xA4) and not secured:  # PACE
            oid = _dotted(objects.get(0x80, b""))
            reference = objects.get(0x83, b"\x00")[0]
            parameter = objects[0x84][0] if 0x84 in objects else None
            self.pace_state.set_at(oid, reference, parameter)
            return b""
        if not secured:
            raise Refused(0x6982)
        if (p1, p2) == (0x41, 0xA6) and 0x91 in objects:  # chip authentication, 3DES: MSE:Set KAT
            self.pending_keys = self._chip_authentication(objects[0x91], "3DES")
            return b""
        if (p1, p2) == (0x41, 0xA4) and 0x80 in objects:  # chip authentication, AES: MSE:Set AT
            protocol = _dotted(objects[0x80])
            if protocol.rsplit(".", 1)[-1] not in CA_CIPHERS:
                raise Refused(0x6A80)  # a protocol this chip does not have, as a real chip answers
            self.ca_protocol = protocol
            return b""
        raise Refused(0x6A80)

    def _general_authenticate(self, data: bytes, secured: bool) -> bytes:
        outer = _objects(data)
        if outer is None or 0x7C not in outer:
            raise Refused(0x6A80)
        inner = _objects(outer[0x7C])
        if inner is None:
            raise Refused(0x6A80)
        if secured and self.ca_protocol is not None and 0x80 in inner:
            cipher = CA_CIPHERS[self.ca_protocol.rsplit(".", 1)[1]]
            self.pending_keys = self._chip_authentication(inner[0x80], cipher)
            self.ca_protocol = None
            return do(0x7C, b"")
        if secured:
            raise Refused(0x6985)
        tag, value = next(iter(inner.items())) if inner else (0, b"")
        answer = do(0x7C, self.pace_state.general_authenticate(tag, value))
        if self.pace_state.step == 5 and self.pace_state.keys is not None:
            self.session = self.pace_state.keys
        return answer

    def _chip_authentication(self, ephemeral: bytes, cipher: str) -> SessionKeys:
        key = self.keys.chip_authentication
        if key is None:
            raise Refused(0x6A88)
        if self.faults.clone:
            key = ec.generate_private_key(key.curve)  # the clone lacks the chip's private key
        try:
            return chip_authentication_keys(key, ephemeral, cipher)
        except ValueError:
            raise Refused(0x6A80) from None

    def _internal_authenticate(self, challenge: bytes) -> bytes:
        key = self.keys.active_authentication
        if key is None:
            raise Refused(0x6D00)
        if len(challenge) != 8:
            raise Refused(0x6700)
        if self.faults.clone:
            key = _clone_key(key)
        return active_authentication_signature(key, challenge)


def _clone_key(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    from checkpoint.mocks.chip_pki import cached_key

    if isinstance(key, rsa.RSAPrivateKey):
        return cached_key("rsa1024", 9)
    return ec.generate_private_key(key.curve)


def _sha1(text: str) -> bytes:
    import hashlib

    return hashlib.sha1(text.encode("ascii")).digest()


def _sw(sw: int) -> bytes:
    return sw.to_bytes(2, "big")


def _objects(data: bytes) -> dict[int, bytes] | None:
    """The top-level data objects of ``data`` by tag, or None when malformed."""
    found: dict[int, bytes] = {}
    i = 0
    try:
        while i < len(data):
            tag = data[i]
            i += 1
            if tag & 0x1F == 0x1F:
                tag = (tag << 8) | data[i]
                i += 1
            length = data[i]
            i += 1
            if length & 0x80:
                size = length & 0x7F
                length = int.from_bytes(data[i : i + size], "big")
                i += size
            if i + length > len(data):
                return None
            found[tag] = data[i : i + length]
            i += length
    except IndexError:
        return None
    return found


def _dotted(contents: bytes) -> str:
    if not contents:
        return ""
    arcs = [contents[0] // 40, contents[0] % 40]
    value = 0
    for b in contents[1:]:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            arcs.append(value)
            value = 0
    return ".".join(map(str, arcs))


def _parse(apdu: bytes) -> tuple[int, int, int, int, bytes, int | None, bool]:
    """CLA INS P1 P2, data, Le (None absent; 0 stays 0 here and means 'all'), extended or not."""
    if len(apdu) < 4:
        raise ValueError("short APDU")
    cla, ins, p1, p2 = apdu[:4]
    body = apdu[4:]
    if not body:
        return cla, ins, p1, p2, b"", None, False
    if len(body) == 1:
        return cla, ins, p1, p2, b"", body[0] or 256, False
    if body[0] == 0 and len(body) >= 3:
        if len(body) == 3:
            return cla, ins, p1, p2, b"", int.from_bytes(body[1:], "big") or 65536, True
        lc = int.from_bytes(body[1:3], "big")
        if len(body) not in (3 + lc, 5 + lc):
            raise ValueError("extended APDU length mismatch")
        tail = body[3 + lc :]
        return (
            cla,
            ins,
            p1,
            p2,
            body[3 : 3 + lc],
            (int.from_bytes(tail, "big") or 65536) if tail else None,
            True,
        )
    lc = body[0]
    if len(body) not in (1 + lc, 2 + lc):
        raise ValueError("APDU length mismatch")
    tail = body[1 + lc :]
    return cla, ins, p1, p2, body[1 : 1 + lc], (tail[0] or 256) if tail else None, False
