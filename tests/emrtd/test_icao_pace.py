"""ICAO 9303-11 Appendix G.1: PACE with ECDH generic mapping on brainpoolP256r1 and AES-128, byte for byte."""

from __future__ import annotations

import hashlib

from checkpoint.emrtd import AccessKey
from checkpoint.emrtd.crypto import KDF_PACE, kdf
from checkpoint.emrtd.domain import ec_domain
from checkpoint.emrtd.pace import decrypt_nonce, perform_pace
from checkpoint.emrtd.securityinfos import parse_security_infos

from .scripted import ScriptedCard

CARD_ACCESS = "31143012060A04007F0007020204020202010202010D"
SK_MAP = 0x7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99
SK_PCD = 0xA73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595
PK_MAP_PCD = (
    "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
    "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
)
PK_MAP_IC = (
    "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
    "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
)
PK_PCD = (
    "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
    "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
)
PK_IC = (
    "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
    "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"
)
TRANSCRIPT = [
    ("0022C1A412800A04007F0007020204020283010184010D", "9000"),
    ("10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"),
    ("10860000457C438141" + PK_MAP_PCD + "00", "7C438241" + PK_MAP_IC + "9000"),
    ("10860000457C438341" + PK_PCD + "00", "7C438441" + PK_IC + "9000"),
    ("008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"),
]


def icao_key() -> AccessKey:
    return AccessKey.from_fields("T22000129", "640812", "101031")


def test_password_and_kpi() -> None:
    assert hashlib.sha1(b"T22000129364081251010318").digest() == icao_key().password
    assert icao_key().password.hex().upper() == "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
    assert kdf(icao_key().password, KDF_PACE, "AES-128").hex().upper() == "89DED1B26624EC1E634C1989302849DD"


def test_nonce_mapping_and_shared_secret() -> None:
    k_pi = kdf(icao_key().password, KDF_PACE, "AES-128")
    nonce = decrypt_nonce("AES-128", k_pi, bytes.fromhex("95A3A016522EE98D01E76CB6B98B42C3"))
    assert nonce.hex().upper() == "3F00C4D39D153F2B2A214A078D899B22"
    domain = ec_domain(13)
    assert domain.encode(domain.generator * SK_MAP).hex().upper() == PK_MAP_PCD
    mapped = (
        domain.generator * int.from_bytes(nonce, "big") + domain.decode(bytes.fromhex(PK_MAP_IC), "") * SK_MAP
    )
    assert (mapped.x(), mapped.y()) == (
        0x8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2,
        0x8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522,
    )
    assert domain.encode(mapped * SK_PCD).hex().upper() == PK_PCD
    secret = domain.x_bytes(domain.decode(bytes.fromhex(PK_IC), "") * SK_PCD)
    assert secret.hex().upper() == "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"


def test_the_whole_transcript_byte_for_byte() -> None:
    info = parse_security_infos(bytes.fromhex(CARD_ACCESS), "EF.CardAccess").pace[0]
    assert (info.name, info.parameter_id) == ("id-PACE-ECDH-GM-AES-CBC-CMAC-128", 13)
    card = ScriptedCard(TRANSCRIPT)
    keys = perform_pace(card, icao_key(), info, private_keys=iter([SK_MAP, SK_PCD]))
    assert card.done
    assert keys.ks_enc.hex().upper() == "F5F0E35C0D7161EE6724EE513A0D9A7F"
    assert keys.ks_mac.hex().upper() == "FE251C7858B356B24514B3BD5F4297D1"
    assert (keys.cipher, keys.ssc) == ("AES-128", 0)


def test_the_rfc_5114_groups_of_pace_dh() -> None:
    import pytest

    from checkpoint.emrtd import ChipDataError
    from checkpoint.emrtd.modp import MODP_GROUPS, ModpDomain

    assert [(g.p.bit_length(), g.q.bit_length()) for g in MODP_GROUPS.values()] == [
        (1024, 160),
        (2048, 224),
        (2048, 256),
    ]
    for group in MODP_GROUPS.values():
        assert pow(group.g, group.q, group.p) == 1 and group.g != 1
        assert pow(3, group.p - 1, group.p) == 1 and pow(3, group.q - 1, group.q) == 1  # Fermat witnesses
        domain = ModpDomain(group)
        with pytest.raises(ChipDataError, match="not an element"):
            domain.decode(domain.encode(group.p - 1), "a public value")  # order 2, outside the subgroup
        assert domain.decode(domain.encode(group.g), "g") == group.g
