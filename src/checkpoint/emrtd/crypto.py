"""Low-level primitives of ICAO 9303-11 section 9: key derivation, 3DES and AES in CBC, the retail MAC
(ISO/IEC 9797-1 MAC algorithm 3) and AES-CMAC, and ISO/IEC 9797-1 padding method 2.

These are building blocks only: the protocols that use them live in their own modules.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Final

from Crypto.Cipher import DES, DES3
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# KDF counters (9303-11 section 9.7.1).
KDF_ENC: Final = 1
KDF_MAC: Final = 2
KDF_PACE: Final = 3

CIPHERS: Final = ("3DES", "AES-128", "AES-192", "AES-256")


def adjust_parity(key: bytes) -> bytes:
    """Set each byte's lowest bit so the byte has odd parity, as DES keys require."""
    return bytes((b & 0xFE) | ((bin(b >> 1).count("1") + 1) & 1) for b in key)


def kdf(secret: bytes, counter: int, cipher: str = "3DES") -> bytes:
    """KDF(K, c) of 9303-11 section 9.7.1: the key for ``cipher`` derived from the shared secret ``secret``.

    3DES: SHA-1, 16 bytes, DES parity adjusted; AES-128: SHA-1, 16 bytes; AES-192/256: SHA-256, 24/32 bytes.
    """
    data = secret + counter.to_bytes(4, "big")
    if cipher == "3DES":
        return adjust_parity(hashlib.sha1(data).digest()[:16])
    if cipher == "AES-128":
        return hashlib.sha1(data).digest()[:16]
    if cipher == "AES-192":
        return hashlib.sha256(data).digest()[:24]
    if cipher == "AES-256":
        return hashlib.sha256(data).digest()
    raise ValueError(f"unknown cipher {cipher!r}: expected one of {', '.join(CIPHERS)}")


def pad(data: bytes, block: int = 8) -> bytes:
    """ISO/IEC 9797-1 padding method 2: append 0x80, then zeros to a whole number of blocks."""
    data += b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes:
    """Remove padding method 2; raises ValueError when the data is not so padded."""
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise ValueError("padding method 2 expected (0x80 then zeros)")
    return stripped[:-1]


def des3_encrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """Two-key 3DES in CBC mode (``key`` is K1||K2, 16 bytes); ``data`` a whole number of blocks."""
    return DES3.new(_des3_key(key), DES3.MODE_CBC, iv=iv).encrypt(data)


def des3_decrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """Inverse of :func:`des3_encrypt`."""
    return DES3.new(_des3_key(key), DES3.MODE_CBC, iv=iv).decrypt(data)


def _des3_key(key: bytes) -> bytes:
    # pycryptodome refuses a 3DES key whose halves are equal (it degenerates to DES); ICAO keys never are.
    return key[:16] + key[:8] if len(key) == 16 else key


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 (the retail MAC) with DES, over ``data`` already padded to 8 bytes."""
    k1, k2 = key[:8], key[8:16]
    chained = DES.new(k1, DES.MODE_CBC, iv=bytes(8)).encrypt(data)[-8:]
    return DES.new(k1, DES.MODE_ECB).encrypt(DES.new(k2, DES.MODE_ECB).decrypt(chained))


def aes_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    """AES in CBC mode; ``data`` a whole number of 16-byte blocks."""
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def aes_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    """Inverse of :func:`aes_encrypt`."""
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def aes_ecb_encrypt(key: bytes, block: bytes) -> bytes:
    """One AES block, no chaining (used for the AES secure-messaging IV)."""
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def aes_cmac(key: bytes, data: bytes) -> bytes:
    """AES-CMAC (NIST SP 800-38B), all 16 bytes; secure messaging and PACE tokens keep the first 8."""
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


@dataclass
class SessionKeys:
    """Secure-messaging keys and send sequence counter of one session, with the cipher's three operations.

    ``ssc`` is the counter as an integer; :attr:`ssc_bytes` gives it as the block-sized big-endian bytes
    the MAC input starts with. Callers increment it themselves, as their side of the protocol requires.
    """

    cipher: str
    ks_enc: bytes = field(repr=False)
    ks_mac: bytes = field(repr=False)
    ssc: int = 0

    @property
    def block_size(self) -> int:
        return 8 if self.cipher == "3DES" else 16

    @property
    def ssc_bytes(self) -> bytes:
        return self.ssc.to_bytes(self.block_size, "big")

    def encrypt(self, data: bytes) -> bytes:
        """Pad and encrypt ``data`` under KSenc with the IV this session's SSC gives."""
        if self.cipher == "3DES":
            return des3_encrypt(self.ks_enc, pad(data, 8))
        return aes_encrypt(self.ks_enc, pad(data, 16), aes_ecb_encrypt(self.ks_enc, self.ssc_bytes))

    def decrypt(self, data: bytes) -> bytes:
        """Decrypt and unpad; raises ValueError for a wrong length or padding."""
        if not data or len(data) % self.block_size:
            raise ValueError(f"cryptogram of {len(data)} bytes is not whole {self.block_size}-byte blocks")
        if self.cipher == "3DES":
            return unpad(des3_decrypt(self.ks_enc, data))
        return unpad(aes_decrypt(self.ks_enc, data, aes_ecb_encrypt(self.ks_enc, self.ssc_bytes)))

    def mac(self, data: bytes) -> bytes:
        """The 8-byte MAC over SSC || ``data`` (``data`` unpadded: this pads it)."""
        message = pad(self.ssc_bytes + data, self.block_size)
        if self.cipher == "3DES":
            return retail_mac(self.ks_mac, message)
        return aes_cmac(self.ks_mac, message)[:8]

    @classmethod
    def derive(cls, secret: bytes, cipher: str, ssc: int = 0) -> SessionKeys:
        """KSenc = KDF(secret, 1), KSmac = KDF(secret, 2) for ``cipher``."""
        return cls(cipher, kdf(secret, KDF_ENC, cipher), kdf(secret, KDF_MAC, cipher), ssc)
