"""The ICAO 9303 check digit: weights 7, 3, 1 repeating over character values, sum modulo 10."""

from __future__ import annotations

from typing import Final

from checkpoint.mrz.errors import MRZError

MRZ_CHARACTERS: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"

#: Value of each MRZ character: digits as themselves, A-Z as 10-35, the filler ``<`` as 0.
VALUES: Final[dict[str, int]] = {c: (0 if c == "<" else i) for i, c in enumerate(MRZ_CHARACTERS)}

_INVALID: Final = 255
#: The check digit of a weighted sum modulo 10, as its character.
DIGITS: Final = "0123456789"
#: ``text.encode().translate(CHARACTER_VALUES)`` turns MRZ text into its values (255 for any other
#: byte) in one C call; a weighted sum is then three slice sums, which keeps the check digit off the
#: per-character Python loop (the parser computes five per document).
CHARACTER_VALUES: Final = bytes(VALUES.get(chr(i), _INVALID) for i in range(256))


def check_digit(s: str) -> str:
    """Return the ICAO 9303 check digit (``"0"``-``"9"``) of ``s``.

    Raises :class:`MRZError` when ``s`` is not a string or holds a character outside ``0-9 A-Z <``
    (the message gives the character and its 0-based position).
    """
    if not isinstance(s, str):
        raise MRZError(f"check_digit needs a string of MRZ characters, not {type(s).__name__}")
    try:
        values = s.encode("ascii").translate(CHARACTER_VALUES)
    except UnicodeEncodeError:
        bad = next(i for i, c in enumerate(s) if c not in VALUES)
        raise MRZError(f"{s[bad]!r} at position {bad} is not an MRZ character (0-9, A-Z, <)") from None
    if _INVALID in values:
        bad = values.index(_INVALID)
        raise MRZError(f"{s[bad]!r} at position {bad} is not an MRZ character (0-9, A-Z, <)")
    return str((sum(values[0::3]) * 7 + sum(values[1::3]) * 3 + sum(values[2::3])) % 10)


def fast_check_digit(s: str) -> str:
    """Return the check digit of ``s`` without validating it (any other character counts as 255).

    The parser's hot path: plain UTF-8 encoding is the fastest, and a non-ASCII character only turns
    into bytes the table marks invalid.
    """
    try:
        values = s.encode().translate(CHARACTER_VALUES)
    except UnicodeEncodeError:  # a lone surrogate
        values = s.encode("ascii", "replace").translate(CHARACTER_VALUES)
    return DIGITS[(sum(values[0::3]) * 7 + sum(values[1::3]) * 3 + sum(values[2::3])) % 10]
