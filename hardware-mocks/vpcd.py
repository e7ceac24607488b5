"""A virtual card in a virtual reader: serves a card-logic object over the socket protocol of vsmartcard's
``vpcd`` driver, so that the card is seen through the real PC/SC stack (pcscd, libpcsclite, pyscard).

vpcd is a pcscd reader driver that listens on a TCP port (35963 for its first slot, "Virtual PCD 00 00")
and waits for a virtual card to connect to it. While the connection is open, the card is in the reader;
closing it is pulling the card out. Every message, both ways, is a 2-byte big-endian length and a
payload. vpcd sends a 1-byte payload for control: ``00`` power off, ``01`` power on, ``02`` reset (no
answer to any of these), ``04`` get the ATR (answered with the ATR); any longer payload is a command
APDU, answered with the response APDU (data and status word).

The card logic is any object with ``atr``, ``power_on()``, ``power_off()``, ``reset()`` and
``transmit(apdu) -> bytes`` (:class:`checkpoint.mocks.chip_emulator` is one). When its ``transmit``
raises :class:`checkpoint.emrtd.errors.CardRemoved`, the card is pulled out of the reader then and there,
the way a traveller takes a passport off the reader in the middle of a read.

vpcd listens on all interfaces: it is for tests and demonstrations, never for a production terminal.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from types import TracebackType
from typing import Final, Protocol, Self

from checkpoint.emrtd.errors import CardRemoved

log = logging.getLogger(__name__)

VPCD_HOST: Final = "127.0.0.1"
VPCD_PORT: Final = 35963  # vpcd's first slot; slot N listens on VPCD_PORT + N

CTRL_OFF: Final = 0x00
CTRL_ON: Final = 0x01
CTRL_RESET: Final = 0x02
CTRL_ATR: Final = 0x04

# The answer to a command the card logic failed on with anything but a removal: "no precise diagnosis".
SW_NO_DIAGNOSIS: Final = b"\x6f\x00"


class CardLogic(Protocol):
    """What the bridge needs of a card: its ATR, power control and APDU exchange."""

    @property
    def atr(self) -> bytes: ...

    def power_on(self) -> None: ...

    def power_off(self) -> None: ...

    def reset(self) -> None: ...

    def transmit(self, apdu: bytes) -> bytes: ...


def _read_exactly(connection: socket.socket, size: int) -> bytes | None:
    """Return ``size`` bytes, or None when the peer closed the connection first."""
    chunks = bytearray()
    while len(chunks) < size:
        chunk = connection.recv(size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
        _ack_now(connection)
    return bytes(chunks)


def _ack_now(connection: socket.socket) -> None:
    # vpcd writes a message's length and its payload in two writes; with Nagle's algorithm on its side
    # the payload waits for our ACK of the length, which a delayed ACK holds back ~40 ms per APDU.
    # Linux clears TCP_QUICKACK after use, so it is set again after every read.
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            connection.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def read_message(connection: socket.socket) -> bytes | None:
    """Return the payload of one vpcd message, or None when the connection was closed."""
    header = _read_exactly(connection, 2)
    if header is None:
        return None
    (length,) = struct.unpack(">H", header)
    return _read_exactly(connection, length)


def frame_message(payload: bytes) -> bytes:
    """Return ``payload`` with vpcd's 2-byte big-endian length in front. Raises ValueError over 65535."""
    if len(payload) > 0xFFFF:
        raise ValueError(f"a vpcd message carries at most 65535 bytes, not {len(payload)}")
    return struct.pack(">H", len(payload)) + payload


class VirtualCard:
    """A card-logic object served to vpcd from a thread. Use :meth:`insert` and :meth:`remove`, or the
    object as a context manager (inserted on entry, removed on exit).

    ``port`` is vpcd's port for the slot (``VPCD_PORT`` for "Virtual PCD 00 00").
    """

    def __init__(self, card: CardLogic, *, host: str = VPCD_HOST, port: int = VPCD_PORT) -> None:
        self.card = card
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._connection: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.apdu_count = 0  # how many command APDUs the card answered, for tests and benchmarks

    @property
    def inserted(self) -> bool:
        """True while the card is connected to vpcd (in the reader)."""
        with self._lock:
            return self._connection is not None

    def insert(self, card: CardLogic | None = None, *, timeout: float = 5.0) -> None:
        """Put the card (or ``card``, replacing it) into the reader: connect to vpcd and serve it.

        Raises ``ConnectionError`` when vpcd is not listening (pcscd not running with the vpcd driver).
        """
        self.remove()
        if card is not None:
            self.card = card
        try:
            connection = socket.create_connection((self.host, self.port), timeout=timeout)
        except OSError as exc:
            raise ConnectionError(
                f"vpcd is not listening on {self.host}:{self.port}: is pcscd running with the vsmartcard-vpcd "
                f"reader driver? ({exc})"
            ) from exc
        connection.settimeout(None)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._connection = connection
        self._thread = threading.Thread(
            target=self._serve, args=(connection,), name=f"vpcd-card-{self.port}", daemon=True
        )
        self._thread.start()
        log.debug("vpcd card inserted on port %d", self.port)

    def remove(self) -> None:
        """Pull the card out of the reader (close the connection). Safe to call when it is not inserted."""
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            _close(connection)
            log.debug("vpcd card removed from port %d", self.port)
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)

    def __enter__(self) -> Self:
        self.insert()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.remove()

    # -- the thread -----------------------------------------------------------------------------

    def _serve(self, connection: socket.socket) -> None:
        try:
            while True:
                try:
                    payload = read_message(connection)
                except OSError:
                    payload = None
                if payload is None:
                    return
                answer = self._answer(payload)
                if answer is _PULLED:
                    return
                if answer is not None:
                    connection.sendall(frame_message(answer))
        except OSError as exc:  # vpcd went away, or remove() closed the socket under us
            log.debug("vpcd connection on port %d ended: %s", self.port, exc)
        finally:
            with self._lock:
                if self._connection is connection:
                    self._connection = None
            _close(connection)

    def _answer(self, payload: bytes) -> bytes | None:
        card = self.card
        if len(payload) == 1:
            control = payload[0]
            if control == CTRL_ATR:
                return bytes(card.atr)
            if control == CTRL_ON:
                card.power_on()
            elif control == CTRL_OFF:
                card.power_off()
            elif control == CTRL_RESET:
                card.reset()
            else:
                log.debug("vpcd sent an unknown control byte %02X; ignored", control)
            return None
        log.debug("vpcd card < %s", payload.hex())
        try:
            response = card.transmit(payload)
        except CardRemoved:
            log.debug("vpcd card pulled out during a command")
            return _PULLED
        except Exception as exc:
            # The exception's text may hold the card's data: only its type above DEBUG.
            log.error("the card logic failed on a command (%s); answering 6F00", type(exc).__name__)
            log.debug("card logic failure", exc_info=True)
            response = SW_NO_DIAGNOSIS
        self.apdu_count += 1
        log.debug("vpcd card > %s", response.hex())
        return response


_PULLED: Final = b"pulled"  # a sentinel compared by identity


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    connection.close()
