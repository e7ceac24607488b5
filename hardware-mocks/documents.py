"""Sample documents with known ground truth, for the simulators, the client's demo and tests.

Each :class:`SampleDocument` carries a ``label`` saying what an inspection should find, its MRZ
``lines`` composed by :func:`checkpoint.mrz.compose`, and the ``fields`` it was made from. Everything is
deterministic for a given ``seed`` and ``today``::

    >>> doc = sample_document("expired", "TD3", seed=1, today=date(2026, 1, 1))
    >>> doc.fields["expiry_date"] < date(2026, 1, 1)
    True

Labels: ``valid``, ``expired``, ``expiring`` (within the 90-day warning margin), ``not-yet-valid``
(issued after today: see ``fields["issue_date"]``), ``minor``, ``specimen`` (the ICAO 9303 specimen
holder), ``bad-check-digit`` (the document number's check digit is wrong in ``lines``; ``fields`` stay
true), ``watchlisted`` (one of :data:`WATCHLISTED`, so a demo can seed its lists from it).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, cast

from checkpoint.mrz import Sex, TravelFormat, check_digit, compose

LABELS: Final = (
    "valid",
    "expired",
    "expiring",
    "not-yet-valid",
    "minor",
    "specimen",
    "bad-check-digit",
    "watchlisted",
)
FORMATS: Final = ("TD1", "TD2", "TD3", "MRV-A", "MRV-B")
# What sim:// and ``checkpoint sim --random`` accept: a format family, or a mix of all of them.
KINDS: Final[dict[str, tuple[str, ...]]] = {
    "td1": ("TD1",),
    "td2": ("TD2",),
    "td3": ("TD3",),
    "mrv": ("MRV-A", "MRV-B"),
    "mixed": FORMATS,
}

_SURNAMES: Final = (
    "GARCIA", "MUELLER", "ROSSI", "NOWAK", "JANSEN", "LINDQVIST", "OCONNOR", "DUBOIS", "SILVA",
    "PAPADOPOULOS", "KOWALSKA", "HORVATH", "NIELSEN", "VAN DER BERG", "FERREIRA", "SCHMIDT",
)  # fmt: skip
# Given names with the sex they are usually borne with, so a sample never reads "LENA MARIE, M".
_GIVEN_NAMES: Final = (
    ("MARIA", "F"), ("JAN", "M"), ("LUCA", "M"), ("ANNA SOFIA", "F"), ("PIOTR", "M"), ("EMMA", "F"),
    ("SEAN", "M"), ("CAMILLE", "F"), ("JOAO", "M"), ("ELENI", "F"), ("ZSOFIA", "F"), ("MADS", "M"),
    ("PIETER", "M"), ("INES", "F"), ("KLAUS", "M"), ("LENA MARIE", "F"),
)  # fmt: skip
_STATES: Final = ("D", "FRA", "ITA", "POL", "NLD", "SWE", "IRL", "ESP", "PRT", "GRC", "HUN", "DNK", "AUT")
# Document numbers avoid the characters OCR confuses (0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B): a lenient
# parser could otherwise "repair" a bad-check-digit sample into a valid document with another number.
_DOCUMENT_NUMBER_CHARS: Final = "ACEFHJKMNPRTUVWXY3479"


@dataclass(frozen=True, slots=True)
class Identity:
    """A person and their document as a watchlist would record them."""

    surname: str
    given_names: str
    birth_date: date
    sex: str
    nationality: str
    issuing_state: str
    document_number: str


# The people and documents on the demo's alert lists. The first is a stolen document (look it up by
# document number and issuing state), the second a wanted person (look them up by name, birth date and
# nationality); their sample documents are labelled "watchlisted".
WATCHLISTED: Final[tuple[Identity, ...]] = (
    Identity("KRAMER", "LUKAS", date(1986, 5, 17), "M", "D", "D", "C4XR7TN29"),
    Identity("DRAGOMIR", "VIKTOR ALEXANDRU", date(1979, 3, 14), "M", "ROU", "ROU", "053918274"),
)

# ICAO 9303 Part 4's specimen holder, with dates moved so that being a specimen is its only fault.
SPECIMEN: Final = Identity("ERIKSSON", "ANNA MARIA", date(1974, 8, 12), "F", "UTO", "UTO", "L898902C3")


@dataclass(frozen=True, slots=True)
class SampleDocument:
    """A made-up document: what it is (``label``), its MRZ ``lines``, and the ground-truth ``fields``.

    ``fields`` holds ``format``, ``document_code`` (None: the format's usual one), ``issuing_state``,
    ``surname``, ``given_names``, ``document_number``, ``nationality``, ``birth_date``, ``sex``,
    ``expiry_date``, ``optional_data`` and ``issue_date`` (dates as :class:`datetime.date`).
    """

    label: str
    lines: tuple[str, ...]
    fields: Mapping[str, object] = field(default_factory=dict)

    @property
    def format(self) -> str:
        """The MRZ format: TD1, TD2, TD3, MRV-A or MRV-B."""
        return str(self.fields["format"])


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _document_number(rng: random.Random) -> str:
    return "".join(rng.choice(_DOCUMENT_NUMBER_CHARS) for _ in range(9))


# Where the document number's check digit sits, by line length: TD1 line 1 column 14; TD2, TD3 and the
# visas line 2 column 9.
_CHECK_DIGIT_AT: Final = {30: (0, 14), 36: (1, 9), 44: (1, 9)}


def spoil_check_digit(lines: Sequence[str]) -> tuple[str, ...]:
    """Return ``lines`` with the document number's check digit changed to a wrong one.

    Raises ``ValueError`` when the lines are not of an ICAO length.
    """
    if not lines or len(lines[0]) not in _CHECK_DIGIT_AT:
        raise ValueError("not MRZ lines of 30, 36 or 44 characters")
    row, column = _CHECK_DIGIT_AT[len(lines[0])]
    result = list(lines)
    old = result[row][column]
    wrong = str((int(old) + 1) % 10) if old.isdigit() else "0"
    result[row] = result[row][:column] + wrong + result[row][column + 1 :]
    return tuple(result)


def sample_document(
    label: str, document_format: str = "TD3", *, seed: int = 0, today: date | None = None
) -> SampleDocument:
    """Return one sample document of ``label`` in ``document_format``, the same for the same arguments.

    Raises ``ValueError`` for an unknown label or format.
    """
    return _make(
        label, document_format, random.Random(f"{seed}:{label}:{document_format}"), today or date.today()
    )


def sample_documents(
    kind: str = "mixed", *, seed: int = 0, today: date | None = None
) -> Iterator[SampleDocument]:
    """Yield sample documents of ``kind`` (``td1``, ``td2``, ``td3``, ``mrv`` or ``mixed``) forever.

    Every run of eight documents holds each label once, in an order the ``seed`` decides. Raises
    ``ValueError`` for an unknown kind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}: expected {'|'.join(KINDS)}")
    rng = random.Random(seed)
    day = today or date.today()
    while True:
        labels = list(LABELS)
        rng.shuffle(labels)
        for label in labels:
            yield _make(label, rng.choice(KINDS[kind]), rng, day)


def watchlisted_identities() -> tuple[Identity, ...]:
    """Return the identities behind the ``watchlisted`` sample documents (to seed alert lists)."""
    return WATCHLISTED


def _make(label: str, document_format: str, rng: random.Random, today: date) -> SampleDocument:
    if label not in LABELS:
        raise ValueError(f"unknown sample label {label!r}: expected {'|'.join(LABELS)}")
    if document_format not in FORMATS:
        raise ValueError(f"unknown format {document_format!r}: expected {'|'.join(FORMATS)}")
    state = rng.choice(_STATES)
    surname = rng.choice(_SURNAMES)
    given_names, sex = rng.choice(_GIVEN_NAMES)
    person = Identity(
        surname=surname,
        given_names=given_names,
        birth_date=_years_before(today, rng.randint(19, 75)) - timedelta(days=rng.randint(1, 360)),
        sex=sex,
        nationality=state,
        issuing_state=state,
        document_number=_document_number(rng),
    )
    validity_years = 10
    expiry = today + timedelta(days=rng.randint(400, 3000))
    issue_date: date | None = None
    if label == "expired":
        expiry = today - timedelta(days=rng.randint(1, 1500))
    elif label == "expiring":
        expiry = today + timedelta(days=rng.randint(1, 80))
    elif label == "not-yet-valid":
        issue_date = today + timedelta(days=rng.randint(1, 30))
        expiry = issue_date.replace(year=issue_date.year + validity_years) - timedelta(days=1)
    elif label == "minor":
        validity_years = 5
        birth = _years_before(today, rng.randint(3, 16)) - timedelta(days=rng.randint(1, 300))
        person = dataclasses.replace(person, birth_date=birth)
        expiry = today + timedelta(days=rng.randint(200, 1500))
    elif label == "specimen":
        person = SPECIMEN
    elif label == "watchlisted":
        person = rng.choice(WATCHLISTED)
    if issue_date is None:
        issue_date = _years_before(expiry, validity_years) + timedelta(days=1)
    values: dict[str, object] = {
        "format": document_format,
        "document_code": None,
        "issuing_state": person.issuing_state,
        "surname": person.surname,
        "given_names": person.given_names,
        "document_number": person.document_number,
        "nationality": person.nationality,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "expiry_date": expiry,
        "optional_data": "",
        "issue_date": issue_date,
    }
    lines = compose(
        cast("TravelFormat", document_format),  # checked against FORMATS above
        issuing_state=person.issuing_state,
        surname=person.surname,
        given_names=person.given_names,
        document_number=person.document_number,
        nationality=person.nationality,
        birth_date=person.birth_date,
        sex=cast("Sex", person.sex),  # M or F, from the table of given names
        expiry_date=expiry,
    )
    if label == "bad-check-digit":
        lines = spoil_check_digit(lines)
        values["true_check_digit"] = check_digit(person.document_number)
    return SampleDocument(label=label, lines=tuple(lines), fields=values)
