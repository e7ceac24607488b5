"""Read the fields of MRZ lines of a known layout and validate them (no normalisation, no repair)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from checkpoint.mrz import problems as P
from checkpoint.mrz.checkdigit import fast_check_digit
from checkpoint.mrz.countries import COUNTRIES
from checkpoint.mrz.dates import BIRTH, EXPIRY, decode_date
from checkpoint.mrz.layouts import ALNUM, DOCUMENT_LETTERS, NUMERIC, SEXES, Check, Layout, Span
from checkpoint.mrz.problems import Problem
from checkpoint.mrz.reading import ODD

_DIGIT = re.compile(r"[0-9]")
_LABELS = {
    "document_number": "document number",
    "birth_date": "date of birth",
    "expiry_date": "date of expiry",
    "optional_data": "optional data",
    "composite": "composite",
}


@dataclass(slots=True)
class Decoded:
    """Fields and problems of one MRZ (mutable while it is being built)."""

    document_code: str = ""
    issuing_state: str = ""
    surname: str = ""
    given_names: str = ""
    document_number: str = ""
    nationality: str = ""
    birth_date: date | None = None
    sex: str = ""
    expiry_date: date | None = None
    optional_data: str = ""
    optional_data_2: str = ""
    checks: dict[str, bool] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _problem(code: str, span: Span, message: str, start: int = 0, end: int | None = None) -> Problem:
    # start/end are offsets inside the field; the problem reports columns of the line.
    stop = span.end if end is None else span.start + end
    return Problem(code, span.name, span.line + 1, span.start + start, stop, message)


def _names(raw: str) -> str:
    return " ".join(raw.replace("<", " ").split())


def _code(lines: list[str], span: Span, out: Decoded, what: str) -> str:
    raw = lines[span.line][span.start : span.end]
    code = raw.rstrip("<")
    if code in COUNTRIES and code.isalpha():
        return code
    if not code or not code.isalpha():
        message = f"{what} {raw!r} is not a three-letter code"
    else:
        message = f"{what} {code!r} is not an ICAO 9303 state or organisation code"
    out.errors.append(_problem(P.UNKNOWN_COUNTRY_CODE, span, message))
    return code


def _name_field(lines: list[str], span: Span, out: Decoded) -> str:
    raw = lines[span.line][span.start : span.end]
    digit = _DIGIT.search(raw)  # the lines hold only MRZ characters (and ODD, reported elsewhere)
    if digit is not None:
        bad = digit.start()
        out.errors.append(
            _problem(P.INVALID_CHARACTER, span, f"{raw[bad]!r} is not a letter or filler", bad, bad + 1)
        )
    if raw[-1] != "<":
        out.warnings.append(
            _problem(
                P.NAME_TRUNCATED,
                span,
                "the name fills its field to the last character: ICAO 9303 says to treat it as truncated",
            )
        )
    return raw


def _date(lines: list[str], span: Span, today: date, kind: str, out: Decoded) -> date | None:
    raw = lines[span.line][span.start : span.end]
    value, problem, start, end, message = decode_date(raw, today, kind)
    if problem is None:
        return value
    label = _LABELS[span.name]
    if problem == "partial":
        out.warnings.append(_problem(P.PARTIAL_DATE, span, f"{label}: {message}", start, end))
    elif problem == "character":
        out.errors.append(_problem(P.INVALID_CHARACTER, span, f"{label}: {message}", start, end))
    else:
        out.errors.append(_problem(P.INVALID_DATE, span, f"{label}: {message}", start, end))
    return None


def _verify(
    check: Check, data: str, found: str, out: Decoded, line: int | None = None, pos: int = -1
) -> bool:
    if ODD in data:
        # A non-MRZ character (reported as invalid_character) leaves nothing to compare against.
        out.checks[check.name] = False
        return False
    expected = fast_check_digit(data)
    # An empty field (all fillers) may carry "<" instead of its computed "0" (Germany, Austria, Switzerland).
    ok = found == expected or (found == "<" and not data.strip("<"))
    out.checks[check.name] = ok
    if not ok:
        row = check.line if line is None else line
        col = check.pos if pos < 0 else pos
        out.errors.append(
            Problem(
                P.CHECK_DIGIT,
                check.name,
                row + 1,
                col,
                col + 1,
                f"{_LABELS[check.name]} check digit should be {expected}, the MRZ has {found}",
                expected=expected,
                found=found,
            )
        )
    return ok


def _own_check(layout: Layout, span: Span) -> Check | None:
    """Return the check digit over the document number alone (the first check), if the format has one."""
    first = layout.checks[0] if layout.checks else None
    if (
        first is not None
        and first.name == "document_number"
        and first.parts == ((span.line, span.start, span.end),)
    ):
        return first
    return None


def _unchecked_number(layout: Layout, lines: list[str], span: Span, out: Decoded) -> None:
    """Read a driving licence's number, which has no check digit of its own, and its optional data."""
    raw = lines[span.line][span.start : span.end]
    out.document_number = raw.rstrip("<")
    if span.kind == NUMERIC:
        bad = next((i for i, c in enumerate(raw) if not c.isdigit()), -1)
        if bad >= 0:
            message = f"{raw[bad]!r} in the document number is not a digit"
            out.errors.append(_problem(P.INVALID_CHARACTER, span, message, bad, bad + 1))
    optional = layout.fields.get("optional_data")
    if optional is not None:
        out.optional_data = lines[optional.line][optional.start : optional.end].strip("<")


def _document_number(layout: Layout, lines: list[str], out: Decoded) -> bool:
    """Read the document number; return whether its own check digit (the first check) was verified."""
    span = layout.fields["document_number"]
    check = _own_check(layout, span)
    if check is None:
        _unchecked_number(layout, lines, span, out)
        return False
    raw = lines[span.line][span.start : span.end]
    found = lines[check.line][check.pos]
    opt_span = layout.fields["optional_data"]
    optional = lines[opt_span.line][opt_span.start : opt_span.end]
    if not (layout.overflow and found == "<" and optional[0] != "<"):
        out.document_number = raw.rstrip("<")
        out.optional_data = optional.strip("<")
        _verify(check, raw, found, out)
        return True
    # A long number: the check-digit position holds "<" and the number continues in the optional data up
    # to the first filler; the last character of that continuation is the check digit of the whole number.
    end = optional.find("<")
    continuation = optional if end < 0 else optional[:end]
    out.document_number = raw + continuation[:-1]
    out.optional_data = "" if end < 0 else optional[end:].strip("<")
    cd_col = opt_span.start + len(continuation) - 1

    def invalid(message: str) -> bool:
        out.checks["document_number"] = False
        out.errors.append(
            Problem(P.INVALID_OVERFLOW, "document_number", span.line + 1, span.start, cd_col + 1, message)
        )
        return True

    if len(continuation) < 2 or not raw.isalnum():
        return invalid(
            "long document number: its continuation in the optional data is too short or the first"
            " nine characters hold a filler"
        )
    cd = continuation[-1]
    if fast_check_digit(raw) == "0" and cd == fast_check_digit(out.document_number):
        # "<" and "0" weigh the same in every check digit: this may be a nine-character number whose
        # check digit 0 was misread as "<", with the optional data after it. Both readings fit, so
        # neither is taken: a wrong long number would pass every check.
        return invalid(
            f"the check digit position holds '<': either the long document number {out.document_number}"
            f" or {raw} with its check digit 0 misread; check the document"
        )
    if cd != fast_check_digit(out.document_number) and cd == fast_check_digit(raw + "<" + continuation[:-1]):
        out.checks["document_number"] = True
        out.warnings.append(
            Problem(
                P.OVERFLOW_CHECK_WITH_FILLER,
                "document_number",
                span.line + 1,
                cd_col,
                cd_col + 1,
                "long document number: the check digit is computed over the number with the filler"
                " (as some Belgian cards do), not as ICAO 9303 says",
            )
        )
        return True
    _verify(check, out.document_number, cd, out, line=opt_span.line, pos=cd_col)
    return True


def decode(layout: Layout, lines: list[str], today: date) -> Decoded:
    """Return the fields and problems of ``lines`` (strings of MRZ characters of the layout's shape)."""
    checks: dict[str, bool] = {}
    out = Decoded(checks=checks, errors=[], warnings=[])
    fields = layout.fields
    span = fields["document_code"]
    raw_code = lines[span.line][span.start : span.end]
    out.document_code = raw_code.rstrip("<")
    letters = DOCUMENT_LETTERS[layout.name]
    if not layout.travel_document:
        out.warnings.append(
            _problem(
                P.NOT_TRAVEL_DOCUMENT,
                span,
                f"a driving licence ({layout.name}) is not a travel document: it permits no border crossing",
            )
        )
    # The French driving licence's code is D1: a digit belongs there (its span is alphanumeric).
    if not raw_code[0].isalpha() or (raw_code[1].isdigit() and span.kind != ALNUM):
        out.errors.append(
            _problem(P.INVALID_DOCUMENT_CODE, span, f"document code {raw_code!r} is not letters")
        )
    elif raw_code[0] not in letters:
        out.warnings.append(
            _problem(
                P.UNUSUAL_DOCUMENT_CODE,
                span,
                f"ICAO 9303 starts {layout.name} document codes with {' or '.join(letters)}, not {raw_code[0]}",
                0,
                1,
            )
        )
    out.issuing_state = _code(lines, fields["issuing_state"], out, "issuing state")
    if "names" in fields:
        raw_names = _name_field(lines, fields["names"], out).rstrip("<")
        primary, _, secondary = raw_names.partition("<<")
        out.surname = _names(primary)
        out.given_names = _names(secondary)
    else:
        out.surname = _names(_name_field(lines, fields["surname"], out))
        if "given_names" in fields:
            out.given_names = _names(_name_field(lines, fields["given_names"], out))
    if "nationality" in fields:
        out.nationality = _code(lines, fields["nationality"], out, "nationality")
    elif layout.name == "FRA-ID":
        out.nationality = "FRA"  # the card is issued to French nationals only; the MRZ has no field
    # A driving licence says nothing of nationality: its holder may be of any.
    own_check = _document_number(layout, lines, out)
    for check in layout.checks[1:] if own_check else layout.checks:
        parts = check.parts
        if len(parts) == 1:
            ln, a, b = parts[0]
            data = lines[ln][a:b]
        else:
            data = "".join([lines[ln][a:b] for ln, a, b in parts])
        found = lines[check.line][check.pos]
        if found == fast_check_digit(data):
            checks[check.name] = True  # the common case, without the call
        else:
            _verify(check, data, found, out)
    if "birth_date" in fields:
        out.birth_date = _date(lines, fields["birth_date"], today, BIRTH, out)
    if "expiry_date" in fields:
        out.expiry_date = _date(lines, fields["expiry_date"], today, EXPIRY, out)
    if "sex" in fields:  # a driving licence has none: sex stays ""
        span = fields["sex"]
        out.sex = lines[span.line][span.start]
        if out.sex not in SEXES:
            out.errors.append(_problem(P.INVALID_SEX, span, f"sex {out.sex!r} is not M, F, X or <"))
    if "optional_data_2" in fields:
        span = fields["optional_data_2"]
        out.optional_data_2 = lines[span.line][span.start : span.end].strip("<")
    return out
