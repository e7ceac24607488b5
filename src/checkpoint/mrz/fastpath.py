"""The lean path for a clean MRZ: every field read and every rule checked inline, no problem objects.

Most documents a reader sees are fine, and parse speed is a requirement, so a clean document is read
here with precomputed positions and no per-field function calls. At the first thing that is not
clean (a failing check digit, an unusual code, a partial date, a long document number ...) this
gives up and returns ``None``; the general decoder then reads the document again and says what is
wrong. Both must agree on every clean document: the tests compare them.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType
from typing import Final, NamedTuple

from checkpoint.mrz.checkdigit import CHARACTER_VALUES, DIGITS
from checkpoint.mrz.countries import COUNTRIES
from checkpoint.mrz.layouts import DOCUMENT_LETTERS, LAYOUTS, SEXES, Layout
from checkpoint.mrz.result import MRZResult

_Slice = tuple[int, int, int]
# A piece of a check digit's data: line, start, end, and the weights of its first three characters
# (the weights run on across the pieces of a composite check digit).
_Segment = tuple[int, int, int, int, int, int]
_WEIGHTS: Final = (7, 3, 1)


class _Spec(NamedTuple):
    letters: str
    state: _Slice
    nationality: _Slice
    names: _Slice
    number: _Slice
    birth: _Slice
    expiry: _Slice
    sex: tuple[int, int]
    optional: _Slice
    optional_2: _Slice | None
    all_pass: MappingProxyType[str, bool]  # the checks of a clean document: one shared, read-only map
    checks: tuple[tuple[int, int, tuple[_Segment, ...]], ...]  # (line, position, pieces checked)


def _segments(parts: tuple[_Slice, ...]) -> tuple[_Segment, ...]:
    segments: list[_Segment] = []
    offset = 0
    for line, start, end in parts:
        w0, w1, w2 = (_WEIGHTS[(offset + i) % 3] for i in range(3))
        segments.append((line, start, end, w0, w1, w2))
        offset += end - start
    return tuple(segments)


def _spec(layout: Layout) -> _Spec:
    f = layout.fields

    def sl(name: str) -> _Slice:
        return f[name].line, f[name].start, f[name].end

    def at(name: str) -> tuple[int, int]:
        return f[name].line, f[name].start

    return _Spec(
        DOCUMENT_LETTERS[layout.name],
        sl("issuing_state"),
        sl("nationality"),
        sl("names"),
        sl("document_number"),
        sl("birth_date"),
        sl("expiry_date"),
        at("sex"),
        sl("optional_data"),
        sl("optional_data_2") if "optional_data_2" in f else None,
        MappingProxyType(dict.fromkeys((c.name for c in layout.checks), True)),
        tuple((c.line, c.pos, _segments(c.parts)) for c in layout.checks),
    )


# The French card and the driving licences have their own reading in the general decoder only: they are
# rare at a border.
_SPECS: Final = {
    name: _spec(layout) for name, layout in LAYOUTS.items() if name != "FRA-ID" and layout.travel_document
}
_TD3: Final = _SPECS["TD3"]
# A set answers "is this a known code" faster than the read-only mapping.
_KNOWN_CODES: Final = frozenset(COUNTRIES)


def _digits_agree(spec: _Spec, lines: list[str]) -> bool:
    """Return whether every check digit of ``spec`` agrees with its data in ``lines``.

    Each line's character values come in one C call; a check digit is then three slice sums per piece
    of its data. A "<" check digit (empty field, long document number) is for the general decoder to
    judge: it never equals a computed digit here.
    """
    values = [line.encode().translate(CHARACTER_VALUES) for line in lines]
    for line, pos, segments in spec.checks:
        total = 0
        for ln, a, b, w0, w1, w2 in segments:
            v = values[ln]
            total += sum(v[a:b:3]) * w0 + sum(v[a + 1 : b : 3]) * w1 + sum(v[a + 2 : b : 3]) * w2
        if lines[line][pos] != DIGITS[total % 10]:
            return False
    return True


def _td3_digits_agree(line: str) -> bool:
    """:func:`_digits_agree` for the second line of a passport (TD3), the document a border sees most.

    The four fields' sums by position modulo 3 are taken once and serve the composite check digit as
    well: its data runs on from one field into the next, so each field's characters take the weights
    7, 3, 1 starting at that field's offset in the composite data (number 0, birth date 10, expiry
    date 17, optional data 24), and each check digit inside it the weight of its own offset (9, 16, 23,
    38). The tests compare this with the general decoder on every kind of document.
    """
    v = line.encode().translate(CHARACTER_VALUES)
    n0, n1, n2 = sum(v[0:9:3]), sum(v[1:9:3]), sum(v[2:9:3])
    b0, b1, b2 = sum(v[13:19:3]), sum(v[14:19:3]), sum(v[15:19:3])
    e0, e1, e2 = sum(v[21:27:3]), sum(v[22:27:3]), sum(v[23:27:3])
    o0, o1, o2 = sum(v[28:42:3]), sum(v[29:42:3]), sum(v[30:42:3])
    number = 7 * n0 + 3 * n1 + n2
    optional = 7 * o0 + 3 * o1 + o2
    composite = (
        number + 7 * v[9] + 3 * b0 + b1 + 7 * b2 + 3 * v[19] + e0 + 7 * e1 + 3 * e2 + v[27] + optional + v[42]
    )
    return (
        line[9] == DIGITS[number % 10]
        and line[19] == DIGITS[(7 * b0 + 3 * b1 + b2) % 10]
        and line[27] == DIGITS[(7 * e0 + 3 * e1 + e2) % 10]
        and line[42] == DIGITS[optional % 10]
        and line[43] == DIGITS[composite % 10]
    )


def fast_parse(layout: Layout, lines: list[str], today: date) -> MRZResult | None:
    """Return the result of a clean MRZ of ``layout``, or ``None`` when anything needs reporting.

    ``lines`` hold only MRZ characters (the caller checked), so every value is below 36.
    """
    spec = _SPECS.get(layout.name)
    if spec is None:
        return None
    # One unpacking instead of an attribute look-up per field: this is the hot path.
    (
        letters,
        state_at,
        nationality_at,
        names_at,
        number_at,
        birth_at,
        expiry_at,
        sex_at,
        optional_at,
        optional_2_at,
        all_pass,
        _,
    ) = spec
    first = lines[0]
    if first[0] not in letters or not (first[1] == "<" or first[1].isalpha()):
        return None
    if not (_td3_digits_agree(lines[1]) if spec is _TD3 else _digits_agree(spec, lines)):
        return None
    ln, a, b = state_at
    state = lines[ln][a:b].rstrip("<")
    ln, a, b = nationality_at
    nationality = lines[ln][a:b].rstrip("<")
    if state not in _KNOWN_CODES or nationality not in _KNOWN_CODES:
        return None
    ln, a, b = names_at
    names = lines[ln][a:b]
    if names[-1] != "<" or (not names.replace("<", "").isalpha() and names.strip("<")):
        return None
    ln, p = sex_at
    sex = lines[ln][p]
    if sex not in SEXES:
        return None
    ln, a, b = birth_at
    birth_n = lines[ln][a:b]
    ln, a, b = expiry_at
    expiry_n = lines[ln][a:b]
    if not (birth_n.isdigit() and expiry_n.isdigit()):
        return None
    birth, expiry = _dates(int(birth_n), int(expiry_n), today)
    if birth is None or expiry is None:
        return None
    ln, a, b = number_at
    number = lines[ln][a:b].rstrip("<")
    ln, a, b = optional_at
    optional = lines[ln][a:b].strip("<")
    optional_2 = ""
    if optional_2_at is not None:
        ln, a, b = optional_2_at
        optional_2 = lines[ln][a:b].strip("<")
    primary, _, secondary = names.rstrip("<").partition("<<")
    # A tuple built directly: the named tuple's own __new__ is one more Python call per document.
    return _new_result(
        MRZResult,
        (
            layout.name,
            first[:2].rstrip("<"),
            state,
            " ".join(primary.replace("<", " ").split()),
            " ".join(secondary.replace("<", " ").split()),
            number,
            nationality,
            birth,
            sex,
            expiry,
            optional,
            optional_2,
            all_pass,
            (),
            (),
            (),
            tuple(lines),
        ),
    )


_new_result: Final = tuple.__new__


def _dates(birth: int, expiry: int, today: date) -> tuple[date | None, date | None]:
    """Return the dates of the YYMMDD numbers ``birth`` and ``expiry`` (``None`` for one that cannot
    exist: month 13, day 41, 30 February, for the general decoder to say so).

    The century rules of :func:`checkpoint.mrz.dates.infer_year`, on whole YYMMDD numbers: a birth date
    after today's YYMMDD is of the last century; an expiry date more than 50 years either side of today
    is moved by a century.
    """
    year = today.year
    century = year - year % 100
    today_n = year % 100 * 10000 + today.month * 100 + today.day
    gap = expiry - today_n
    try:
        birth_date = date(
            century + birth // 10000 - (100 if birth > today_n else 0), birth // 100 % 100, birth % 100
        )
    except ValueError:
        return None, None
    try:
        expiry_date = date(
            century + expiry // 10000 - (100 if gap > 500000 else -100 if gap <= -500000 else 0),
            expiry // 100 % 100,
            expiry % 100,
        )
    except ValueError:
        return birth_date, None
    return birth_date, expiry_date
