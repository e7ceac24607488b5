"""Property-based tests: compose -> parse gives the fields back in every format; no input makes parse
raise anything outside the MRZError tree."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checkpoint.mrz import MRZFormatError, check_digit, compose, parse
from checkpoint.mrz.countries import COUNTRIES
from tests.mrz.conftest import FRA_ID, TD1, TD2, TD3

TODAY = date(2024, 6, 15)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
word = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)
names = st.lists(word, min_size=0, max_size=3).map(" ".join)
codes = st.sampled_from(sorted(c for c in COUNTRIES if c.isalpha()))
births = st.dates(TODAY - timedelta(days=365 * 99), TODAY)
expiries = st.dates(TODAY - timedelta(days=365 * 49), TODAY + timedelta(days=365 * 49))
sexes = st.sampled_from("MFX<")

# Name field width and the longest document number / optional data each format can hold.
NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39, "MRV-A": 39, "MRV-B": 31}
NUMBER_MAX = {"TD1": 23, "TD2": 15, "TD3": 9, "MRV-A": 9, "MRV-B": 9}
OPTIONAL_MAX = {"TD1": 15, "TD2": 7, "TD3": 14, "MRV-A": 16, "MRV-B": 8}


@st.composite
def documents(draw: st.DrawFn) -> dict[str, object]:
    fmt = draw(st.sampled_from(sorted(NAME_WIDTH)))
    surname = draw(word.flatmap(lambda w: names.map(lambda rest: (w + " " + rest).strip())))
    given = draw(names)
    full = surname.replace(" ", "<") + ("<<" + given.replace(" ", "<") if given else "")
    assume(len(full) < NAME_WIDTH[fmt])  # names that fit (truncation is tested on its own)
    number = draw(st.text(ALNUM, min_size=1, max_size=NUMBER_MAX[fmt]))
    room = OPTIONAL_MAX[fmt] - (len(number) - 7 if len(number) > 9 else 0)  # continuation, digit, "<"
    optional = draw(st.text(ALNUM, max_size=max(0, room)))
    return {
        "format": fmt,
        "issuing_state": draw(codes),
        "surname": surname,
        "given_names": given,
        "document_number": number,
        "nationality": draw(codes),
        "birth_date": draw(births),
        "sex": draw(sexes),
        "expiry_date": draw(expiries),
        "optional_data": optional,
        "optional_data_2": draw(st.text(ALNUM, max_size=11)) if fmt == "TD1" else "",
    }


@SETTINGS
@given(documents())
def test_compose_then_parse_gives_the_fields_back(fields: dict[str, object]) -> None:
    fmt = str(fields.pop("format"))
    number = str(fields["document_number"])
    # A long TD1/TD2 number whose first nine characters have check digit 0 reads equally as those nine
    # with the 0 misread as "<": refused as ambiguous (test_formats), so it cannot round-trip.
    assume(not (fmt in ("TD1", "TD2") and len(number) > 9 and check_digit(number[:9]) == "0"))
    lines = compose(fmt, **fields)  # type: ignore[arg-type]
    for mode in (True, False):
        r = parse(lines, today=TODAY, strict=mode)
        assert r.valid, r.errors
        assert r.format == fmt and r.warnings == () and r.corrections == ()
        got = {name: getattr(r, name) for name in fields}
        assert got == fields


@SETTINGS
@given(
    surname=word,
    given_names=names,
    number=st.text("0123456789", min_size=12, max_size=12),
    birth=births,
    sex=st.sampled_from("MF"),
)
def test_french_id_round_trip(surname: str, given_names: str, number: str, birth: date, sex: str) -> None:
    assume(len(given_names.replace(" ", "<<")) < 14)
    lines = compose(
        "FRA-ID",
        issuing_state="FRA",
        nationality="FRA",
        surname=surname,
        given_names=given_names,
        document_number=number,
        birth_date=birth,
        sex=sex,
        expiry_date="300101",
    )
    r = parse(lines, today=TODAY, strict=True)
    assert r.valid and r.format == "FRA-ID"
    assert (r.surname, r.given_names, r.document_number, r.birth_date, r.sex) == (
        surname,
        given_names,
        number,
        birth,
        sex,
    )


SAMPLES = (TD1, TD2, TD3, FRA_ID)
noise = st.text(st.sampled_from(ALNUM + "<<<<abc \t&;.\x1b\n\u00e9"), max_size=3)


@st.composite
def damaged(draw: st.DrawFn) -> list[str]:
    lines = list(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 6))):
        n = draw(st.integers(0, len(lines) - 1))
        col = draw(st.integers(0, len(lines[n])))
        cut = draw(st.integers(0, 2))
        lines[n] = lines[n][:col] + draw(noise) + lines[n][col + cut :]
    return lines


def _never_raises_outside_the_tree(value: object) -> None:
    result = parse(value, today=TODAY)  # type: ignore[arg-type]
    assert result.valid == (not result.errors)
    result.to_dict()
    with contextlib.suppress(MRZFormatError):  # strict mode may refuse, but only this way
        parse(value, today=TODAY, strict=True)  # type: ignore[arg-type]


@SETTINGS
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    _never_raises_outside_the_tree(text)


@SETTINGS
@given(st.lists(st.text(max_size=60), max_size=6))
def test_arbitrary_lists_of_strings_never_raise(lines: list[str]) -> None:
    _never_raises_outside_the_tree(lines)


@SETTINGS
@given(damaged())
def test_damaged_mrzs_never_raise(lines: list[str]) -> None:
    _never_raises_outside_the_tree(lines)
    _never_raises_outside_the_tree("\n".join(lines))


@SETTINGS
@given(
    st.one_of(
        st.none(), st.integers(), st.binary(), st.lists(st.integers()), st.dictionaries(st.text(), st.text())
    )
)
def test_non_text_is_an_invalid_result_or_mrz_error(value: object) -> None:
    r = parse(value, today=TODAY)  # type: ignore[arg-type]
    assert not r.valid and r.errors[0].code in ("not_text", "no_mrz")
    with pytest.raises(MRZFormatError):
        parse(value, strict=True)  # type: ignore[arg-type]


@SETTINGS
@given(documents())
def test_lean_path_and_general_decoder_agree_on_clean_documents(fields: dict[str, object]) -> None:
    from checkpoint.mrz.decode import decode
    from checkpoint.mrz.fastpath import fast_parse
    from checkpoint.mrz.layouts import LAYOUTS
    from checkpoint.mrz.parser import _result

    fmt = str(fields.pop("format"))
    lines = list(compose(fmt, **fields))  # type: ignore[arg-type]
    layout = LAYOUTS[fmt]
    general = _result(layout, lines, decode(layout, lines, TODAY))
    lean = fast_parse(layout, lines, TODAY)
    if lean is None:  # it may decline (e.g. a long document number), never disagree
        assert "<" in lines[0][14:15] + lines[1][9:10] or general.warnings
    else:
        assert lean == general and lean.to_dict() == general.to_dict()


@st.composite
def substituted(draw: st.DrawFn) -> list[str]:
    """A sample MRZ with a few characters replaced by other MRZ characters (shape kept)."""
    lines = list(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 3))):
        n = draw(st.integers(0, len(lines) - 1))
        col = draw(st.integers(0, len(lines[n]) - 1))
        lines[n] = lines[n][:col] + draw(st.sampled_from(ALNUM + "<")) + lines[n][col + 1 :]
    return lines


@SETTINGS
@given(substituted())
def test_lean_path_never_accepts_what_the_general_decoder_rejects(lines: list[str]) -> None:
    from checkpoint.mrz.decode import decode
    from checkpoint.mrz.fastpath import fast_parse
    from checkpoint.mrz.parser import _result
    from checkpoint.mrz.reading import exact_layout

    layout = exact_layout(lines)
    assert layout is not None
    lean = fast_parse(layout, lines, TODAY)
    if lean is not None:
        assert lean == _result(layout, lines, decode(layout, lines, TODAY))


long_words = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=16)
long_names = st.lists(long_words, min_size=1, max_size=5).map(" ".join)


@SETTINGS
@given(
    fmt=st.sampled_from(sorted(NAME_WIDTH)),
    surname=long_names,
    given_names=st.one_of(st.just(""), long_names),
)
def test_truncation_follows_icao_and_parse_sees_it(fmt: str, surname: str, given_names: str) -> None:
    lines = compose(
        fmt,
        issuing_state="UTO",
        nationality="UTO",
        surname=surname,
        given_names=given_names,
        document_number="L898902C3",
        birth_date="740812",
        expiry_date="120415",
    )
    r = parse(lines, today=TODAY)
    assert r.valid, r.errors
    primary, secondary = surname.replace(" ", "<"), given_names.replace(" ", "<")
    full = primary + ("<<" + secondary if secondary else "")
    field = lines[2] if fmt == "TD1" else lines[0][5:]
    assert len(field) == NAME_WIDTH[fmt]
    if len(full) <= NAME_WIDTH[fmt]:
        assert field == full.ljust(NAME_WIDTH[fmt], "<")
    else:
        # ICAO 9303: a truncated name ends in a letter, and the secondary identifier keeps its initial.
        assert field[-1].isalpha()
        if secondary:
            assert "<<" in field and r.given_names[:1] == secondary[0]
        # Each component kept is a prefix of the one written on the page, in order; none is added.
        for got, want in ((r.surname, surname), (r.given_names, given_names)):
            assert len(got.split()) <= len(want.split())
            assert all(w.startswith(g) for g, w in zip(got.split(), want.split(), strict=False))
    assert ("name_truncated" in [w.code for w in r.warnings]) == field[-1].isalpha()


@SETTINGS
@given(
    birth=st.dates(date(1900, 1, 1), date(2099, 12, 31)),
    expiry=st.dates(date(1900, 1, 1), date(2099, 12, 31)),
    today=st.dates(date(1950, 1, 1), date(2080, 12, 31)),
)
def test_the_lean_path_infers_centuries_as_the_date_rules_do(birth: date, expiry: date, today: date) -> None:
    from checkpoint.mrz.dates import BIRTH, EXPIRY, decode_date
    from checkpoint.mrz.fastpath import _dates

    birth_raw, expiry_raw = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    lean = _dates(int(birth_raw), int(expiry_raw), today)
    assert lean == (decode_date(birth_raw, today, BIRTH)[0], decode_date(expiry_raw, today, EXPIRY)[0])


@SETTINGS
@given(substituted())
def test_the_passport_check_digits_of_the_lean_path_are_the_general_ones(lines: list[str]) -> None:
    from checkpoint.mrz.decode import decode
    from checkpoint.mrz.fastpath import _td3_digits_agree
    from checkpoint.mrz.layouts import TD3

    if len(lines) == 2 and len(lines[1]) == 44:
        checks = decode(TD3, lines, TODAY).checks
        digits = lines[1][9] + lines[1][19] + lines[1][27] + lines[1][42] + lines[1][43]
        assert _td3_digits_agree(lines[1]) == (all(checks.values()) and "<" not in digits)
