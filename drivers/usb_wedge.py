"""``usb://VID:PID|auto?protocol=hid-wedge&layout=us|de|fr|uk``: a keyboard-wedge reader read directly.

The reader is a USB boot keyboard that types the MRZ. Reading its interrupt endpoint ourselves, with the
kernel's keyboard driver detached, means the MRZ never lands in whatever window has focus, and the
layout the reader was configured for is an explicit option instead of a guess.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from checkpoint.drivers.address import Option, positive_float
from checkpoint.drivers.frames import Frame, Framer, MrzFrame
from checkpoint.drivers.usb_devices import is_boot_keyboard
from checkpoint.drivers.usb_keyboard import LAYOUTS, MRZ_CHARACTERS
from checkpoint.drivers.usb_reader import BACKEND_OPTION, UsbHidReader, protocol_option
from checkpoint.drivers.usb_wedge_framing import DEFAULT_SILENCE, WedgeFramer

log = logging.getLogger(__name__)


class UsbWedgeReader(UsbHidReader):
    """A keyboard-wedge MRZ reader read through pyusb. See :mod:`checkpoint.drivers.usb_wedge`."""

    PROTOCOL = "hid-wedge"
    OPTIONS: ClassVar[tuple[Option, ...]] = (
        protocol_option("hid-wedge"),
        Option(
            "layout",
            default="us",
            choices=tuple(LAYOUTS),
            help="the keyboard layout the reader is configured to type for",
        ),
        Option(
            "silence",
            default=DEFAULT_SILENCE,
            convert=positive_float,
            metavar="SECONDS",
            help="a document ends after this long without a key when its line count did not end it",
        ),
        BACKEND_OPTION,
    )

    def _make_framer(self) -> Framer:
        return WedgeFramer(self.options["layout"], silence=float(self.options["silence"]))

    def _matches(self, interface: Any) -> bool:
        return is_boot_keyboard(interface)

    def _check(self, frame: Frame) -> None:
        if isinstance(frame, MrzFrame):
            strange = sum(1 for line in frame.lines for character in line if character not in MRZ_CHARACTERS)
            if strange:
                log.warning(
                    "%s: a document typed %d characters outside the MRZ alphabet: is the reader set to the "
                    "%s keyboard layout (option layout=%s)?",
                    self.source,
                    strange,
                    self.options["layout"],
                    "|".join(LAYOUTS),
                )

    def describe(self) -> str:
        """Return the device's name, address and layout."""
        return f"{super().describe()}, layout {self.options['layout']}"
