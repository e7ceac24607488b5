"""Serial passport-reader simulators, one per protocol family, byte for byte as the wire notes say.

Use from Python::

    with AccessIsSimulator(link=tmp_path / "reader") as device:
        device.present(lines)          # the host reads serial://<device.path>?protocol=access-is

or from the command line (``checkpoint sim access-is``), or as the pytest fixture ``serial_reader_sim``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from checkpoint.drivers import framing_access_is, framing_est100, framing_honeywell, framing_lines
from checkpoint.mocks.pty_device import PtyDevice

log = logging.getLogger(__name__)


class AccessIsSimulator(PtyDevice):
    """Access-IS OCR reader: one ``1C 02 ... 03 1D`` frame per swipe, unsolicited."""

    NAME = "access-is"
    BAUDRATE = 9600
    NOISE = bytes(byte for byte in range(0x20, 0x100) if byte not in (0x1C, 0x1E, 0x0E))

    # Whether a CR follows the last line (it varies by firmware). Set on the instance to change it.
    trailing_cr = False

    def encode(self, lines: Sequence[str]) -> bytes:
        """Return the OCR frame."""
        return framing_access_is.encode_mrz(lines, trailing_cr=self.trailing_cr)


class LinesSimulator(PtyDevice):
    """A reader that types MRZ lines ended by CR LF."""

    NAME = "lines"
    # Not MRZ characters and not line ends: what a reader's framer skips before a line.
    NOISE = bytes([0x00, 0x01, 0x07, 0x1B, 0x7F, 0xFF])

    def encode(self, lines: Sequence[str]) -> bytes:
        """Return the lines, each ended by CR LF."""
        return framing_lines.encode_lines(lines, separator=b"\r\n", suffix=b"\r\n")


class Est100Simulator(PtyDevice):
    """EST-100 style reader: readStart, CameraData with the MRZ, readEnd, at 256000 8O1."""

    NAME = "est100"
    BAUDRATE = 256000
    NOISE = bytes(byte for byte in range(0x20, 0x100) if byte != 0x02)

    def encode(self, lines: Sequence[str]) -> bytes:
        """Return the three messages of one read."""
        return framing_est100.encode_document(lines)


# The Honeywell settings this imager knows: TAG+SUBTAG -> (default, allowed values).
HONEYWELL_SETTINGS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "OCRENA": ("0", ("0", "1")),
    "OCRATS": ("0", ("0", "1", "2", "3")),
    "ALLENA": ("1", ("0", "1")),
    "TRGSTO": ("30000", tuple(str(n) for n in range(0, 300001, 1000))),
    "BEPLVL": ("2", ("0", "1", "2", "3")),
}


class HoneywellSimulator(PtyDevice):
    """Honeywell-style OCR imager: answers menu commands with ACK/ENQ/NAK and reads only while triggered.

    A trigger (``16 54 0D``) lasts ``trigger_timeout`` seconds or until one document has been sent;
    documents presented meanwhile wait in the queue. OCR must be enabled (``ocrena1``) for MRZ output.
    """

    NAME = "honeywell"
    BAUDRATE = 115200
    NOISE = bytes([0x00, 0x01, 0x07, 0x1B, 0x7F, 0xFF])

    trigger_timeout = 3.0
    # Bytes after the MRZ (none by default; commonly CR LF when configured).
    suffix = b""

    def __init__(
        self,
        *,
        link: str | Path | None = None,
        faults: Iterable[str] = (),
        seed: int = 0,
        unplug_time: float = 0.5,
    ) -> None:
        super().__init__(link=link, faults=faults, seed=seed, unplug_time=unplug_time)
        # Settings stored with "." survive a power cycle; those set with "!" live in RAM until unplugged.
        self.stored: dict[str, str] = {key: default for key, (default, _) in HONEYWELL_SETTINGS.items()}
        self.settings: dict[str, str] = dict(self.stored)
        self.triggered_until = 0.0
        self.commands: list[str] = []  # menu commands received, for tests
        self._inbox = bytearray()

    def encode(self, lines: Sequence[str]) -> bytes:
        """Return the lines separated by CR, then the configured suffix."""
        return framing_honeywell.encode_mrz(lines, suffix=self.suffix)

    def on_plug(self) -> None:
        """Power-up: RAM settings revert to the stored ones, and the imager is not triggered."""
        self.settings = dict(self.stored)
        self.triggered_until = 0.0

    def ready(self) -> bool:
        """Send only while triggered and with OCR enabled."""
        return time.monotonic() < self.triggered_until and self.settings["OCRENA"] == "1"

    def on_sent(self) -> None:
        """A good read ends the trigger."""
        self.triggered_until = 0.0

    def on_receive(self, data: bytes) -> None:
        """Parse trigger, untrigger and menu commands out of the host's bytes."""
        self._inbox += data
        while True:
            start = self._inbox.find(b"\x16")
            if start < 0:
                self._inbox.clear()
                return
            del self._inbox[:start]
            if len(self._inbox) < 3:
                return
            command = bytes(self._inbox[:3])
            if command == framing_honeywell.TRIGGER:
                self.triggered_until = time.monotonic() + self.trigger_timeout
                del self._inbox[:3]
            elif command == framing_honeywell.UNTRIGGER:
                self.triggered_until = 0.0
                del self._inbox[:3]
            elif command == framing_honeywell.MENU_PREFIX:
                end = min(
                    (i for i in (self._inbox.find(b"!", 3), self._inbox.find(b".", 3)) if i >= 0), default=-1
                )
                if end < 0:
                    return
                text = self._inbox[3 : end + 1].decode("ascii", "replace")
                del self._inbox[: end + 1]
                self.commands.append(text)
                self.send_raw(self._answer(text))
            else:
                del self._inbox[:1]

    def _answer(self, text: str) -> bytes:
        try:
            settings = framing_honeywell.parse_menu_command(text)
        except ValueError:
            return framing_honeywell.encode_menu_reply(text, ["ENQ"] * _separators(text))
        statuses: list[framing_honeywell.Status] = []
        echo = text.upper()
        for setting in settings:
            key = setting.tag + setting.subtag
            known = HONEYWELL_SETTINGS.get(key)
            if known is None:
                statuses.append("ENQ")
            elif setting.data in ("?", "^", "*"):
                value = {"?": self.settings[key], "^": known[0], "*": f"{known[1][0]}-{known[1][-1]}"}[
                    setting.data
                ]
                echo = echo.replace(setting.subtag + setting.data, setting.subtag + value, 1)
                statuses.append("ACK")
            elif setting.data not in known[1]:
                statuses.append("NAK")
            else:
                self.settings[key] = setting.data
                if text.endswith("."):
                    self.stored[key] = setting.data
                statuses.append("ACK")
        return framing_honeywell.encode_menu_reply(echo, statuses)


def _separators(text: str) -> int:
    return sum(text.count(char) for char in ",;.!")


# protocol name -> simulator class; the ``checkpoint sim`` command's choices come from here.
SIMULATORS: Final[dict[str, type[PtyDevice]]] = {
    cls.NAME: cls for cls in (AccessIsSimulator, HoneywellSimulator, Est100Simulator, LinesSimulator)
}


def make_simulator(
    protocol: str, *, link: str | Path | None = None, faults: Iterable[str] = (), seed: int = 0
) -> PtyDevice:
    """Return an unstarted simulator of ``protocol``. Raises ``ValueError`` for an unknown one."""
    try:
        cls = SIMULATORS[protocol]
    except KeyError:
        raise ValueError(f"no simulator for protocol {protocol!r}: expected {'|'.join(SIMULATORS)}") from None
    return cls(link=link, faults=faults, seed=seed)
