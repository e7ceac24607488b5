"""Signature checks that also work for keys `cryptography` cannot load (before its release 51): elliptic-curve
keys written with explicit domain parameters, as many states' CSCA and Document Signer certificates (and some
DG15 keys) are.

Such keys are loaded with python-ecdsa, which matches explicit parameters to the named curve they are.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.hashes import HashAlgorithm
from ecdsa import BadSignatureError, VerifyingKey
from ecdsa.curves import UnknownCurveError
from ecdsa.der import UnexpectedDER
from ecdsa.errors import MalformedPointError
from ecdsa.util import sigdecode_der, sigdecode_string

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
# The hash functions ICAO 9303 allows, by the names asn1crypto and hashlib give them.
HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class ContentDigestMismatch(InvalidSignature):
    """The signed attributes' message digest is not the digest of the signed content."""


def load_public_key(spki: bytes) -> PublicKey | VerifyingKey:
    """The key of a DER SubjectPublicKeyInfo: a `cryptography` key, or a python-ecdsa key for explicit
    elliptic-curve parameters. Raises UnsupportedAlgorithm for anything else."""
    try:
        key = serialization.load_der_public_key(spki)
    except (ValueError, UnsupportedAlgorithm):
        try:
            return VerifyingKey.from_der(spki, valid_curve_encodings=("named_curve", "explicit"))
        except (UnexpectedDER, MalformedPointError, UnknownCurveError, ValueError) as exc:
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


def signer_certificate(
    signed_data: cms.SignedData, elsewhere: Iterable[x509.Certificate] = ()
) -> x509.Certificate | None:
    """The certificate of a CMS SignedData's (first) signer, by issuer and serial or by key identifier:
    one the SignedData carries, else one of ``elsewhere`` (Document Signer certificates a post installed
    for SODs that carry none); None when there is no match."""
    sid = signed_data["signer_infos"][0]["sid"]
    carried = [c.chosen for c in signed_data["certificates"] or [] if c.name == "certificate"]
    installed = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in elsewhere]
    for cert in carried + installed:
        if sid.name == "issuer_and_serial_number":
            match = (
                cert.issuer == sid.chosen["issuer"]
                and cert.serial_number == sid.chosen["serial_number"].native
            )
        else:
            match = cert.key_identifier == sid.chosen.native
        if match:
            return x509.load_der_x509_certificate(cert.dump())
    return None


def verify_signed_data(signed_data: cms.SignedData, content: bytes, cert: x509.Certificate) -> None:
    """Verify the first SignerInfo of ``signed_data`` over ``content`` with ``cert``'s key: the message
    digest attribute against the content, then the signature over the signed attributes (RSA PKCS #1 v1.5
    or PSS, ECDSA). Raises ContentDigestMismatch, InvalidSignature, UnsupportedAlgorithm or ValueError."""
    signer = signed_data["signer_infos"][0]
    digest_name = signer["digest_algorithm"]["algorithm"].native
    attrs = signer["signed_attrs"]
    if attrs.native is None:
        signed_bytes = content
    else:
        digests = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
        if digest_name not in HASHES or not digests:
            raise ContentDigestMismatch(f"signed attributes lack a usable message digest ({digest_name})")
        if not hmac.compare_digest(digests[0], hashlib.new(digest_name, content).digest()):
            raise ContentDigestMismatch("message digest does not match the signed content")
        signed_bytes = b"\x31" + attrs.dump()[1:]  # signed as a SET OF, stored as [0] IMPLICIT
    algorithm = signer["signature_algorithm"]
    chosen = HASHES[_hash_name(algorithm, digest_name)]()
    rsa_padding: padding.AsymmetricPadding | None = None
    if algorithm.signature_algo == "rsassa_pss":
        params = algorithm["parameters"]
        rsa_padding = padding.PSS(
            mgf=padding.MGF1(HASHES[params["mask_gen_algorithm"]["parameters"]["algorithm"].native]()),
            salt_length=params["salt_length"].native,
        )
        chosen = HASHES[params["hash_algorithm"]["algorithm"].native]()
    verify(
        load_public_key(certificate_key_spki(cert)),
        signer["signature"].native,
        signed_bytes,
        chosen,
        rsa_padding,
    )


def _hash_name(algorithm: cms.SignedDigestAlgorithm, digest_name: str) -> str:
    try:
        name = str(algorithm.hash_algo)
    except (ValueError, KeyError):
        name = digest_name  # rsaEncryption and similar name no hash: the digest algorithm's applies
    if name not in HASHES:
        raise ValueError(f"hash {name} is not one ICAO allows")
    return name


def encapsulated_content(signed_data: cms.SignedData) -> bytes:
    """The bytes a SignedData signs (its eContent), whatever type asn1crypto parsed them as."""
    content = signed_data["encap_content_info"]["content"]
    raw = content.native
    return raw if isinstance(raw, bytes) else bytes(content.contents)
