"""CSCA trust stores from a folder of certificates and CRLs, or from an ICAO master list."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkpoint.mocks.chip_build import build_chip
from checkpoint.mocks.chip_lds import ChipDocument
from checkpoint.mocks.chip_pki import ChipPKI, make_crl, make_master_list
from cryptography.hazmat.primitives.serialization import Encoding

from checkpoint.emrtd import AccessKey, CheckStatus, TrustStore, read_chip
from checkpoint.emrtd.report import DSC_TRUSTED
from checkpoint.emrtd.trust import TrustStoreError


def test_a_folder_of_pem_and_der_certificates_and_crls(
    tmp_path: Path, pki: ChipPKI, document: ChipDocument
) -> None:
    other = ChipPKI.create("FR")
    folder = pki.trust_folder(tmp_path / "csca")
    (folder / "fr.der").write_bytes(other.csca.certificate.public_bytes(Encoding.DER))
    (folder / "README.txt").write_text("not a certificate, ignored\n")
    store = TrustStore.from_folder(folder)
    assert {c.subject.rfc4514_string() for c in store.csca_certificates} == {
        "CN=CSCA UT,C=UT",
        "CN=CSCA FR,C=FR",
    }
    assert len(store.crls) == 1
    report = read_chip(build_chip(document, pki), AccessKey.from_mrz(document.mrz_lines), trust=store)
    assert report.verification(DSC_TRUSTED).status is CheckStatus.PASS
    assert "checked against its CRL" in report.verification(DSC_TRUSTED).message


def test_a_crl_revoking_the_signer_in_the_folder_is_honoured(
    tmp_path: Path, pki: ChipPKI, document: ChipDocument
) -> None:
    folder = tmp_path / "csca"
    from checkpoint.mocks.chip_pki import write_trust_folder

    write_trust_folder(
        folder, [pki.csca.certificate], [make_crl(pki.csca, [pki.document_signer.certificate.serial_number])]
    )
    report = read_chip(
        build_chip(document, pki),
        AccessKey.from_mrz(document.mrz_lines),
        trust=TrustStore.from_folder(folder),
    )
    assert report.verification(DSC_TRUSTED).status is CheckStatus.FAIL


def test_a_crl_signed_by_someone_else_is_ignored(pki: ChipPKI, document: ChipDocument) -> None:
    forged_crl = make_crl(pki.rogue_csca, [pki.document_signer.certificate.serial_number])  # same issuer name
    store = TrustStore.from_certificates([pki.csca.certificate], [forged_crl])
    report = read_chip(build_chip(document, pki), AccessKey.from_mrz(document.mrz_lines), trust=store)
    assert report.verification(DSC_TRUSTED).status is CheckStatus.PASS


def test_a_master_list(tmp_path: Path, pki: ChipPKI, document: ChipDocument) -> None:
    other = ChipPKI.create("FR")
    path = tmp_path / "icao.ml"
    path.write_bytes(make_master_list([pki.csca.certificate, other.csca.certificate], pki.csca))
    store = TrustStore.from_master_list(path)
    assert len(store.csca_certificates) == 2
    report = read_chip(build_chip(document, pki), AccessKey.from_mrz(document.mrz_lines), trust=store)
    assert report.verification(DSC_TRUSTED).passed
    # A folder may hold master lists too.
    assert len(TrustStore.from_folder(tmp_path).csca_certificates) == 2


def test_unreadable_trust_files_say_which_and_why(tmp_path: Path) -> None:
    with pytest.raises(TrustStoreError, match="does not exist"):
        TrustStore.from_folder(tmp_path / "missing")
    (tmp_path / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    with pytest.raises(TrustStoreError, match=r"broken\.pem"):
        TrustStore.from_folder(tmp_path)
    (tmp_path / "list.ml").write_bytes(b"\x30\x03\x02\x01\x00")
    with pytest.raises(TrustStoreError, match="not an ICAO master list"):
        TrustStore.from_master_list(tmp_path / "list.ml")


def test_a_master_list_altered_or_signed_by_an_outsider_is_refused(tmp_path: Path, pki: ChipPKI) -> None:
    other = ChipPKI.create("FR")
    good = make_master_list([pki.csca.certificate, other.csca.certificate], pki.csca)
    # Swap one listed certificate's byte: the signed content no longer matches.
    der = other.csca.certificate.public_bytes(Encoding.DER)
    at = good.index(der) + len(der) - 10
    altered = tmp_path / "altered.ml"
    altered.write_bytes(good[:at] + bytes((good[at] ^ 1,)) + good[at + 1 :])
    with pytest.raises(TrustStoreError, match="does not verify"):
        TrustStore.from_master_list(altered)
    outsider = tmp_path / "outsider.ml"
    outsider.write_bytes(make_master_list([other.csca.certificate], pki.rogue_signer))
    with pytest.raises(TrustStoreError, match="not issued by a CSCA it lists"):
        TrustStore.from_master_list(outsider)
    assert len(TrustStore.from_master_list(outsider, check_signature=False).csca_certificates) == 1


def test_an_out_of_date_crl_is_said_so(pki: ChipPKI, document: ChipDocument) -> None:
    stale = make_crl(pki.csca, [], next_update_days=-1)
    store = TrustStore.from_certificates([pki.csca.certificate], [stale])
    result = read_chip(
        build_chip(document, pki), AccessKey.from_mrz(document.mrz_lines), trust=store
    ).verification(DSC_TRUSTED)
    assert result.passed and "out of date" in result.message and "crl_out_of_date" in result.details


def test_an_icao_pkd_ldif_download(tmp_path: Path, pki: ChipPKI, document: ChipDocument) -> None:
    import base64
    import textwrap

    def attribute(name: str, value: bytes) -> str:
        # LDIF folds long values onto continuation lines that start with one space (RFC 2849).
        encoded = base64.b64encode(value).decode()
        return "\n ".join(textwrap.wrap(f"{name}:: {encoded}", 76))

    master_list = make_master_list([pki.csca.certificate], pki.csca)
    crl = make_crl(pki.csca, [pki.document_signer.certificate.serial_number]).public_bytes(Encoding.DER)
    ldif = "\n".join(
        [
            "dn: cn=ml,o=ml,c=UT,dc=data,dc=download,dc=pkd,dc=icao,dc=int",
            "objectClass: CscaMasterList",
            attribute("pkdMasterListContent", master_list),
            "",
            "dn: cn=crl,o=crl,c=UT,dc=data,dc=download,dc=pkd,dc=icao,dc=int",
            attribute("certificateRevocationList;binary", crl),
            "",
            "dn: cn=dsc,o=dsc,c=UT,dc=data,dc=download,dc=pkd,dc=icao,dc=int",
            attribute("userCertificate;binary", pki.document_signer.certificate.public_bytes(Encoding.DER)),
            "",
        ]
    )
    (tmp_path / "icaopkd-002-ml.ldif").write_text(ldif)
    store = TrustStore.from_folder(tmp_path)
    assert [c.subject.rfc4514_string() for c in store.csca_certificates] == ["CN=CSCA UT,C=UT"]
    assert len(store.crls) == 1
    assert store.document_signer_certificates == (pki.document_signer.certificate,)
    report = read_chip(build_chip(document, pki), AccessKey.from_mrz(document.mrz_lines), trust=store)
    assert "revoked" in report.verification(DSC_TRUSTED).message  # the CRL from the LDIF was honoured
    (tmp_path / "icaopkd-002-ml.ldif").write_text("pkdMasterListContent:: not-base64!\n")
    with pytest.raises(TrustStoreError, match="not base64"):
        TrustStore.from_ldif(tmp_path / "icaopkd-002-ml.ldif")


def test_a_sod_without_its_certificate_uses_an_installed_document_signer(
    pki: ChipPKI, document: ChipDocument
) -> None:
    from checkpoint.mocks.chip_pki import make_sod

    from checkpoint.emrtd.report import SOD_SIGNATURE

    chip = build_chip(document, pki)
    files = {fid - 0x100: data for fid, data in chip.files.items() if fid <= 0x0110}
    chip.files = {**chip.files, 0x011D: make_sod(files, pki.document_signer, include_certificate=False)}
    key = AccessKey.from_mrz(document.mrz_lines)
    bare = read_chip(chip, key, trust=TrustStore.from_certificates([pki.csca.certificate]))
    assert bare.verification(SOD_SIGNATURE).status is CheckStatus.FAIL
    assert "no Document Signer certificate" in bare.verification(SOD_SIGNATURE).message
    store = TrustStore.from_certificates(
        [pki.csca.certificate], document_signers=[pki.document_signer.certificate]
    )
    report = read_chip(chip, key, trust=store)
    assert report.verification(SOD_SIGNATURE).passed and report.verification(DSC_TRUSTED).passed
