"""The read sequence of ICAO 9303-10/11: open the chip, read its files, verify them."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import time
from collections.abc import Mapping, Sequence

from checkpoint.emrtd import passive
from checkpoint.emrtd.active import perform_active_authentication
from checkpoint.emrtd.bac import perform_bac
from checkpoint.emrtd.chipauth import perform_chip_authentication
from checkpoint.emrtd.domain import EC_DOMAINS
from checkpoint.emrtd.errors import (
    AccessDenied,
    CardRemoved,
    ChipDataError,
    ChipError,
    ChipStatusError,
    NotAnEMRTD,
)
from checkpoint.emrtd.files import (
    EF_CARD_ACCESS,
    EF_COM,
    EF_SOD,
    ReadOptions,
    dg_fid,
    read_file,
    select_application,
    select_mf,
)
from checkpoint.emrtd.keys import AccessKey
from checkpoint.emrtd.lds import EFCom, parse_data_group, parse_ef_com
from checkpoint.emrtd.pace import perform_pace, supports
from checkpoint.emrtd.report import (
    ACTIVE_AUTHENTICATION,
    CHIP_AUTHENTICATION,
    AccessInfo,
    CheckStatus,
    ChipReport,
    DataGroup,
    FaceImage,
    PhaseTimings,
    Verification,
)
from checkpoint.emrtd.securityinfos import ActiveAuthenticationInfo, ParsedSecurityInfos, parse_security_infos
from checkpoint.emrtd.signatures import HASHES
from checkpoint.emrtd.sm import SecureChannel
from checkpoint.emrtd.sod import SecurityObject, parse_sod
from checkpoint.emrtd.transport import CardTransport
from checkpoint.emrtd.trust import TrustStore
from checkpoint.mrz import MRZResult

log = logging.getLogger(__name__)

# The data groups a reader asks for by default (DG3/DG4, fingerprints and irises, need Extended Access
# Control, which a border post's terminal certificates would provide).
DEFAULT_DATA_GROUPS: tuple[int, ...] = (1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)


def open_chip(transport: CardTransport, key: AccessKey) -> tuple[SecureChannel, AccessInfo]:
    """Open secure messaging: PACE when EF.CardAccess offers a protocol this reader runs, else BAC.

    Returns the channel (with the eMRTD application selected) and how it was opened. Raises AccessDenied,
    NotAnEMRTD, CardRemoved, or ChipStatusError / SecureMessagingError when the chip breaks protocol.
    """
    card_access = _read_card_access(transport)
    offered = [info for info in card_access.pace if supports(info)] if card_access else []
    fell_back = False
    for info in offered:
        try:
            keys = perform_pace(transport, key, info)
        except (AccessDenied, CardRemoved):
            raise
        except ChipError as exc:
            log.debug("PACE %s failed (%s), trying BAC", info.name, exc)
            fell_back = True
            break
        channel = SecureChannel(transport, keys)
        try:
            select_application(channel)
        except ChipStatusError as exc:
            raise NotAnEMRTD(f"the chip has no eMRTD application: {exc}") from exc
        domain = info.parameter_id
        access = AccessInfo(
            "PACE",
            key.kind,
            info.name,
            info.mapping,
            info.key_agreement,
            EC_DOMAINS[domain].name if domain in EC_DOMAINS and info.key_agreement == "ECDH" else None,
            info.cipher,
            parameter_id=domain,
        )
        return channel, access
    if key.kind != "MRZ":
        if fell_back:
            raise AccessDenied(
                "PACE with the CAN failed on this chip, and Basic Access Control needs the MRZ"
            )
        raise AccessDenied("this chip offers only Basic Access Control, which needs the MRZ, not the CAN")
    try:
        select_application(transport)
    except ChipStatusError as exc:
        raise NotAnEMRTD(f"the card has no eMRTD application: {exc}") from exc
    channel = SecureChannel(transport, perform_bac(transport, key))
    return channel, AccessInfo("BAC", "MRZ", cipher="3DES", fell_back_to_bac=fell_back)


def _read_card_access(transport: CardTransport) -> ParsedSecurityInfos | None:
    try:
        # Some chips refuse SELECT MF without a file identifier; EF.CardAccess may still be selected.
        with contextlib.suppress(ChipStatusError):
            select_mf(transport)
        content = read_file(transport, EF_CARD_ACCESS)
    except CardRemoved:
        raise
    except ChipError as exc:
        log.debug("no EF.CardAccess (%s): BAC only", exc)
        return None
    try:
        return parse_security_infos(content, "EF.CardAccess")
    except ChipDataError as exc:
        log.debug("EF.CardAccess unreadable (%s): BAC only", exc)
        return None


def read_chip(
    transport: CardTransport,
    key: AccessKey,
    *,
    trust: TrustStore | None = None,
    printed_mrz: Sequence[str] | None = None,
    data_groups: Sequence[int] = DEFAULT_DATA_GROUPS,
) -> ChipReport:
    """Open the chip with ``key`` (PACE when EF.CardAccess offers it, else BAC), read EF.COM, EF.SOD and
    the ``data_groups`` EF.COM or EF.SOD list, and run passive, active and chip authentication.

    Returns a :class:`ChipReport`; verification failures are in its ``verifications``, never raised.
    Raises :class:`AccessDenied` when the key is not this chip's, :class:`CardRemoved` when the card leaves
    the field, :class:`NotAnEMRTD` for a card without the eMRTD application, :class:`SecureMessagingError`
    / :class:`ChipStatusError` / :class:`ChipDataError` when the chip breaks protocol or EF.COM/EF.SOD are
    unreadable.
    """
    started = time.perf_counter()
    channel, access = open_chip(transport, key)
    opened = time.perf_counter()

    options = ReadOptions()
    errors: list[str] = []
    try:
        com: EFCom | None = parse_ef_com(read_file(channel, EF_COM, options=options))
    except ChipStatusError as exc:
        if exc.sw != 0x6A82:
            raise
        com = None  # EF.COM is optional in later LDS versions: EF.SOD lists the data groups
        errors.append("EF.COM: the chip has none; the data groups EF.SOD lists were read")
    sod_bytes = read_file(channel, EF_SOD, options=options)
    sod = parse_sod(sod_bytes)
    listed = set(com.data_groups) if com is not None else set()
    wanted = sorted((listed | set(sod.hashes)) & set(data_groups))
    raw: dict[int, bytes] = {}
    for number in wanted:
        try:
            raw[number] = read_file(channel, dg_fid(number), options=options)
        except ChipStatusError as exc:
            if exc.sw == 0x6982:
                errors.append(f"DG{number}: access refused (needs Extended Access Control)")
            else:
                errors.append(f"DG{number}: {exc}")
        except ChipDataError as exc:
            errors.append(str(exc))
    parsed: dict[int, DataGroup] = {}
    for number, data in raw.items():
        try:
            content = parse_data_group(number, data)
        except ChipDataError as exc:
            errors.append(str(exc))
            content = None
        parsed[number] = DataGroup(number, data, content)
    read_done = time.perf_counter()

    dg1 = parsed[1].parsed if 1 in parsed and isinstance(parsed[1].parsed, MRZResult) else None
    face = parsed[2].parsed if 2 in parsed and isinstance(parsed[2].parsed, FaceImage) else None
    try:
        dsc, dsc_problem = passive.find_document_signer(sod, trust), None
    except ChipDataError as exc:
        dsc, dsc_problem = None, str(exc)
    verifications = [
        passive.check_sod_signature(sod, dsc, dsc_problem),
        passive.check_document_signer_trusted(dsc, trust),
        passive.check_data_group_hashes(sod, raw),
        passive.check_data_groups_listed(sod, raw),
        passive.check_document_signer_country(dsc, dg1),
        passive.check_dg1_matches_printed(dg1, printed_mrz),
    ]
    dg14 = parsed[14].parsed if 14 in parsed and isinstance(parsed[14].parsed, ParsedSecurityInfos) else None
    signed = verifications[0].passed
    verifications.append(_anchored(_active(channel, parsed, dg14), 15, sod, raw, signed))
    if dg14 is None:
        verifications.append(
            Verification(
                CHIP_AUTHENTICATION, CheckStatus.NOT_RUN, "the chip has no DG14 (no chip authentication key)"
            )
        )
    else:
        verifications.append(_anchored(perform_chip_authentication(channel, dg14), 14, sod, raw, signed))
    finished = time.perf_counter()
    return ChipReport(
        access=access,
        lds_version=com.lds_version if com is not None else None,
        unicode_version=com.unicode_version if com is not None else None,
        data_groups=parsed,
        sod=sod_bytes,
        dg1=dg1,
        face=face,
        verifications=tuple(verifications),
        timings=PhaseTimings(opened - started, read_done - opened, finished - read_done),
        errors=tuple(errors),
    )


def _anchored(
    result: Verification, number: int, sod: SecurityObject, raw: Mapping[int, bytes], signed: bool
) -> Verification:
    """An anti-cloning check proves the chip holds DG14's or DG15's private key; that shows the chip genuine
    only when the data group itself is the one the issuer signed. Otherwise a forger's own key would do."""
    if not result.passed:
        return result
    listed = sod.hashes.get(number)
    intact = (
        listed is not None
        and number in raw
        and sod.hash_algorithm in HASHES
        and hmac.compare_digest(hashlib.new(sod.hash_algorithm, raw[number]).digest(), listed)
    )
    if signed and intact:
        return result
    why = "EF.SOD's signature does not verify" if not signed else f"DG{number} is not the one EF.SOD signs"
    return Verification(
        result.name,
        CheckStatus.FAIL,
        f"the chip holds the key of DG{number}, but {why}: that key may be a forger's",
        result.details,
    )


def _active(
    channel: SecureChannel, parsed: dict[int, DataGroup], dg14: ParsedSecurityInfos | None
) -> Verification:
    if 15 not in parsed or parsed[15].parsed is None:
        return Verification(
            ACTIVE_AUTHENTICATION, CheckStatus.NOT_RUN, "the chip has no DG15 (no active authentication key)"
        )
    info: ActiveAuthenticationInfo | None = dg14.active_authentication if dg14 is not None else None
    return perform_active_authentication(channel, parsed[15].parsed, info)
