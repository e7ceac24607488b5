"""The CSCA certificates (and CRLs) a post trusts: from a folder of certificates or an ICAO master list."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from checkpoint.emrtd.errors import ChipError
from checkpoint.emrtd.signatures import (
    encapsulated_content,
    signer_certificate,
    verify_issued_by,
    verify_signed_data,
)

log = logging.getLogger(__name__)

CSCA_MASTER_LIST_OID = "2.23.136.1.1.2"
CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")
CRL_SUFFIXES = (".crl",)


class TrustStoreError(ChipError, ValueError):
    """A trust store file could not be read (says which file and why)."""

    title = "CSCA trust store unreadable"


class _CscaMasterList(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    _fields = [("version", core.Integer), ("cert_list", core.SetOf, {"spec": asn1_x509.Certificate})]  # noqa: RUF012


@dataclass(frozen=True)
class TrustStore:
    """Trusted Country Signing CA certificates and the certificate revocation lists to honour."""

    csca_certificates: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    # Document Signer certificates (from a PKD download) for the SODs that do not carry theirs: found by
    # the SOD's signer identifier, still checked against the CSCAs like any other.
    document_signer_certificates: tuple[x509.Certificate, ...] = ()

    @classmethod
    def from_certificates(
        cls,
        certificates: Iterable[x509.Certificate],
        crls: Iterable[x509.CertificateRevocationList] = (),
        document_signers: Iterable[x509.Certificate] = (),
    ) -> TrustStore:
        """A store of the given CSCA certificates, CRLs and Document Signer certificates."""
        return cls(tuple(certificates), tuple(crls), tuple(document_signers))

    @classmethod
    def from_folder(cls, folder: str | Path) -> TrustStore:
        """Load every certificate (``.pem .crt .cer .der``: PEM or DER), CRL (``.crl``), master list
        (``.ml``) and ICAO PKD download (``.ldif``) in ``folder``. Raises TrustStoreError naming a file
        that is not what its name says."""
        root = Path(folder)
        if not root.is_dir():
            raise TrustStoreError(f"CSCA folder {root} does not exist or is not a folder")
        store = cls()
        for path in sorted(root.iterdir()):
            suffix = path.suffix.lower()
            if suffix in CERTIFICATE_SUFFIXES:
                store = store.merged(cls(tuple(_load_certificates(path))))
            elif suffix in CRL_SUFFIXES:
                store = store.merged(cls(crls=(_load_crl(path),)))
            elif suffix == ".ml":
                store = store.merged(cls.from_master_list(path))
            elif suffix == ".ldif":
                store = store.merged(cls.from_ldif(path))
        log.debug("trust store %s: %d CSCAs, %d CRLs", root, len(store.csca_certificates), len(store.crls))
        return store

    @classmethod
    def from_master_list(cls, path: str | Path, *, check_signature: bool = True) -> TrustStore:
        """Load the CSCA certificates of an ICAO master list file (CMS SignedData over CscaMasterList).

        With ``check_signature`` the list must be signed by its Master List Signer, issued by a CSCA the
        list holds: a list altered after signing is refused. That signature shows the list is whole, not
        that its publisher is to be trusted: a post installs lists from sources it trusts (the ICAO PKD, a
        state's publication). Raises TrustStoreError.
        """
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise TrustStoreError(f"cannot read master list {file}: {exc.strerror}") from exc
        return cls(_master_list_certificates(str(file), data, check_signature), ())

    @classmethod
    def from_ldif(cls, path: str | Path, *, check_signature: bool = True) -> TrustStore:
        """Load an ICAO PKD download (LDIF): the CSCA certificates of every master list it holds
        (``pkdMasterListContent``), its CRLs (``certificateRevocationList;binary``) and its Document
        Signer certificates (``userCertificate;binary``: not trust anchors, only found for SODs that carry
        no certificate). Raises TrustStoreError."""
        file = Path(path)
        try:
            text = file.read_text(encoding="ascii", errors="replace")
        except OSError as exc:
            raise TrustStoreError(f"cannot read {file}: {exc.strerror}") from exc
        certificates: list[x509.Certificate] = []
        crls: list[x509.CertificateRevocationList] = []
        signers: list[x509.Certificate] = []
        for number, (name, value) in enumerate(_ldif_binary_attributes(text), 1):
            where = f"{file} (value {number}, {name})"
            if name == "pkdmasterlistcontent":
                certificates.extend(_master_list_certificates(where, value, check_signature))
            elif name.startswith("usercertificate"):
                try:
                    signers.append(x509.load_der_x509_certificate(value))
                except ValueError as exc:
                    raise TrustStoreError(f"{where} is not a certificate: {exc}") from exc
            elif name.startswith("certificaterevocationlist"):
                try:
                    crls.append(x509.load_der_x509_crl(value))
                except ValueError as exc:
                    raise TrustStoreError(f"{where} is not a CRL: {exc}") from exc
        return cls(tuple(certificates), tuple(crls), tuple(signers))

    def merged(self, other: TrustStore) -> TrustStore:
        """A store holding this store's and ``other``'s certificates and CRLs."""
        return TrustStore(
            self.csca_certificates + other.csca_certificates,
            self.crls + other.crls,
            self.document_signer_certificates + other.document_signer_certificates,
        )


def _master_list_certificates(where: str, data: bytes, check_signature: bool) -> tuple[x509.Certificate, ...]:
    try:
        info = cms.ContentInfo.load(data)
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != CSCA_MASTER_LIST_OID:
            raise TrustStoreError(
                f"{where} is signed data of {encap['content_type'].dotted}, not a master list"
            )
        raw = encapsulated_content(signed)
        listed = _CscaMasterList.load(raw)
        certificates = tuple(x509.load_der_x509_certificate(c.dump()) for c in listed["cert_list"])
        if check_signature:
            _check_master_list_signature(where, signed, raw, certificates)
    except TrustStoreError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise TrustStoreError(f"{where} is not an ICAO master list: {exc}") from exc
    return certificates


def _ldif_binary_attributes(text: str) -> list[tuple[str, bytes]]:
    """The base64 (``name:: value``) attributes of an LDIF text, continuation lines joined (RFC 2849)."""
    unfolded: list[str] = []
    for line in text.splitlines():
        if line.startswith(" ") and unfolded:
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    found = []
    for line in unfolded:
        name, sep, value = line.partition(":: ")
        if sep and not line.startswith("#"):
            try:
                found.append((name.strip().lower(), base64.b64decode(value.strip(), validate=True)))
            except binascii.Error as exc:
                raise TrustStoreError(f"LDIF attribute {name} is not base64: {exc}") from exc
    return found


def _check_master_list_signature(
    file: str, signed: cms.SignedData, content: bytes, certificates: tuple[x509.Certificate, ...]
) -> None:
    signer = signer_certificate(signed)
    if signer is None:
        raise TrustStoreError(f"master list {file} carries no certificate of its signer")
    try:
        verify_signed_data(signed, content, signer)
    except (InvalidSignature, UnsupportedAlgorithm) as exc:
        raise TrustStoreError(
            f"master list {file}: its signature does not verify, it may have been altered ({exc})"
        ) from exc
    for csca in certificates:
        if csca.subject == signer.issuer:
            try:
                verify_issued_by(signer, csca)
            except (InvalidSignature, UnsupportedAlgorithm, ValueError):
                continue
            return
    raise TrustStoreError(
        f"master list {file}: its signer ({signer.subject.rfc4514_string()}) is not issued by a CSCA it lists"
    )


def _load_certificates(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise TrustStoreError(f"{path} is not a certificate (PEM or DER): {exc}") from exc


def _load_crl(path: Path) -> x509.CertificateRevocationList:
    data = path.read_bytes()
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as exc:
        raise TrustStoreError(f"{path} is not a certificate revocation list: {exc}") from exc
