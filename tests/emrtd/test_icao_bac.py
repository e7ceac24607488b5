"""ICAO 9303-11 Appendix D: BAC key derivation, mutual authentication and secure messaging, byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from checkpoint.emrtd import AccessKey, CardRemoved, SecureMessagingError
from checkpoint.emrtd.bac import bac_keys, perform_bac
from checkpoint.emrtd.crypto import SessionKeys, adjust_parity, kdf
from checkpoint.emrtd.files import read_file, select_file
from checkpoint.emrtd.sm import SecureChannel

from .scripted import ScriptedCard

LINE2 = "L898902C<3UTO6908061F9406236ZE184226B<<<<<14"
RND_IC = "4608F91988702212"
RND_IFD = "781723860C06C226"
K_IFD = "0B795240CB7049B01C19B33E32804F0B"
E_IFD = "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
M_IFD = "5F1448EEA8AD90A7"
CHIP_ANSWER = "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
KS_ENC = "979EC13B1CBFE9DCD01AB0FED307EAE5"
KS_MAC = "F1CB1F1FB5ADF208806B89DC579DC1F8"
SSC = 0x887022120C06C226


def icao_key() -> AccessKey:
    return AccessKey.from_fields("L898902C", "690806", "940623")


def test_mrz_information_and_key_seed() -> None:
    assert hashlib.sha1(b"L898902C<369080619406236").digest() == icao_key().password
    assert icao_key().bac_key_seed.hex().upper() == "239AB9CB282DAF66231DC5A4DF6BFBAE"


def test_key_from_the_mrz_lines_equals_the_key_from_fields() -> None:
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    assert AccessKey.from_mrz([line1, LINE2]).password == icao_key().password


def test_td1_document_number_longer_than_nine_characters() -> None:
    # TD1: check digit position holds '<', the number continues in the optional data, then its check digit.
    lines = [
        "I<UTOD23145890<7349<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ]
    key = AccessKey.from_mrz(lines)
    assert key.password == AccessKey.from_fields("D23145890734", "340712", "950712").password
    # The full number's check digit, not the first nine characters' '<'.
    assert key.password == hashlib.sha1(b"D23145890734934071279507122").digest()


def test_can_key_and_bad_input() -> None:
    assert AccessKey.from_can("123456").password == b"123456"
    with pytest.raises(ValueError, match="digits"):
        AccessKey.from_can("12a456")
    with pytest.raises(ValueError, match="CAN"):
        _ = AccessKey.from_can("123456").bac_key_seed
    with pytest.raises(ValueError, match="YYMMDD"):
        AccessKey.from_fields("L898902C", "1969-08-06", "940623")


def test_bac_keys() -> None:
    k_enc, k_mac = bac_keys(icao_key())
    assert k_enc.hex().upper() == "AB94FDECF2674FDFB9B391F85D7F76F2"
    assert k_mac.hex().upper() == "7962D9ECE03D1ACD4C76089DCE131543"
    assert adjust_parity(bytes.fromhex("AA95FCEDF3664EDEB8B291F95C7E77F3")) == bytes.fromhex(
        "AB94FDECF2674FDFB9B391F85D7F76F2"
    )


def test_mutual_authentication_and_session_keys() -> None:
    card = ScriptedCard(
        [
            ("0084000008", RND_IC + "9000"),
            ("0082000028" + E_IFD + M_IFD + "28", CHIP_ANSWER + "9000"),
        ]
    )
    randoms = iter([bytes.fromhex(RND_IFD), bytes.fromhex(K_IFD)])
    keys = perform_bac(card, icao_key(), random=lambda n: next(randoms))
    assert card.done
    assert (keys.cipher, keys.ks_enc.hex().upper(), keys.ks_mac.hex().upper()) == ("3DES", KS_ENC, KS_MAC)
    assert keys.ssc == SSC
    k_ic = bytes.fromhex("0B4F80323EB3191CB04970CB4052790B")
    seed = bytes(a ^ b for a, b in zip(bytes.fromhex(K_IFD), k_ic, strict=True))
    assert kdf(seed, 1).hex().upper() == KS_ENC


SM_SCRIPT = [
    ("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9000"),
    ("0CB000000D9701048E08ED6705417E96BA5500", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"),
    (
        "0CB000040D9701128E082EA28A70F3C7B53500",
        "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
    ),
]
EF_COM = "60145F0104303130365F36063034303030305C026175"


def icao_channel(card: ScriptedCard) -> SecureChannel:
    return SecureChannel(card, SessionKeys("3DES", bytes.fromhex(KS_ENC), bytes.fromhex(KS_MAC), SSC))


def test_secure_messaging_select_and_read_ef_com_byte_for_byte() -> None:
    card = ScriptedCard(SM_SCRIPT)
    channel = icao_channel(card)
    # read_file selects, reads the 8-byte head: the ICAO example reads 4 then 18, so drive it by hand here.
    select_file(channel, 0x011E)
    assert channel.transmit(bytes.fromhex("00B0000004")).hex().upper() == "60145F01" + "9000"
    assert channel.transmit(bytes.fromhex("00B0000412")).hex().upper() == EF_COM[8:] + "9000"
    assert card.done


def test_read_file_of_ef_com_under_secure_messaging() -> None:
    # The same EF.COM through read_file, with the responses a chip would give to its chunking.
    from checkpoint.emrtd.crypto import SessionKeys as Keys

    chip_keys = Keys("3DES", bytes.fromhex(KS_ENC), bytes.fromhex(KS_MAC), SSC)

    class Chip:
        def transmit(self, apdu: bytes) -> bytes:
            chip_keys.ssc += 2  # the command's and the response's increments
            if apdu[1] == 0xA4:
                payload, data = b"", b""
            else:
                offset, length = (apdu[2] << 8) | apdu[3], apdu[7]  # 0C B0 P1 P2 Lc 97 01 Le
                data = bytes.fromhex(EF_COM)[offset : offset + length]
            from checkpoint.emrtd.apdu import tlv

            objects = (tlv(0x87, b"\x01" + chip_keys.encrypt(data)) if data else b"") + tlv(0x99, b"\x90\x00")
            payload = objects + tlv(0x8E, chip_keys.mac(objects))
            return payload + b"\x90\x00"

    channel = icao_channel(Chip())  # type: ignore[arg-type]
    assert read_file(channel, 0x011E).hex().upper() == EF_COM


def test_a_response_with_a_wrong_mac_is_refused() -> None:
    bad = SM_SCRIPT[0][1][:-6] + "EE" + "9000"
    with pytest.raises(SecureMessagingError, match="MAC"):
        select_file(icao_channel(ScriptedCard([(SM_SCRIPT[0][0], bad)])), 0x011E)


def test_a_response_without_do99_is_refused() -> None:
    with pytest.raises(SecureMessagingError, match="DO'99'"):
        select_file(icao_channel(ScriptedCard([(SM_SCRIPT[0][0], "8E08FA855A5D4C50A8ED9000")])), 0x011E)


def test_a_plain_status_ends_the_session_with_a_clear_error() -> None:
    with pytest.raises(SecureMessagingError, match="6988"):
        select_file(icao_channel(ScriptedCard([(SM_SCRIPT[0][0], "6988")])), 0x011E)


def test_card_removed_passes_through() -> None:
    class Gone:
        def transmit(self, apdu: bytes) -> bytes:
            raise CardRemoved("the card left the field")

    with pytest.raises(CardRemoved):
        select_file(icao_channel(Gone()), 0x011E)  # type: ignore[arg-type]


def test_key_from_a_td2_mrz() -> None:
    lines = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
    assert (
        AccessKey.from_mrz(lines).password == AccessKey.from_fields("D23145890", "740812", "120415").password
    )
    with pytest.raises(ValueError, match="cannot derive"):
        AccessKey.from_mrz(["not an mrz"])
