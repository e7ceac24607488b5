"""The read sequence of ICAO 9303-10/11: open the chip, read its files, verify them."""

from __future__ import annotations

from collections.abc import Sequence

from checkpoint.emrtd.keys import AccessKey
from checkpoint.emrtd.report import ChipReport
from checkpoint.emrtd.transport import CardTransport
from checkpoint.emrtd.trust import TrustStore

# The data groups a reader asks for by default when EF.COM lists them (DG3/DG4 need Extended Access Control).
DEFAULT_DATA_GROUPS: tuple[int, ...] = (1, 2, 5, 7, 11, 12, 13, 14, 15, 16)


def read_chip(
    transport: CardTransport,
    key: AccessKey,
    *,
    trust: TrustStore | None = None,
    printed_mrz: Sequence[str] | None = None,
    data_groups: Sequence[int] = DEFAULT_DATA_GROUPS,
) -> ChipReport:
    """Open the chip with ``key`` (PACE when EF.CardAccess offers it, else BAC), read EF.COM, EF.SOD and
    the listed ``data_groups``, and run passive, active and chip authentication.

    Returns a :class:`ChipReport`. Raises :class:`AccessDenied` when the key is not this chip's,
    :class:`CardRemoved` when the card leaves the field, :class:`NotAnEMRTD` for a card without the eMRTD
    application, :class:`SecureMessagingError` / :class:`ChipStatusError` when the chip breaks protocol.
    """
    raise NotImplementedError("read_chip is being built")
