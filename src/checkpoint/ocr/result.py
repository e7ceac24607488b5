"""The result of :func:`checkpoint.ocr.read_mrz`. "No MRZ found" is a result too (``found`` is false)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checkpoint.mrz.result import MRZResult
    from checkpoint.ocr.choices import OCRCorrection


@dataclass(frozen=True, slots=True)
class OCRLine:
    """One MRZ line as read: its text, the mean and lowest character confidence (0-100), whether it is
    confirmed (the check digits and a second OCR engine confirm every character of a valid MRZ read
    once, or two independent readings, of different scale and binarisation, agreed on it character for
    character), and the 0-based columns where a reading had another character (``disputed``; the line
    may still be confirmed, by more readings, or by check digits that show the other reading wrong).
    """

    text: str
    confidence: float
    min_confidence: float
    confirmed: bool
    disputed: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Return the line as a JSON-ready dictionary."""
        return {
            "text": self.text,
            "confidence": round(self.confidence, 1),
            "min_confidence": round(self.min_confidence, 1),
            "confirmed": self.confirmed,
            "disputed": list(self.disputed),
        }


@dataclass(frozen=True, slots=True)
class OCRResult:
    """What :func:`checkpoint.ocr.read_mrz` found in one image.

    ``lines`` are the MRZ lines read (top to bottom, after upright turning); ``mrz`` is their
    :func:`checkpoint.mrz.parse` result (repaired through the check digits) or ``None`` when no MRZ was
    found. ``valid`` is the only verdict to trust: the parse found no error *and* every line was
    confirmed by a second reading, so a misread that happens to keep the check digits right (a name,
    ``G``/``6`` in an unchecked field) is not reported as valid. ``problems`` says in words why a
    result is not valid; ``timings`` gives seconds per stage. ``corrections`` are the characters the
    reading step changed to settle a check digit with the model's own alternatives (the MRZ library's
    repairs are in ``mrz.corrections``).
    """

    found: bool
    ocr_lines: tuple[OCRLine, ...] = ()
    mrz: MRZResult | None = None
    problems: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)
    corrections: tuple[OCRCorrection, ...] = ()

    @property
    def lines(self) -> tuple[str, ...]:
        """The MRZ lines as repaired by the parser when there is a parse, else as read."""
        if self.mrz is not None and self.mrz.lines:
            return tuple(self.mrz.lines)
        return tuple(line.text for line in self.ocr_lines)

    @property
    def confidence(self) -> tuple[float, ...]:
        """The mean character confidence (0-100) of each line."""
        return tuple(line.confidence for line in self.ocr_lines)

    @property
    def valid(self) -> bool:
        """True when the MRZ parsed without error and every line was confirmed by a second reading."""
        return (
            self.found
            and self.mrz is not None
            and self.mrz.valid
            and all(line.confirmed for line in self.ocr_lines)
            and not self.problems
        )

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-ready dictionary ``checkpoint ocr --json`` prints."""
        return {
            "found": self.found,
            "valid": self.valid,
            "lines": list(self.lines),
            "confidence": [round(value, 1) for value in self.confidence],
            "ocr_lines": [line.to_dict() for line in self.ocr_lines],
            "mrz": None if self.mrz is None else self.mrz.to_dict(),
            "problems": list(self.problems),
            "timings": {name: round(seconds, 4) for name, seconds in self.timings.items()},
            "corrections": [correction.to_dict() for correction in self.corrections],
        }
