"""Active authentication's signature schemes, checked against signatures made here from the standards."""

from __future__ import annotations

import hashlib

from checkpoint.mocks.chip_pki import cached_key
from cryptography.hazmat.primitives.asymmetric import rsa

from checkpoint.emrtd.active import verify_rsa_9796_2

CHALLENGE = bytes.fromhex("0123456789ABCDEF")


def _sign(key: rsa.RSAPrivateKey, message: bytes, *, complement: bool = False) -> bytes:
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    s = pow(int.from_bytes(message, "big"), numbers.d, n)
    return (n - s if complement else s).to_bytes((n.bit_length() + 7) // 8, "big")


def _message(size: int, digest: str, trailer: bytes) -> bytes:
    length = hashlib.new(digest).digest_size
    m1 = bytes(range(size - length - 1 - len(trailer)))[: size - length - 1 - len(trailer)]
    m1 = (m1 * 4)[: size - length - 1 - len(trailer)]
    return b"\x6a" + m1 + hashlib.new(digest, m1 + CHALLENGE).digest() + trailer


def test_iso_9796_2_scheme_1_with_sha1_and_sha256_trailers_and_the_complement() -> None:
    key = cached_key("rsa1024")
    assert isinstance(key, rsa.RSAPrivateKey)
    size = (key.key_size + 7) // 8
    public = key.public_key()
    sha1 = _message(size, "sha1", b"\xbc")
    sha256 = _message(size, "sha256", b"\x34\xcc")
    assert verify_rsa_9796_2(public, CHALLENGE, _sign(key, sha1))
    assert verify_rsa_9796_2(public, CHALLENGE, _sign(key, sha256))
    assert verify_rsa_9796_2(public, CHALLENGE, _sign(key, sha1, complement=True))
    assert not verify_rsa_9796_2(public, bytes(8), _sign(key, sha1))  # another challenge
    assert not verify_rsa_9796_2(public, CHALLENGE, _sign(key, _message(size, "sha1", b"\xbd")))
    assert not verify_rsa_9796_2(public, CHALLENGE, b"\xff" * size)  # not below the modulus
