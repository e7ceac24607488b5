"""PACE, the reader's side (ICAO 9303-11 section 4.4), with ECDH generic mapping: MSE:Set AT, then four
GENERAL AUTHENTICATE steps (encrypted nonce, mapping, key agreement, mutual authentication tokens)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from typing import Any

from asn1crypto import core

from checkpoint.emrtd.apdu import SW_OK, command, find_tlv, split_response, tlv
from checkpoint.emrtd.crypto import (
    KDF_PACE,
    SessionKeys,
    aes_cmac,
    aes_decrypt,
    des3_decrypt,
    kdf,
    pad,
    retail_mac,
)
from checkpoint.emrtd.domain import EC_DOMAINS, ECDomain, ec_domain
from checkpoint.emrtd.errors import AccessDenied, ChipDataError, ChipStatusError, SecureMessagingError
from checkpoint.emrtd.keys import AccessKey
from checkpoint.emrtd.modp import MODP_GROUPS, ModpDomain
from checkpoint.emrtd.securityinfos import PACEInfo
from checkpoint.emrtd.transport import CardTransport

SUPPORTED_MAPPINGS = (("ECDH", "GM"), ("DH", "GM"))


def supports(info: PACEInfo) -> bool:
    """Whether this reader can run the PACE protocol ``info`` describes."""
    groups = EC_DOMAINS if info.key_agreement == "ECDH" else MODP_GROUPS
    return (
        (info.key_agreement, info.mapping) in SUPPORTED_MAPPINGS
        and info.parameter_id in groups
        and info.cipher != "?"
    )


def mapping_group(info: PACEInfo) -> ECDomain | ModpDomain:
    """The group PACE runs in: an elliptic curve (ECDH) or a MODP group (DH)."""
    if info.key_agreement == "DH":
        return ModpDomain(MODP_GROUPS[info.parameter_id or 0])
    return ec_domain(info.parameter_id)


def oid_value(dotted: str) -> bytes:
    """An OID's content octets (what DO'80' and DO'06' carry)."""
    return bytes(core.ObjectIdentifier(dotted).contents)


def decrypt_nonce(cipher: str, k_pi: bytes, z: bytes) -> bytes:
    """s = D(Kpi, z): the chip's nonce, decrypted with CBC and a zero IV."""
    return des3_decrypt(k_pi, z) if cipher == "3DES" else aes_decrypt(k_pi, z)


def authentication_token(keys: SessionKeys, protocol: str, point: bytes, key_tag: int = 0x86) -> bytes:
    """T = MAC(KSmac, public key data object 7F49 {06 OID, 86 point (ECDH) or 84 value (DH)}), 8 bytes."""
    data = tlv(0x7F49, tlv(0x06, oid_value(protocol)) + tlv(key_tag, point))
    if keys.cipher == "3DES":
        return retail_mac(keys.ks_mac, pad(data))
    return aes_cmac(keys.ks_mac, data)[:8]


def perform_pace(
    card: CardTransport, key: AccessKey, info: PACEInfo, *, private_keys: Iterator[int] | None = None
) -> SessionKeys:
    """Run PACE with generic mapping (ECDH or DH) with ``key`` using the protocol and group of ``info``.

    Returns the session keys (SSC 0). ``private_keys`` yields the two ephemeral private keys (mapping,
    then key agreement); tests pass the ICAO example's. Raises AccessDenied when the chip's token does not
    verify or it refuses the password, ChipStatusError when it refuses a step, ChipDataError when its
    keys are malformed.
    """
    if not supports(info):
        raise ChipDataError(
            f"{info.name} with parameter id {info.parameter_id} is not supported by this reader"
        )
    group: Any = mapping_group(info)
    cipher = info.cipher

    def ephemeral() -> int:
        return next(private_keys) if private_keys is not None else secrets.randbelow(group.order - 1) + 1

    set_at = tlv(0x80, oid_value(info.protocol)) + tlv(0x83, bytes((key.password_reference,)))
    set_at += tlv(0x84, bytes((info.parameter_id or 0,)))
    _, sw = split_response(card.transmit(command(0x00, 0x22, 0xC1, 0xA4, set_at)))
    if sw != SW_OK:
        raise ChipStatusError(f"MSE:Set AT for {info.name}", sw)

    # Step 1: the encrypted nonce.
    z = _general_authenticate(card, b"", 0x80, "encrypted nonce", key)
    nonce = decrypt_nonce(cipher, kdf(key.password, KDF_PACE, cipher), z)

    # Step 2: generic mapping, G~ = s * G + H (written multiplicatively for DH: g~ = g^s * h).
    sk_map = ephemeral()
    pk_map_pcd = group.encode(group.power(group.generator, sk_map))
    answer = _general_authenticate(card, tlv(0x81, pk_map_pcd), 0x82, "mapping", key)
    shared_map = group.power(group.decode(answer, "the chip's mapping key"), sk_map)
    mapped = group.combine(group.power(group.generator, int.from_bytes(nonce, "big")), shared_map)

    # Step 3: key agreement on the mapped generator.
    sk_pcd = ephemeral()
    pk_pcd = group.encode(group.power(mapped, sk_pcd))
    pk_ic_bytes = _general_authenticate(card, tlv(0x83, pk_pcd), 0x84, "key agreement", key)
    if pk_ic_bytes == pk_pcd:
        raise ChipDataError("the chip returned the reader's own ephemeral key")
    secret = group.secret(group.power(group.decode(pk_ic_bytes, "the chip's ephemeral key"), sk_pcd))
    keys = SessionKeys.derive(secret, cipher)

    # Step 4: mutual authentication tokens.
    token = authentication_token(keys, info.protocol, pk_ic_bytes, group.key_tag)
    token_ic = _general_authenticate(card, tlv(0x85, token), 0x86, "mutual authentication", key, last=True)
    if not hmac.compare_digest(token_ic, authentication_token(keys, info.protocol, pk_pcd, group.key_tag)):
        raise AccessDenied(
            "the chip's PACE authentication token is wrong: it does not share the session keys"
        )
    return keys


def _general_authenticate(
    card: CardTransport, data: bytes, answer_tag: int, step: str, key: AccessKey, *, last: bool = False
) -> bytes:
    apdu = command(0x00 if last else 0x10, 0x86, 0x00, 0x00, tlv(0x7C, data), le=0)
    answer, sw = split_response(card.transmit(apdu))
    if sw in (0x6300, 0x6982) or (sw & 0xFFF0) == 0x63C0:
        what = "MRZ key (document number, date of birth, date of expiry)" if key.kind == "MRZ" else "CAN"
        raise AccessDenied(f"the chip refused the {what} during PACE ({step})")
    if sw != SW_OK:
        raise ChipStatusError(f"GENERAL AUTHENTICATE ({step})", sw)
    body = find_tlv(answer, 0x7C)
    value = find_tlv(body, answer_tag) if body is not None else None
    if value is None:
        raise SecureMessagingError(f"the chip's PACE answer ({step}) lacks data object {answer_tag:02X}")
    return value
