"""HID boot-keyboard reports as a keyboard-wedge passport reader types them (``protocols/usb-readers.md`` §1).

A report is 8 bytes: ``[modifiers, reserved, key1 .. key6]`` with usage IDs of the keyboard page (0x07).
What a usage means depends on the keyboard layout the reader was configured for: on a German or French
layout ``<`` is the ISO key 0x64, on a US or UK one it is shift + comma (0x36); German swaps Y and Z,
French swaps A/Q and Z/W, moves M and needs shift for the digits. This module is pure: the layout
tables, the decoder (reports in, typed text out, by edge detection) and the encoder the simulator uses
(text in, the keystrokes a reader sends out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

REPORT_SIZE: Final = 8

# Modifier bits of byte 0.
LEFT_CTRL: Final = 0x01
LEFT_SHIFT: Final = 0x02
RIGHT_CTRL: Final = 0x10
RIGHT_SHIFT: Final = 0x20
RIGHT_ALT: Final = 0x40  # AltGr on European layouts
SHIFT: Final = LEFT_SHIFT | RIGHT_SHIFT
CTRL: Final = LEFT_CTRL | RIGHT_CTRL

# Usages that are not characters.
ENTER: Final = 0x28
TAB: Final = 0x2B
KEYPAD_ENTER: Final = 0x58
COMMA: Final = 0x36
ISO_KEY: Final = 0x64  # the key left of Z on ISO keyboards
USAGE_J: Final = 0x0D
USAGE_M: Final = 0x10
# A report whose key slots hold these is a "phantom state" (too many keys): it says nothing new.
_ERROR_USAGES: Final = frozenset({0x01, 0x02, 0x03})

LINE_END: Final = "\n"
UNKNOWN: Final = "\ufffd"

MRZ_CHARACTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


@dataclass(frozen=True, slots=True)
class Keystroke:
    """One key press: the modifier bits held and the usage ID pressed."""

    modifiers: int
    usage: int


@dataclass(frozen=True, slots=True)
class Layout:
    """A keyboard layout: which keystroke types each MRZ character, and what other keys type.

    ``mrz`` maps every character of the MRZ alphabet to the keystroke that types it. ``other`` maps
    ``(shifted, usage)`` of a few non-MRZ keys to their character, so that a stream typed for another
    layout decodes to the wrong characters a person would have seen (``\\`` for ``<``), not to nothing.
    """

    name: str
    mrz: Mapping[str, Keystroke]
    other: Mapping[tuple[bool, int], str]


def _letters(swaps: Mapping[str, int]) -> dict[str, Keystroke]:
    keys = {chr(ord("A") + i): Keystroke(LEFT_SHIFT, 0x04 + i) for i in range(26)}
    keys.update({letter: Keystroke(LEFT_SHIFT, usage) for letter, usage in swaps.items()})
    return keys


def _digits(modifiers: int) -> dict[str, Keystroke]:
    return {str((i + 1) % 10): Keystroke(modifiers, 0x1E + i) for i in range(10)}


def _row(shifted: bool, characters: str) -> dict[tuple[bool, int], str]:
    """Map the digit row (usages 0x1E..0x27) to ``characters``."""
    return {(shifted, 0x1E + i): character for i, character in enumerate(characters)}


_US_OTHER: Final = {
    **_row(True, "!@#$%^&*()"),
    (False, COMMA): ",",
    (False, ISO_KEY): "\\",
    (True, ISO_KEY): "|",
    (False, 0x33): ";",
    (True, 0x33): ":",
}

LAYOUTS: Final[Mapping[str, Layout]] = {
    "us": Layout("us", {**_letters({}), **_digits(0), "<": Keystroke(LEFT_SHIFT, COMMA)}, _US_OTHER),
    "uk": Layout(
        "uk",
        {**_letters({}), **_digits(0), "<": Keystroke(LEFT_SHIFT, COMMA)},
        {**_US_OTHER, **_row(True, '!"£$%^&*()')},
    ),
    "de": Layout(
        "de",
        {**_letters({"Z": 0x1C, "Y": 0x1D}), **_digits(0), "<": Keystroke(0, ISO_KEY)},
        {
            **_row(True, '!"§$%&/()='),
            (False, COMMA): ",",
            (True, COMMA): ";",
            (True, ISO_KEY): ">",
            (False, 0x33): "ö",
            (True, 0x33): "Ö",
        },
    ),
    "fr": Layout(
        "fr",
        {
            **_letters({"A": 0x14, "Q": 0x04, "Z": 0x1A, "W": 0x1D, "M": 0x33}),
            **_digits(LEFT_SHIFT),
            "<": Keystroke(0, ISO_KEY),
        },
        {
            **_row(False, "&é\"'(-è_çà"),
            (False, COMMA): ";",
            (True, COMMA): ".",
            (False, USAGE_M): ",",
            (True, USAGE_M): "?",
            (True, ISO_KEY): ">",
        },
    ),
}


def layout(name: str) -> Layout:
    """Return the layout called ``name``; raise ``ValueError`` listing the known ones when there is none."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(f"unknown keyboard layout {name!r}; expected one of {', '.join(LAYOUTS)}") from None


def _decode_table(chosen: Layout) -> dict[tuple[bool, int], str]:
    table = dict(chosen.other)
    for character, stroke in chosen.mrz.items():
        shifted = bool(stroke.modifiers & SHIFT)
        table[(shifted, stroke.usage)] = character
        if character.isalpha():
            # Some readers type letters without shift and rely on Caps Lock; an MRZ has no lower case.
            table.setdefault((not shifted, stroke.usage), character)
    return table


class ReportDecoder:
    """Turns boot-keyboard reports into typed text by edge detection.

    A usage that appears in a report and was not in the previous one is a key press; one that stays is
    a held key (or a device repeating its last report), never a second press. Line-ending keys (Enter,
    keypad Enter, Tab, Ctrl+J, Ctrl+M) decode to ``"\\n"``; a key with no meaning in the layout, or
    pressed with Ctrl or AltGr, decodes to U+FFFD so that nothing is lost silently.
    """

    def __init__(self, layout_name: str = "us") -> None:
        self.layout = layout(layout_name)
        self._table = _decode_table(self.layout)
        self._ctrl_line_ends = {self.layout.mrz["J"].usage, self.layout.mrz["M"].usage}
        self._held: frozenset[int] = frozenset()

    def reset(self) -> None:
        """Forget the keys held (the device was reopened)."""
        self._held = frozenset()

    def feed(self, report: bytes) -> str:
        """Return the text the key presses in ``report`` type, in the order of the key slots.

        Raises ``ValueError`` when ``report`` is too short to be a keyboard report.
        """
        if len(report) < 3:
            raise ValueError(
                f"a keyboard report has {REPORT_SIZE} bytes, this one {len(report)}: {report.hex(' ')}"
            )
        modifiers = report[0]
        usages = [usage for usage in report[2:] if usage]
        if any(usage in _ERROR_USAGES for usage in usages):
            return ""
        typed = [self._character(modifiers, usage) for usage in usages if usage not in self._held]
        self._held = frozenset(usages)
        return "".join(typed)

    def _character(self, modifiers: int, usage: int) -> str:
        if usage in (ENTER, KEYPAD_ENTER, TAB):
            return LINE_END
        if modifiers & CTRL:
            return LINE_END if usage in self._ctrl_line_ends else UNKNOWN
        if modifiers & RIGHT_ALT:
            return UNKNOWN
        return self._table.get((bool(modifiers & SHIFT), usage), UNKNOWN)


def keystroke(character: str, layout_name: str = "us") -> Keystroke:
    """Return the keystroke that types ``character`` (an MRZ character) on ``layout_name``.

    Raises ``ValueError`` when the character is not in the MRZ alphabet or the layout is unknown.
    """
    strokes = layout(layout_name).mrz
    if character not in strokes:
        raise ValueError(f"{character!r} is not an MRZ character (A-Z, 0-9, <)")
    return strokes[character]


def report(stroke: Keystroke | None) -> bytes:
    """Return the 8-byte report of ``stroke`` held down, or the all-keys-up report for ``None``."""
    if stroke is None:
        return bytes(REPORT_SIZE)
    return bytes([stroke.modifiers, 0, stroke.usage, 0, 0, 0, 0, 0])
