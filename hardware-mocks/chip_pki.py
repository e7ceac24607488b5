"""A test PKI for e-passport chips: CSCA -> Document Signer -> EF.SOD over given data groups, CRLs, and
ICAO master lists. For this project's tests and for anyone who needs signed chip data without a state's
keys::

    >>> csca = make_csca("UT")                                                           # doctest: +SKIP
    >>> dsc = make_document_signer(csca, "UT")
    >>> sod = make_sod({1: dg1, 2: dg2}, dsc)

Keys are elliptic-curve (P-256) unless ``rsa=True``: EC keys are made in microseconds, RSA keys in tenths
of a second, so tests make each kind once (:func:`cached_key`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from checkpoint.mocks.chip_lds import do
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

LDS_SECURITY_OBJECT: Final = "2.23.136.1.1.1"
CSCA_MASTER_LIST: Final = "2.23.136.1.1.2"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class Credential:
    """A certificate and its private key."""

    certificate: x509.Certificate
    private_key: PrivateKey


@functools.cache
def cached_key(kind: str, slot: int = 0) -> PrivateKey:
    """A private key made once per process: ``kind`` "ec" (P-256), "ec384", "brainpool" (brainpoolP256r1),
    "rsa" (2048 bits) or "rsa1024";
    ``slot`` tells apart several keys of one kind."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ec384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "brainpool":
        return ec.generate_private_key(ec.BrainpoolP256R1())
    if kind in ("rsa", "rsa1024"):
        return rsa.generate_private_key(65537, 1024 if kind == "rsa1024" else 2048)
    raise ValueError(f"unknown key kind {kind!r}")


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def make_csca(
    country: str = "UT",
    *,
    key: PrivateKey | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    serial: int = 1,
) -> Credential:
    """A self-signed Country Signing CA of ``country`` (ISO 3166 alpha-2), valid 15 years by default."""
    key = key or cached_key("ec", 1)
    start = not_before or _now() - timedelta(days=365)
    name = _name(country, f"CSCA {country}")
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(not_after or start + timedelta(days=15 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return Credential(certificate, key)


def make_document_signer(
    csca: Credential,
    country: str = "UT",
    *,
    key: PrivateKey | None = None,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    serial: int = 2,
) -> Credential:
    """A Document Signer certificate for ``country`` issued by ``csca``, valid 10 years by default."""
    key = key or cached_key("ec", 2)
    start = not_before or _now() - timedelta(days=30)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(country, f"Document Signer {country} {serial}"))
        .issuer_name(csca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(not_after or start + timedelta(days=10 * 365))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(csca.private_key.public_key()), critical=False
        )
        .sign(csca.private_key, hashes.SHA256())
    )
    return Credential(certificate, key)


def make_crl(
    csca: Credential, revoked_serials: Iterable[int] = (), *, next_update_days: int = 90
) -> x509.CertificateRevocationList:
    """A CRL of ``csca`` revoking the certificates with the given serial numbers."""
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(csca.certificate.subject)
        .last_update(now - timedelta(days=1))
        .next_update(now + timedelta(days=next_update_days))
    )
    for serial in revoked_serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(now - timedelta(days=1))
            .build()
        )
    return builder.sign(csca.private_key, hashes.SHA256())


def _sign(
    key: PrivateKey, data: bytes, digest: str, *, pss: bool = False
) -> tuple[bytes, algos.SignedDigestAlgorithm]:
    """Signature over ``data`` and its CMS signature algorithm (RSA PKCS #1 v1.5 or PSS, or ECDSA)."""
    algorithm = {
        "sha256": hashes.SHA256(),
        "sha384": hashes.SHA384(),
        "sha512": hashes.SHA512(),
        "sha1": hashes.SHA1(),
    }[digest]
    if isinstance(key, rsa.RSAPrivateKey) and pss:
        salt = algorithm.digest_size
        signature = key.sign(data, padding.PSS(padding.MGF1(algorithm), salt), algorithm)
        hash_id = algos.DigestAlgorithm({"algorithm": digest})
        parameters = algos.RSASSAPSSParams(
            {
                "hash_algorithm": hash_id,
                "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": hash_id},
                "salt_length": salt,
            }
        )
        return signature, algos.SignedDigestAlgorithm({"algorithm": "rsassa_pss", "parameters": parameters})
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(data, padding.PKCS1v15(), algorithm)
        return signature, algos.SignedDigestAlgorithm({"algorithm": f"{digest}_rsa"})
    return key.sign(data, ec.ECDSA(algorithm)), algos.SignedDigestAlgorithm({"algorithm": f"{digest}_ecdsa"})


def _signed_data(
    content_type: str,
    content: bytes,
    signer: Credential,
    digest: str,
    *,
    pss: bool = False,
    include_certificate: bool = True,
) -> bytes:
    """A DER ContentInfo(SignedData) over ``content`` with signed attributes, signed by ``signer``."""
    cert = asn1_x509.Certificate.load(signer.certificate.public_bytes(serialization.Encoding.DER))
    signed_attrs = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": [cms.ContentType(content_type)]}),
            cms.CMSAttribute({"type": "message_digest", "values": [hashlib.new(digest, content).digest()]}),
        ]
    )
    signature, algorithm = _sign(signer.private_key, signed_attrs.dump(), digest, pss=pss)
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                "issuer_and_serial_number",
                cms.IssuerAndSerialNumber({"issuer": cert.issuer, "serial_number": cert.serial_number}),
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algorithm,
            "signature": signature,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": digest})],
            "encap_content_info": {
                "content_type": content_type,
                "content": core.ParsableOctetString(content),
            },
            "certificates": [cert] if include_certificate else None,
            "signer_infos": [signer_info],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump())


class _DataGroupHash(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    _fields = [("number", core.Integer), ("value", core.OctetString)]  # noqa: RUF012


class _LDSSecurityObject(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("hashes", core.SequenceOf, {"spec": _DataGroupHash}),
    ]


def lds_security_object(data_groups: Mapping[int, bytes], digest: str = "sha256") -> bytes:
    """DER LDSSecurityObject (version 0) with the ``digest`` hash of each data group file."""
    hashes_ = [
        _DataGroupHash({"number": n, "value": hashlib.new(digest, data_groups[n]).digest()})
        for n in sorted(data_groups)
    ]
    return bytes(
        _LDSSecurityObject(
            {"version": 0, "hash_algorithm": algos.DigestAlgorithm({"algorithm": digest}), "hashes": hashes_}
        ).dump()
    )


def make_sod(
    data_groups: Mapping[int, bytes],
    signer: Credential,
    *,
    digest: str = "sha256",
    pss: bool = False,
    include_certificate: bool = True,
) -> bytes:
    """The EF.SOD file (tag 77) over the data group files ``data_groups`` (number -> whole file bytes),
    hashed with ``digest`` and signed by ``signer`` (RSA keys: PKCS #1 v1.5, or RSASSA-PSS when ``pss``),
    carrying the signer's certificate unless ``include_certificate`` is False."""
    content = _signed_data(
        LDS_SECURITY_OBJECT,
        lds_security_object(data_groups, digest),
        signer,
        digest,
        pss=pss,
        include_certificate=include_certificate,
    )
    return do(0x77, content)


class _CscaMasterList(core.Sequence):  # type: ignore[misc]
    _fields = [("version", core.Integer), ("cert_list", core.SetOf, {"spec": asn1_x509.Certificate})]  # noqa: RUF012


def make_master_list(cscas: Iterable[x509.Certificate], signer: Credential) -> bytes:
    """An ICAO CSCA master list (CMS SignedData over CscaMasterList) of ``cscas``, signed by ``signer``."""
    certs = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in cscas]
    content = bytes(_CscaMasterList({"version": 0, "cert_list": certs}).dump())
    return _signed_data(CSCA_MASTER_LIST, content, signer, "sha256")


def write_trust_folder(
    folder: Path, cscas: Iterable[x509.Certificate], crls: Iterable[x509.CertificateRevocationList] = ()
) -> Path:
    """Write CSCA certificates (PEM and DER alternately, as posts receive both) and CRLs into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, cert in enumerate(cscas):
        if i % 2:
            (folder / f"csca-{i}.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
        else:
            (folder / f"csca-{i}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    for i, crl in enumerate(crls):
        (folder / f"csca-{i}.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    return folder


@dataclass(frozen=True)
class ChipPKI:
    """A country's test PKI, and the rogue parts tests need: ``csca`` and its ``document_signer``; an
    ``expired_signer`` of the same CSCA; a ``rogue_signer`` issued by a CSCA nobody trusts; ``crl`` of
    ``csca`` (revoking nothing unless asked)."""

    country: str
    csca: Credential
    document_signer: Credential
    expired_signer: Credential
    rogue_csca: Credential
    rogue_signer: Credential
    crl: x509.CertificateRevocationList

    @classmethod
    def create(cls, country: str = "UT", *, revoked: Iterable[int] = ()) -> ChipPKI:
        """Make the PKI of ``country`` (ISO 3166 alpha-2). Keys are cached per process, so this is cheap."""
        csca = make_csca(country)
        past = _now() - timedelta(days=3 * 365)
        rogue_csca = make_csca(country, key=cached_key("ec", 3), serial=66)
        return cls(
            country,
            csca,
            make_document_signer(csca, country),
            make_document_signer(
                csca, country, not_before=past, not_after=past + timedelta(days=365), serial=3
            ),
            rogue_csca,
            make_document_signer(rogue_csca, country, key=cached_key("ec", 4), serial=67),
            make_crl(csca, revoked),
        )

    def trust_folder(self, folder: Path) -> Path:
        """Write the trusted CSCA and its CRL into ``folder`` (for TrustStore.from_folder)."""
        return write_trust_folder(folder, [self.csca.certificate], [self.crl])

    def master_list(self) -> bytes:
        """An ICAO master list holding this PKI's CSCA, signed by the CSCA itself."""
        return make_master_list([self.csca.certificate], self.csca)


def alpha2(alpha3: str) -> str:
    """The ISO 3166 alpha-2 code a certificate uses for an MRZ's issuing state (``D`` -> ``DE``)."""
    import pycountry

    special = {"D": "DE", "UTO": "UT", "EUE": "EU"}
    code = alpha3.replace("<", "")
    if code in special:
        return special[code]
    country = pycountry.countries.get(alpha_3=code)
    return str(country.alpha_2) if country is not None else code[:2]


def explicit_spki(spki: bytes) -> bytes:
    """An EC SubjectPublicKeyInfo rewritten with explicit domain parameters (as several states write theirs)."""
    from ecdsa import VerifyingKey

    return bytes(VerifyingKey.from_der(spki).to_der(curve_parameters_encoding="explicit"))


def with_explicit_parameters(credential: Credential, issuer: Credential | None = None) -> Credential:
    """``credential`` with its certificate's EC key written with explicit domain parameters, re-signed by
    ``issuer`` (itself when None: a self-signed CSCA). `cryptography` before release 51 cannot load such a
    key; readers must still verify with it."""
    from asn1crypto import keys

    signer = issuer or credential
    parsed = asn1_x509.Certificate.load(credential.certificate.public_bytes(serialization.Encoding.DER))
    tbs = parsed["tbs_certificate"]
    spki = credential.private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    tbs["subject_public_key_info"] = keys.PublicKeyInfo.load(explicit_spki(spki))
    tbs_der = tbs.dump(force=True)
    signature, _ = _sign(signer.private_key, tbs_der, "sha256")
    parsed["signature_value"] = signature
    return Credential(x509.load_der_x509_certificate(parsed.dump(force=True)), credential.private_key)
