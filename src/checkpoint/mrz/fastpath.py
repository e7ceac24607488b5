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

from checkpoint.mrz.checkdigit import fast_check_digit as _cd
from checkpoint.mrz.countries import COUNTRIES
from checkpoint.mrz.dates import BIRTH, EXPIRY, infer_year
from checkpoint.mrz.layouts import DOCUMENT_LETTERS, LAYOUTS, SEXES, Layout
from checkpoint.mrz.result import MRZResult

_Slice = tuple[int, int, int]


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
    check_names: tuple[str, ...]
    checks: tuple[tuple[int, int, tuple[_Slice, ...]], ...]  # (line, position, parts checked)


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
        tuple(c.name for c in layout.checks),
        tuple((c.line, c.pos, c.parts) for c in layout.checks),
    )


# The French card and the driving licences have their own reading in the general decoder only: they are
# rare at a border.
_SPECS: Final = {
    name: _spec(layout) for name, layout in LAYOUTS.items() if name != "FRA-ID" and layout.travel_document
}


def fast_parse(layout: Layout, lines: list[str], today: date) -> MRZResult | None:
    """Return the result of a clean MRZ of ``layout``, or ``None`` when anything needs reporting.

    ``lines`` hold only MRZ characters (the caller checked), so every value is below 36.
    """
    spec = _SPECS.get(layout.name)
    if spec is None:
        return None
    first = lines[0]
    if first[0] not in spec.letters or not (first[1] == "<" or first[1].isalpha()):
        return None
    # A "<" check digit (empty field, long document number) is for the general decoder to judge.
    for line, pos, parts in spec.checks:
        if len(parts) == 1:
            ln, a, b = parts[0]
            data = lines[ln][a:b]
        else:
            data = "".join([lines[ln][a:b] for ln, a, b in parts])
        if lines[line][pos] != _cd(data):
            return None
    ln, a, b = spec.number
    number = lines[ln][a:b]
    ln, a, b = spec.state
    state = lines[ln][a:b].rstrip("<")
    ln, a, b = spec.nationality
    nationality = lines[ln][a:b].rstrip("<")
    if state not in COUNTRIES or nationality not in COUNTRIES:
        return None
    ln, a, b = spec.names
    names = lines[ln][a:b]
    if names[-1] != "<" or (not names.replace("<", "").isalpha() and names.strip("<")):
        return None
    ln, p = spec.sex
    sex = lines[ln][p]
    if sex not in SEXES:
        return None
    ln, a, b = spec.birth
    birth_raw = lines[ln][a:b]
    ln, a, b = spec.expiry
    expiry_raw = lines[ln][a:b]
    if not (birth_raw.isdigit() and expiry_raw.isdigit()):
        return None
    month, day = int(birth_raw[2:4]), int(birth_raw[4:])
    month_2, day_2 = int(expiry_raw[2:4]), int(expiry_raw[4:])
    if not (1 <= month <= 12 and 1 <= month_2 <= 12):
        return None
    try:
        birth = date(infer_year(int(birth_raw[:2]), month, day, today, BIRTH), month, day)
        expiry = date(infer_year(int(expiry_raw[:2]), month_2, day_2, today, EXPIRY), month_2, day_2)
    except ValueError:
        return None
    ln, a, b = spec.optional
    optional = lines[ln][a:b]
    optional_2 = ""
    if spec.optional_2 is not None:
        ln, a, b = spec.optional_2
        optional_2 = lines[ln][a:b].strip("<")
    primary, _, secondary = names.rstrip("<").partition("<<")
    return MRZResult(
        layout.name,
        first[:2].rstrip("<"),
        state,
        " ".join(primary.replace("<", " ").split()),
        " ".join(secondary.replace("<", " ").split()),
        number.rstrip("<"),
        nationality,
        birth,
        sex,
        expiry,
        optional.strip("<"),
        optional_2,
        MappingProxyType(dict.fromkeys(spec.check_names, True)),
        (),
        (),
        (),
        tuple(lines),
    )
