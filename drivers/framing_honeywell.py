"""Honeywell-style OCR imagers: menu commands, trigger, and the MRZ data (``protocols/serial-readers.md`` 2).

Host to device::

    16 4D 0D <TAG(3)><SUBTAG(3)><DATA> {"," SUBTAG DATA} {";" TAG ...} "!" | "."    menu command
    16 54 0D                                                                        trigger
    16 55 0D                                                                        untrigger

The device answers a menu command by echoing its text with a status byte before each ``,`` ``;`` ``.``
``!``: ``06`` ACK, ``05`` ENQ (unknown tag or subtag), ``15`` NAK (value out of range). MRZ data is
``L1 0D L2 [0D L3]`` plus an optional suffix, framed by :class:`~checkpoint.drivers.framing_lines.LinesFramer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from checkpoint.drivers.framing_lines import encode_lines

MENU_PREFIX: Final = b"\x16M\r"
TRIGGER: Final = b"\x16T\r"
UNTRIGGER: Final = b"\x16U\r"

ACK: Final = 0x06
ENQ: Final = 0x05
NAK: Final = 0x15
Status = Literal["ACK", "ENQ", "NAK"]
_STATUS_NAMES: Final[dict[int, Status]] = {ACK: "ACK", ENQ: "ENQ", NAK: "NAK"}
_SEPARATORS: Final = b",;.!"
_TERMINATORS: Final = b".!"

# The first setting of a group names its tag; the ones after a comma share it. Data is a value, or
# ? ^ * to query the current value, the default or the range.
_FIRST_SETTING: Final = re.compile(
    r"(?P<tag>[A-Za-z0-9]{3})(?P<subtag>[A-Za-z0-9]{3})(?P<data>.*)", re.DOTALL
)
_NEXT_SETTING: Final = re.compile(r"(?P<subtag>[A-Za-z0-9]{3})(?P<data>.*)", re.DOTALL)


def encode_menu_command(text: str) -> bytes:
    """Return the bytes of menu command ``text`` (e.g. ``"ocrena1!"``); it must end with ``!`` or ``.``."""
    if not text or text[-1] not in "!.":
        raise ValueError(f"menu command {text!r} must end with '!' (RAM) or '.' (permanent)")
    return MENU_PREFIX + text.encode("ascii")


def encode_mrz(lines: Iterable[str], *, suffix: bytes = b"") -> bytes:
    """Return MRZ data as the imager sends it: lines separated by CR, then ``suffix`` (none by default)."""
    return encode_lines(lines, separator=b"\r", suffix=suffix)


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of a menu command: ``tag`` (carried over from the previous one), ``subtag``, ``data``."""

    tag: str
    subtag: str
    data: str


def parse_menu_command(text: str) -> list[Setting]:
    """Return the settings of a menu command's text (without its prefix, with its ``!``/``.``).

    Raises ``ValueError`` when the text is not a menu command.
    """
    if not text or text[-1] not in "!.":
        raise ValueError(f"menu command {text!r} does not end with '!' or '.'")
    settings: list[Setting] = []
    for group in text[:-1].split(";"):
        tag = ""
        for index, part in enumerate(group.split(",")):
            match = (_NEXT_SETTING if index else _FIRST_SETTING).fullmatch(part)
            if match is None:
                raise ValueError(f"menu command {text!r}: {part!r} is not TAG SUBTAG DATA")
            if index == 0:
                tag = match["tag"].upper()
            settings.append(Setting(tag=tag, subtag=match["subtag"].upper(), data=match["data"]))
    return settings


def encode_menu_reply(text: str, statuses: Iterable[Status]) -> bytes:
    """Return the device's reply to menu command ``text``: the text upper-cased, one status byte inserted
    before each separator, in order. ``statuses`` has one entry per setting."""
    codes = {name: code for code, name in _STATUS_NAMES.items()}
    pending = list(statuses)
    out = bytearray()
    for char in text.upper().encode("ascii"):
        if char in _SEPARATORS:
            if not pending:
                raise ValueError("fewer statuses than settings")
            out.append(codes[pending.pop(0)])
        out.append(char)
    return bytes(out)


def reply_complete(data: bytes | bytearray) -> bool:
    """Return True when ``data`` holds a whole menu reply (it ends with a status and ``!`` or ``.``)."""
    return len(data) >= 2 and data[-1] in _TERMINATORS and data[-2] in _STATUS_NAMES


def parse_menu_reply(data: bytes) -> list[tuple[str, Status]]:
    """Return each setting of a reply with its status, e.g. ``[("OCRENA1", "ACK")]``.

    Raises ``ValueError`` when ``data`` is not a menu reply.
    """
    results: list[tuple[str, Status]] = []
    setting = bytearray()
    previous = -1
    for byte in data:
        if byte in _STATUS_NAMES:
            previous = byte
            continue
        if byte in _SEPARATORS:
            if previous not in _STATUS_NAMES:
                raise ValueError(f"menu reply {data!r} has no status before {chr(byte)!r}")
            results.append((setting.decode("ascii", "replace"), _STATUS_NAMES[previous]))
            setting.clear()
            previous = -1
            continue
        setting.append(byte)
    if not results or setting:
        raise ValueError(f"menu reply {data!r} is incomplete")
    return results
