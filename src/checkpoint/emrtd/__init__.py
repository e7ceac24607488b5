"""E-passport chips (eMRTD, ICAO 9303 parts 10-12): open (BAC, PACE), read (LDS) and verify (passive,
active and chip authentication) over any :class:`CardTransport`.

>>> from checkpoint.emrtd import AccessKey, read_chip                                # doctest: +SKIP
>>> report = read_chip(transport, AccessKey.from_mrz(lines), trust=TrustStore.from_folder("csca/"))
>>> [(v.name, v.status.value) for v in report.verifications]
"""

from checkpoint.extras import require

require("chip", "e-passport chips (checkpoint.emrtd)")

from checkpoint.emrtd.errors import (  # noqa: E402
    AccessDenied,
    CardRemoved,
    ChipDataError,
    ChipError,
    ChipStatusError,
    NotAnEMRTD,
    SecureMessagingError,
)
from checkpoint.emrtd.keys import AccessKey  # noqa: E402
from checkpoint.emrtd.lds import AdditionalDetails  # noqa: E402
from checkpoint.emrtd.reader import DEFAULT_DATA_GROUPS, read_chip  # noqa: E402
from checkpoint.emrtd.report import (  # noqa: E402
    VERIFICATION_NAMES,
    AccessInfo,
    CheckStatus,
    ChipReport,
    DataGroup,
    FaceImage,
    PhaseTimings,
    Verification,
)
from checkpoint.emrtd.transport import CardTransport  # noqa: E402
from checkpoint.emrtd.trust import TrustStore, TrustStoreError  # noqa: E402

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
