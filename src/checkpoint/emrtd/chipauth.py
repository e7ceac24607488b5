"""Chip authentication (ICAO 9303-11 section 6.2): static-ephemeral ECDH with the key DG14 holds, then
secure messaging restarts under keys only the genuine chip can derive. The chip proves itself by MACing
the next response correctly.

3DES: MSE:Set KAT with the reader's ephemeral key. AES: MSE:Set AT naming the protocol, then GENERAL
AUTHENTICATE with the ephemeral key.
"""

from __future__ import annotations

import secrets

from ecdsa import VerifyingKey
from ecdsa.curves import UnknownCurveError
from ecdsa.der import UnexpectedDER
from ecdsa.errors import MalformedPointError

from checkpoint.emrtd.apdu import SW_OK, command, split_response, tlv
from checkpoint.emrtd.crypto import SessionKeys
from checkpoint.emrtd.domain import EC_DOMAINS, ECDomain
from checkpoint.emrtd.errors import CardRemoved, ChipError, ChipStatusError
from checkpoint.emrtd.files import EF_SOD, read_binary, select_file
from checkpoint.emrtd.pace import oid_value
from checkpoint.emrtd.report import CHIP_AUTHENTICATION, CheckStatus, Verification
from checkpoint.emrtd.securityinfos import ID_PK_ECDH, ParsedSecurityInfos
from checkpoint.emrtd.sm import SecureChannel


def _domain_of(curve_name: str) -> ECDomain | None:
    for domain in EC_DOMAINS.values():
        if domain.curve.name == curve_name:
            return domain
    return None


def perform_chip_authentication(channel: SecureChannel, dg14: ParsedSecurityInfos) -> Verification:
    """Run chip authentication over ``channel`` (which it switches to the new session keys on success)
    and prove the chip by a protected read of EF.SOD. Returns PASS, FAIL or NOT RUN; raises CardRemoved."""
    keys = [k for k in dg14.chip_authentication_keys if k.protocol == ID_PK_ECDH]
    if not keys:
        what = (
            "only a DH key, which this reader does not support" if dg14.chip_authentication_keys else "no key"
        )
        return Verification(
            CHIP_AUTHENTICATION, CheckStatus.NOT_RUN, f"DG14 holds {what} for chip authentication"
        )
    public = keys[0]
    infos = [
        i for i in dg14.chip_authentication if i.key_id in (None, public.key_id) and i.key_agreement == "ECDH"
    ]
    if not infos:
        return Verification(
            CHIP_AUTHENTICATION, CheckStatus.NOT_RUN, "DG14 names no ECDH chip authentication protocol"
        )
    info = infos[0]
    try:
        chip_key = VerifyingKey.from_der(
            public.public_key_info, valid_curve_encodings=("named_curve", "explicit")
        )
    except (UnexpectedDER, MalformedPointError, UnknownCurveError, ValueError) as exc:
        return Verification(
            CHIP_AUTHENTICATION, CheckStatus.FAIL, f"DG14's chip authentication key is malformed: {exc}"
        )
    domain = _domain_of(chip_key.curve.name)
    details = {"protocol": info.name, "curve": domain.name if domain else chip_key.curve.name}
    if domain is None:
        return Verification(
            CHIP_AUTHENTICATION, CheckStatus.NOT_RUN, f"curve {chip_key.curve.name} is not supported", details
        )
    private = secrets.randbelow(domain.order - 1) + 1
    ephemeral = domain.encode(domain.generator * private)
    key_ref = (
        tlv(0x84, public.key_id.to_bytes(max(1, (public.key_id.bit_length() + 7) // 8), "big"))
        if public.key_id is not None
        else b""
    )
    try:
        if info.cipher == "3DES":
            _, sw = split_response(
                channel.transmit(command(0x00, 0x22, 0x41, 0xA6, tlv(0x91, ephemeral) + key_ref))
            )
            if sw != SW_OK:
                raise ChipStatusError("MSE:Set KAT", sw)
        else:
            _, sw = split_response(
                channel.transmit(
                    command(0x00, 0x22, 0x41, 0xA4, tlv(0x80, oid_value(info.protocol)) + key_ref)
                )
            )
            if sw != SW_OK:
                raise ChipStatusError("MSE:Set AT for chip authentication", sw)
            _, sw = split_response(
                channel.transmit(command(0x00, 0x86, 0x00, 0x00, tlv(0x7C, tlv(0x80, ephemeral)), le=0))
            )
            if sw != SW_OK:
                raise ChipStatusError("GENERAL AUTHENTICATE for chip authentication", sw)
    except CardRemoved:
        raise
    except ChipError as exc:
        return Verification(
            CHIP_AUTHENTICATION, CheckStatus.FAIL, f"the chip refused chip authentication: {exc}", details
        )
    secret = domain.x_bytes(chip_key.pubkey.point * private)
    channel.keys = SessionKeys.derive(secret, info.cipher)
    try:
        select_file(channel, EF_SOD)
        read_binary(channel, 0, 4)
    except CardRemoved:
        raise
    except ChipError as exc:
        return Verification(
            CHIP_AUTHENTICATION,
            CheckStatus.FAIL,
            f"the chip cannot use the keys of DG14's key pair: it may be a clone ({exc})",
            details,
        )
    return Verification(
        CHIP_AUTHENTICATION,
        CheckStatus.PASS,
        "the chip holds DG14's private key (secure messaging restarted)",
        details,
    )
