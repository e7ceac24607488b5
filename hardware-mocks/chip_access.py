"""The chip's side of access control and anti-cloning, written from ICAO 9303-11: BAC (4.3), PACE with
ECDH generic mapping (4.4), active authentication (6.1) and chip authentication (6.2).

Each protocol is a small state machine of its own; only the ciphers, MACs and KDF are shared with the
reader (:mod:`checkpoint.emrtd.crypto`), so a read of the emulator exercises the reader's protocol code
against an independent implementation.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from checkpoint.mocks.chip_lds import do
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from ecdsa import curves
from ecdsa.ellipticcurve import PointJacobi

from checkpoint.emrtd.crypto import (
    SessionKeys,
    aes_cmac,
    aes_encrypt,
    des3_decrypt,
    des3_encrypt,
    kdf,
    pad,
    retail_mac,
)
from checkpoint.emrtd.modp import MODP_GROUPS, ModpGroup

# Standardized domain parameters the emulator can offer (9303-11 table 6).
CURVES = {
    8: curves.NIST192p, 9: curves.BRAINPOOLP192r1, 10: curves.NIST224p, 11: curves.BRAINPOOLP224r1,
    12: curves.NIST256p, 13: curves.BRAINPOOLP256r1, 14: curves.BRAINPOOLP320r1, 15: curves.NIST384p,
    16: curves.BRAINPOOLP384r1, 17: curves.BRAINPOOLP512r1, 18: curves.NIST521p,
}  # fmt: skip


class Refused(Exception):
    """The chip answers the command with status word ``sw``."""

    def __init__(self, sw: int) -> None:
        super().__init__(f"{sw:04X}")
        self.sw = sw


def _size(curve: curves.Curve) -> int:
    return (int(curve.curve.p()).bit_length() + 7) // 8


def _point_bytes(curve: curves.Curve, point: PointJacobi) -> bytes:
    size = _size(curve)
    return b"\x04" + int(point.x()).to_bytes(size, "big") + int(point.y()).to_bytes(size, "big")


def _point(curve: curves.Curve, data: bytes) -> PointJacobi:
    size = _size(curve)
    if len(data) != 1 + 2 * size or data[0] != 4:
        raise Refused(0x6A80)
    x, y = int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big")
    if not curve.curve.contains_point(x, y):
        raise Refused(0x6A80)
    return PointJacobi(curve.curve, x, y, 1, curve.order)


class ChipBAC:
    """BAC: the chip's challenge, then the reader's proof and the chip's answer."""

    def __init__(self, mrz_information: str) -> None:
        seed = hashlib.sha1(mrz_information.encode("ascii")).digest()[:16]
        self.k_enc, self.k_mac = kdf(seed, 1), kdf(seed, 2)
        self.rnd_ic: bytes | None = None

    def get_challenge(self) -> bytes:
        self.rnd_ic = os.urandom(8)
        return self.rnd_ic

    def mutual_authenticate(self, data: bytes) -> tuple[bytes, SessionKeys]:
        """Return the chip's 40-byte answer and the session keys; Refused(6300) when the reader's proof fails."""
        if self.rnd_ic is None or len(data) != 40:
            raise Refused(0x6985 if self.rnd_ic is None else 0x6700)
        e_ifd, m_ifd = data[:32], data[32:]
        if retail_mac(self.k_mac, pad(e_ifd)) != m_ifd:
            raise Refused(0x6300)
        plain = des3_decrypt(self.k_enc, e_ifd)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:32]
        if rnd_ic != self.rnd_ic:
            raise Refused(0x6300)
        k_ic = os.urandom(16)
        e_ic = des3_encrypt(self.k_enc, rnd_ic + rnd_ifd + k_ic)
        answer = e_ic + retail_mac(self.k_mac, pad(e_ic))
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
        ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
        self.rnd_ic = None
        return answer, SessionKeys("3DES", kdf(seed, 1), kdf(seed, 2), ssc)


class _ECGroup:
    """An elliptic curve, written additively."""

    key_tag = 0x86

    def __init__(self, curve: curves.Curve) -> None:
        self.curve, self.order, self.generator = curve, int(curve.order), curve.generator

    def exp(self, element: PointJacobi, k: int) -> PointJacobi:
        return element * k

    def mul(self, a: PointJacobi, b: PointJacobi) -> PointJacobi:
        return a + b

    def encode(self, element: PointJacobi) -> bytes:
        return _point_bytes(self.curve, element)

    def decode(self, data: bytes) -> PointJacobi:
        return _point(self.curve, data)

    def secret(self, element: PointJacobi) -> bytes:
        return int(element.x()).to_bytes(_size(self.curve), "big")


class _DHGroup:
    """A MODP group of RFC 5114."""

    key_tag = 0x84

    def __init__(self, group: ModpGroup) -> None:
        self.p, self.order, self.generator = group.p, group.q, group.g
        self.size = (group.p.bit_length() + 7) // 8

    def exp(self, element: int, k: int) -> int:
        return pow(element, k, self.p)

    def mul(self, a: int, b: int) -> int:
        return a * b % self.p

    def encode(self, element: int) -> bytes:
        return element.to_bytes(self.size, "big")

    def decode(self, data: bytes) -> int:
        value = int.from_bytes(data, "big")
        if not 1 < value < self.p - 1:
            raise Refused(0x6A80)
        return value

    def secret(self, element: int) -> bytes:
        return self.encode(element)


@dataclass
class ChipPACE:
    """PACE with generic mapping (ECDH or DH): Set AT chooses protocol and password; four GENERAL
    AUTHENTICATE steps follow."""

    passwords: dict[int, bytes]  # password reference (1 MRZ, 2 CAN) -> K
    offered: dict[str, int]  # protocol OID -> parameter id
    step: int = 0
    protocol: str = ""
    cipher: str = ""
    group: Any = None
    password: bytes = b""
    nonce: int = 0
    mapped: Any = None
    secret_key: int = 0
    pk_pcd: bytes = b""
    pk_ic: bytes = b""
    keys: SessionKeys | None = field(default=None, repr=False)

    def set_at(self, oid: str, reference: int, parameter_id: int | None) -> None:
        if oid not in self.offered or reference not in self.passwords:
            raise Refused(0x6A80)
        if parameter_id is not None and parameter_id != self.offered[oid]:
            raise Refused(0x6A80)
        offered = self.offered[oid]
        self.group = _DHGroup(MODP_GROUPS[offered]) if offered in MODP_GROUPS else _ECGroup(CURVES[offered])
        self.protocol, self.password = oid, self.passwords[reference]
        self.cipher = {"1": "3DES", "2": "AES-128", "3": "AES-192", "4": "AES-256"}[oid.rsplit(".", 1)[1]]
        self.step = 1

    def general_authenticate(self, tag: int, value: bytes) -> bytes:
        """One step; returns the content of the chip's 7C template. Refused(6300) for a wrong token."""
        group = self.group
        if group is None:
            raise Refused(0x6985)
        if self.step == 1 and tag == 0:
            block = 8 if self.cipher == "3DES" else 16
            nonce = os.urandom(block)
            self.nonce = int.from_bytes(nonce, "big")
            k_pi = kdf(self.password, 3, self.cipher)
            z = des3_encrypt(k_pi, nonce) if self.cipher == "3DES" else aes_encrypt(k_pi, nonce)
            self.step = 2
            return do(0x80, z)
        if self.step == 2 and tag == 0x81:
            sk_map = secrets.randbelow(group.order - 1) + 1
            h = group.exp(group.decode(value), sk_map)
            self.mapped = group.mul(group.exp(group.generator, self.nonce), h)
            self.step = 3
            return do(0x82, group.encode(group.exp(group.generator, sk_map)))
        if self.step == 3 and tag == 0x83 and self.mapped is not None:
            self.secret_key = secrets.randbelow(group.order - 1) + 1
            self.pk_pcd = value
            self.pk_ic = group.encode(group.exp(self.mapped, self.secret_key))
            if self.pk_ic == value:
                raise Refused(0x6A80)
            secret = group.secret(group.exp(group.decode(value), self.secret_key))
            self.keys = SessionKeys(self.cipher, kdf(secret, 1, self.cipher), kdf(secret, 2, self.cipher), 0)
            self.step = 4
            return do(0x84, self.pk_ic)
        if self.step == 4 and tag == 0x85 and self.keys is not None:
            if value != self._token(self.pk_ic):
                self.step = 0
                raise Refused(0x6300)
            self.step = 5
            return do(0x86, self._token(self.pk_pcd))
        self.step = 0
        raise Refused(0x6985)

    def _token(self, public: bytes) -> bytes:
        assert self.keys is not None
        oid = _oid_contents(self.protocol)
        data = do(0x7F49, do(0x06, oid) + do(self.group.key_tag, public))
        if self.cipher == "3DES":
            return retail_mac(self.keys.ks_mac, pad(data))
        return aes_cmac(self.keys.ks_mac, data)[:8]


def _oid_contents(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray((arcs[0] * 40 + arcs[1],))
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


def active_authentication_signature(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, challenge: bytes
) -> bytes:
    """INTERNAL AUTHENTICATE's answer: ISO/IEC 9796-2 scheme 1 with SHA-1 (RSA), or plain ECDSA-SHA256."""
    if isinstance(key, rsa.RSAPrivateKey):
        numbers = key.private_numbers()
        n = numbers.public_numbers.n
        size = (n.bit_length() + 7) // 8
        m1 = os.urandom(size - 20 - 2)
        message = b"\x6a" + m1 + hashlib.sha1(m1 + challenge).digest() + b"\xbc"
        return pow(int.from_bytes(message, "big"), numbers.d, n).to_bytes(size, "big")
    r, s = decode_dss_signature(key.sign(challenge, ec.ECDSA(hashes.SHA256())))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def chip_authentication_keys(key: ec.EllipticCurvePrivateKey, ephemeral: bytes, cipher: str) -> SessionKeys:
    """The session keys after chip authentication: ECDH of the chip's static key and the reader's
    ephemeral point (uncompressed), KDF with counters 1 and 2, SSC 0."""
    public = ec.EllipticCurvePublicKey.from_encoded_point(key.curve, ephemeral)
    secret = key.exchange(ec.ECDH(), public)
    return SessionKeys(cipher, kdf(secret, 1, cipher), kdf(secret, 2, cipher), 0)
