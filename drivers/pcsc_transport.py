"""PC/SC through pyscard: a context on the PC/SC service, and a :class:`PcscTransport` that moves APDUs to a
card in one reader (the :class:`checkpoint.emrtd.CardTransport` of a real or virtual reader).

Errors are converted at this boundary: the card leaving the field becomes
:class:`checkpoint.emrtd.errors.CardRemoved`; the reader or the service going away becomes
:class:`ReaderDisconnected`; a service that is not running, :class:`ReaderUnavailable`.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from checkpoint.extras import require

require("pcsc", "the pcsc:// chip readers")

from checkpoint.drivers.errors import ReaderDisconnected, ReaderIOError, ReaderUnavailable  # noqa: E402
from smartcard import scard  # noqa: E402

from checkpoint.emrtd.errors import CardRemoved  # noqa: E402

log = logging.getLogger(__name__)

# The card is gone (or was swapped) under us.
CARD_GONE: Final = frozenset(
    {
        scard.SCARD_W_REMOVED_CARD,
        scard.SCARD_E_NO_SMARTCARD,
        scard.SCARD_W_RESET_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_W_UNRESPONSIVE_CARD,
        scard.SCARD_E_NOT_TRANSACTED,
    }
)
# The reader or the PC/SC service is gone.
READER_GONE: Final = frozenset(
    {
        scard.SCARD_E_READER_UNAVAILABLE,
        scard.SCARD_E_UNKNOWN_READER,
        scard.SCARD_E_NO_READERS_AVAILABLE,
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_E_INVALID_HANDLE,
    }
)
NO_SERVICE: Final = frozenset({scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED})

PROTOCOLS: Final = scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1


def describe(hresult: int) -> str:
    """Return pcsc-lite's words for a PC/SC result code, with the code."""
    return f"{scard.SCardGetErrorMessage(hresult).rstrip('. ')} (0x{hresult & 0xFFFFFFFF:08X})"


def check(hresult: int, what: str, reader: str = "") -> None:
    """Raise the error of our trees that ``hresult`` means, or return when it is success."""
    if hresult == scard.SCARD_S_SUCCESS:
        return
    where = f" on {reader!r}" if reader else ""
    if hresult in CARD_GONE:
        raise CardRemoved(f"the card left the reader{where} while {what}: {describe(hresult)}")
    if hresult in NO_SERVICE:
        raise ReaderDisconnected(
            f"the PC/SC service (pcscd) stopped answering while {what}: {describe(hresult)}"
        )
    if hresult in READER_GONE:
        raise ReaderDisconnected(f"the PC/SC reader{where} went away while {what}: {describe(hresult)}")
    raise ReaderIOError(f"PC/SC failed{where} while {what}: {describe(hresult)}")


class PcscContext:
    """A context on the PC/SC service (SCardEstablishContext). Raises :class:`ReaderUnavailable` when
    pcscd is not running.
    """

    def __init__(self) -> None:
        hresult, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise ReaderUnavailable(
                f"the PC/SC service is not running ({describe(hresult)}): start pcscd "
                "(systemctl start pcscd.socket), then check the reader with pcsc_scan"
            )
        self.handle: Any = handle

    def readers(self) -> list[str]:
        """Return the names of the connected readers (empty when none is)."""
        hresult, names = scard.SCardListReaders(self.handle, [])
        if hresult in (scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_E_READER_UNAVAILABLE):
            return []
        check(hresult, "listing the readers")
        return [str(name) for name in names]

    def cancel(self) -> None:
        """Make a blocking status wait in another thread return now."""
        scard.SCardCancel(self.handle)

    def release(self) -> None:
        """Release the context; never raises."""
        try:
            scard.SCardReleaseContext(self.handle)
        except Exception as exc:  # pyscard raises its own errors on a dead service: nothing to do then
            log.debug("releasing the PC/SC context: %s", exc)


class PcscTransport:
    """A card in one PC/SC reader, connected (shared) for APDU exchange. Implements CardTransport.

    T=0 cards answer ``61xx`` (more data: GET RESPONSE) and ``6Cxx`` (wrong Le: send again); both are
    handled here, so callers see complete responses whatever the protocol.
    """

    def __init__(self, context: PcscContext, reader: str) -> None:
        self.reader = reader
        hresult, card, protocol = scard.SCardConnect(
            context.handle, reader, scard.SCARD_SHARE_SHARED, PROTOCOLS
        )
        check(hresult, "connecting to the card", reader)
        self._card: Any = card
        self._protocol: int = protocol
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(card)
        check(hresult, "reading the card's ATR", reader)
        self.atr = bytes(atr)
        self.apdu_count = 0

    def transmit(self, apdu: bytes) -> bytes:
        """Send ``apdu`` and return the response data followed by SW1 SW2.

        Raises :class:`CardRemoved` when the card has left the field, :class:`ReaderDisconnected` when the
        reader or pcscd went away, :class:`ReaderIOError` for any other PC/SC failure.
        """
        response = self._exchange(apdu)
        data = bytearray()
        for _ in range(256):  # a chip that keeps saying 61xx forever is broken: stop somewhere
            sw1 = response[-2] if len(response) >= 2 else 0
            if sw1 == 0x6C and len(apdu) >= 5:
                response = self._exchange(apdu[:-1] + response[-1:])
            elif sw1 == 0x61:
                data += response[:-2]
                response = self._exchange(bytes([apdu[0] & 0x03, 0xC0, 0x00, 0x00, response[-1]]))
            else:
                break
        return bytes(data) + response

    def _exchange(self, apdu: bytes) -> bytes:
        log.debug("%s > %s", self.reader, apdu.hex())
        hresult, response = scard.SCardTransmit(self._card, self._protocol, list(apdu))
        check(hresult, "exchanging a command with the card", self.reader)
        self.apdu_count += 1
        answer = bytes(response)
        log.debug("%s < %s", self.reader, answer.hex())
        if not answer:
            # What a contactless reader (and vpcd) passes on when the card stopped answering mid-command.
            raise CardRemoved(
                f"the card left the reader {self.reader!r}: it stopped answering in the middle of a command"
            )
        if len(answer) < 2:
            raise ReaderIOError(f"the reader {self.reader!r} returned a response without a status word")
        return answer

    def close(self) -> None:
        """Disconnect from the card, leaving it powered for the next read; never raises."""
        try:
            scard.SCardDisconnect(self._card, scard.SCARD_LEAVE_CARD)
        except Exception as exc:  # the card or the service may be gone already
            log.debug("disconnecting from the card: %s", exc)
