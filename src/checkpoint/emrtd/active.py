"""Active authentication (ICAO 9303-11 section 6.1): the chip signs the reader's challenge with the private
key whose public half DG15 holds (and the SOD signs): a copied chip cannot.

RSA: ISO/IEC 9796-2 digital signature scheme 1 (partial message recovery). ECDSA: plain signature r || s
(BSI TR-03111) with the hash DG14's ActiveAuthenticationInfo names.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable

from asn1crypto import keys
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from ecdsa import VerifyingKey

from checkpoint.emrtd.apdu import SW_OK, command, split_response
from checkpoint.emrtd.errors import CardRemoved, ChipError, ChipStatusError
from checkpoint.emrtd.report import ACTIVE_AUTHENTICATION, CheckStatus, Verification
from checkpoint.emrtd.securityinfos import ECDSA_PLAIN_SIGNATURES, ActiveAuthenticationInfo
from checkpoint.emrtd.signatures import load_public_key, verify
from checkpoint.emrtd.transport import CardTransport

# ISO/IEC 10118-3 hash identifiers of the two-byte trailer (xx CC); trailer BC alone means SHA-1.
TRAILER_HASHES = {0x33: "sha1", 0x34: "sha256", 0x35: "sha512", 0x36: "sha384", 0x38: "sha224"}
PLAIN_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "1": hashes.SHA1,
    "2": hashes.SHA224,
    "3": hashes.SHA256,
    "4": hashes.SHA384,
    "5": hashes.SHA512,
}


def internal_authenticate(card: CardTransport, challenge: bytes, *, extended: bool = False) -> bytes:
    """INTERNAL AUTHENTICATE with the 8-byte ``challenge``; returns the chip's signature. ``extended``
    asks with extended length: a 2048-bit RSA signature under secure messaging exceeds a short answer."""
    apdu = command(0x00, 0x88, 0x00, 0x00, challenge, le=0, extended=extended)
    signature, sw = split_response(card.transmit(apdu))
    if sw != SW_OK:
        raise ChipStatusError("INTERNAL AUTHENTICATE", sw)
    return signature


def verify_rsa_9796_2(public_key: rsa.RSAPublicKey, challenge: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is an ISO/IEC 9796-2 scheme 1 signature over M1 (recovered) || ``challenge``."""
    numbers = public_key.public_numbers()
    n, size = numbers.n, (numbers.n.bit_length() + 7) // 8
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    for m in (pow(s, numbers.e, n), n - pow(s, numbers.e, n)):  # the signer may have sent min(s, n - s)
        message = m.to_bytes(size, "big")
        if message[0] & 0xC0 != 0x40:
            continue
        if message[-1] == 0xBC:
            name, trailer = "sha1", 1
        elif message[-1] == 0xCC and message[-2] in TRAILER_HASHES:
            name, trailer = TRAILER_HASHES[message[-2]], 2
        else:
            continue
        length = hashlib.new(name).digest_size
        body = message[: len(message) - trailer]
        digest, m1 = body[-length:], body[1:-length]
        if hmac.compare_digest(hashlib.new(name, m1 + challenge).digest(), digest):
            return True
    return False


def verify_ecdsa_plain(
    public_key: ec.EllipticCurvePublicKey | VerifyingKey,
    challenge: bytes,
    signature: bytes,
    algorithm: str | None,
) -> bool:
    """Whether ``signature`` (r || s) is an ECDSA signature over ``challenge`` with the named hash."""
    size = (
        public_key.key_size
        if isinstance(public_key, ec.EllipticCurvePublicKey)
        else 8 * public_key.curve.baselen
    )
    if algorithm and algorithm.startswith(ECDSA_PLAIN_SIGNATURES + "."):
        chosen = PLAIN_HASHES.get(algorithm.rsplit(".", 1)[1], hashes.SHA256)()
    else:
        chosen = hashes.SHA256() if size <= 256 else hashes.SHA384()
    if isinstance(public_key, VerifyingKey):  # explicit domain parameters
        try:
            verify(public_key, signature, challenge, chosen, plain=True)
        except InvalidSignature:
            return False
        return True
    half = len(signature) // 2
    if not half or len(signature) % 2:
        return False
    der = encode_dss_signature(
        int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    )
    try:
        public_key.verify(der, challenge, ec.ECDSA(chosen))
    except InvalidSignature:
        return False
    return True


def perform_active_authentication(
    card: CardTransport,
    dg15: keys.PublicKeyInfo,
    info: ActiveAuthenticationInfo | None,
    *,
    challenge: bytes | None = None,
) -> Verification:
    """Challenge the chip and check its signature under DG15's key. Returns PASS or FAIL (never raises for a
    wrong signature); raises ChipError subclasses only when the card itself fails (e.g. removed)."""
    challenge = challenge or os.urandom(8)
    try:
        public_key = load_public_key(dg15.dump())
    except UnsupportedAlgorithm as exc:
        return Verification(
            ACTIVE_AUTHENTICATION, CheckStatus.FAIL, f"DG15's public key cannot be used: {exc}"
        )
    kind = "RSA" if isinstance(public_key, rsa.RSAPublicKey) else "ECDSA"
    size = public_key.curve.baselen * 8 if isinstance(public_key, VerifyingKey) else public_key.key_size
    details = {"algorithm": kind, "key_size": str(size)}
    try:
        signature = internal_authenticate(card, challenge, extended=size > 1024)
    except CardRemoved:
        raise
    except ChipError as exc:
        return Verification(
            ACTIVE_AUTHENTICATION, CheckStatus.FAIL, f"the chip refused to sign the challenge: {exc}", details
        )
    if isinstance(public_key, rsa.RSAPublicKey):
        good = verify_rsa_9796_2(public_key, challenge, signature)
    else:
        good = verify_ecdsa_plain(
            public_key, challenge, signature, info.signature_algorithm if info else None
        )
    if not good:
        return Verification(
            ACTIVE_AUTHENTICATION,
            CheckStatus.FAIL,
            "the chip's signature does not verify under DG15's key: the chip may be a clone",
            details,
        )
    return Verification(
        ACTIVE_AUTHENTICATION, CheckStatus.PASS, f"the chip holds DG15's private key ({kind})", details
    )
