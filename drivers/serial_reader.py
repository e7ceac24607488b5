"""The serial reader: ``serial://PATH|auto?protocol=access-is|honeywell|est100|lines``.

Transport (:mod:`.serial_transport`) -> framing (:mod:`.framing_access_is`, ``framing_lines``,
``framing_est100``) -> meaning (this module). Each protocol is a small :class:`SerialProtocol` that
says the line settings, makes the framer and, for Honeywell, runs the command session (set-up
commands checked against their ACKs after every open, and the trigger loop).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from checkpoint.drivers.address import Option, ReaderAddress, positive_float, positive_int
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import ReaderDisconnected, ReaderNotFound
from checkpoint.drivers.events import ReaderEvent
from checkpoint.drivers.frames import Frame, Framer, MrzFrame, frame_event
from checkpoint.drivers.registry import DetectedReader
from checkpoint.drivers.serial_discovery import PortLister, discover_serial, find_port
from checkpoint.drivers.serial_protocols import PROTOCOLS, SerialProtocol
from checkpoint.drivers.serial_transport import SerialTransport
from checkpoint.drivers.trace import WireTrace

log = logging.getLogger(__name__)


class SerialReader(Reader):
    """A passport reader on a serial or virtual-COM port (also a pty, for the simulators)."""

    SCHEME: ClassVar[str] = "serial"
    TARGET_FORM: ClassVar[str] = "PATH|auto"
    OPTIONS: ClassVar[tuple[Option, ...]] = (
        Option("protocol", default="lines", choices=tuple(PROTOCOLS), help="the reader's wire protocol"),
        Option(
            "baudrate",
            default=0,
            convert=positive_int,
            metavar="BAUD",
            help="line speed; 0 = the protocol's usual one (EST-100 256000 8O1, Honeywell 115200, others 9600)",
        ),
        Option("trace", default="", metavar="FILE", help="append a hex dump of the wire to FILE"),
        Option(
            "silence",
            default=0.3,
            convert=positive_float,
            metavar="SECONDS",
            help="quiet time that ends a read with no end marker (lines, honeywell)",
        ),
        Option(
            "frame_timeout",
            default=1.0,
            convert=positive_float,
            metavar="SECONDS",
            help="quiet time after which a frame that has not ended is reported as partial",
        ),
        Option(
            "setup",
            default="ocrena1;ocrats2!",
            metavar="MENU-COMMAND",
            help="Honeywell: menu command sent after every open (checked against its ACKs)",
        ),
        Option(
            "trigger_interval",
            default=1.0,
            convert=positive_float,
            metavar="SECONDS",
            help="Honeywell: how often the trigger is re-sent so the imager keeps reading",
        ),
    )

    # Tests and tools replace this to make ``serial://auto`` search their own ports.
    list_ports: ClassVar[PortLister | None] = None

    def __init__(self, address: ReaderAddress, **overrides: Any) -> None:
        super().__init__(address, **overrides)
        self.protocol: SerialProtocol = PROTOCOLS[self.options["protocol"]](self.options)
        self._framer: Framer = self.protocol.make_framer()
        self._transport: SerialTransport | None = None
        self._trace: WireTrace | None = WireTrace(self.options["trace"]) if self.options["trace"] else None
        self._gone: ReaderDisconnected | None = None

    @classmethod
    def discover(cls) -> list[DetectedReader]:
        """Return the known readers among the system's serial ports."""
        return discover_serial(cls.list_ports)

    def describe(self) -> str:
        """Return the port and protocol, e.g. ``/dev/ttyACM0 (access-is, 9600 8N1)``."""
        if self._transport is None:
            return self.source
        return f"{self._transport.path} ({self.protocol.name}, {self._transport.settings})"

    def _open(self) -> None:
        path = self.address.target
        if path == "auto":
            found = find_port(self.protocol.name, type(self).list_ports)
            if found is None:
                raise ReaderNotFound(
                    f"no {self.protocol.name} reader with a known USB identity is plugged in: plug it in, "
                    "or give its port, e.g. serial:///dev/ttyACM0?protocol=" + self.protocol.name
                )
            path = found
        if not path:
            raise ReaderNotFound(
                f"reader address {self.source!r} names no port; expected {self.expected_form()}"
            )
        self._gone = None
        self._framer = self.protocol.make_framer()
        self._transport = SerialTransport(path, self.protocol.line_settings(), self._trace)
        self.protocol.start(self._transport)

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def close(self) -> None:
        """Close the port and the wire trace."""
        super().close()
        if self._trace is not None:
            self._trace.close()

    def _read_events(self, timeout: float) -> Iterable[ReaderEvent]:
        transport = self._transport
        if self._gone is not None or transport is None:
            raise self._gone or ReaderDisconnected(f"the reader {self.source} is not open")
        now = time.monotonic()
        wake = [now + timeout]
        for deadline in (self._framer.deadline(), self.protocol.deadline()):
            if deadline is not None:
                wake.append(deadline)
        try:
            data = transport.read(min(wake) - now)
            now = time.monotonic()
            frames = self._framer.feed(data, now) if data else self._framer.flush(now)
            self.protocol.tick(transport, frames, now)
        except ReaderDisconnected as exc:
            # Report the frame in progress before the disconnection, never drop it.
            partial = self._framer.reset()
            if not partial:
                raise
            self._gone = exc
            frames = partial
        return [self._event(frame) for frame in frames]

    def _event(self, frame: Frame) -> ReaderEvent:
        if isinstance(frame, MrzFrame):
            log.debug("%s: document of %d lines", self.source, len(frame.lines))
        else:
            log.debug("%s: %s", self.source, type(frame).__name__)
        return frame_event(frame, self.source)
