"""E-passport chips (eMRTD, ICAO 9303 parts 10-12): open (BAC, PACE), read (LDS) and verify (passive,
active and chip authentication) over any :class:`CardTransport`.

>>> from checkpoint.emrtd import AccessKey, read_chip                                # doctest: +SKIP
>>> report = read_chip(transport, AccessKey.from_mrz(lines), trust=TrustStore.from_folder("csca/"))
>>> [(v.name, v.status.value) for v in report.verifications]
"""

from checkpoint.emrtd.errors import (
    AccessDenied,
    CardRemoved,
    ChipDataError,
    ChipError,
    ChipStatusError,
    NotAnEMRTD,
    SecureMessagingError,
)
from checkpoint.emrtd.keys import AccessKey
from checkpoint.emrtd.lds import AdditionalDetails
from checkpoint.emrtd.reader import DEFAULT_DATA_GROUPS, read_chip
from checkpoint.emrtd.report import (
    VERIFICATION_NAMES,
    AccessInfo,
    CheckStatus,
    ChipReport,
    DataGroup,
    FaceImage,
    PhaseTimings,
    Verification,
)
from checkpoint.emrtd.transport import CardTransport
from checkpoint.emrtd.trust import TrustStore, TrustStoreError

__all__ = [
    "DEFAULT_DATA_GROUPS",
    "VERIFICATION_NAMES",
    "AccessDenied",
    "AccessInfo",
    "AccessKey",
    "AdditionalDetails",
    "CardRemoved",
    "CardTransport",
    "CheckStatus",
    "ChipDataError",
    "ChipError",
    "ChipReport",
    "ChipStatusError",
    "DataGroup",
    "FaceImage",
    "NotAnEMRTD",
    "PhaseTimings",
    "SecureMessagingError",
    "TrustStore",
    "TrustStoreError",
    "Verification",
    "read_chip",
]
