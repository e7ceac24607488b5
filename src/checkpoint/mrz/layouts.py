"""Where each field sits in every MRZ format (ICAO 9303 Parts 4-7, the pre-2021 French ID card, and
two national driving licences that carry an MRZ but are never travel documents)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

#: The formats :func:`checkpoint.mrz.parse` reads. The first six are travel documents.
MRZFormat = Literal["TD1", "TD2", "TD3", "MRV-A", "MRV-B", "FRA-ID", "CHE-DL", "FRA-DL"]
#: The formats :func:`checkpoint.mrz.compose` writes: the travel documents.
TravelFormat = Literal["TD1", "TD2", "TD3", "MRV-A", "MRV-B", "FRA-ID"]
#: The sex field: ``M``, ``F``, ``X`` (printed by several states) or ``<`` (unspecified).
Sex = Literal["M", "F", "X", "<"]

# Character classes a field allows; the repair uses them to pick substitutions.
ALPHA: Final = "alpha"  # A-Z and <
NUMERIC: Final = "numeric"  # 0-9 and < (partial dates)
ALNUM: Final = "alnum"  # any MRZ character
DIGIT: Final = "digit"  # a check digit: 0-9 (and < for an empty field)
SEX: Final = "sex"

#: What the sex field may hold: ``M``, ``F``, ``X`` (printed by several states) or ``<`` (unspecified).
SEXES: Final = frozenset("MFX<")
#: The fields that hold a name: one for both identifiers, or one for each.
NAME_FIELDS: Final = ("names", "surname", "given_names")
#: A name field holds its whole name once these fillers come: ICAO 9303 separates the primary identifier
#: from the secondary by two fillers and a name's components by one, so no name has three in a row.
NAME_END: Final = "<<<"


@dataclass(frozen=True, slots=True)
class Span:
    """A field: 0-based ``line``, columns ``start``..``end`` (exclusive), its character class."""

    name: str
    line: int
    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Check:
    """A check digit at ``line``/``pos`` over the concatenated ``parts`` (line, start, end).

    ``guards`` names the alphanumeric field the digit protects alone (the repair search target).
    """

    name: str
    line: int
    pos: int
    parts: tuple[tuple[int, int, int], ...]
    guards: str | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """One MRZ format: its name, shape, fields and check digits.

    ``line_length`` is the longest line; ``lengths`` lists each line's length where they differ (the
    Swiss driving licence). ``travel_document`` is false for a format that never permits crossing a
    border (a driving licence), however valid it is.
    """

    name: MRZFormat
    line_count: int
    line_length: int
    fields: dict[str, Span]
    checks: tuple[Check, ...]
    overflow: bool  # long document numbers continue in optional_data (TD1, TD2)
    lengths: tuple[int, ...] = ()
    travel_document: bool = True

    @property
    def line_lengths(self) -> tuple[int, ...]:
        """Return the length of each line."""
        return self.lengths or (self.line_length,) * self.line_count

    def span_at(self, line: int, column: int) -> Span | None:
        """Return the field that holds ``column`` of ``line`` (both 0-based), or ``None`` where no field
        does."""
        return next(
            (span for span in self.fields.values() if span.line == line and span.start <= column < span.end),
            None,
        )


def _spans(*spans: Span) -> dict[str, Span]:
    return {s.name: s for s in spans}


def _td3_like(name: MRZFormat, length: int, optional_end: int, visa: bool) -> Layout:
    fields = _spans(
        Span("document_code", 0, 0, 2, ALPHA),
        Span("issuing_state", 0, 2, 5, ALPHA),
        Span("names", 0, 5, length, ALPHA),
        Span("document_number", 1, 0, 9, ALNUM),
        Span("document_number_check", 1, 9, 10, DIGIT),
        Span("nationality", 1, 10, 13, ALPHA),
        Span("birth_date", 1, 13, 19, NUMERIC),
        Span("birth_date_check", 1, 19, 20, DIGIT),
        Span("sex", 1, 20, 21, SEX),
        Span("expiry_date", 1, 21, 27, NUMERIC),
        Span("expiry_date_check", 1, 27, 28, DIGIT),
        Span("optional_data", 1, 28, optional_end, ALNUM),
    )
    checks = [
        Check("document_number", 1, 9, ((1, 0, 9),), "document_number"),
        Check("birth_date", 1, 19, ((1, 13, 19),)),
        Check("expiry_date", 1, 27, ((1, 21, 27),)),
    ]
    if not visa:
        fields["optional_data_check"] = Span("optional_data_check", 1, 42, 43, DIGIT)
        fields["composite_check"] = Span("composite_check", 1, length - 1, length, DIGIT)
        checks.append(Check("optional_data", 1, 42, ((1, 28, 42),), "optional_data"))
        parts = ((1, 0, 10), (1, 13, 20), (1, 21, length - 1))
        checks.append(Check("composite", 1, length - 1, parts))
    return Layout(name, 2, length, fields, tuple(checks), overflow=False)


TD3: Final = _td3_like("TD3", 44, 42, visa=False)
MRV_A: Final = _td3_like("MRV-A", 44, 44, visa=True)
MRV_B: Final = _td3_like("MRV-B", 36, 36, visa=True)

_td2 = _td3_like("TD2", 36, 35, visa=True)
TD2: Final = Layout(
    "TD2",
    2,
    36,
    {**_td2.fields, "composite_check": Span("composite_check", 1, 35, 36, DIGIT)},
    (*_td2.checks, Check("composite", 1, 35, ((1, 0, 10), (1, 13, 20), (1, 21, 35)))),
    overflow=True,
)

TD1: Final = Layout(
    "TD1",
    3,
    30,
    _spans(
        Span("document_code", 0, 0, 2, ALPHA),
        Span("issuing_state", 0, 2, 5, ALPHA),
        Span("document_number", 0, 5, 14, ALNUM),
        Span("document_number_check", 0, 14, 15, DIGIT),
        Span("optional_data", 0, 15, 30, ALNUM),
        Span("birth_date", 1, 0, 6, NUMERIC),
        Span("birth_date_check", 1, 6, 7, DIGIT),
        Span("sex", 1, 7, 8, SEX),
        Span("expiry_date", 1, 8, 14, NUMERIC),
        Span("expiry_date_check", 1, 14, 15, DIGIT),
        Span("nationality", 1, 15, 18, ALPHA),
        Span("optional_data_2", 1, 18, 29, ALNUM),
        Span("composite_check", 1, 29, 30, DIGIT),
        Span("names", 2, 0, 30, ALPHA),
    ),
    (
        Check("document_number", 0, 14, ((0, 5, 14),), "document_number"),
        Check("birth_date", 1, 6, ((1, 0, 6),)),
        Check("expiry_date", 1, 14, ((1, 8, 14),)),
        Check("composite", 1, 29, ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29))),
    ),
    overflow=True,
)

# The French national identity card issued 1988-2021: surname on line 1 with a 6-character office code,
# a 12-character number (YYMM of issue, department, office, serial), given names on line 2, no expiry
# date; its composite check digit covers line 1 and line 2 up to the sex.
FRA_ID: Final = Layout(
    "FRA-ID",
    2,
    36,
    _spans(
        Span("document_code", 0, 0, 2, ALPHA),
        Span("issuing_state", 0, 2, 5, ALPHA),
        Span("surname", 0, 5, 30, ALPHA),
        Span("optional_data", 0, 30, 36, ALNUM),
        Span("document_number", 1, 0, 12, ALNUM),
        # The number starts with the year and month of issue: numeric, so OCR repair can fix them by type.
        Span("issue_month", 1, 0, 4, NUMERIC),
        Span("document_number_check", 1, 12, 13, DIGIT),
        Span("given_names", 1, 13, 27, ALPHA),
        Span("birth_date", 1, 27, 33, NUMERIC),
        Span("birth_date_check", 1, 33, 34, DIGIT),
        Span("sex", 1, 34, 35, SEX),
        Span("composite_check", 1, 35, 36, DIGIT),
    ),
    (
        Check("document_number", 1, 12, ((1, 0, 12),), "document_number"),
        Check("birth_date", 1, 33, ((1, 27, 33),)),
        Check("composite", 1, 35, ((0, 0, 36), (1, 0, 35))),
    ),
    overflow=False,
)

# The Swiss driving licence in credit-card format (as cheminfo/mrz reads it): line 1 the issuing
# authority's code, office number and language (``AAA001D``), line 2 the document code FA, CHE, the
# licence number (a 9-digit personal number and a 3-digit version, printed as one number on the card)
# and the date of birth, line 3 the name. No check digit.
CHE_DL: Final = Layout(
    "CHE-DL",
    3,
    30,
    _spans(
        Span("optional_data", 0, 0, 9, ALNUM),
        Span("document_code", 1, 0, 2, ALPHA),
        Span("issuing_state", 1, 2, 5, ALPHA),
        Span("document_number", 1, 5, 17, NUMERIC),
        Span("birth_date", 1, 19, 25, NUMERIC),
        Span("names", 2, 0, 30, ALPHA),
    ),
    (),
    overflow=False,
    lengths=(9, 30, 30),
    travel_document=False,
)

# The French driving licence (1 line of 30, as cheminfo/mrz reads it): D1, FRA, a 9-character number,
# a check digit over the line up to it, the expiry date, the surname, and a check digit over the line.
FRA_DL: Final = Layout(
    "FRA-DL",
    1,
    30,
    _spans(
        Span("document_code", 0, 0, 2, ALNUM),  # "D1": a digit belongs there
        Span("issuing_state", 0, 2, 5, ALPHA),
        Span("document_number", 0, 5, 14, ALNUM),
        Span("document_number_check", 0, 14, 15, DIGIT),
        Span("expiry_date", 0, 15, 21, NUMERIC),
        Span("surname", 0, 21, 29, ALPHA),
        Span("composite_check", 0, 29, 30, DIGIT),
    ),
    (
        Check("document_number", 0, 14, ((0, 0, 14),)),
        Check("composite", 0, 29, ((0, 0, 29),)),
    ),
    overflow=False,
    travel_document=False,
)

LAYOUTS: Final[dict[str, Layout]] = {
    layout.name: layout for layout in (TD1, TD2, TD3, MRV_A, MRV_B, FRA_ID, CHE_DL, FRA_DL)
}
#: The formats that are travel documents, the border formats a crossing is decided on.
TRAVEL_FORMATS: Final = frozenset(name for name, layout in LAYOUTS.items() if layout.travel_document)

#: First letters of the document code that ICAO 9303 uses per format.
DOCUMENT_LETTERS: Final[dict[str, str]] = {
    "TD1": "IAC",
    "TD2": "IAC",
    "TD3": "P",
    "MRV-A": "V",
    "MRV-B": "V",
    "FRA-ID": "I",
    "CHE-DL": "F",
    "FRA-DL": "D",
}


def layout_for(line_count: int, line_length: int, first_line: str) -> Layout | None:
    """Return the layout of lines of this shape whose first line starts with ``first_line``, or ``None``."""
    if line_count == 2 and line_length == 44:
        return MRV_A if first_line[:1] == "V" else TD3
    if line_count == 2 and line_length == 36:
        if first_line[:5] == "IDFRA":
            return FRA_ID
        return MRV_B if first_line[:1] == "V" else TD2
    if line_count == 3 and line_length == 30:
        return TD1
    return None


def licence_layout(lines: Sequence[str]) -> Layout | None:
    """Return the driving-licence layout of ``lines`` (MRZ characters), or ``None``.

    Only shapes no travel document has: three lines of 9, 30 and 30 characters (Swiss), or one line of
    30 that starts ``D`` and ``FRA`` (French). Called only where no travel-document format fits.
    """
    if len(lines) == 3 and tuple(len(line) for line in lines) == CHE_DL.lengths:
        return CHE_DL
    if len(lines) == 1 and len(lines[0]) == 30 and lines[0][0] == "D" and lines[0][2:5] == "FRA":
        return FRA_DL
    return None
