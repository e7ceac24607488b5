"""The files a chip emulator serves, written from ICAO 9303-10 (the LDS) and 9303-11 (SecurityInfos):
EF.CardAccess, EF.COM, DG1, DG2 (an ISO/IEC 19794-5 face record around a JPEG), DG11, DG12, DG14, DG15.

Written independently of :mod:`checkpoint.emrtd`'s parsers, so that a read of the emulator tests them.
"""

from __future__ import annotations

import io
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from asn1crypto import core

from checkpoint.mrz import compose

BSI: Final = "0.4.0.127.0.7.2.2"
PACE_DH_GM: Final = f"{BSI}.4.1"
PACE_ECDH_GM: Final = f"{BSI}.4.2"
CA_ECDH: Final = f"{BSI}.3.2"
PK_ECDH: Final = f"{BSI}.1.2"
AA: Final = "2.23.136.1.1.5"
ECDSA_PLAIN_SHA256: Final = "0.4.0.127.0.7.1.1.4.1.3"
CIPHER_ARC: Final = {"3DES": 1, "AES-128": 2, "AES-192": 3, "AES-256": 4}
DG_TAG: Final = {1: 0x61, 2: 0x75, 11: 0x6B, 12: 0x6C, 14: 0x6E, 15: 0x6F}
ALL_DG_TAGS: Final = {
    n: t
    for n, t in zip(
        range(1, 17),
        (0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70),
        strict=True,
    )
}


def do(tag: int, value: bytes) -> bytes:
    """One BER-TLV data object."""
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    n = len(value)
    length = (
        bytes((n,))
        if n < 0x80
        else bytes((0x80 | ((n.bit_length() + 7) // 8),)) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    )
    return tag_bytes + length + value


def pace_protocol(cipher: str, parameter_id: int = 13) -> str:
    """id-PACE-ECDH-GM-<cipher>, or id-PACE-DH-GM-<cipher> for the MODP groups (parameter ids 0 to 2)."""
    mapping = PACE_DH_GM if parameter_id <= 2 else PACE_ECDH_GM
    return f"{mapping}.{CIPHER_ARC[cipher]}"


def ca_protocol(cipher: str) -> str:
    """id-CA-ECDH-<cipher>."""
    return f"{CA_ECDH}.{CIPHER_ARC[cipher]}"


def _security_info(oid: str, *values: core.Asn1Value) -> bytes:
    return bytes(
        core.Sequence(
            contents=b"".join([core.ObjectIdentifier(oid).dump(), *(v.dump() for v in values)])
        ).dump()
    )


def _set_of(items: Sequence[bytes]) -> bytes:
    return do(0x31, b"".join(sorted(items)))


def card_access(pace: Sequence[tuple[str, int]]) -> bytes:
    """EF.CardAccess: one PACEInfo (version 2) per (cipher, standardized parameter id)."""
    return _set_of([_security_info(pace_protocol(c, p), core.Integer(2), core.Integer(p)) for c, p in pace])


def ef_com(data_groups: Sequence[int]) -> bytes:
    """EF.COM of LDS 1.7, Unicode 4.0.0, listing ``data_groups``."""
    tags = bytes(ALL_DG_TAGS[n] for n in sorted(data_groups))
    return do(0x60, do(0x5F01, b"0107") + do(0x5F36, b"040000") + do(0x5C, tags))


def dg1(lines: Sequence[str]) -> bytes:
    """DG1: the MRZ lines concatenated."""
    return do(0x61, do(0x5F1F, "".join(lines).encode("ascii")))


def face_record(image: bytes, width: int, height: int, *, jpeg2000: bool = False) -> bytes:
    """An ISO/IEC 19794-5:2005 facial record with one face and no feature points."""
    facial = (
        (20 + 12 + len(image)).to_bytes(4, "big")  # facial record data length
        + (0).to_bytes(2, "big")  # feature points
        + bytes((0,))  # gender unspecified
        + bytes((0, 0))  # eye, hair colour
        + (0).to_bytes(3, "big")  # property mask
        + (0).to_bytes(2, "big")  # expression
        + bytes(3)  # pose angle
        + bytes(3)  # pose angle uncertainty
    )
    info = (
        bytes((1, 1 if jpeg2000 else 0))
        + width.to_bytes(2, "big")
        + height.to_bytes(2, "big")
        + bytes((1, 2))
        + (0).to_bytes(2, "big")
        + (0).to_bytes(2, "big")
    )
    body = facial + info + image
    header = b"FAC\x00" + b"010\x00" + (14 + len(body)).to_bytes(4, "big") + (1).to_bytes(2, "big")
    return header + body


def dg2(image: bytes, width: int, height: int, *, jpeg2000: bool = False) -> bytes:
    """DG2: a biometric information group template with one face."""
    header = do(0xA1, do(0x80, b"\x01\x01") + do(0x87, b"\x01\x01") + do(0x88, b"\x00\x08"))
    bit = do(0x7F60, header + do(0x5F2E, face_record(image, width, height, jpeg2000=jpeg2000)))
    return do(0x75, do(0x7F61, do(0x02, b"\x01") + bit))


def dg7(signature_images: Sequence[bytes]) -> bytes:
    """DG7: the displayed signature(s), each a JPEG or JPEG 2000 (5F43), after their count."""
    return do(
        0x67, do(0x02, bytes((len(signature_images),))) + b"".join(do(0x5F43, i) for i in signature_images)
    )


DG11_TAGS: Final = {
    "full_name": 0x5F0E,
    "personal_number": 0x5F10,
    "full_date_of_birth": 0x5F2B,
    "place_of_birth": 0x5F11,
    "address": 0x5F42,
    "telephone": 0x5F12,
    "profession": 0x5F13,
}
DG12_TAGS: Final = {
    "issuing_authority": 0x5F19,
    "date_of_issue": 0x5F26,
    "endorsements_and_observations": 0x5F1B,
    "date_and_time_of_personalization": 0x5F55,
}


def _details(tag: int, names: Mapping[str, int], values: Mapping[str, str]) -> bytes:
    used = [names[k] for k in values if k in names]
    tag_list = b"".join(t.to_bytes(2, "big") for t in used)
    return do(
        tag,
        do(0x5C, tag_list)
        + b"".join(do(names[k], v.encode("utf-8")) for k, v in values.items() if k in names),
    )


def dg11(values: Mapping[str, str]) -> bytes:
    """DG11 from named fields (full_name, place_of_birth, ...)."""
    return _details(0x6B, DG11_TAGS, values)


def dg12(values: Mapping[str, str]) -> bytes:
    """DG12 from named fields (issuing_authority, date_of_issue as YYYYMMDD, ...)."""
    return _details(0x6C, DG12_TAGS, values)


def dg14(
    ca_public_key_info: bytes | None,
    ca_cipher: str | None,
    *,
    active_authentication: bool = False,
    key_id: int | None = None,
) -> bytes:
    """DG14: ChipAuthenticationInfo + ChipAuthenticationPublicKeyInfo (and ActiveAuthenticationInfo for
    an ECDSA active authentication key)."""
    infos = []
    if ca_public_key_info is not None and ca_cipher is not None:
        kid = (core.Integer(key_id),) if key_id is not None else ()
        infos.append(_security_info(ca_protocol(ca_cipher), core.Integer(1), *kid))
        infos.append(_security_info(PK_ECDH, core.Any.load(ca_public_key_info), *kid))
    if active_authentication:
        infos.append(_security_info(AA, core.Integer(1), core.ObjectIdentifier(ECDSA_PLAIN_SHA256)))
    return do(0x6E, _set_of(infos))


def dg15(public_key_info: bytes) -> bytes:
    """DG15: the active authentication public key (SubjectPublicKeyInfo DER)."""
    return do(0x6F, public_key_info)


def face_jpeg(width: int = 240, height: int = 320, *, target: int = 16_000, seed: int = 1) -> bytes:
    """A JPEG of about ``target`` bytes (a face image's usual size): a smooth portrait-like gradient with
    enough detail that the encoder cannot shrink it to nothing."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (200, 205, 210))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.2, height * 0.15, width * 0.8, height * 0.75), fill=(224, 180, 150))
    draw.rectangle((width * 0.1, height * 0.78, width * 0.9, height), fill=(40, 60, 110))
    noise = Image.frombytes("L", (width, height), bytes(rng.randrange(256) for _ in range(width * height)))
    image = Image.blend(
        image, Image.merge("RGB", (noise, noise, noise)).filter(ImageFilter.GaussianBlur(1)), 0.25
    )
    best = b""
    for quality in range(95, 5, -5):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        best = buffer.getvalue()
        if len(best) <= target:
            break
    return best


@dataclass(frozen=True)
class ChipDocument:
    """What a chip is personalised with: the MRZ, a face, DG11/DG12 fields, and the CAN printed on the page."""

    mrz_lines: tuple[str, ...]
    face: bytes = field(repr=False)
    face_size: tuple[int, int] = (240, 320)
    dg11: Mapping[str, str] = field(default_factory=dict)
    dg12: Mapping[str, str] = field(default_factory=dict)
    can: str = "123456"
    signature: bytes | None = field(default=None, repr=False)  # DG7's image, when the chip holds one


def specimen_document(*, today: date | None = None, face: bytes | None = None) -> ChipDocument:
    """ICAO's specimen TD3 (Utopia, Anna Maria Eriksson), valid from a year before ``today`` for 10 years."""
    today = today or date.today()
    issued = today.replace(year=today.year - 1)
    expiry = issued.replace(year=issued.year + 10)
    lines = compose(
        "TD3",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="L898902C3",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=expiry,
        optional_data="ZE184226B",
    )
    return ChipDocument(
        tuple(lines),
        face if face is not None else face_jpeg(),
        dg11={
            "full_name": "ERIKSSON<<ANNA<MARIA",
            "place_of_birth": "ZENITH,UTOPIA",
            "full_date_of_birth": "19740812",
        },
        dg12={"issuing_authority": "UTOPIA PASSPORT OFFICE", "date_of_issue": issued.strftime("%Y%m%d")},
    )


def mrz_information(lines: Sequence[str]) -> str:
    """ICAO 9303-11 MRZ_information of a TD1/TD2/TD3 MRZ, as the chip was personalised with it."""
    if len(lines) == 3:
        number, cd, optional = lines[0][5:14], lines[0][14], lines[0][15:30]
        birth, expiry = lines[1][0:7], lines[1][8:15]
    else:
        number, cd, optional = lines[1][0:9], lines[1][9], lines[1][28:35] if len(lines[0]) == 36 else ""
        birth, expiry = lines[1][13:20], lines[1][21:28]
    if cd == "<" and optional.rstrip("<"):
        tail = optional.rstrip("<")
        number, cd = number + tail[:-1], tail[-1]
    return number + cd + birth + expiry
