"""The serial protocol families: line settings, framer, and the command session each one needs.

Access-IS, EST-100 and plain lines only listen. Honeywell imagers are driven: after every open the
reader sends the set-up menu command and checks each setting's ACK, then keeps the imager triggered
(it reads only while triggered, and a trigger times out on the device), re-triggering after each read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from checkpoint.drivers.errors import ReaderConfigError, ReaderTimeout
from checkpoint.drivers.frames import Frame, Framer
from checkpoint.drivers.framing_access_is import AccessIsFramer
from checkpoint.drivers.framing_est100 import Est100Framer
from checkpoint.drivers.framing_honeywell import (
    TRIGGER,
    encode_menu_command,
    parse_menu_reply,
    reply_complete,
)
from checkpoint.drivers.framing_lines import LinesFramer
from checkpoint.drivers.serial_transport import LineSettings, SerialTransport

log = logging.getLogger(__name__)

# How long a Honeywell imager may take to answer a menu command.
MENU_REPLY_TIMEOUT = 2.0


class SerialProtocol:
    """A listening protocol: line settings and a framer; subclasses add a command session."""

    name: ClassVar[str] = ""
    default_settings: ClassVar[LineSettings] = LineSettings(9600)

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = options

    def line_settings(self) -> LineSettings:
        """Return the line settings: the protocol's, with the ``baudrate`` option when given."""
        baudrate = int(self.options.get("baudrate") or 0) or self.default_settings.baudrate
        settings = self.default_settings
        return LineSettings(baudrate, settings.bytesize, settings.parity, settings.stopbits)

    def make_framer(self) -> Framer:
        """Return a fresh framer for this protocol."""
        raise NotImplementedError

    def start(self, transport: SerialTransport) -> None:
        """Run the set-up session on a freshly opened port (nothing for a listening protocol)."""

    def tick(self, transport: SerialTransport, frames: list[Frame], now: float) -> None:
        """React to the frames just read and to the passing time (nothing for a listening protocol)."""

    def deadline(self) -> float | None:
        """Return when :meth:`tick` next has something to do, or None."""
        return None


class AccessIs(SerialProtocol):
    """Access-IS OCR310/313/315, OCR600: FS STX ... ETX GS frames, unsolicited."""

    name = "access-is"

    def make_framer(self) -> Framer:
        """Return an Access-IS framer."""
        return AccessIsFramer(frame_timeout=float(self.options["frame_timeout"]))


class Lines(SerialProtocol):
    """Readers that send bare CR/LF-separated MRZ lines."""

    name = "lines"

    def make_framer(self) -> Framer:
        """Return a lines framer that ends a short read after ``silence``."""
        return LinesFramer(silence=float(self.options["silence"]))


class Est100(SerialProtocol):
    """EST-100 style auto-output readers: STX Type:JSON ETX CR LF at 256000 8O1."""

    name = "est100"
    default_settings = LineSettings(256000, 8, "O", 1)

    def make_framer(self) -> Framer:
        """Return an EST-100 framer."""
        return Est100Framer(frame_timeout=float(self.options["frame_timeout"]))


class Honeywell(SerialProtocol):
    """Honeywell-style OCR imagers: menu set-up with ACK checks, then a trigger loop."""

    name = "honeywell"
    default_settings = LineSettings(115200)

    def __init__(self, options: Mapping[str, Any]) -> None:
        super().__init__(options)
        self._next_trigger: float | None = None

    def make_framer(self) -> Framer:
        """Return a lines framer: the MRZ ends by shape, or after ``silence`` when a row was dropped."""
        return LinesFramer(silence=float(self.options["silence"]))

    def start(self, transport: SerialTransport) -> None:
        """Send the set-up command, check every setting was acknowledged, then trigger.

        Raises :class:`ReaderTimeout` when the imager does not answer and :class:`ReaderConfigError`
        when it refuses a setting (ENQ: unknown, NAK: out of range).
        """
        command = str(self.options["setup"])
        if command:
            self._menu(transport, command)
        self._trigger(transport, time.monotonic())

    def tick(self, transport: SerialTransport, frames: list[Frame], now: float) -> None:
        """Re-trigger after a read (good or not) and whenever the trigger interval has passed."""
        if frames or (self._next_trigger is not None and now >= self._next_trigger):
            self._trigger(transport, now)

    def deadline(self) -> float | None:
        """Return when the trigger is next due."""
        return self._next_trigger

    def _trigger(self, transport: SerialTransport, now: float) -> None:
        transport.write(TRIGGER)
        self._next_trigger = now + float(self.options["trigger_interval"])

    def _menu(self, transport: SerialTransport, command: str) -> None:
        try:
            data = encode_menu_command(command)
        except ValueError as exc:
            raise ReaderConfigError(f"setup={command!r}: {exc}") from exc
        transport.write(data)
        reply = bytearray()
        deadline = time.monotonic() + MENU_REPLY_TIMEOUT
        while not reply_complete(reply):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReaderTimeout(
                    f"the reader on {transport.path} did not answer the set-up command {command!r} within "
                    f"{MENU_REPLY_TIMEOUT:g} s: check it is a Honeywell-style imager and that its speed is "
                    f"{transport.settings}"
                )
            reply += transport.read(remaining)
        # Anything before the echo (a late byte of an earlier read) is not part of the reply.
        echo = reply.upper().rfind(command[:3].upper().encode("ascii", "replace"))
        try:
            results = parse_menu_reply(bytes(reply[max(echo, 0) :]))
        except ValueError as exc:
            raise ReaderConfigError(
                f"the reader on {transport.path} gave an unreadable reply: {exc}"
            ) from exc
        refused = [f"{setting} ({status})" for setting, status in results if status != "ACK"]
        if refused:
            raise ReaderConfigError(
                f"the reader on {transport.path} refused the set-up command {command!r}: "
                + ", ".join(refused)
                + " (ENQ = unknown setting, NAK = value out of range); fix the setup= option"
            )
        log.debug("%s: set-up %r acknowledged", transport.path, command)


PROTOCOLS: dict[str, type[SerialProtocol]] = {cls.name: cls for cls in (AccessIs, Honeywell, Est100, Lines)}
