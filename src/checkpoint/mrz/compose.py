"""``compose``: fields in, valid MRZ lines out, for every format."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from checkpoint.mrz.checkdigit import fast_check_digit
from checkpoint.mrz.dates import BIRTH, decode_date
from checkpoint.mrz.errors import MRZCompositionError
from checkpoint.mrz.layouts import LAYOUTS, SEXES, Layout, Sex, TravelFormat
from checkpoint.mrz.transliteration import transliterate

_DEFAULT_CODES: Final = {"TD1": "I", "TD2": "I", "TD3": "P", "MRV-A": "V", "MRV-B": "V", "FRA-ID": "ID"}
_FIELD_TEXT: Final = re.compile(r"[0-9A-Z<]*")
_DATE_TEXT: Final = re.compile(r"[0-9<]{6}")
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _code(value: str, what: str) -> str:
    code = value.strip().upper().rstrip("<") if isinstance(value, str) else ""
    if not (1 <= len(code) <= 3 and code.isascii() and code.isalpha()):
        raise MRZCompositionError(
            f"{what} must be a code of one to three letters such as 'UTO' or 'D', not {value!r}"
        )
    return code.ljust(3, "<")


def _name(value: str, what: str) -> str:
    if not isinstance(value, str):
        raise MRZCompositionError(f"{what} must be a string, not {type(value).__name__}")
    # Callers may pass names already in MRZ form ("ANNA<MARIA"); transliteration takes them as words.
    try:
        return transliterate(value.replace("<", " ")).strip("<")
    except MRZCompositionError as error:
        raise MRZCompositionError(f"{what}: {error}") from error


def _cut(text: str, width: int) -> str:
    """Return ``text`` (components joined by ``<``) cut to exactly ``width`` characters ending in a
    letter, as ICAO 9303 truncation asks (``len(text) > width``).

    A cut that lands on a filler takes one letter off the nearest component before it that has two or
    more, so that the filler and the next component's initial fit (``VAN<DER<BERG`` at 8 ->
    ``VAN<DE<B``). Only a name of initials alone (``A<B<C``) cannot end in a letter there.
    """
    cut = text[:width]
    if cut[-1] != "<":
        return cut
    head = cut[:-1]  # one filler separates components inside an identifier
    for i in range(len(head) - 1, 0, -1):
        if head[i] != "<" and head[i - 1] != "<":
            return head[:i] + head[i + 1 :] + "<" + text[width]
    return cut


def _names(primary: str, secondary: str, width: int) -> str:
    """Return the name field: primary ``<<`` secondary, filled with fillers to ``width``.

    Truncation follows ICAO 9303 Part 4 4.2.3 (and the same rule of Parts 5-7): a name that does not fit
    is cut so that the field's last character is a letter, the mark that the name may be truncated.
    The secondary identifier gives way first, down to its first initial; when the primary identifier
    alone leaves no room for ``<<`` and that initial, the primary identifier is cut until it does.
    A name of a primary identifier only is cut to end in a letter.
    """
    text = primary + "<<" + secondary if secondary else primary
    if len(text) <= width:
        return text.ljust(width, "<")
    if secondary and len(primary) + 3 > width:
        text = _cut(primary, width - 3).rstrip("<") + "<<" + secondary
        if len(text) <= width:
            return text.ljust(width, "<")
    return _cut(text, width)


def _date(value: date | str, what: str) -> str:
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip()).strftime("%y%m%d")
        except ValueError as error:
            raise MRZCompositionError(f"{what} {value!r} is no date: {error}") from None
    if not isinstance(value, str) or _DATE_TEXT.fullmatch(value) is None:
        raise MRZCompositionError(
            f"{what} must be a date, YYYY-MM-DD or YYMMDD (with '<<' for an unknown part), not {value!r}"
        )
    _, problem, start, end, message = decode_date(value, date.today(), BIRTH)
    if problem in ("character", "impossible"):
        raise MRZCompositionError(f"{what} {value!r}: {message} (characters {start + 1}-{end})")
    return value


def _text(value: str, what: str, width: int) -> str:
    text = value.strip().upper().replace(" ", "<") if isinstance(value, str) else "?"
    if _FIELD_TEXT.fullmatch(text) is None:
        raise MRZCompositionError(f"{what} may hold only 0-9, A-Z and '<', not {value!r}")
    if len(text) > width:
        raise MRZCompositionError(
            f"{what} {value!r} has {len(text)} characters; this format has room for {width}"
        )
    return text


def _put(rows: list[list[str]], layout: Layout, name: str, text: str) -> None:
    span = layout.fields[name]
    rows[span.line][span.start : span.start + len(text)] = list(text)


def compose(
    format: TravelFormat = "TD3",
    *,
    document_code: str | None = None,
    issuing_state: str,
    surname: str,
    given_names: str = "",
    document_number: str,
    nationality: str,
    birth_date: date | str,
    sex: Sex = "<",
    expiry_date: date | str,
    optional_data: str = "",
    optional_data_2: str = "",
) -> tuple[str, ...]:
    """Return the MRZ lines of a document with these fields, every check digit computed.

    ``format`` is one of TD1, TD2, TD3, MRV-A, MRV-B, FRA-ID (travel documents: the driving licences
    :func:`parse` reads are not written). Names are transliterated per ICAO 9303 Part 3 and, when too
    long, truncated the ICAO way (the field ends in a letter; see :func:`_names`). Dates are
    :class:`date` objects, ISO ``YYYY-MM-DD`` strings (as the command line takes them) or YYMMDD
    strings (``<<`` for an unknown month or day). ``sex`` is ``M``, ``F``, ``X`` or ``<``. A document
    number over nine characters overflows into the optional data in TD1 and TD2. The French ID card has no expiry date in its MRZ: ``expiry_date`` is checked but not written,
    and its issuing state and nationality must be FRA. State codes are not looked up (test documents
    use made-up ones): :func:`parse` reports an unknown code.

    Raises :class:`MRZCompositionError` naming the field that cannot be written and why.
    """
    layout = LAYOUTS.get(format) if isinstance(format, str) else None
    if layout is None or not layout.travel_document:
        raise MRZCompositionError(f"format must be one of {', '.join(_DEFAULT_CODES)}, not {format!r}")
    rows = [["<"] * layout.line_length for _ in range(layout.line_count)]
    code = _DEFAULT_CODES[layout.name] if document_code is None else document_code
    code = _text(code, "document_code", 2)
    if not code[:1].isalpha() or code[1:].isdigit():
        raise MRZCompositionError(f"document_code must be one or two letters, not {document_code!r}")
    state = _code(issuing_state, "issuing_state")
    nation = _code(nationality, "nationality")
    if layout.name == "FRA-ID" and (code != "ID" or state != "FRA" or nation != "FRA"):
        raise MRZCompositionError(
            "the French ID card has document code ID, issuing state and nationality FRA"
        )
    primary, secondary = _name(surname, "surname"), _name(given_names, "given_names")
    if not primary and not secondary:
        raise MRZCompositionError("surname and given_names are both empty: an MRZ needs a name")
    number = _text(document_number, "document_number", 99).strip("<")
    if not number:
        raise MRZCompositionError("document_number is empty")
    birth, expiry = _date(birth_date, "birth_date"), _date(expiry_date, "expiry_date")
    sex_char = sex.strip().upper() or "<" if isinstance(sex, str) else "?"
    if sex_char not in SEXES:
        raise MRZCompositionError(f"sex must be M, F, X or '<', not {sex!r}")

    _put(rows, layout, "document_code", code)
    _put(rows, layout, "issuing_state", state)
    if layout.name == "FRA-ID":
        _put(rows, layout, "surname", _names(primary, "", 25))
        # The card separates given names with two fillers ("HERVE<<DJAMEL").
        _put(rows, layout, "given_names", _names(secondary.replace("<", "<<"), "", 14))
    else:
        _put(
            rows,
            layout,
            "names",
            _names(primary, secondary, layout.fields["names"].end - layout.fields["names"].start),
        )
        _put(rows, layout, "nationality", nation)
        _put(rows, layout, "expiry_date", expiry)
    _put(rows, layout, "birth_date", birth)
    _put(rows, layout, "sex", sex_char)

    number_span, optional_span = layout.fields["document_number"], layout.fields["optional_data"]
    number_width = number_span.end - number_span.start
    optional_width = optional_span.end - optional_span.start
    optional = _text(optional_data, "optional_data", optional_width)
    overflow = len(number) > number_width
    if overflow:
        if not layout.overflow:
            raise MRZCompositionError(
                f"document_number has {len(number)} characters; {layout.name} has room for {number_width}"
            )
        # ICAO 9303 Part 5/6: "<" in the check-digit position, the rest of the number and its check digit
        # (over the whole number) at the start of the optional data, then a filler.
        continuation = number[number_width:] + fast_check_digit(number)
        optional = continuation + "<" + optional if optional else continuation
        if len(optional) > optional_width:
            raise MRZCompositionError(
                f"document_number and optional_data together need {len(optional)} characters of the optional"
                f" data field; {layout.name} has {optional_width}"
            )
    _put(rows, layout, "document_number", number[:number_width])
    _put(rows, layout, "optional_data", optional)
    if optional_data_2:
        if "optional_data_2" not in layout.fields:
            raise MRZCompositionError(f"{layout.name} has no second optional data field")
        span = layout.fields["optional_data_2"]
        _put(
            rows, layout, "optional_data_2", _text(optional_data_2, "optional_data_2", span.end - span.start)
        )

    for check in layout.checks:
        if check.name == "document_number" and overflow:
            continue  # its position keeps the filler
        data = "".join("".join(rows[ln][a:b]) for ln, a, b in check.parts)
        rows[check.line][check.pos] = fast_check_digit(data)
    return tuple("".join(row) for row in rows)
