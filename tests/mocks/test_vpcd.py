"""The vpcd bridge's wire protocol, byte for byte, against a socket playing vpcd (no pcscd needed):
2-byte big-endian length + payload; 1-byte control messages 00 off, 01 on, 02 reset (unanswered), 04 ATR;
anything longer is an APDU answered with the response.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from checkpoint.mocks.vpcd import VirtualCard, frame_message, read_message

from checkpoint.emrtd.errors import CardRemoved

ATR = bytes.fromhex("3B8880010000000077818000F0")


class Card:
    atr = ATR

    def __init__(self) -> None:
        self.log: list[str] = []

    def power_on(self) -> None:
        self.log.append("on")

    def power_off(self) -> None:
        self.log.append("off")

    def reset(self) -> None:
        self.log.append("reset")

    def transmit(self, apdu: bytes) -> bytes:
        self.log.append(apdu.hex())
        if apdu == bytes.fromhex("00B0000004"):
            raise CardRemoved("pulled")
        if apdu == bytes.fromhex("00B0000008"):
            raise RuntimeError("a bug in the card logic")
        return bytes.fromhex("6982")


@pytest.fixture
def vpcd() -> Iterator[socket.socket]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    yield server
    server.close()


def test_frames_are_a_big_endian_length_and_the_payload() -> None:
    assert frame_message(b"\x04") == b"\x00\x01\x04"
    assert frame_message(bytes(300))[:2] == b"\x01\x2c"
    with pytest.raises(ValueError, match="at most 65535"):
        frame_message(bytes(65536))


def test_the_card_answers_vpcd_as_its_protocol_says(vpcd: socket.socket) -> None:
    card = Card()
    virtual = VirtualCard(card, port=vpcd.getsockname()[1])
    virtual.insert()
    connection, _ = vpcd.accept()
    connection.settimeout(5)
    try:
        connection.sendall(b"\x00\x01\x01")  # power on: no answer
        connection.sendall(b"\x00\x01\x04")  # the ATR
        assert read_message(connection) == ATR
        connection.sendall(b"\x00\x05" + bytes.fromhex("00B0000000"))
        assert read_message(connection) == b"\x69\x82"
        connection.sendall(b"\x00\x01\x02\x00\x01\x00")  # reset, then off: no answers
        connection.sendall(b"\x00\x05" + bytes.fromhex("00B0000008"))  # the logic breaks: 6F00, still in
        assert read_message(connection) == b"\x6f\x00"
        assert card.log == ["on", "00b0000000", "reset", "off", "00b0000008"]
        assert virtual.inserted and virtual.apdu_count == 2
    finally:
        virtual.remove()
        connection.close()
    assert not virtual.inserted


def test_a_card_pulled_during_a_command_closes_the_connection(vpcd: socket.socket) -> None:
    virtual = VirtualCard(Card(), port=vpcd.getsockname()[1])
    virtual.insert()
    connection, _ = vpcd.accept()
    connection.settimeout(5)
    try:
        connection.sendall(b"\x00\x05" + bytes.fromhex("00B0000004"))
        assert connection.recv(64) == b""  # vpcd sees the card gone: no answer, the socket closed
    finally:
        connection.close()
        virtual.remove()
    assert not virtual.inserted


def test_inserting_without_vpcd_says_what_is_missing() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(ConnectionError, match=f"vpcd is not listening on 127.0.0.1:{port}: is pcscd running"):
        VirtualCard(Card(), port=port).insert()
