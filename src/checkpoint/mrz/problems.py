"""What :func:`checkpoint.mrz.parse` reports: problems (errors and warnings) and OCR corrections.

Problem codes are stable; tools and tests match on them. Errors make a result invalid:

``not_text``              the input is neither a string nor a sequence of strings (lenient mode)
``no_mrz``                no lines forming TD1, TD2, TD3, MRV-A, MRV-B or the French ID were found
``invalid_character``     a character the field's type does not allow (a letter in a date ...), or
                          no MRZ character at all (lenient mode keeps it in ``lines`` as ``?``)
``invalid_document_code`` the document code does not start with a letter
``unknown_country_code``  issuing state or nationality is not an ICAO 9303 code
``invalid_sex``           sex is not ``M``, ``F``, ``X`` or ``<``
``invalid_date``          a date that cannot exist (month 13, day 41, 30 February)
``check_digit``           a check digit disagrees (``expected`` and ``found`` are set)
``invalid_overflow``      a long document number's continuation in the optional data is malformed
``ambiguous_repair``      several OCR readings of a field fit its check digit: none was chosen

``field`` is the JSON field name (``document_number``, ``birth_date`` ...), ``names`` for the name
field of TD1/TD2/TD3/visas, ``<field>_check`` for a check-digit position, ``composite``, or ``mrz`` for
the input as a whole.

Warnings leave the result valid:

``partial_date``                a date with an unknown part (``<<``): reported as ``null``
``name_truncated``              the name fills its field to the last character and may be cut short
``overflow_check_with_filler``  long document number checked over the number *with* the ``<`` (Belgium)
``unusual_document_code``       a document code whose first letter ICAO 9303 does not use for the format
``ocr_repair``                  characters of a field were replaced (each one is in ``corrections``)
``normalised_case``             lowercase letters were read as capitals
``removed_whitespace``          spaces inside an MRZ line were dropped
``unescaped_text``              ``&lt;`` (HTML-escaped filler) was read as ``<``
``padded_line``                 missing fillers were added: at the end of a line, or inside a data line
                                where only that reading makes the check digits agree
``trimmed_line``                surplus fillers, text after a complete line or a stray character before a
                                data line were removed (the latter two only where the document confirms it)
``split_line``                  two or three MRZ lines run together (with or without spaces) were split
``ignored_text``                lines of the input around the MRZ were not part of it
``not_travel_document``         a driving licence (``CHE-DL``, ``FRA-DL``): valid as a licence, never a
                                travel document (``MRZResult.travel_document`` is false)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, NotRequired, TypedDict

NOT_TEXT: Final = "not_text"
NO_MRZ: Final = "no_mrz"
INVALID_CHARACTER: Final = "invalid_character"
INVALID_DOCUMENT_CODE: Final = "invalid_document_code"
UNKNOWN_COUNTRY_CODE: Final = "unknown_country_code"
INVALID_SEX: Final = "invalid_sex"
INVALID_DATE: Final = "invalid_date"
CHECK_DIGIT: Final = "check_digit"
INVALID_OVERFLOW: Final = "invalid_overflow"
AMBIGUOUS_REPAIR: Final = "ambiguous_repair"

PARTIAL_DATE: Final = "partial_date"
NAME_TRUNCATED: Final = "name_truncated"
OVERFLOW_CHECK_WITH_FILLER: Final = "overflow_check_with_filler"
UNUSUAL_DOCUMENT_CODE: Final = "unusual_document_code"
OCR_REPAIR: Final = "ocr_repair"
NORMALISED_CASE: Final = "normalised_case"
REMOVED_WHITESPACE: Final = "removed_whitespace"
UNESCAPED_TEXT: Final = "unescaped_text"
PADDED_LINE: Final = "padded_line"
TRIMMED_LINE: Final = "trimmed_line"
SPLIT_LINE: Final = "split_line"
IGNORED_TEXT: Final = "ignored_text"
NOT_TRAVEL_DOCUMENT: Final = "not_travel_document"

ERROR_CODES: Final = frozenset(
    {
        NOT_TEXT,
        NO_MRZ,
        INVALID_CHARACTER,
        INVALID_DOCUMENT_CODE,
        UNKNOWN_COUNTRY_CODE,
        INVALID_SEX,
        INVALID_DATE,
        CHECK_DIGIT,
        INVALID_OVERFLOW,
        AMBIGUOUS_REPAIR,
    }
)
WARNING_CODES: Final = frozenset(
    {
        PARTIAL_DATE,
        NAME_TRUNCATED,
        OVERFLOW_CHECK_WITH_FILLER,
        UNUSUAL_DOCUMENT_CODE,
        OCR_REPAIR,
        NORMALISED_CASE,
        REMOVED_WHITESPACE,
        UNESCAPED_TEXT,
        PADDED_LINE,
        TRIMMED_LINE,
        SPLIT_LINE,
        IGNORED_TEXT,
        NOT_TRAVEL_DOCUMENT,
    }
)


class ProblemDict(TypedDict):
    """The JSON form of a :class:`Problem`."""

    code: str
    field: str
    line: int | None
    start: int | None
    end: int | None
    message: str
    expected: NotRequired[str | None]
    found: NotRequired[str | None]


#: The JSON form of a :class:`Correction` (``from`` is a Python keyword, hence this spelling).
CorrectionDict = TypedDict(
    "CorrectionDict", {"line": int, "column": int, "from": str, "to": str, "field": str}
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning.

    ``line`` is 1-based (into :attr:`MRZResult.lines`, or into the input for ``ignored_text``);
    ``start``/``end`` are 0-based columns, end exclusive. All three are ``None`` for a problem of the
    whole input (``no_mrz``, ``not_text``). ``expected``/``found`` are set for check digits only.
    """

    code: str
    field: str
    line: int | None
    start: int | None
    end: int | None
    message: str
    expected: str | None = None
    found: str | None = None

    def to_dict(self) -> ProblemDict:
        """Return the JSON form: code, field, line, start, end, message (+ expected, found)."""
        out: ProblemDict = {
            "code": self.code,
            "field": self.field,
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }
        if self.expected is not None or self.found is not None:
            out["expected"] = self.expected
            out["found"] = self.found
        return out


@dataclass(frozen=True, slots=True)
class Correction:
    """One character the OCR repair replaced: 1-based ``line``, 0-based ``column``, ``from_`` -> ``to``."""

    line: int
    column: int
    from_: str
    to: str
    field: str

    def to_dict(self) -> CorrectionDict:
        """Return the JSON form ``{"line", "column", "from", "to", "field"}``."""
        return {
            "line": self.line,
            "column": self.column,
            "from": self.from_,
            "to": self.to,
            "field": self.field,
        }
