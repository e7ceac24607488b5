"""MRZ lines for the synthetic pages: the ground truth the OCR tests and benchmark compare against.

Deliberately independent of :mod:`checkpoint.mrz`: the OCR repairs its readings through that package,
so ground truth composed by the same code could hide a shared mistake. The layouts are short enough to
check by eye against ICAO Doc 9303 Parts 4-7.
"""

from __future__ import annotations

from typing import Final

_VALUES: Final = {c: i for i, c in enumerate("0123456789")} | {
    c: i + 10 for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}


def check_digit(field: str) -> str:
    """Return the ICAO 9303 check digit (weights 7, 3, 1; ``<`` counts 0) of ``field``."""
    total = sum(_VALUES.get(char, 0) * (7, 3, 1)[index % 3] for index, char in enumerate(field))
    return str(total % 10)


def _pad(text: str, width: int) -> str:
    return (text.replace(" ", "<") + "<" * width)[:width]


def _names(surname: str, given_names: str, width: int) -> str:
    name = surname.replace(" ", "<") + ("<<" + given_names.replace(" ", "<") if given_names else "")
    return _pad(name, width)


def compose_mrz(
    page_format: str,
    *,
    document_code: str,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: str,
    sex: str,
    expiry_date: str,
    optional_data: str = "",
) -> tuple[str, ...]:
    """Return the MRZ lines of a TD1, TD2, TD3, MRVA or MRVB document; raise ``ValueError`` otherwise.

    Document numbers longer than nine characters are not produced by the page generator and not handled.
    """
    code = _pad(document_code, 2)
    state = _pad(issuing_state, 3)
    nation = _pad(nationality, 3)
    number = _pad(document_number, 9)
    n_cd = check_digit(number)
    b_cd = check_digit(birth_date)
    e_cd = check_digit(expiry_date)
    if page_format == "TD3":
        optional = _pad(optional_data, 14)
        o_cd = check_digit(optional) if optional_data else "<"
        line1 = code + state + _names(surname, given_names, 39)
        head = number + n_cd + nation + birth_date + b_cd + sex + expiry_date + e_cd + optional + o_cd
        composite = number + n_cd + birth_date + b_cd + expiry_date + e_cd + optional + o_cd
        return line1, head + check_digit(composite)
    if page_format == "TD2":
        line1 = code + state + _names(surname, given_names, 31)
        optional = _pad(optional_data, 7)
        head = number + n_cd + nation + birth_date + b_cd + sex + expiry_date + e_cd + optional
        composite = number + n_cd + birth_date + b_cd + expiry_date + e_cd + optional
        return line1, head + check_digit(composite)
    if page_format == "TD1":
        optional = _pad(optional_data, 15)
        line1 = code + state + number + n_cd + optional
        line2 = birth_date + b_cd + sex + expiry_date + e_cd + nation + _pad("", 11)
        composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
        return line1, line2 + check_digit(composite), _names(surname, given_names, 30)
    if page_format in {"MRVA", "MRVB"}:
        width = 44 if page_format == "MRVA" else 36
        line1 = code + state + _names(surname, given_names, width - 5)
        line2 = number + n_cd + nation + birth_date + b_cd + sex + expiry_date + e_cd
        return line1, _pad(line2 + optional_data, width)
    raise ValueError(f"unknown MRZ format {page_format!r}: expected TD1, TD2, TD3, MRVA or MRVB")
