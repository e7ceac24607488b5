"""The exact IN-report streams USB readers send for a document.

A keyboard-wedge reader types each MRZ character as a key press report followed by a release (or by
the next key's report), with the line ends it is configured for. An Access-IS reader in HID mode sends
the serial protocol's OCR frame cut into reports of ``[length, payload...]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Literal

from checkpoint.drivers.framing_access_is import encode_mrz
from checkpoint.drivers.usb_keyboard import (
    ENTER,
    KEYPAD_ENTER,
    LEFT_CTRL,
    TAB,
    Keystroke,
    keystroke,
    layout,
    report,
)

LineEnd = Literal["enter", "enter-last", "crlf", "tab", "keypad-enter", "none"]
Release = Literal["always", "on-repeat", "never"]

LINE_ENDS: Final[tuple[LineEnd, ...]] = ("enter", "enter-last", "crlf", "tab", "keypad-enter", "none")
RELEASES: Final[tuple[Release, ...]] = ("always", "on-repeat", "never")


def _line_end(line_end: LineEnd, layout_name: str) -> list[Keystroke]:
    if line_end in ("enter", "enter-last"):
        return [Keystroke(0, ENTER)]
    if line_end == "crlf":
        # CR is Enter; LF is typed the way terminals know it, Ctrl+J.
        return [Keystroke(0, ENTER), Keystroke(LEFT_CTRL, layout(layout_name).mrz["J"].usage)]
    if line_end == "tab":
        return [Keystroke(0, TAB)]
    if line_end == "keypad-enter":
        return [Keystroke(0, KEYPAD_ENTER)]
    return []


def wedge_keystrokes(
    lines: Sequence[str], *, layout_name: str = "us", line_end: LineEnd = "enter"
) -> list[Keystroke]:
    """Return the key presses a wedge reader makes to type ``lines``.

    Raises ``ValueError`` for a character outside the MRZ alphabet, an unknown layout or line end.
    """
    if line_end not in LINE_ENDS:
        raise ValueError(f"unknown line end {line_end!r}; expected one of {', '.join(LINE_ENDS)}")
    strokes: list[Keystroke] = []
    for number, line in enumerate(lines, start=1):
        strokes.extend(keystroke(character, layout_name) for character in line)
        if line_end != "enter-last" or number == len(lines):
            strokes.extend(_line_end(line_end, layout_name))
    return strokes


def keystroke_reports(strokes: Iterable[Keystroke], *, release: Release = "always") -> list[bytes]:
    """Return the reports for ``strokes``, each key held in one report.

    ``release`` says when an all-keys-up report follows a press: ``always``; ``on-repeat``, only
    before the same key again (a new key's report alone ends the last, as fast readers do); ``never``
    (a faulty device: a repeated key then looks held, so the host sees one press). A release always
    ends the stream.
    """
    if release not in RELEASES:
        raise ValueError(f"unknown release mode {release!r}; expected one of {', '.join(RELEASES)}")
    reports: list[bytes] = []
    previous: Keystroke | None = None
    for stroke in strokes:
        if previous is not None and (release == "always" or (release == "on-repeat" and stroke == previous)):
            reports.append(report(None))
        reports.append(report(stroke))
        previous = stroke
    if previous is not None:
        reports.append(report(None))
    return reports


def wedge_reports(
    lines: Sequence[str],
    *,
    layout_name: str = "us",
    line_end: LineEnd = "enter",
    release: Release = "always",
) -> list[bytes]:
    """Return the 8-byte reports a keyboard-wedge reader sends to type ``lines``."""
    return keystroke_reports(
        wedge_keystrokes(lines, layout_name=layout_name, line_end=line_end), release=release
    )


def access_is_hid_reports(
    frame: bytes, *, report_size: int = 64, chunk: int | None = None, flag: bool = False
) -> list[bytes]:
    """Return the IN reports carrying ``frame``: ``[length, payload..., zero padding]`` each.

    ``chunk`` limits the payload per report (at most ``report_size - 1``); ``flag`` sets bit 7 of the
    length byte, as some firmware does.
    """
    size = min(chunk or report_size - 1, report_size - 1, 0x7F)
    reports = []
    for start in range(0, len(frame), size):
        payload = frame[start : start + size]
        head = len(payload) | (0x80 if flag else 0)
        reports.append((bytes([head]) + payload).ljust(report_size, b"\0"))
    return reports


def access_is_mrz_reports(lines: Sequence[str], **options: int | bool) -> list[bytes]:
    """Return the IN reports of an Access-IS reader in HID mode reading a document with ``lines``."""
    chunk = options.get("chunk")
    return access_is_hid_reports(
        encode_mrz(lines),
        report_size=int(options.get("report_size", 64)),
        chunk=int(chunk) if chunk else None,
        flag=bool(options.get("flag", False)),
    )
