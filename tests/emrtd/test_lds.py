"""LDS files parsed from their bytes, and malformed ones refused with the file named."""

from __future__ import annotations

import pytest
from checkpoint.mocks import chip_lds

from checkpoint.emrtd import ChipDataError
from checkpoint.emrtd.lds import parse_dg1, parse_dg2, parse_dg11, parse_dg12, parse_ef_com
from checkpoint.emrtd.sod import parse_sod

ICAO_EF_COM = bytes.fromhex("60145F0104303130365F36063034303030305C026175")


def test_ef_com_of_the_icao_example() -> None:
    com = parse_ef_com(ICAO_EF_COM)
    assert (com.lds_version, com.unicode_version, com.data_groups) == ("1.6", "4.0.0", (1, 2))


def test_dg1_of_each_format() -> None:
    td1 = (
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    )
    td3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    assert parse_dg1(chip_lds.dg1(td1)).format == "TD1"
    result = parse_dg1(chip_lds.dg1(td3))
    assert (result.format, result.document_number, result.lines) == ("TD3", "L898902C3", td3)


def test_dg2_names_the_image_format() -> None:
    jpeg = b"\xff\xd8\xff\xe0" + bytes(100)
    face = parse_dg2(chip_lds.dg2(jpeg, 120, 160))
    assert (face.format, face.width, face.height, face.data) == ("JPEG", 120, 160, jpeg)
    jp2 = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(100)
    assert parse_dg2(chip_lds.dg2(jp2, 120, 160, jpeg2000=True)).format == "JPEG 2000"
    assert parse_dg2(chip_lds.dg2(jp2, 1, 1)).to_pil() is None  # not decodable: no image, no exception
    with pytest.raises(ChipDataError, match="neither a JPEG nor a JPEG 2000"):
        parse_dg2(chip_lds.dg2(b"GIF89a" + bytes(50), 1, 1))


def test_dg11_and_dg12_fields() -> None:
    dg11 = parse_dg11(chip_lds.dg11({"full_name": "ERIKSSON<<ANNA", "full_date_of_birth": "19740812"}))
    assert (
        dg11.fields["full_name"] == "ERIKSSON<<ANNA" and str(dg11.date("full_date_of_birth")) == "1974-08-12"
    )
    dg12 = parse_dg12(chip_lds.dg12({"date_of_issue": "20250102", "issuing_authority": "UTOPIA"}))
    assert str(dg12.date("date_of_issue")) == "2025-01-02"


@pytest.mark.parametrize(
    ("parser", "data", "message"),
    [
        (parse_ef_com, b"\x61\x00", "EF.COM starts with tag 61"),
        (parse_ef_com, b"\x60\x10\x5f\x01", "EF.COM is cut short"),
        (parse_ef_com, bytes.fromhex("6005 5C03 61 75 99"), "no data group: 99"),
        (parse_dg1, chip_lds.dg1(["P<UTO"]), "DG1's MRZ has 5 characters"),
        (parse_dg2, b"\x75\x02\x01\x00", "DG2 has no biometric information group"),
        (parse_sod, b"\x77\x03\x30\x01\x00", "EF.SOD"),
    ],
)
def test_malformed_files_are_refused_with_their_name(parser: object, data: bytes, message: str) -> None:
    with pytest.raises(ChipDataError, match=message):
        parser(data)  # type: ignore[operator]


def test_dg1_against_a_printed_mrz_that_is_not_one() -> None:
    from checkpoint.emrtd.passive import check_dg1_matches_printed
    from checkpoint.emrtd.report import CheckStatus

    td3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    dg1 = parse_dg1(chip_lds.dg1(td3))
    assert check_dg1_matches_printed(dg1, ["hello"]).status is CheckStatus.NOT_RUN
    assert check_dg1_matches_printed(dg1, list(td3)).status is CheckStatus.PASS
    other = check_dg1_matches_printed(dg1, [td3[0], td3[1].replace("7408122", "7408139")])
    assert other.status is CheckStatus.FAIL and "birth date" in other.message


def test_jpeg_2000_faces_decode_and_dg7_signatures_are_named() -> None:
    import io

    from PIL import Image

    from checkpoint.emrtd.lds import parse_dg7

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 100, 50)).save(buffer, "JPEG2000")
    face = parse_dg2(chip_lds.dg2(buffer.getvalue(), 60, 80, jpeg2000=True))
    assert face.format == "JPEG 2000"
    image = face.to_pil()
    assert image is not None and image.size == (60, 80)
    jpeg = chip_lds.face_jpeg(40, 20, target=2000)
    (signature,) = parse_dg7(chip_lds.dg7([jpeg]))
    assert (signature.format, signature.data) == ("JPEG", jpeg)
    with pytest.raises(ChipDataError, match="DG7 holds an image that is neither"):
        parse_dg7(chip_lds.dg7([b"GIF89a"]))


def test_a_face_record_in_another_layout_is_found_by_its_signature() -> None:
    do = chip_lds.do
    jpeg = b"\xff\xd8\xff\xe0" + bytes(40)
    block = b"FAC\x00030\x00" + bytes(30) + jpeg  # 19794-5:2011 header, which this parser does not lay out
    dg2 = do(0x75, do(0x7F61, do(0x02, b"\x01") + do(0x7F60, do(0xA1, b"") + do(0x5F2E, block))))
    face = parse_dg2(dg2)
    assert (face.format, face.data, face.width) == ("JPEG", jpeg, None)
