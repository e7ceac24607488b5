"""The files of the Logical Data Structure (ICAO 9303-10): EF.COM, DG1, DG2, DG11, DG12, DG14, DG15.

The data groups are BER-TLV templates of application tags; DG14's SecurityInfos and DG15's public key are
DER, parsed with asn1crypto. Each parser raises :class:`ChipDataError` naming the file and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from asn1crypto import keys

from checkpoint.emrtd.apdu import iter_tlv, read_header
from checkpoint.emrtd.errors import ChipDataError
from checkpoint.emrtd.report import FaceImage
from checkpoint.emrtd.securityinfos import ParsedSecurityInfos, parse_security_infos
from checkpoint.mrz import MRZError, MRZResult, parse

# The tag of each data group's template (9303-10 table 34), and the reverse.
DG_TAGS: Final = {
    1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68,
    9: 0x69, 10: 0x6A, 11: 0x6B, 12: 0x6C, 13: 0x6D, 14: 0x6E, 15: 0x6F, 16: 0x70,
}  # fmt: skip
TAG_DGS: Final = {tag: number for number, tag in DG_TAGS.items()}
EF_COM_TAG: Final = 0x60
EF_SOD_TAG: Final = 0x77


@dataclass(frozen=True)
class EFCom:
    """EF.COM: LDS and Unicode versions, and the data groups the chip says it holds."""

    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


def template(data: bytes, tag: int, name: str) -> bytes:
    """The value of the outer template ``tag`` of file ``name``; raises ChipDataError if it is not there."""
    try:
        found, start, length = read_header(data)
    except ChipDataError as exc:
        raise ChipDataError(f"{name}: {exc}") from exc
    if found != tag:
        raise ChipDataError(f"{name} starts with tag {found:02X}, expected {tag:02X}")
    if start + length > len(data):
        raise ChipDataError(f"{name} is cut short: {len(data)} of {start + length} bytes")
    return data[start : start + length]


def _objects(value: bytes, name: str) -> dict[int, bytes]:
    try:
        return dict(iter_tlv(value))
    except ChipDataError as exc:
        raise ChipDataError(f"{name}: {exc}") from exc


def parse_ef_com(data: bytes) -> EFCom:
    """Parse EF.COM. ``lds_version`` reads "1.7" for 0107, ``unicode_version`` "4.0.0" for 040000."""
    objects = _objects(template(data, EF_COM_TAG, "EF.COM"), "EF.COM")
    lds, uni, tags = objects.get(0x5F01, b""), objects.get(0x5F36, b""), objects.get(0x5C, b"")
    lds_text, uni_text = lds.decode("ascii", "replace"), uni.decode("ascii", "replace")
    lds_version = (
        f"{int(lds_text[:2])}.{int(lds_text[2:])}" if len(lds_text) == 4 and lds_text.isdigit() else lds_text
    )
    unicode_version = (
        ".".join(str(int(uni_text[i : i + 2])) for i in (0, 2, 4))
        if len(uni_text) == 6 and uni_text.isdigit()
        else uni_text
    )
    unknown = [f"{t:02X}" for t in tags if t not in TAG_DGS]
    if unknown:
        raise ChipDataError(f"EF.COM lists tags that are no data group: {', '.join(unknown)}")
    return EFCom(lds_version, unicode_version, tuple(TAG_DGS[t] for t in tags))


def parse_dg1(data: bytes) -> MRZResult:
    """DG1: the MRZ, parsed with :mod:`checkpoint.mrz` (90 characters TD1, 72 TD2, 88 TD3)."""
    mrz = _objects(template(data, DG_TAGS[1], "DG1"), "DG1").get(0x5F1F)
    if mrz is None:
        raise ChipDataError("DG1 has no MRZ data object (5F1F)")
    text = mrz.decode("ascii", "replace")
    width = {90: 30, 72: 36, 88: 44}.get(len(text))
    if width is None:
        raise ChipDataError(f"DG1's MRZ has {len(text)} characters: not TD1 (90), TD2 (72) or TD3 (88)")
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    try:
        # The chip's MRZ is machine-written: read it as it is, repairing nothing.
        return parse(lines, strict=True)
    except MRZError:
        return parse(lines)  # not exact ICAO lines: the lenient parse says what is wrong with them


JPEG_MAGIC: Final = b"\xff\xd8\xff"
JP2_MAGIC: Final = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
J2K_MAGIC: Final = b"\xff\x4f\xff\x51"
IMAGE_MAGICS: Final = {JPEG_MAGIC: "JPEG", JP2_MAGIC: "JPEG 2000", J2K_MAGIC: "JPEG 2000"}


def parse_dg2(data: bytes) -> FaceImage:
    """DG2: the first face's image (JPEG or JPEG 2000) from the ISO/IEC 19794-5 record in its biometric
    data block. Raises ChipDataError when there is no face image in it."""
    group = _objects(template(data, DG_TAGS[2], "DG2"), "DG2")
    bit = group.get(0x7F61)
    if bit is None:
        raise ChipDataError("DG2 has no biometric information group template (7F61)")
    instances = _objects(bit, "DG2 7F61")
    first = instances.get(0x7F60)
    if first is None:
        raise ChipDataError("DG2 has no biometric information template (7F60)")
    inner = _objects(first, "DG2 7F60")
    block = inner.get(0x5F2E) or inner.get(0x7F2E)
    if block is None:
        raise ChipDataError("DG2 has no biometric data block (5F2E)")
    return _face_from_record(block)


def image_format(data: bytes) -> str | None:
    """ "JPEG" or "JPEG 2000" by the image's signature, None for anything else."""
    for magic, kind in IMAGE_MAGICS.items():
        if data.startswith(magic):
            return kind
    return None


def _displayed_images(data: bytes, number: int, tag: int) -> tuple[FaceImage, ...]:
    """DG5 (displayed portrait, images 5F40) or DG7 (displayed signature or mark, images 5F43)."""
    images = []
    for found, value in iter_tlv(template(data, DG_TAGS[number], f"DG{number}")):
        if found == tag:
            kind = image_format(value)
            if kind is None:
                raise ChipDataError(f"DG{number} holds an image that is neither JPEG nor JPEG 2000")
            images.append(FaceImage(value, kind))
    return tuple(images)


def parse_dg5(data: bytes) -> tuple[FaceImage, ...]:
    """DG5: the displayed portrait(s), as printed on the data page."""
    return _displayed_images(data, 5, 0x5F40)


def parse_dg7(data: bytes) -> tuple[FaceImage, ...]:
    """DG7: the displayed signature or usual mark(s)."""
    return _displayed_images(data, 7, 0x5F43)


def _face_from_record(block: bytes) -> FaceImage:
    width = height = None
    start = None
    if block[:4] == b"FAC\x00" and block[4:8] == b"010\x00" and len(block) >= 46:
        # ISO/IEC 19794-5:2005: 14-byte general header, 20-byte facial information, 8 bytes per feature
        # point, then 12 bytes of image information (type, data type, width, height, ...).
        features = int.from_bytes(block[18:20], "big")
        info = 14 + 20 + 8 * features
        if len(block) >= info + 12:
            width = int.from_bytes(block[info + 2 : info + 4], "big")
            height = int.from_bytes(block[info + 4 : info + 6], "big")
            start = info + 12
    image = block[start:] if start is not None else block
    kind = image_format(image)
    if kind is not None:
        return FaceImage(image, kind, width, height)
    # A record in another layout (19794-5:2011, vendor variants): find the image by its signature.
    found = [(at, magic) for magic in IMAGE_MAGICS if (at := block.find(magic)) >= 0]
    if found:
        image = block[min(found)[0] :]
        return FaceImage(image, image_format(image) or "JPEG", width, height)
    raise ChipDataError("DG2's biometric data block holds neither a JPEG nor a JPEG 2000 image")


# DG11 (additional personal details) and DG12 (additional document details), 9303-10 section 4.7.11/12.
DG11_FIELDS: Final = {
    0x5F0E: "full_name", 0x5F0F: "other_names", 0x5F10: "personal_number", 0x5F2B: "full_date_of_birth",
    0x5F11: "place_of_birth", 0x5F42: "address", 0x5F12: "telephone", 0x5F13: "profession",
    0x5F14: "title", 0x5F15: "personal_summary", 0x5F17: "other_travel_document_numbers",
    0x5F18: "custody_information",
}  # fmt: skip
DG12_FIELDS: Final = {
    0x5F19: "issuing_authority", 0x5F26: "date_of_issue", 0x5F1B: "endorsements_and_observations",
    0x5F1C: "tax_or_exit_requirements", 0x5F55: "date_and_time_of_personalization",
    0x5F56: "personalization_system_serial_number",
}  # fmt: skip


@dataclass(frozen=True)
class AdditionalDetails:
    """DG11 or DG12 as named text fields (``fields``), with ``date_of_issue`` / full birth date as dates."""

    fields: dict[str, str] = field(default_factory=dict)

    def date(self, name: str) -> date | None:
        """A YYYYMMDD field as a date; None when absent or not a full date."""
        text = self.fields.get(name, "")
        if len(text) >= 8 and text[:8].isdigit():
            try:
                return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
            except ValueError:
                return None
        return None


def _details(data: bytes, number: int, names: dict[int, str]) -> AdditionalDetails:
    found: dict[str, str] = {}
    for tag, value in _objects(template(data, DG_TAGS[number], f"DG{number}"), f"DG{number}").items():
        if tag == 0xA0:  # a container of several "other names"/"other persons": keep their text
            texts = [v.decode("utf-8", "replace") for t, v in iter_tlv(value) if t != 0x02]
            found["other_names" if number == 11 else "other_persons"] = "; ".join(texts)
        elif tag in names:
            found[names[tag]] = value.decode("utf-8", "replace")
    return AdditionalDetails(found)


def parse_dg11(data: bytes) -> AdditionalDetails:
    """DG11: additional personal details (full name, place of birth, address ...)."""
    return _details(data, 11, DG11_FIELDS)


def parse_dg12(data: bytes) -> AdditionalDetails:
    """DG12: additional document details (issuing authority, date of issue ...)."""
    return _details(data, 12, DG12_FIELDS)


def parse_dg14(data: bytes) -> ParsedSecurityInfos:
    """DG14: the chip authentication protocols and keys (and PACE/AA infos) the chip holds."""
    return parse_security_infos(template(data, DG_TAGS[14], "DG14"), "DG14")


def parse_dg15(data: bytes) -> keys.PublicKeyInfo:
    """DG15: active authentication's public key (RSA or EC), as asn1crypto's PublicKeyInfo."""
    value = template(data, DG_TAGS[15], "DG15")
    try:
        info = keys.PublicKeyInfo.load(value, strict=True)
        _ = info.native  # parse it all now (asn1crypto is lazy), so damage is found here
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipDataError(f"DG15 is not a SubjectPublicKeyInfo: {exc}") from exc
    return info


PARSERS: Final = {
    1: parse_dg1,
    2: parse_dg2,
    5: parse_dg5,
    7: parse_dg7,
    11: parse_dg11,
    12: parse_dg12,
    14: parse_dg14,
    15: parse_dg15,
}


def parse_data_group(number: int, data: bytes) -> object:
    """Parse data group ``number`` when a parser exists; otherwise return its template's value untouched."""
    parser = PARSERS.get(number)
    if parser is not None:
        return parser(data)
    return template(data, DG_TAGS[number], f"DG{number}") if number in DG_TAGS else data
