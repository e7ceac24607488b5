"""Signature checks that also work for keys `cryptography` cannot load: elliptic-curve keys written with
explicit domain parameters, as many states' CSCA and Document Signer certificates (and some DG15 keys) are.

Such keys are loaded with python-ecdsa, which matches explicit parameters to the named curve they are.
"""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.hashes import HashAlgorithm
from ecdsa import BadSignatureError, VerifyingKey
from ecdsa.der import UnexpectedDER
from ecdsa.errors import MalformedPointError
from ecdsa.util import sigdecode_der, sigdecode_string

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def load_public_key(spki: bytes) -> PublicKey | VerifyingKey:
    """The key of a DER SubjectPublicKeyInfo: a `cryptography` key, or a python-ecdsa key for explicit
    elliptic-curve parameters. Raises UnsupportedAlgorithm for anything else."""
    try:
        key = serialization.load_der_public_key(spki)
    except (ValueError, UnsupportedAlgorithm):
        try:
            return VerifyingKey.from_der(spki, valid_curve_encodings=("named_curve", "explicit"))
        except (UnexpectedDER, MalformedPointError, ValueError) as exc:
            raise UnsupportedAlgorithm(f"public key cannot be loaded: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        raise UnsupportedAlgorithm(f"{type(key).__name__} keys are not used by travel documents")
    return key


def certificate_key_spki(cert: x509.Certificate) -> bytes:
    """The DER SubjectPublicKeyInfo of ``cert``, read without loading the key."""
    from asn1crypto import x509 as asn1_x509

    parsed = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    return bytes(parsed["tbs_certificate"]["subject_public_key_info"].dump())


def verify(
    key: PublicKey | VerifyingKey,
    signature: bytes,
    data: bytes,
    algorithm: HashAlgorithm,
    rsa_padding: padding.AsymmetricPadding | None = None,
    *,
    plain: bool = False,
) -> None:
    """Verify ``signature`` over ``data``; ECDSA signatures are DER unless ``plain`` (r || s).

    Raises InvalidSignature when it does not verify.
    """
    if isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, rsa_padding or padding.PKCS1v15(), algorithm)
        return
    if isinstance(key, ec.EllipticCurvePublicKey) and not plain:
        key.verify(signature, data, ec.ECDSA(algorithm))
        return
    if isinstance(key, ec.EllipticCurvePublicKey):
        key = VerifyingKey.from_der(
            key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
    assert isinstance(key, VerifyingKey)
    try:
        key.verify(
            signature,
            data,
            hashfunc=getattr(hashlib, algorithm.name.replace("-", "")),
            sigdecode=sigdecode_string if plain else sigdecode_der,
        )
    except (BadSignatureError, UnexpectedDER, ValueError, AssertionError) as exc:
        raise InvalidSignature(str(exc)) from exc


def verify_issued_by(
    cert: x509.Certificate | x509.CertificateRevocationList, issuer: x509.Certificate
) -> None:
    """Verify that ``issuer``'s key signed ``cert`` (a certificate or a CRL). Raises InvalidSignature,
    or UnsupportedAlgorithm when the algorithm cannot be checked."""
    key = load_public_key(certificate_key_spki(issuer))
    hash_algorithm = cert.signature_hash_algorithm
    if hash_algorithm is None:
        raise UnsupportedAlgorithm("signature without a hash algorithm")
    tbs = cert.tbs_certificate_bytes if isinstance(cert, x509.Certificate) else cert.tbs_certlist_bytes
    parameters = cert.signature_algorithm_parameters
    rsa_padding = parameters if isinstance(parameters, padding.PSS | padding.PKCS1v15) else None
    verify(key, cert.signature, tbs, hash_algorithm, rsa_padding)
