"""The chip emulator behaves like a chip where a reader could be fooled by one that does not."""

from __future__ import annotations

import pytest
from checkpoint.mocks.chip_build import build_chip
from checkpoint.mocks.chip_lds import ChipDocument
from checkpoint.mocks.chip_pki import ChipPKI

from checkpoint.emrtd import AccessKey, CardRemoved
from checkpoint.emrtd.bac import perform_bac
from checkpoint.emrtd.sm import SecureChannel

SELECT_APP = bytes.fromhex("00A4040C07A0000002471001")
SELECT_DG1 = bytes.fromhex("00A4020C020101")
READ_4 = bytes.fromhex("00B0000004")


def test_reads_before_access_control_are_refused_with_6982(pki: ChipPKI, document: ChipDocument) -> None:
    chip = build_chip(document, pki, pace=())
    assert chip.transmit(SELECT_APP)[-2:] == b"\x90\x00"
    assert chip.transmit(SELECT_DG1)[-2:] == b"\x90\x00"
    assert chip.transmit(READ_4) == b"\x69\x82"


def test_ef_card_access_is_readable_without_access_control(pki: ChipPKI, document: ChipDocument) -> None:
    chip = build_chip(document, pki)
    assert chip.transmit(bytes.fromhex("00A4000C")) == b"\x90\x00"
    assert chip.transmit(bytes.fromhex("00A4020C02011C")) == b"\x90\x00"
    assert chip.transmit(READ_4)[:1] == b"\x31"
    assert build_chip(document, pki, pace=()).transmit(bytes.fromhex("00A4020C02011C")) == b"\x6a\x82"


def test_every_response_under_secure_messaging_carries_do99_and_a_mac(
    pki: ChipPKI, document: ChipDocument
) -> None:
    chip = build_chip(document, pki, pace=())
    chip.transmit(SELECT_APP)
    channel = SecureChannel(chip, perform_bac(chip, AccessKey.from_mrz(document.mrz_lines)))
    raw = channel.protect(SELECT_DG1)
    answer = chip.transmit(raw)
    assert answer[:4] == bytes.fromhex("99029000") and answer[4:6] == b"\x8e\x08"
    channel.unprotect(answer)
    # An error status is protected too.
    answer = chip.transmit(channel.protect(bytes.fromhex("00A4020C020107")))
    assert answer[:4] == bytes.fromhex("99026A82") and answer[-2:] == b"\x6a\x82"
    channel.unprotect(answer)
    # A plain command ends the session: reads are refused again.
    assert chip.transmit(READ_4) == b"\x69\x82"


def test_a_command_with_a_wrong_mac_ends_the_session(pki: ChipPKI, document: ChipDocument) -> None:
    chip = build_chip(document, pki, pace=())
    chip.transmit(SELECT_APP)
    channel = SecureChannel(chip, perform_bac(chip, AccessKey.from_mrz(document.mrz_lines)))
    protected = bytearray(channel.protect(SELECT_DG1))
    protected[-2] ^= 1  # last MAC byte
    assert chip.transmit(bytes(protected)) == b"\x69\x88"
    assert chip.session is None


def test_power_and_presence(pki: ChipPKI, document: ChipDocument) -> None:
    chip = build_chip(document, pki)
    assert chip.atr[0] == 0x3B
    chip.power_off()
    with pytest.raises(CardRemoved):
        chip.transmit(SELECT_APP)
    assert chip.power_on() == chip.atr
    assert chip.transmit(SELECT_APP) == b"\x90\x00"
