"""Reading and verifying emulated chips in process (the emulator object is the transport)."""

from __future__ import annotations

import json

import pytest
from checkpoint.mocks.chip_build import build_chip
from checkpoint.mocks.chip_emulator import ChipFaults
from checkpoint.mocks.chip_lds import ChipDocument
from checkpoint.mocks.chip_pki import ChipPKI
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from checkpoint.emrtd import (
    AccessDenied,
    AccessKey,
    CardRemoved,
    CheckStatus,
    ChipReport,
    TrustStore,
    read_chip,
)
from checkpoint.emrtd.report import (
    ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    DATA_GROUP_HASHES,
    DATA_GROUPS_LISTED,
    DG1_MATCHES_PRINTED_MRZ,
    DSC_COUNTRY,
    DSC_TRUSTED,
    SOD_SIGNATURE,
    VERIFICATION_NAMES,
)

PASS, FAIL, NOT_RUN = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_RUN


def statuses(report: ChipReport) -> dict[str, CheckStatus]:
    return {v.name: v.status for v in report.verifications}


def read(chip: object, document: ChipDocument, trust: TrustStore | None, **kwargs: object) -> ChipReport:
    return read_chip(
        chip,  # type: ignore[arg-type]
        AccessKey.from_mrz(document.mrz_lines),
        trust=trust,
        printed_mrz=document.mrz_lines,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_genuine_chip_passes_every_check_through_pace(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    report = read(build_chip(document, pki), document, trust)
    assert report.access.method == "PACE"
    assert (report.access.protocol, report.access.curve) == (
        "id-PACE-ECDH-GM-AES-CBC-CMAC-128",
        "brainpoolP256r1",
    )
    assert [v.name for v in report.verifications] == list(VERIFICATION_NAMES)
    assert set(statuses(report).values()) == {PASS}, [v.message for v in report.verifications]
    assert report.errors == ()
    trusted = report.verification(DSC_TRUSTED)
    assert trusted.details["csca_country"] == "UT"
    assert len(trusted.details["csca_key_id"]) == 40  # SHA-1 key identifier, hex
    assert report.dg1 is not None and report.dg1.surname == "ERIKSSON"
    assert report.dg1.lines == document.mrz_lines
    assert sorted(report.data_groups) == [1, 2, 11, 12, 14, 15]
    assert report.face is not None and report.face.data == document.face
    assert (report.face.format, report.face.width, report.face.height) == ("JPEG", 240, 320)
    image = report.face.to_pil()
    assert image is not None and image.size == (240, 320)
    dg11, dg12 = report.data_groups[11].parsed, report.data_groups[12].parsed
    assert dg11.fields["place_of_birth"] == "ZENITH,UTOPIA"
    assert dg12.fields["issuing_authority"] == "UTOPIA PASSPORT OFFICE"
    assert dg12.date("date_of_issue") is not None
    assert report.lds_version == "1.7" and report.unicode_version == "4.0.0"


def test_a_bac_only_chip_is_read_with_bac(pki: ChipPKI, document: ChipDocument, trust: TrustStore) -> None:
    report = read(build_chip(document, pki, pace=(), chip_authentication="3DES"), document, trust)
    assert (report.access.method, report.access.cipher) == ("BAC", "3DES")
    assert set(statuses(report).values()) == {PASS}, [v.message for v in report.verifications]


@pytest.mark.parametrize(
    ("cipher", "parameter_id", "curve"),
    [
        ("AES-128", 12, "secp256r1"),
        ("AES-192", 15, "secp384r1"),
        ("AES-256", 16, "brainpoolP384r1"),
        ("AES-256", 17, "brainpoolP512r1"),
        ("3DES", 13, "brainpoolP256r1"),
        ("AES-128", 18, "secp521r1"),
        ("AES-128", 0, None),
        ("3DES", 2, None),
    ],
)
def test_pace_on_other_curves_and_ciphers(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore, cipher: str, parameter_id: int, curve: str | None
) -> None:
    chip = build_chip(document, pki, pace=((cipher, parameter_id),), chip_authentication=cipher)
    report = read(chip, document, trust)
    assert (report.access.method, report.access.cipher, report.access.curve) == ("PACE", cipher, curve)
    assert report.access.key_agreement == ("DH" if parameter_id <= 2 else "ECDH")
    assert report.verification(DATA_GROUP_HASHES).passed
    assert report.verification(CHIP_AUTHENTICATION).passed


def test_pace_with_the_can(pki: ChipPKI, document: ChipDocument, trust: TrustStore) -> None:
    report = read_chip(build_chip(document, pki), AccessKey.from_can(document.can), trust=trust)
    assert (report.access.method, report.access.password) == ("PACE", "CAN")
    assert report.verification(SOD_SIGNATURE).passed
    assert report.verification(DG1_MATCHES_PRINTED_MRZ).status is NOT_RUN


def test_a_can_cannot_open_a_bac_only_chip(pki: ChipPKI, document: ChipDocument) -> None:
    with pytest.raises(AccessDenied, match="needs the MRZ"):
        read_chip(build_chip(document, pki, pace=()), AccessKey.from_can(document.can))


@pytest.mark.parametrize("pace", [(), (("AES-128", 13),)], ids=["BAC", "PACE"])
def test_a_wrong_mrz_is_reported_as_such(
    pki: ChipPKI, document: ChipDocument, pace: tuple[tuple[str, int], ...]
) -> None:
    wrong = AccessKey.from_fields("L898902C3", "740813", "350101")
    with pytest.raises(AccessDenied, match="MRZ") as caught:
        read_chip(build_chip(document, pki, pace=pace), wrong)
    assert caught.value.title == "Chip refused the access key"


def test_a_chip_personalised_with_another_mrz_refuses_the_printed_one(
    pki: ChipPKI, document: ChipDocument
) -> None:
    with pytest.raises(AccessDenied, match="date of birth"):
        read(build_chip(document, pki, faults=ChipFaults(wrong_mrz=True)), document, None)


def test_a_wrong_can_is_reported_as_such(pki: ChipPKI, document: ChipDocument) -> None:
    with pytest.raises(AccessDenied, match="CAN"):
        read_chip(build_chip(document, pki), AccessKey.from_can("999999"))


def test_a_card_pulled_mid_read_raises_card_removed(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    chip = build_chip(document, pki, faults=ChipFaults(pull_after=20))
    with pytest.raises(CardRemoved):
        read(chip, document, trust)
    with pytest.raises(CardRemoved):
        chip.transmit(bytes.fromhex("00A4000C"))


def test_a_tampered_data_group_fails_its_hash_only(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    report = read(build_chip(document, pki, faults=ChipFaults(tampered_dg=2)), document, trust)
    result = report.verification(DATA_GROUP_HASHES)
    assert result.status is FAIL and "DG2" in result.message and result.details["altered"] == "DG2"
    assert report.verification(SOD_SIGNATURE).passed and report.verification(DSC_TRUSTED).passed


def test_an_injected_data_group_is_reported(pki: ChipPKI, document: ChipDocument, trust: TrustStore) -> None:
    report = read(build_chip(document, pki, faults=ChipFaults(injected_dg=13)), document, trust)
    result = report.verification(DATA_GROUPS_LISTED)
    assert result.status is FAIL and "DG13" in result.message
    assert report.verification(DATA_GROUP_HASHES).passed


def test_a_wrong_signer_is_not_trusted(pki: ChipPKI, document: ChipDocument, trust: TrustStore) -> None:
    report = read(build_chip(document, pki, faults=ChipFaults(wrong_signer=True)), document, trust)
    # The SOD is validly signed by the certificate it carries, but nobody trusted issued that certificate.
    assert report.verification(SOD_SIGNATURE).passed
    result = report.verification(DSC_TRUSTED)
    assert result.status is FAIL and "no trusted CSCA" in result.message


def test_an_expired_document_signer_fails(pki: ChipPKI, document: ChipDocument, trust: TrustStore) -> None:
    report = read(build_chip(document, pki, faults=ChipFaults(expired_signer=True)), document, trust)
    result = report.verification(DSC_TRUSTED)
    assert result.status is FAIL and "expired" in result.message
    assert report.verification(SOD_SIGNATURE).passed


def test_a_revoked_document_signer_fails(document: ChipDocument) -> None:
    pki = ChipPKI.create("UT", revoked=[2])
    trust = TrustStore.from_certificates([pki.csca.certificate], [pki.crl])
    result = read(build_chip(document, pki), document, trust).verification(DSC_TRUSTED)
    assert result.status is FAIL and "revoked" in result.message


@pytest.mark.parametrize("aa", ["ec", "rsa"])
def test_a_cloned_chip_fails_active_and_chip_authentication(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore, aa: str
) -> None:
    report = read(
        build_chip(document, pki, active_authentication=aa, faults=ChipFaults(clone=True)), document, trust
    )  # type: ignore[arg-type]
    assert report.verification(ACTIVE_AUTHENTICATION).status is FAIL
    assert "clone" in report.verification(ACTIVE_AUTHENTICATION).message
    assert report.verification(CHIP_AUTHENTICATION).status is FAIL
    # Its data is a faithful copy: passive authentication alone cannot tell.
    assert report.verification(DATA_GROUP_HASHES).passed and report.verification(SOD_SIGNATURE).passed


@pytest.mark.parametrize(("kind", "bits"), [("rsa", "1024"), ("rsa2048", "2048")])
def test_rsa_active_authentication(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore, kind: str, bits: str
) -> None:
    chip = build_chip(document, pki, active_authentication=kind, chip_authentication=None)  # type: ignore[arg-type]
    report = read(chip, document, trust)
    result = report.verification(ACTIVE_AUTHENTICATION)
    assert result.passed and (result.details["algorithm"], result.details["key_size"]) == ("RSA", bits)
    assert report.verification(CHIP_AUTHENTICATION).status is NOT_RUN


def test_without_anti_cloning_keys_and_trust_the_checks_say_not_run(
    pki: ChipPKI, document: ChipDocument
) -> None:
    report = read(
        build_chip(document, pki, active_authentication=None, chip_authentication=None), document, None
    )
    got = statuses(report)
    assert got[ACTIVE_AUTHENTICATION] is NOT_RUN and got[CHIP_AUTHENTICATION] is NOT_RUN
    assert got[DSC_TRUSTED] is NOT_RUN
    assert "no CSCA" in report.verification(DSC_TRUSTED).message
    assert got[SOD_SIGNATURE] is PASS


def test_a_page_altered_after_issuance_differs_from_the_chip(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    from checkpoint.mrz import compose, parse

    page = parse(list(document.mrz_lines))
    forged = compose(
        "TD3",
        issuing_state="UTO",
        surname="SVENSSON",
        given_names="ANNA MARIA",
        document_number=page.document_number,
        nationality="UTO",
        birth_date=page.birth_date,  # type: ignore[arg-type]
        sex="F",
        expiry_date=page.expiry_date,  # type: ignore[arg-type]
        optional_data="ZE184226B",
    )
    report = read_chip(build_chip(document, pki), AccessKey.from_mrz(forged), trust=trust, printed_mrz=forged)
    result = report.verification(DG1_MATCHES_PRINTED_MRZ)
    assert result.status is FAIL and "surname" in result.message
    assert report.verification(DATA_GROUP_HASHES).passed


def test_a_signer_of_another_country_is_reported(document: ChipDocument) -> None:
    pki = ChipPKI.create("FR")
    trust = TrustStore.from_certificates([pki.csca.certificate])
    report = read(build_chip(document, pki), document, trust)
    result = report.verification(DSC_COUNTRY)
    assert result.status is FAIL and "FR" in result.message and "UTO" in result.message
    assert report.verification(DSC_TRUSTED).passed


def test_extended_length_saves_round_trips_and_short_reads_still_work(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    extended, short = build_chip(document, pki), build_chip(document, pki, extended_length=False)
    first, second = read(extended, document, trust), read(short, document, trust)
    assert first.face == second.face and first.face is not None
    assert len(first.face.data) > 10_000
    assert extended.apdus < short.apdus - 40  # about 15 KB in 1 KB rather than 223-byte chunks


def test_the_report_as_json_has_no_image_bytes(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    report = read(build_chip(document, pki), document, trust)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["face"] == {"format": "JPEG", "length": len(document.face), "width": 240, "height": 320}
    assert data["access"]["method"] == "PACE"
    assert [v["status"] for v in data["verifications"]] == ["PASS"] * len(VERIFICATION_NAMES)
    assert data["data_groups"]["DG2"]["length"] > 10_000
    assert data["dg1"]["surname"] == "ERIKSSON"
    assert data["additional_personal_details"]["place_of_birth"] == "ZENITH,UTOPIA"
    assert data["additional_document_details"]["issuing_authority"] == "UTOPIA PASSPORT OFFICE"
    assert set(data["timings"]) == {"access", "reading", "verification"}


def test_pace_refused_by_the_chip_falls_back_to_bac(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    import dataclasses

    # EF.CardAccess offers PACE, but the chip refuses MSE:Set AT: the reader opens it with BAC instead.
    chip = dataclasses.replace(build_chip(document, pki), pace={})
    report = read(chip, document, trust)
    assert (report.access.method, report.access.fell_back_to_bac) == ("BAC", True)
    assert report.verification(DATA_GROUP_HASHES).passed


def test_pace_protocols_this_reader_lacks_are_passed_over_for_bac(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    from checkpoint.mocks.chip_lds import card_access

    from checkpoint.emrtd.securityinfos import parse_security_infos

    chip = build_chip(document, pki)
    # Only ECDH integrated mapping (id-PACE-ECDH-IM-AES-CBC-CMAC-128), which this reader does not run.
    chip.card_access = card_access([("AES-128", 13)]).replace(
        bytes.fromhex("04007F00070202040202"), bytes.fromhex("04007F00070202040402")
    )
    offered = parse_security_infos(chip.card_access, "EF.CardAccess").pace
    assert [(p.key_agreement, p.mapping, p.parameter_id) for p in offered] == [("ECDH", "IM", 13)]
    report = read(chip, document, trust)
    assert (report.access.method, report.access.fell_back_to_bac) == ("BAC", False)


def test_a_td1_card_with_a_document_number_over_nine_characters(pki: ChipPKI, trust: TrustStore) -> None:
    from datetime import date

    from checkpoint.mocks.chip_lds import face_jpeg

    from checkpoint.mrz import compose

    lines = compose(
        "TD1",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA",
        document_number="D23145890734",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2031, 1, 1),
    )
    card = ChipDocument(lines, face_jpeg(target=4000))
    for pace in [(), (("AES-128", 13),)]:
        report = read(build_chip(card, pki, pace=pace), card, trust)
        assert report.dg1 is not None and report.dg1.document_number == "D23145890734"
        assert report.verification(DG1_MATCHES_PRINTED_MRZ).passed


def refuse_explicit_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `cryptography` refuse EC keys with explicit domain parameters, as releases before 51 did."""
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization

    load = serialization.load_der_public_key

    def refusing(data: bytes, backend: object = None) -> object:
        algorithm = keys.PublicKeyInfo.load(data)["algorithm"]
        if algorithm["algorithm"].native == "ec" and algorithm["parameters"].name == "specified":
            raise ValueError("ECDSA keys with explicit parameters are unsupported at this time")
        return load(data)

    monkeypatch.setattr(serialization, "load_der_public_key", refusing)


@pytest.mark.parametrize("cryptography_loads_them", [True, False], ids=["cryptography", "python-ecdsa"])
def test_certificates_and_keys_with_explicit_brainpool_parameters(
    document: ChipDocument, monkeypatch: pytest.MonkeyPatch, cryptography_loads_them: bool
) -> None:
    # Several states write their EC keys with explicit domain parameters, which `cryptography` loads
    # from release 51 on and refused before: signatures must verify with either.
    import dataclasses

    from checkpoint.mocks import chip_lds
    from checkpoint.mocks.chip_pki import (
        cached_key,
        explicit_spki,
        make_csca,
        make_document_signer,
        make_sod,
        with_explicit_parameters,
    )
    from ecdsa import VerifyingKey

    from checkpoint.emrtd.signatures import certificate_key_spki, load_public_key

    csca = make_csca("UT", key=cached_key("brainpool", 1))
    signer = with_explicit_parameters(make_document_signer(csca, "UT", key=cached_key("brainpool", 2)), csca)
    csca = with_explicit_parameters(csca)
    if not cryptography_loads_them:
        refuse_explicit_parameters(monkeypatch)
        # The keys now take the python-ecdsa path.
        assert isinstance(load_public_key(certificate_key_spki(signer.certificate)), VerifyingKey)
        assert isinstance(load_public_key(certificate_key_spki(csca.certificate)), VerifyingKey)
    pki = dataclasses.replace(ChipPKI.create("UT"), csca=csca, document_signer=signer)
    chip = build_chip(document, pki, active_authentication="ec", chip_authentication=None)
    aa_key = cached_key("brainpool", 3)
    chip.keys.active_authentication = aa_key  # type: ignore[assignment]
    files = {n - 0x100: data for n, data in chip.files.items() if n < 0x0111}
    files[15] = chip_lds.dg15(
        explicit_spki(aa_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))
    )
    chip.files = {**chip.files, 0x010F: files[15], 0x011D: make_sod(files, signer)}
    report = read(chip, document, TrustStore.from_certificates([csca.certificate]))
    assert report.verification(SOD_SIGNATURE).passed, report.verification(SOD_SIGNATURE).message
    assert report.verification(DSC_TRUSTED).passed, report.verification(DSC_TRUSTED).message
    assert report.verification(DATA_GROUP_HASHES).passed
    assert report.verification(ACTIVE_AUTHENTICATION).passed, report.verification(
        ACTIVE_AUTHENTICATION
    ).message


@pytest.mark.parametrize("extended_length", [True, False])
def test_a_face_image_past_32_kb_is_read_with_odd_read_binary(
    pki: ChipPKI, trust: TrustStore, document: ChipDocument, extended_length: bool
) -> None:
    import dataclasses

    from checkpoint.mocks.chip_lds import face_jpeg

    big = dataclasses.replace(document, face=face_jpeg(480, 640, target=60_000), face_size=(480, 640))
    assert len(big.face) > 40_000
    chip = build_chip(big, pki, extended_length=extended_length)
    report = read(chip, big, trust)
    assert report.face is not None and report.face.data == big.face
    assert report.verification(DATA_GROUP_HASHES).passed


@pytest.mark.parametrize(
    ("key", "digest", "pss"),
    [
        ("rsa", "sha256", False),
        ("rsa", "sha256", True),
        ("ec384", "sha384", False),
        ("ec", "sha1", False),
        ("ec", "sha512", False),
    ],
)
def test_sods_signed_the_ways_states_sign_them(
    document: ChipDocument, key: str, digest: str, pss: bool
) -> None:
    import dataclasses

    from checkpoint.mocks.chip_pki import cached_key, make_csca, make_document_signer, make_sod

    csca = make_csca("UT", key=cached_key("rsa", 1) if key == "rsa" else None)
    signer = make_document_signer(csca, "UT", key=cached_key(key, 7))
    pki = dataclasses.replace(ChipPKI.create("UT"), csca=csca, document_signer=signer)
    chip = build_chip(document, pki)
    files = {fid - 0x100: data for fid, data in chip.files.items() if fid <= 0x0110}
    chip.files = {**chip.files, 0x011D: make_sod(files, signer, digest=digest, pss=pss)}
    report = read(chip, document, TrustStore.from_certificates([csca.certificate]))
    assert report.verification(SOD_SIGNATURE).passed, report.verification(SOD_SIGNATURE).message
    assert report.verification(DSC_TRUSTED).passed, report.verification(DSC_TRUSTED).message
    hashes = report.verification(DATA_GROUP_HASHES)
    assert hashes.passed and hashes.details["hash_algorithm"] == digest


def test_a_chip_without_ef_com_is_read_from_the_sod_list(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    chip = build_chip(document, pki)
    chip.files = {fid: data for fid, data in chip.files.items() if fid != 0x011E}
    report = read(chip, document, trust)
    assert sorted(report.data_groups) == [1, 2, 11, 12, 14, 15]
    assert report.lds_version is None and "EF.COM" in report.errors[0]
    assert report.verification(DATA_GROUP_HASHES).passed
    assert report.verification(CHIP_AUTHENTICATION).passed


def test_a_chip_announcing_a_huge_file_is_refused(pki: ChipPKI, document: ChipDocument) -> None:
    from checkpoint.emrtd import ChipDataError

    chip = build_chip(document, pki)
    chip.files = {**chip.files, 0x011D: b"\x77\x84\x7f\xff\xff\xff" + bytes(100)}
    with pytest.raises(ChipDataError, match=r"EF\.SOD announces"):
        read(chip, document, None)


def test_a_displayed_signature_in_dg7_is_read_and_signed(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    import dataclasses

    from checkpoint.mocks.chip_lds import face_jpeg

    signed = dataclasses.replace(document, signature=face_jpeg(200, 60, target=3000, seed=2))
    report = read(build_chip(signed, pki), signed, trust)
    (image,) = report.data_groups[7].parsed
    assert image.format == "JPEG" and image.data == signed.signature
    assert "DG7" in report.verification(DATA_GROUP_HASHES).details["compared"]


def test_a_forger_s_own_active_authentication_key_does_not_pass(
    pki: ChipPKI, document: ChipDocument, trust: TrustStore
) -> None:
    # A copy of a genuine chip's data with DG15 replaced by the forger's key, which the copy holds: the
    # chip answers the challenge correctly, but DG15 is not the one the issuer signed.
    from checkpoint.mocks import chip_lds
    from checkpoint.mocks.chip_pki import cached_key

    chip = build_chip(document, pki, active_authentication="ec")
    forger = cached_key("ec", 8)
    chip.keys.active_authentication = forger  # type: ignore[assignment]
    spki = forger.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    chip.files = {**chip.files, 0x010F: chip_lds.dg15(spki)}
    report = read(chip, document, trust)
    result = report.verification(ACTIVE_AUTHENTICATION)
    assert result.status is FAIL and "forger" in result.message and "DG15" in result.message
    assert report.verification(DATA_GROUP_HASHES).status is FAIL
    assert report.verification(CHIP_AUTHENTICATION).passed  # DG14 is untouched and signed
