"""Basic Access Control, the reader's side (ICAO 9303-11 section 4.3): GET CHALLENGE, MUTUAL
AUTHENTICATE, and the session keys and send sequence counter that secure messaging starts from."""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable

from checkpoint.emrtd.apdu import SW_OK, command, split_response
from checkpoint.emrtd.crypto import (
    KDF_ENC,
    KDF_MAC,
    SessionKeys,
    des3_decrypt,
    des3_encrypt,
    kdf,
    pad,
    retail_mac,
)
from checkpoint.emrtd.errors import AccessDenied, ChipStatusError, SecureMessagingError
from checkpoint.emrtd.keys import AccessKey
from checkpoint.emrtd.transport import CardTransport


def bac_keys(key: AccessKey) -> tuple[bytes, bytes]:
    """(Kenc, Kmac) of BAC from the MRZ access key."""
    seed = key.bac_key_seed
    return kdf(seed, KDF_ENC), kdf(seed, KDF_MAC)


def perform_bac(
    card: CardTransport, key: AccessKey, *, random: Callable[[int], bytes] = os.urandom
) -> SessionKeys:
    """Run BAC with ``key`` and return the 3DES session keys with the initial SSC.

    ``random`` supplies RND.IFD (8 bytes) then K.IFD (16 bytes); tests pass the ICAO example's values.
    Raises AccessDenied when the chip refuses the key, SecureMessagingError when its answer does not
    authenticate, ChipStatusError when it refuses GET CHALLENGE.
    """
    k_enc, k_mac = bac_keys(key)
    rnd_ic, sw = split_response(card.transmit(command(0x00, 0x84, 0x00, 0x00, le=8)))
    if sw != SW_OK or len(rnd_ic) != 8:
        raise ChipStatusError("GET CHALLENGE", sw)
    rnd_ifd, k_ifd = random(8), random(16)
    e_ifd = des3_encrypt(k_enc, rnd_ifd + rnd_ic + k_ifd)
    m_ifd = retail_mac(k_mac, pad(e_ifd))
    answer, sw = split_response(card.transmit(command(0x00, 0x82, 0x00, 0x00, e_ifd + m_ifd, le=40)))
    if sw in (0x6300, 0x6982) or (sw & 0xFFF0) == 0x63C0:
        raise AccessDenied(
            "the chip refused the MRZ key (document number, date of birth, date of expiry): "
            "check those three fields against the data page"
        )
    if sw != SW_OK:
        raise ChipStatusError("MUTUAL AUTHENTICATE", sw)
    if len(answer) != 40:
        raise SecureMessagingError(f"MUTUAL AUTHENTICATE answered {len(answer)} bytes, 40 expected")
    e_ic, m_ic = answer[:32], answer[32:]
    if not hmac.compare_digest(retail_mac(k_mac, pad(e_ic)), m_ic):
        raise AccessDenied("the chip's answer to MUTUAL AUTHENTICATE does not authenticate under the MRZ key")
    plain = des3_decrypt(k_enc, e_ic)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise AccessDenied("the chip's answer to MUTUAL AUTHENTICATE does not echo the challenges")
    k_ic = plain[16:32]
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    ssc = int.from_bytes(rnd_ic[4:8] + rnd_ifd[4:8], "big")
    return SessionKeys.derive(seed, "3DES", ssc)
