"""The access key a reader proves it knows: from the MRZ (document number, birth, expiry) or the CAN.

ICAO 9303-11 section 4.3.2 (BAC) and 4.4.1 (PACE): MRZ_information is the document number with its check
digit, the date of birth with its check digit and the date of expiry with its check digit, exactly as the
MRZ prints them. The PACE password K is SHA-1(MRZ_information) for an MRZ, the CAN's digits for a CAN; BAC's
Kseed is the first 16 bytes of that same hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from checkpoint.mrz import MRZResult, check_digit, parse

# PACE password references (9303-11 table 4, MSE:Set AT data object 0x83).
PASSWORD_MRZ = 1
PASSWORD_CAN = 2


@dataclass(frozen=True)
class AccessKey:
    """What opens the chip. Build it with :meth:`from_mrz`, :meth:`from_fields` or :meth:`from_can`.

    ``password`` is PACE's K (the SHA-1 of MRZ_information, or the CAN's ASCII digits); it is kept out of
    ``repr`` because it opens the chip.
    """

    kind: Literal["MRZ", "CAN"]
    password: bytes = field(repr=False)

    @property
    def password_reference(self) -> int:
        """PACE's password reference: 1 for the MRZ, 2 for the CAN."""
        return PASSWORD_MRZ if self.kind == "MRZ" else PASSWORD_CAN

    @property
    def bac_key_seed(self) -> bytes:
        """BAC's Kseed: the first 16 bytes of SHA-1(MRZ_information). Raises ValueError for a CAN key."""
        if self.kind != "MRZ":
            raise ValueError("BAC needs the MRZ: a CAN opens a chip only through PACE")
        return self.password[:16]

    @classmethod
    def from_fields(cls, document_number: str, birth_date: date | str, expiry_date: date | str) -> AccessKey:
        """Build the key from the three fields (dates as ``date`` or the MRZ's YYMMDD, ``<`` allowed).

        A document number shorter than 9 characters is padded with ``<``; a longer one (TD1 rule) is used
        whole, its check digit computed over all of it. Raises ValueError for a malformed field.
        """
        number = document_number.strip().upper().replace(" ", "<")
        if not number or not all(c.isalnum() or c == "<" for c in number):
            raise ValueError(f"document number {document_number!r}: letters, digits and '<' only")
        number = number.ljust(9, "<")
        birth, expiry = _yymmdd(birth_date, "date of birth"), _yymmdd(expiry_date, "date of expiry")
        information = "".join(part + check_digit(part) for part in (number, birth, expiry))
        return cls("MRZ", hashlib.sha1(information.encode("ascii")).digest())

    @classmethod
    def from_mrz(cls, mrz: MRZResult | Sequence[str] | str) -> AccessKey:
        """Build the key from a parsed MRZ or its lines, using the characters the MRZ prints.

        Raises ValueError when the MRZ is not one of TD1, TD2 or TD3 (MRV-A/B visas carry no chip key this
        way) or lacks a field.
        """
        result = mrz if isinstance(mrz, MRZResult) else parse(mrz)
        lines = result.lines
        if result.format == "TD1" and len(lines) == 3:
            number, number_cd, optional = lines[0][5:14], lines[0][14], lines[0][15:30]
            birth, expiry = lines[1][0:6], lines[1][8:14]
        elif result.format in ("TD2", "TD3") and len(lines) == 2:
            number, number_cd = lines[1][0:9], lines[1][9]
            optional = lines[1][28:35] if result.format == "TD2" else ""
            birth, expiry = lines[1][13:19], lines[1][21:27]
        else:
            raise ValueError(f"cannot derive a chip access key from a {result.format or 'non-MRZ'} zone")
        if number_cd == "<" and optional.rstrip("<"):
            # Document numbers over 9 characters continue in the optional data, ending with the check digit.
            tail = optional.rstrip("<")
            number = number + tail[:-1]
        return cls.from_fields(number, birth, expiry)

    @classmethod
    def from_can(cls, can: str) -> AccessKey:
        """Build the key from the Card Access Number printed on the data page (6 digits).

        Raises ValueError when ``can`` is not digits.
        """
        can = can.strip()
        if not can.isdigit():
            raise ValueError(f"CAN {can!r}: a card access number is digits only")
        return cls("CAN", can.encode("ascii"))


def _yymmdd(value: date | str, what: str) -> str:
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    text = value.strip()
    if len(text) != 6 or not all(c.isdigit() or c == "<" for c in text):
        raise ValueError(f"{what} {value!r}: expected YYMMDD")
    return text
