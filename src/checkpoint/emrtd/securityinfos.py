"""SecurityInfos (ICAO 9303-11 section 9.2): what EF.CardAccess and DG14 say the chip supports (PACE,
chip authentication, active authentication), parsed with asn1crypto."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from asn1crypto import core, keys

from checkpoint.emrtd.errors import ChipDataError

BSI: Final = "0.4.0.127.0.7.2.2"
ID_PK_DH: Final = f"{BSI}.1.1"
ID_PK_ECDH: Final = f"{BSI}.1.2"
ID_CA: Final = f"{BSI}.3"
ID_PACE: Final = f"{BSI}.4"
ID_AA: Final = "2.23.136.1.1.5"
ECDSA_PLAIN_SIGNATURES: Final = "0.4.0.127.0.7.1.1.4.1"

# The last arc of a PACE or CA protocol names its cipher.
CIPHER_ARCS: Final = {1: "3DES", 2: "AES-128", 3: "AES-192", 4: "AES-256"}
PACE_MAPPINGS: Final = {
    1: ("DH", "GM"),
    2: ("ECDH", "GM"),
    3: ("DH", "IM"),
    4: ("ECDH", "IM"),
    6: ("ECDH", "CAM"),
}
PACE_NAMES: Final = {1: "DH-GM", 2: "ECDH-GM", 3: "DH-IM", 4: "ECDH-IM", 6: "ECDH-CAM"}
CA_NAMES: Final = {1: "DH", 2: "ECDH"}
CIPHER_NAMES: Final = {1: "3DES-CBC-CBC", 2: "AES-CBC-CMAC-128", 3: "AES-CBC-CMAC-192", 4: "AES-CBC-CMAC-256"}


class SecurityInfo(core.Sequence):  # type: ignore[misc]  # asn1crypto is untyped
    _fields = [  # noqa: RUF012 (asn1crypto's declaration style)
        ("protocol", core.ObjectIdentifier),
        ("required_data", core.Any),
        ("optional_data", core.Any, {"optional": True}),
    ]


class SecurityInfos(core.SetOf):  # type: ignore[misc]
    _child_spec = SecurityInfo


@dataclass(frozen=True)
class PACEInfo:
    """One PACE protocol the chip offers: ``protocol`` OID, ``parameter_id`` (standardized domain parameters)."""

    protocol: str
    version: int
    parameter_id: int | None

    @property
    def key_agreement(self) -> str:
        return PACE_MAPPINGS.get(_arc(self.protocol, -2), ("?", "?"))[0]

    @property
    def mapping(self) -> str:
        return PACE_MAPPINGS.get(_arc(self.protocol, -2), ("?", "?"))[1]

    @property
    def cipher(self) -> str:
        return CIPHER_ARCS.get(_arc(self.protocol, -1), "?")

    @property
    def name(self) -> str:
        """ICAO's name, e.g. ``id-PACE-ECDH-GM-AES-CBC-CMAC-128``."""
        return f"id-PACE-{PACE_NAMES.get(_arc(self.protocol, -2), '?')}-{CIPHER_NAMES.get(_arc(self.protocol, -1), '?')}"


@dataclass(frozen=True)
class ChipAuthenticationInfo:
    """Chip authentication's protocol (``id-CA-ECDH-AES-CBC-CMAC-128`` ...) and the key it uses."""

    protocol: str
    version: int
    key_id: int | None

    @property
    def key_agreement(self) -> str:
        return CA_NAMES.get(_arc(self.protocol, -2), "?")

    @property
    def cipher(self) -> str:
        return CIPHER_ARCS.get(_arc(self.protocol, -1), "?")

    @property
    def name(self) -> str:
        return f"id-CA-{self.key_agreement}-{CIPHER_NAMES.get(_arc(self.protocol, -1), '?')}"


@dataclass(frozen=True)
class ChipAuthenticationPublicKeyInfo:
    """The chip's static key-agreement public key (SubjectPublicKeyInfo DER) and its key id."""

    protocol: str
    public_key_info: bytes = field(repr=False)
    key_id: int | None


@dataclass(frozen=True)
class ActiveAuthenticationInfo:
    """Active authentication's signature algorithm (needed for ECDSA: it names the hash)."""

    version: int
    signature_algorithm: str


@dataclass(frozen=True)
class ParsedSecurityInfos:
    pace: tuple[PACEInfo, ...] = ()
    chip_authentication: tuple[ChipAuthenticationInfo, ...] = ()
    chip_authentication_keys: tuple[ChipAuthenticationPublicKeyInfo, ...] = ()
    active_authentication: ActiveAuthenticationInfo | None = None
    unknown: tuple[str, ...] = ()


def parse_security_infos(der: bytes, where: str) -> ParsedSecurityInfos:
    """Parse a DER SET OF SecurityInfo (EF.CardAccess content, or DG14's inner value).

    Unknown protocols are kept by OID in ``unknown``. Raises ChipDataError naming ``where`` when the
    structure is malformed.
    """
    pace: list[PACEInfo] = []
    ca: list[ChipAuthenticationInfo] = []
    ca_keys: list[ChipAuthenticationPublicKeyInfo] = []
    aa: ActiveAuthenticationInfo | None = None
    unknown: list[str] = []
    try:
        infos = SecurityInfos.load(der, strict=True)
        for info in infos:
            oid = info["protocol"].dotted
            required = info["required_data"]
            optional = info["optional_data"]
            if oid.startswith(ID_PACE + ".") and oid.count(".") == ID_PACE.count(".") + 2:
                version = core.Integer.load(required.dump()).native
                param = core.Integer.load(optional.dump()).native if optional.native is not None else None
                pace.append(PACEInfo(oid, version, param))
            elif oid.startswith(ID_CA + ".") and oid.count(".") == ID_CA.count(".") + 2:
                version = core.Integer.load(required.dump()).native
                key_id = core.Integer.load(optional.dump()).native if optional.native is not None else None
                ca.append(ChipAuthenticationInfo(oid, version, key_id))
            elif oid in (ID_PK_DH, ID_PK_ECDH):
                spki = keys.PublicKeyInfo.load(required.dump())
                key_id = core.Integer.load(optional.dump()).native if optional.native is not None else None
                ca_keys.append(ChipAuthenticationPublicKeyInfo(oid, spki.dump(), key_id))
            elif oid == ID_AA:
                version = core.Integer.load(required.dump()).native
                algorithm = (
                    core.ObjectIdentifier.load(optional.dump()).dotted if optional.native is not None else ""
                )
                aa = ActiveAuthenticationInfo(version, algorithm)
            else:
                unknown.append(oid)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # asn1crypto parses damaged DER lazily and fails in its own ways: an AttributeError comes from
        # an ANY field that decoded to a type without a value (an ObjectDescriptor, say).
        raise ChipDataError(f"{where} is not a SecurityInfos structure: {exc}") from exc
    return ParsedSecurityInfos(tuple(pace), tuple(ca), tuple(ca_keys), aa, tuple(unknown))


def _arc(oid: str, index: int) -> int:
    return int(oid.split(".")[index])
