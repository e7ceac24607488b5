"""How the library talks to a card: one method, APDU in, response out.

A PC/SC reader (pyscard), a chip emulator object, or anything else that moves APDUs implements
:class:`CardTransport`. The library never knows which it is.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class CardTransport(Protocol):
    """Moves one command APDU to the card and returns its response."""

    def transmit(self, apdu: bytes) -> bytes:
        """Send ``apdu`` (a complete ISO 7816-4 command) and return the response data followed by SW1 SW2.

        Raises :class:`checkpoint.emrtd.errors.CardRemoved` when the card has left the field.
        """
        ...
