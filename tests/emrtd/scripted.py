"""A card that answers a fixed script: each expected command (hex) with its response (hex)."""

from __future__ import annotations


class ScriptedCard:
    """Fails the test when the reader sends anything but the next expected command, byte for byte."""

    def __init__(self, exchanges: list[tuple[str, str]]) -> None:
        self.exchanges = [
            (bytes.fromhex(c.replace(" ", "")), bytes.fromhex(r.replace(" ", ""))) for c, r in exchanges
        ]

    def transmit(self, apdu: bytes) -> bytes:
        assert self.exchanges, f"unexpected command {apdu.hex().upper()}"
        expected, response = self.exchanges.pop(0)
        assert apdu.hex().upper() == expected.hex().upper()
        return response

    @property
    def done(self) -> bool:
        return not self.exchanges
