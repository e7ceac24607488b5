"""ICAO 9303 machine-readable zones: parse, validate, repair and compose. Standard library only.

>>> from datetime import date
>>> result = parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...                 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=date(2024, 1, 1))
>>> result.valid, result.document_number, result.birth_date
(True, 'L898902C3', datetime.date(1974, 8, 12))

Formats: TD1, TD2, TD3, MRV-A, MRV-B and the French national ID card issued before 2021 ("FRA-ID"), the
travel documents; and two driving licences that carry an MRZ, the Swiss ("CHE-DL", 3 lines of 9, 30
and 30) and the French ("FRA-DL", 1 line of 30), which are read only where no travel document is found
and are never travel documents (``result.travel_document`` is false, and a ``not_travel_document``
warning says so). The country table is :data:`COUNTRIES`.
The problem codes a result can carry are listed in :mod:`checkpoint.mrz.problems`.
"""

from checkpoint.mrz.checkdigit import check_digit
from checkpoint.mrz.compose import compose
from checkpoint.mrz.countries import COUNTRIES, country_name, describe, is_known_code
from checkpoint.mrz.errors import MRZCompositionError, MRZError, MRZFormatError
from checkpoint.mrz.layouts import TRAVEL_FORMATS, MRZFormat, Sex, TravelFormat
from checkpoint.mrz.parser import parse
from checkpoint.mrz.problems import Correction, Problem
from checkpoint.mrz.result import MRZDict, MRZResult

__all__ = [
    "COUNTRIES",
    "TRAVEL_FORMATS",
    "Correction",
    "MRZCompositionError",
    "MRZDict",
    "MRZError",
    "MRZFormat",
    "MRZFormatError",
    "MRZResult",
    "Problem",
    "Sex",
    "TravelFormat",
    "check_digit",
    "compose",
    "country_name",
    "describe",
    "is_known_code",
    "parse",
]
