"""Passive authentication (ICAO 9303-11 section 5.1): each check its own :class:`Verification`.

SOD signature by the Document Signer; Document Signer chained to a trusted CSCA (validity, CRLs); every
read data group's hash equal to the SOD's; no data group the SOD does not list; signer's country equal to
the issuing state; DG1 equal to the printed MRZ.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pycountry
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.x509.oid import NameOID

from checkpoint.emrtd.errors import ChipDataError
from checkpoint.emrtd.report import (
    DATA_GROUP_HASHES,
    DATA_GROUPS_LISTED,
    DG1_MATCHES_PRINTED_MRZ,
    DSC_COUNTRY,
    DSC_TRUSTED,
    SOD_SIGNATURE,
    CheckStatus,
    Verification,
)
from checkpoint.emrtd.signatures import (
    HASHES,
    ContentDigestMismatch,
    certificate_key_spki,
    signer_certificate,
    verify_issued_by,
    verify_signed_data,
)
from checkpoint.emrtd.sod import SecurityObject
from checkpoint.emrtd.trust import TrustStore
from checkpoint.mrz import MRZResult, parse

PASS, FAIL, NOT_RUN = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_RUN
# Alpha-2 codes of certificates whose MRZ code is not ISO's alpha-3.
ICAO_ALPHA3 = {"DE": "D", "UT": "UTO", "EU": "EUE"}


def find_document_signer(sod: SecurityObject, trust: TrustStore | None = None) -> x509.Certificate | None:
    """The Document Signer certificate the SOD's SignerInfo names (by issuer and serial, or key
    identifier): the one the SOD carries, else one ``trust`` holds; None when neither has it. Raises
    ChipDataError when that certificate is malformed."""
    try:
        installed = trust.document_signer_certificates if trust is not None else ()
        cert = signer_certificate(sod.signed_data, installed)
        if cert is not None:
            # Certificates parse lazily: read every field the checks use now, while errors can be named.
            _ = (
                cert.subject,
                cert.issuer,
                cert.serial_number,
                cert.not_valid_before_utc,
                cert.not_valid_after_utc,
            )
            _ = (cert.signature, cert.tbs_certificate_bytes, cert.signature_hash_algorithm, cert.extensions)
            certificate_key_spki(cert)
    except (ValueError, TypeError, KeyError, UnsupportedAlgorithm) as exc:
        raise ChipDataError(f"EF.SOD's Document Signer certificate is malformed: {exc}") from exc
    return cert


def check_sod_signature(
    sod: SecurityObject, dsc: x509.Certificate | None, problem: str | None = None
) -> Verification:
    """The SOD's CMS signature verifies under the Document Signer certificate it carries (``problem``
    says why there is none, when :func:`find_document_signer` found it malformed)."""
    if dsc is None:
        why = problem or "EF.SOD carries no Document Signer certificate matching its signer"
        return Verification(SOD_SIGNATURE, FAIL, why)
    details = {
        "document_signer": dsc.subject.rfc4514_string(),
        "document_signer_serial": f"{dsc.serial_number:X}",
    }
    try:
        verify_signed_data(sod.signed_data, sod.encapsulated_content, dsc)
    except ContentDigestMismatch as exc:
        return Verification(SOD_SIGNATURE, FAIL, f"EF.SOD's {exc}", details)
    except InvalidSignature:
        return Verification(
            SOD_SIGNATURE,
            FAIL,
            "EF.SOD's signature is not the Document Signer's: the data may be forged",
            details,
        )
    except (UnsupportedAlgorithm, ValueError, TypeError, KeyError) as exc:
        return Verification(SOD_SIGNATURE, FAIL, f"EF.SOD's signature cannot be checked: {exc}", details)
    return Verification(SOD_SIGNATURE, PASS, "EF.SOD is signed by its Document Signer", details)


def check_document_signer_trusted(
    dsc: x509.Certificate | None, trust: TrustStore | None, now: datetime | None = None
) -> Verification:
    """The DSC is issued by a trusted CSCA, both are within their validity, and no CRL revokes the DSC."""
    if dsc is None:
        return Verification(DSC_TRUSTED, NOT_RUN, "no Document Signer certificate to check")
    if trust is None or not trust.csca_certificates:
        return Verification(
            DSC_TRUSTED, NOT_RUN, "no CSCA certificates are installed: the signer's trust is unknown"
        )
    now = now or datetime.now(UTC)
    issuers = [c for c in trust.csca_certificates if c.subject == dsc.issuer]
    details = {
        "document_signer": dsc.subject.rfc4514_string(),
        "document_signer_issuer": dsc.issuer.rfc4514_string(),
    }
    if not issuers:
        return Verification(
            DSC_TRUSTED,
            FAIL,
            f"the Document Signer's issuer ({dsc.issuer.rfc4514_string()}) is not a trusted CSCA",
            details,
        )
    csca = None
    for candidate in issuers:
        try:
            verify_issued_by(dsc, candidate)
        except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
            continue
        csca = candidate
        break
    if csca is None:
        return Verification(
            DSC_TRUSTED, FAIL, "no trusted CSCA of that name signed the Document Signer certificate", details
        )
    details |= {
        "csca_country": _country(csca) or "",
        "csca_key_id": _key_id(csca),
        "csca": csca.subject.rfc4514_string(),
    }
    for cert, what in ((dsc, "Document Signer"), (csca, "CSCA")):
        if now < cert.not_valid_before_utc:
            return Verification(
                DSC_TRUSTED,
                FAIL,
                f"the {what} certificate is not valid before {cert.not_valid_before_utc:%Y-%m-%d}",
                details,
            )
        if now > cert.not_valid_after_utc:
            return Verification(
                DSC_TRUSTED,
                FAIL,
                f"the {what} certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}",
                details,
            )
    crls = [c for c in trust.crls if c.issuer == csca.subject and _signed_by(c, csca)]
    for crl in crls:
        revoked = crl.get_revoked_certificate_by_serial_number(dsc.serial_number)
        if revoked is not None:
            return Verification(
                DSC_TRUSTED,
                FAIL,
                f"the CSCA revoked the Document Signer certificate on {revoked.revocation_date_utc:%Y-%m-%d}",
                details,
            )
    checked = "checked against its CRL" if crls else "no CRL installed for it"
    stale = [c.next_update_utc for c in crls if c.next_update_utc is not None and c.next_update_utc < now]
    if crls and len(stale) == len(crls):
        # Still PASS: the signer is not known revoked, but the officer should know how old that knowledge is.
        checked = f"its CRL is out of date since {max(stale):%Y-%m-%d}: install the current one"
        details["crl_out_of_date"] = f"{max(stale):%Y-%m-%d}"
    return Verification(
        DSC_TRUSTED,
        PASS,
        f"the Document Signer is issued by the trusted CSCA of {details['csca_country'] or '?'} ({checked})",
        details,
    )


def _signed_by(crl: x509.CertificateRevocationList, csca: x509.Certificate) -> bool:
    try:
        verify_issued_by(crl, csca)
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def _country(cert: x509.Certificate) -> str | None:
    values = cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    return str(values[0].value).upper() if values else None


def _key_id(cert: x509.Certificate) -> str:
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest.hex().upper()
    except x509.ExtensionNotFound:
        # RFC 5280 method 1: SHA-1 of the subjectPublicKey bits (works for keys cryptography cannot load).
        from asn1crypto import keys

        bits = keys.PublicKeyInfo.load(certificate_key_spki(cert))["public_key"].contents[1:]
        return hashlib.sha1(bits).hexdigest().upper()


def check_data_group_hashes(sod: SecurityObject, read: Mapping[int, bytes]) -> Verification:
    """Every data group read hashes to the value the SOD holds for it."""
    if sod.hash_algorithm not in HASHES:
        return Verification(
            DATA_GROUP_HASHES, FAIL, f"EF.SOD uses hash {sod.hash_algorithm}, which ICAO does not allow"
        )
    compared = [n for n in sorted(read) if n in sod.hashes]
    wrong = [
        n
        for n in compared
        if not hmac.compare_digest(hashlib.new(sod.hash_algorithm, read[n]).digest(), sod.hashes[n])
    ]
    details = {"hash_algorithm": sod.hash_algorithm, "compared": " ".join(f"DG{n}" for n in compared)}
    if wrong:
        names = ", ".join(f"DG{n}" for n in wrong)
        return Verification(
            DATA_GROUP_HASHES,
            FAIL,
            f"{names} differ from the signed hash: the chip's data was altered",
            details | {"altered": names},
        )
    if not compared:
        return Verification(DATA_GROUP_HASHES, FAIL, "no data group read is listed in EF.SOD", details)
    return Verification(
        DATA_GROUP_HASHES, PASS, f"{len(compared)} data groups match their signed hashes", details
    )


def check_data_groups_listed(sod: SecurityObject, read: Mapping[int, bytes]) -> Verification:
    """No data group was found on the chip that the SOD does not list (a data group injected afterwards)."""
    extra = [n for n in sorted(read) if n not in sod.hashes]
    if extra:
        names = ", ".join(f"DG{n}" for n in extra)
        return Verification(
            DATA_GROUPS_LISTED,
            FAIL,
            f"{names} on the chip but not signed in EF.SOD: added after issuance",
            {"unlisted": names},
        )
    return Verification(DATA_GROUPS_LISTED, PASS, "every data group on the chip is listed in EF.SOD")


def alpha3(alpha2: str) -> str | None:
    """The MRZ's three-letter code of an ISO 3166 alpha-2 country code (``DE`` -> ``D``)."""
    if alpha2 in ICAO_ALPHA3:
        return ICAO_ALPHA3[alpha2]
    country = pycountry.countries.get(alpha_2=alpha2)
    return str(country.alpha_3) if country is not None else None


def check_document_signer_country(dsc: x509.Certificate | None, dg1: MRZResult | None) -> Verification:
    """The Document Signer's country (its subject's C) is the document's issuing state."""
    if dsc is None or dg1 is None:
        return Verification(DSC_COUNTRY, NOT_RUN, "needs both the Document Signer certificate and DG1")
    alpha2 = _country(dsc)
    state = dg1.issuing_state.replace("<", "")
    details = {"document_signer_country": alpha2 or "", "issuing_state": state}
    if alpha2 is None:
        return Verification(DSC_COUNTRY, FAIL, "the Document Signer certificate names no country", details)
    if alpha3(alpha2) != state:
        return Verification(
            DSC_COUNTRY, FAIL, f"signed by {alpha2}, but the document says it was issued by {state}", details
        )
    return Verification(DSC_COUNTRY, PASS, f"signed by the issuing state ({state})", details)


def check_dg1_matches_printed(dg1: MRZResult | None, printed: Sequence[str] | None) -> Verification:
    """DG1's MRZ equals the MRZ printed on the data page, field by field."""
    if printed is None:
        return Verification(DG1_MATCHES_PRINTED_MRZ, NOT_RUN, "no printed MRZ was given to compare with")
    if dg1 is None:
        return Verification(DG1_MATCHES_PRINTED_MRZ, NOT_RUN, "DG1 was not read")
    page = parse(list(printed))
    if page.format is None:
        return Verification(
            DG1_MATCHES_PRINTED_MRZ, NOT_RUN, "the printed MRZ given is not a machine-readable zone"
        )
    # The document's fields: MRZResult's fields from the document code to the optional data.
    fields = MRZResult._fields[MRZResult._fields.index("document_code") : MRZResult._fields.index("checks")]
    differ = [f for f in fields if getattr(page, f) != getattr(dg1, f)]
    if differ or list(page.lines) != list(dg1.lines):
        names = ", ".join(f.replace("_", " ") for f in differ) or "characters outside the fields"
        return Verification(
            DG1_MATCHES_PRINTED_MRZ,
            FAIL,
            f"the chip's MRZ differs from the printed one in: {names}",
            {"differ": names},
        )
    return Verification(DG1_MATCHES_PRINTED_MRZ, PASS, "the chip's MRZ equals the printed MRZ")
