"""Made-up document holders and their MRZ lines, for the synthetic pages.

The names are drawn to exercise OCR: letters that OCR confuses with digits (O/0, I/1, S/5, G/6, B/8),
fillers inside names, mononyms, long names that fill the name field.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from checkpoint.mocks.mrz_compose import compose_mrz

SURNAMES: Final = (
    "ERIKSSON", "OBRIEN", "SCHMIDT", "GARCIA LOPEZ", "NGUYEN", "OKONKWO", "BIGGS", "GOLDSTEIN",
    "DE LA CRUZ", "MUELLER", "SOBOLEVA", "IBRAHIM", "BOOTH", "QUIGLEY", "ZOLTAN", "OSBORNE",
    "VAN DER BERG", "KOWALSKA", "SIGURDSSON", "BOGDANOVIC", "WOJCIK", "YILDIZ", "HOSSAIN",
    "PAPADOPOULOS", "ABDULRAHMAN AL SAUD", "LI", "O", "GIGGS", "SZABO", "IOANNOU",
)  # fmt: skip
GIVEN_NAMES: Final = (
    "ANNA MARIA", "JOHN", "GUSTAVO", "BOB", "IGOR", "OLGA", "SIOBHAN", "GEORGE", "ZOE",
    "MOHAMMED ALI", "SOO JIN", "QIANG", "BIBI", "GIOVANNI BATTISTA", "DIEGO", "OSKAR", "",
    "INGRID", "BOGDAN", "SOFIA ISABEL", "HUGO", "KOFI", "BJORN", "LUDOVICO", "XAVIER",
)  # fmt: skip
STATES: Final = (
    "UTO",
    "D",
    "FRA",
    "GBR",
    "USA",
    "NLD",
    "BEL",
    "ITA",
    "ESP",
    "POL",
    "SWE",
    "CAN",
    "NGA",
    "IND",
)


@dataclass(frozen=True, slots=True)
class Identity:
    """The data printed on a synthetic document. Dates are YYMMDD, as in the MRZ."""

    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: str
    sex: str
    expiry_date: str
    optional_data: str = ""


def _date(rng: random.Random, first_year: int, last_year: int) -> str:
    year = rng.randint(first_year, last_year) % 100
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    return f"{year:02d}{month:02d}{day:02d}"


def make_identity(page_format: str, rng: random.Random) -> Identity:
    """Return a made-up holder for a document of ``page_format`` drawn from ``rng``."""
    code = {"TD1": "I", "TD2": "I", "TD3": "P", "MRVA": "V", "MRVB": "V"}[page_format]
    if code == "I" and rng.random() < 0.4:
        code = rng.choice(("ID", "AC", "IR"))
    state = rng.choice(STATES)
    if page_format == "TD2" and code == "ID" and state == "FRA":
        # Two lines of 36 that start IDFRA are the French national ID card's own MRZ, not TD2 (France
        # issues no TD2 document coded ID), and checkpoint.mrz reads them so: take the next state.
        state = STATES[(STATES.index(state) + 1) % len(STATES)]
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ"
    number = "".join(rng.choice(alphabet) if rng.random() < 0.3 else str(rng.randint(0, 9)) for _ in range(9))
    optional = ""
    if rng.random() < 0.5:
        optional = "".join(rng.choice(alphabet + "0123456789") for _ in range(rng.randint(4, 10)))
    return Identity(
        document_code=code,
        issuing_state=state,
        surname=rng.choice(SURNAMES),
        given_names=rng.choice(GIVEN_NAMES),
        document_number=number,
        nationality=rng.choice((state,) * 3 + STATES),
        birth_date=_date(rng, 1940, 2015),
        sex=rng.choice("MFMF<X"),
        expiry_date=_date(rng, 2027, 2035),
        optional_data=optional,
    )


def compose_lines(page_format: str, person: Identity) -> tuple[str, ...]:
    """Return the MRZ lines of ``person``'s document of ``page_format``."""
    return compose_mrz(
        page_format,
        document_code=person.document_code,
        issuing_state=person.issuing_state,
        surname=person.surname,
        given_names=person.given_names,
        document_number=person.document_number,
        nationality=person.nationality,
        birth_date=person.birth_date,
        sex=person.sex,
        expiry_date=person.expiry_date,
        optional_data=person.optional_data,
    )
