"""Tesseract, in process (tesserocr), with the project's MRZ model.

One ``PyTessBaseAPI`` per thread: the API object is not thread-safe, and loading the small model takes a
few milliseconds, so each thread keeps its own for the life of the thread.
"""

from __future__ import annotations

import atexit
import importlib.resources
import logging
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image

from checkpoint.ocr.errors import OCREngineUnavailable

log = logging.getLogger(__name__)

MODEL_NAME: Final = "mrz"


def _model_dir() -> Path:
    """Return the folder of the project's model, found through :mod:`importlib.resources`.

    Tesseract loads a model from a folder on disk; when the package is not on disk (a zip), the model
    is copied once into a temporary folder that is removed when the process ends.
    """
    data = importlib.resources.files("checkpoint.ocr") / "data"
    if isinstance(data, Path):
        return data
    folder = Path(tempfile.mkdtemp(prefix="checkpoint-ocr-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / f"{MODEL_NAME}.traineddata").write_bytes((data / f"{MODEL_NAME}.traineddata").read_bytes())
    return folder


MODEL_DIR: Final = _model_dir()
MRZ_ALPHABET: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")

_local = threading.local()


# An MRZ is printed at a fixed pitch: the centres of correctly read characters fall on an even grid
# (within about 0.1 pitch, measured), while a character read twice or dropped throws the grid out by
# half a pitch or more. A quadratic fit absorbs the gradual change of pitch that perspective causes.
MAX_PITCH_RESIDUAL: Final = 0.3
# One character alone may sit further off, short of half a pitch: Tesseract boxes a character in grey
# print together with a stroke of watermark or security print touching it, which moves the box's centre
# (measured: 0.42 pitch; a filler under a watermark 0.45 and 0.48 in three readings of one line) while
# its neighbours stay on the grid. A character read twice or lost moves a whole run of characters, or
# two at half a pitch or more.
MAX_OUTLIER_RESIDUAL: Final = 0.5
# The first and last characters lie within this many pitches of where the line was found to start and
# end; a character made up from a smudge beyond the line lies a whole pitch off. A watermark's stroke
# touching a line's first character (a narrow 1) moved its box 0.41 pitch in two readings.
MAX_END_OFFSET: Final = 0.5
# Two characters whose centres are closer than this (in median pitches) are one print cell that the
# model read twice (it reads the round O at a line's start as "0O"): no fixed-pitch print has them.
MIN_CELL_SPACING: Final = 0.5
# The LSTM lists every character it touched for a symbol; those below this confidence (0-100) it gave
# no real probability (measured: 0.0 for all but the one or two it hesitated between).
MIN_CHOICE_CONFIDENCE: Final = 1.0
# A watermark's strokes beyond a line, found as part of it, read as this many fillers at most (seen: 2).
MAX_FILLERS_PAST_END: Final = 2


@dataclass(frozen=True, slots=True)
class LineReading:
    """Tesseract's reading of one line: the text, a confidence (0-100) and the horizontal centre (in
    pixels of the line image) of each character.
    """

    text: str
    confidences: tuple[float, ...]
    centres: tuple[float, ...] = ()
    # Where the line's first and last characters are known to be (from locating the line), if known.
    expected_ends: tuple[float, float] | None = None
    # Per character, the characters the model weighed for it (itself first), when asked for.
    alternatives: tuple[str, ...] = ()
    # Per character, those of them it gave a real probability (MIN_CHOICE_CONFIDENCE), best first.
    ranked: tuple[str, ...] = ()

    @property
    def evenly_spaced(self) -> bool:
        """True when the characters sit on an even grid, as fixed-pitch MRZ print does (all but one
        within ``MAX_PITCH_RESIDUAL`` of a pitch, that one within ``MAX_OUTLIER_RESIDUAL``), and (when
        ``expected_ends`` is known) the first and last characters are where the line starts and ends; a
        reading with a character inserted, lost or made up from a smudge beyond the line is not.
        """
        count = len(self.centres)
        if count < 5 or count != len(self.text):
            return False
        index = np.arange(count, dtype=np.float64)
        centres = np.asarray(self.centres, dtype=np.float64)
        pitch = (centres[-1] - centres[0]) / (count - 1)
        if pitch <= 0:
            return False
        fitted = np.polyval(np.polyfit(index, centres, 2), index)
        residuals = np.abs(centres - fitted) / pitch
        if int((residuals >= MAX_PITCH_RESIDUAL).sum()) > 1 or float(residuals.max()) >= MAX_OUTLIER_RESIDUAL:
            return False
        if self.expected_ends is not None:
            first, last = self.expected_ends
            limit = MAX_END_OFFSET * (last - first) / (count - 1)
            return bool(abs(centres[0] - first) < limit and abs(centres[-1] - last) < limit)
        return True

    @property
    def mean_confidence(self) -> float:
        """The mean of the character confidences, 0 for an empty reading."""
        return float(np.mean(self.confidences)) if self.confidences else 0.0

    @property
    def min_confidence(self) -> float:
        """The lowest character confidence, 0 for an empty reading."""
        return min(self.confidences) if self.confidences else 0.0


def merge_split_cells(reading: LineReading) -> LineReading:
    """Return ``reading`` with every pair of characters that share one print cell (centres closer than
    ``MIN_CELL_SPACING`` of the median pitch) made one character: the more confident of the two, at
    their mean centre. A reading without such a pair, or too short to have a pitch, comes back as is.
    """
    count = len(reading.centres)
    if count < 5 or count != len(reading.text):
        return reading
    steps = np.diff(np.asarray(reading.centres, dtype=np.float64))
    pitch = float(np.median(steps))
    if not pitch > 0 or not bool((steps < MIN_CELL_SPACING * pitch).any()):
        return reading
    chars = list(reading.text)
    confidences = list(reading.confidences)
    centres = list(reading.centres)
    alternatives = list(reading.alternatives) if len(reading.alternatives) == count else []
    ranked = list(reading.ranked) if len(reading.ranked) == count else []
    index = 0
    while index < len(chars) - 1:
        if centres[index + 1] - centres[index] < MIN_CELL_SPACING * pitch:
            keep = index if confidences[index] > confidences[index + 1] else index + 1
            chars[index], confidences[index] = chars[keep], confidences[keep]
            centres[index] = (centres[index] + centres[index + 1]) / 2
            del chars[index + 1], confidences[index + 1], centres[index + 1]
            other = index + 1 if keep == index else index
            for weighed in (alternatives, ranked):
                if weighed:
                    weighed[index] = weighed[keep] + weighed[other]
                    del weighed[index + 1]
        else:
            index += 1
    return LineReading(
        "".join(chars),
        tuple(confidences),
        tuple(centres),
        reading.expected_ends,
        tuple(alternatives),
        tuple(ranked),
    )


def without_fillers_past_end(reading: LineReading, lengths: Sequence[int] = ()) -> LineReading:
    """Return ``reading`` without the fillers it read past the line's end: strokes beyond the MRZ (a
    watermark's letters, security print) that the model took for '<'. Past the end is, first, more than
    half a pitch beyond the line's known end (``expected_ends``); then, where the reading's length is
    none of ``lengths`` (the MRZ's), the cells beyond the longest of them that leaves out only the
    reading's last one or two fillers. The line was found with those strokes, so its found end says
    nothing: the last cell kept becomes its known end, and the even grid from the line's start alone
    tells whether that is the line's last character. A reading without known ends, or whose cells
    past the end are not all fillers, comes back as is: a line with a character read twice or lost does
    not become the right length this way (its grid or its ends are still off).
    """
    count = len(reading.centres)
    if reading.expected_ends is None or count < 5 or count != len(reading.text):
        return reading
    first, last = reading.expected_ends
    pitch = float(np.median(np.diff(np.asarray(reading.centres, dtype=np.float64))))
    keep = count
    while keep > 0 and reading.centres[keep - 1] > last + pitch / 2:
        keep -= 1
    if keep < 5 or set(reading.text[keep:]) - {"<"}:
        keep = count
    if keep not in lengths:
        shorter = [length for length in lengths if keep - MAX_FILLERS_PAST_END <= length < keep]
        if shorter and not set(reading.text[shorter[-1] : keep]) - {"<"}:
            last = reading.centres[shorter[-1] - 1]
            keep = shorter[-1]
    if keep == count:
        return reading
    return replace(
        reading,
        text=reading.text[:keep],
        confidences=reading.confidences[:keep],
        centres=reading.centres[:keep],
        expected_ends=(first, last),
        alternatives=reading.alternatives[:keep] if len(reading.alternatives) == count else (),
        ranked=reading.ranked[:keep] if len(reading.ranked) == count else (),
    )


def _api(model_dir: Path, model: str, choices: bool = False) -> Any:
    key = (str(model_dir), model, choices)
    cache: dict[tuple[str, str, bool], Any] = getattr(_local, "apis", None) or {}
    _local.apis = cache
    api = cache.get(key)
    if api is None:
        try:
            import tesserocr
        except ImportError as exc:
            raise OCREngineUnavailable(
                f"the tesserocr module is missing ({exc}): pip install 'checkpoint[ocr]'"
            ) from exc
        if not (model_dir / f"{model}.traineddata").is_file():
            raise OCREngineUnavailable(f"the OCR model {model}.traineddata is not in {model_dir}")
        try:
            api = tesserocr.PyTessBaseAPI(
                path=str(model_dir), lang=model, psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY
            )
        except RuntimeError as exc:
            raise OCREngineUnavailable(
                f"Tesseract cannot load {model}.traineddata from {model_dir}: {exc}"
            ) from exc
        # Our model knows only the MRZ alphabet; a general-purpose one (the verifier) must be kept to it.
        api.SetVariable("tessedit_char_whitelist", "".join(sorted(MRZ_ALPHABET)))
        if choices:
            # Keep the LSTM's candidate characters per symbol (a separate API: it costs time).
            api.SetVariable("lstm_choice_mode", "2")
        cache[key] = api
    return api


def read_line(
    image: np.ndarray, *, model_dir: Path = MODEL_DIR, model: str = MODEL_NAME, choices: bool = False
) -> LineReading:
    """Return Tesseract's reading of ``image``, a greyscale or binary image of one text line, with
    (when ``choices``) the characters the model weighed for each one in ``alternatives``.

    Characters outside the MRZ alphabet (a general-purpose model may produce them) are dropped, and
    two characters read in one print cell become one (:func:`merge_split_cells`). Raises
    :class:`OCREngineUnavailable` when tesserocr or the model is missing.
    """
    import tesserocr

    api = _api(model_dir, model, choices)
    api.SetImage(Image.fromarray(image))
    api.Recognize()
    iterator = api.GetIterator()
    chars: list[str] = []
    confidences: list[float] = []
    centres: list[float] = []
    alternatives: list[str] = []
    ranked: list[str] = []
    level = tesserocr.RIL.SYMBOL
    if iterator is not None:
        for symbol in tesserocr.iterate_level(iterator, level):
            try:
                text = symbol.GetUTF8Text(level) or ""
            except RuntimeError:  # tesserocr's way of saying the symbol is empty
                continue
            box = symbol.BoundingBox(level)
            weighed = likely = ""
            if choices:
                scored = [
                    (choice.Confidence(), (choice.GetUTF8Text() or "").upper())
                    for choice in symbol.GetChoiceIterator()
                ]
                weighed = "".join(text for _, text in scored)
                scored.sort(key=lambda item: item[0], reverse=True)
                likely = "".join(text for score, text in scored if score >= MIN_CHOICE_CONFIDENCE)
            for char in text.upper():
                if char in MRZ_ALPHABET:
                    chars.append(char)
                    confidences.append(float(symbol.Confidence(level)))
                    centres.append((box[0] + box[2]) / 2 if box else float("nan"))
                    alternatives.append(char + weighed)
                    ranked.append(
                        char + "".join(dict.fromkeys(c for c in likely if c in MRZ_ALPHABET and c != char))
                    )
    reading = LineReading(
        "".join(chars),
        tuple(confidences),
        tuple(centres),
        alternatives=tuple(alternatives),
        ranked=tuple(ranked),
    )
    return merge_split_cells(reading)
