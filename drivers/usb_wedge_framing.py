"""Framing of a keyboard-wedge reader: boot-keyboard reports in, machine-readable zones out.

The reader types the MRZ line by line. Readers differ in how they end lines (Enter after each line,
Enter only after the last, CR LF, Tab, keypad Enter, or nothing at all), so a document ends when it has
the number of lines its format has (three of 30 characters for TD1, two of 36 or 44 otherwise), or after
``silence`` seconds without a key press. Lines typed without a line end between them are split by the
ICAO line lengths (88 characters are two TD3 lines). Follows the :class:`~checkpoint.drivers.frames.Framer`
protocol, so the USB driver and the tests drive it the same way as the serial framers.
"""

from __future__ import annotations

from typing import Final

from checkpoint.drivers.frames import MRZ_LINE_LENGTHS, Frame, MrzFrame, PartialFrame
from checkpoint.drivers.usb_keyboard import LINE_END, REPORT_SIZE, ReportDecoder

DEFAULT_SILENCE: Final = 0.3

# A first line this long or shorter is taken for TD1 (30 characters) when a key was lost or doubled.
_TD1_AT_MOST: Final = 33

MAX_TYPED_LINE: Final = max(length * count for length, count in MRZ_LINE_LENGTHS.items())
"""The most characters a reader types without a line end: a whole TD1 (3 x 30) typed as one line. A longer
run is no MRZ: it is reported as a partial frame and the rest, up to the next line end or silence, is
dropped rather than held (a stuck key or a wedge in the wrong mode must not fill the memory)."""
MAX_RAW: Final = 64 * MAX_TYPED_LINE
"""The most report bytes kept for a frame's ``raw`` (each character takes at least two reports)."""


def _split(text: str) -> list[str]:
    """Split text typed without line ends into ICAO lines when its length says how (88 -> 2 x 44)."""
    for length, count in MRZ_LINE_LENGTHS.items():
        if count > 1 and len(text) == length * count:
            return [text[i : i + length] for i in range(0, len(text), length)]
    return [text]


def expected_line_count(first_line: str) -> int:
    """Return how many lines a document whose first line is ``first_line`` has (3 for TD1, else 2)."""
    exact = MRZ_LINE_LENGTHS.get(len(first_line))
    if exact is not None:
        return exact
    return 3 if len(first_line) <= _TD1_AT_MOST else 2


class WedgeFramer:
    """Assembles typed MRZ documents from boot-keyboard reports. Pure: reports and times in, frames out."""

    def __init__(self, layout_name: str = "us", *, silence: float = DEFAULT_SILENCE) -> None:
        self.decoder = ReportDecoder(layout_name)
        self.silence = silence
        self._raw = bytearray()
        self._lines: list[str] = []
        self._current: list[str] = []
        self._last = 0.0
        self._dropping = False  # after an overlong line: typed characters ignored up to a line end

    @property
    def in_document(self) -> bool:
        """True while a document has begun and not ended."""
        return bool(self._lines or self._current)

    def feed(self, data: bytes, now: float) -> list[Frame]:
        """Return the documents that the reports in ``data`` complete.

        ``data`` is one report, or several 8-byte reports back to back. Raises ``ValueError`` for a
        report too short to be a keyboard report.
        """
        frames = self.flush(now)
        if len(data) > REPORT_SIZE and len(data) % REPORT_SIZE == 0:
            reports = [data[i : i + REPORT_SIZE] for i in range(0, len(data), REPORT_SIZE)]
        else:
            reports = [data]
        for report in reports:
            frames.extend(self._feed_report(report, now))
        return frames

    def _feed_report(self, report: bytes, now: float) -> list[Frame]:
        typed = self.decoder.feed(report)
        if self._dropping and typed and now - self._last >= self.silence:
            self._dropping = False  # the overlong run fell silent: what follows is a new read
        if self._dropping:
            if typed:
                self._last = now
            if LINE_END not in typed:
                return []
            typed = typed[typed.index(LINE_END) + 1 :]
            self._dropping = False
        if not typed and not self.in_document:
            return []  # key releases and idle reports between documents
        if typed:
            self._last = now
        if len(self._raw) < MAX_RAW:
            self._raw += report
        frames: list[Frame] = []
        for character in typed:
            if self._dropping:
                self._dropping = character != LINE_END
            elif character != LINE_END:
                self._current.append(character)
                if len(self._current) > MAX_TYPED_LINE:
                    frames.append(self._overlong())
            elif self._current:
                frame = self._end_line()
                if frame is not None:
                    frames.append(frame)
        return frames

    def _overlong(self) -> Frame:
        frame = PartialFrame(
            raw=bytes(self._raw),
            detail=f"a line longer than {MAX_TYPED_LINE} characters (no MRZ is): the rest of it is dropped",
        )
        self._lines.clear()
        self._current.clear()
        self._raw.clear()
        self._dropping = True
        return frame

    def _end_line(self) -> Frame | None:
        text = "".join(self._current)
        self._current.clear()
        self._lines.extend(_split(text) if not self._lines else [text])
        if len(self._lines) >= expected_line_count(self._lines[0]):
            return self._emit()
        return None

    def _emit(self) -> Frame:
        frame = MrzFrame(lines=tuple(self._lines), raw=bytes(self._raw))
        self._lines.clear()
        self._raw.clear()
        return frame

    def flush(self, now: float) -> list[Frame]:
        """Return the document in progress when ``silence`` seconds have passed since its last key."""
        deadline = self.deadline()
        if deadline is None or now < deadline:
            return []
        if self._current:
            text = "".join(self._current)
            self._current.clear()
            self._lines.extend(_split(text) if not self._lines else [text])
        return [self._emit()]

    def deadline(self) -> float | None:
        """Return when silence ends the document in progress, or None when no document is in progress."""
        return self._last + self.silence if self.in_document else None

    def reset(self) -> list[Frame]:
        """Drop the document in progress (the device went away); return it as a partial frame, if any."""
        self.decoder.reset()
        if not self.in_document:
            self._raw.clear()
            return []
        lines, characters = len(self._lines), len(self._current)
        frame = PartialFrame(
            raw=bytes(self._raw),
            detail=f"the reader stopped in the middle of a document ({lines} whole lines and {characters} "
            "characters typed); scan the document again",
        )
        self._lines.clear()
        self._current.clear()
        self._raw.clear()
        return [frame]
