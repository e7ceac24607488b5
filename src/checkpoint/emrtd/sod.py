"""EF.SOD (ICAO 9303-10 section 4.6.2): a CMS SignedData whose content is the LDSSecurityObject, the
hashes of the data groups, signed by the Document Signer. Parsed with asn1crypto."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from asn1crypto import algos, cms, core

from checkpoint.emrtd.errors import ChipDataError
from checkpoint.emrtd.lds import EF_SOD_TAG, template
from checkpoint.emrtd.signatures import encapsulated_content

LDS_SECURITY_OBJECT_OID: Final = "2.23.136.1.1.1"


class DataGroupHash(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    _fields = [("data_group_number", core.Integer), ("data_group_hash_value", core.OctetString)]  # noqa: RUF012


class DataGroupHashValues(core.SequenceOf):  # type: ignore[misc]
    _child_spec = DataGroupHash


class LDSVersionInfo(core.Sequence):  # type: ignore[misc]
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]  # noqa: RUF012


class LDSSecurityObject(core.Sequence):  # type: ignore[misc]
    _fields = [  # noqa: RUF012
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LDSVersionInfo, {"optional": True}),
    ]


@dataclass(frozen=True)
class SecurityObject:
    """EF.SOD: the ``hashes`` per DG number, their ``hash_algorithm`` (hashlib name), the signed content and
    the SignedData (asn1crypto) for the signature check."""

    hash_algorithm: str
    hashes: dict[int, bytes] = field(repr=False)
    signed_data: cms.SignedData = field(repr=False)
    encapsulated_content: bytes = field(repr=False)


def parse_sod(data: bytes) -> SecurityObject:
    """Parse EF.SOD. Raises ChipDataError when it is not a SignedData over an LDSSecurityObject."""
    try:
        info = cms.ContentInfo.load(template(data, EF_SOD_TAG, "EF.SOD"))
        if info["content_type"].native != "signed_data":
            raise ChipDataError(f"EF.SOD holds {info['content_type'].native}, not signed data")
        signed = info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != LDS_SECURITY_OBJECT_OID:
            raise ChipDataError(f"EF.SOD signs {encap['content_type'].dotted}, not an LDSSecurityObject")
        raw = encapsulated_content(signed)
        _ = signed.native  # asn1crypto parses lazily: parse it all now, so damage is found here
        lso = LDSSecurityObject.load(raw)
        algorithm = str(lso["hash_algorithm"]["algorithm"].native)
        hashes = {
            int(item["data_group_number"].native): bytes(item["data_group_hash_value"].native)
            for item in lso["data_group_hash_values"]
        }
        _ = lso.native
    except ChipDataError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipDataError(f"EF.SOD is not a well-formed security object: {exc}") from exc
    return SecurityObject(algorithm, hashes, signed, bytes(raw))
