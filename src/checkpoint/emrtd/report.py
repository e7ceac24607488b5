"""What a chip read returns: frozen results, named in ICAO 9303's words, with a JSON form."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from checkpoint.mrz import MRZResult

if TYPE_CHECKING:
    from PIL.Image import Image


class CheckStatus(enum.Enum):
    """Outcome of one verification."""

    PASS = "PASS"
    FAIL = "FAIL"
    NOT_RUN = "NOT RUN"


# The names of the verifications a report carries, in the order a reader runs them.
SOD_SIGNATURE = "sod_signature"
DSC_TRUSTED = "document_signer_trusted"
DATA_GROUP_HASHES = "data_group_hashes"
DATA_GROUPS_LISTED = "data_groups_listed"
DSC_COUNTRY = "document_signer_country"
DG1_MATCHES_PRINTED_MRZ = "dg1_matches_printed_mrz"
ACTIVE_AUTHENTICATION = "active_authentication"
CHIP_AUTHENTICATION = "chip_authentication"
VERIFICATION_NAMES: tuple[str, ...] = (
    SOD_SIGNATURE,
    DSC_TRUSTED,
    DATA_GROUP_HASHES,
    DATA_GROUPS_LISTED,
    DSC_COUNTRY,
    DG1_MATCHES_PRINTED_MRZ,
    ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
)


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Verification:
    """One named check: ``status``, a ``message`` a person can read, and ``details`` (e.g. CSCA country)."""

    name: str
    status: CheckStatus
    message: str
    details: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", _frozen(self.details))

    @property
    def passed(self) -> bool:
        return self.status is CheckStatus.PASS

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "message": self.message,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class AccessInfo:
    """How the chip was opened: ``method`` "BAC" or "PACE", and for PACE its protocol and parameters."""

    method: str
    password: str  # "MRZ" or "CAN"
    protocol: str | None = None  # e.g. "id-PACE-ECDH-GM-AES-CBC-CMAC-128"
    mapping: str | None = None  # "GM" (generic mapping)
    key_agreement: str | None = None  # "ECDH" or "DH"
    curve: str | None = None  # e.g. "brainpoolP256r1"
    cipher: str | None = None  # "3DES", "AES-128", "AES-192", "AES-256"
    fell_back_to_bac: bool = False  # EF.CardAccess advertised PACE but it failed, BAC opened the chip
    parameter_id: int | None = None  # PACE's standardized domain parameters (9303-11 table 6)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class FaceImage:
    """The holder's face from DG2: the encoded image bytes and their ``format`` ("JPEG" or "JPEG 2000")."""

    data: bytes = field(repr=False)
    format: str
    width: int | None = None
    height: int | None = None

    def to_pil(self) -> Image | None:
        """Decode with Pillow; ``None`` when Pillow cannot (e.g. no JPEG 2000 support built in)."""
        import io

        try:
            from PIL import Image as PILImage

            image = PILImage.open(io.BytesIO(self.data))
            image.load()
            return image
        except Exception:  # Pillow raises many kinds for undecodable data: none of them is ours to raise.
            return None

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "length": len(self.data), "width": self.width, "height": self.height}


@dataclass(frozen=True)
class DataGroup:
    """One elementary file read from the chip: ``number`` (1-16), ``raw`` bytes, ``parsed`` content."""

    number: int
    raw: bytes = field(repr=False)
    parsed: Any = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return f"DG{self.number}"


@dataclass(frozen=True)
class PhaseTimings:
    """Seconds spent opening the chip, reading its files, and verifying them."""

    access: float
    reading: float
    verification: float

    def to_dict(self) -> dict[str, float]:
        return {"access": self.access, "reading": self.reading, "verification": self.verification}


@dataclass(frozen=True)
class ChipReport:
    """Everything one chip read produced. ``data_groups`` maps the DG number to what was read."""

    access: AccessInfo
    lds_version: str | None
    unicode_version: str | None
    data_groups: Mapping[int, DataGroup]
    sod: bytes = field(repr=False)
    dg1: MRZResult | None
    face: FaceImage | None
    verifications: tuple[Verification, ...]
    timings: PhaseTimings
    errors: tuple[str, ...] = ()  # files that could not be read or parsed, in words

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_groups", MappingProxyType(dict(self.data_groups)))

    def verification(self, name: str) -> Verification:
        """Return the verification called ``name`` (one of :data:`VERIFICATION_NAMES`); KeyError if absent."""
        for item in self.verifications:
            if item.name == name:
                return item
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form; the face is its format and length, never its bytes."""
        return {
            "access": self.access.to_dict(),
            "lds_version": self.lds_version,
            "unicode_version": self.unicode_version,
            "data_groups": {
                dg.name: {"length": len(dg.raw), "sha256": _sha256(dg.raw)}
                for dg in self.data_groups.values()
            },
            "dg1": self.dg1.to_dict() if self.dg1 is not None else None,
            "face": self.face.to_dict() if self.face is not None else None,
            "additional_personal_details": _fields_of(self.data_groups.get(11)),
            "additional_document_details": _fields_of(self.data_groups.get(12)),
            "verifications": [v.to_dict() for v in self.verifications],
            "timings": self.timings.to_dict(),
            "errors": list(self.errors),
        }


def _fields_of(group: DataGroup | None) -> dict[str, str] | None:
    """DG11's or DG12's named fields, when the group was read and parsed."""
    fields = getattr(group.parsed, "fields", None) if group is not None else None
    return dict(fields) if isinstance(fields, Mapping) else None


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
