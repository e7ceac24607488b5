"""The country table: ICAO 9303 Part 3 codes, the specials of mrz.md, and the look-ups the client uses."""

from __future__ import annotations

import pytest

from checkpoint.mrz.countries import COUNTRIES, country_name, describe, is_known_code

# Every special code mrz.md requires the parser to accept, plus ICAO's other organisation codes.
SPECIAL_CODES = [
    "D", "UTO", "GBD", "GBN", "GBO", "GBP", "GBS", "XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK",
    "EUE", "XOM", "XPO", "XCC", "XES", "XDC", "RKS", "XXK", "XBA", "XIM", "XCE", "XCO", "XEC",
]  # fmt: skip


@pytest.mark.parametrize("code", SPECIAL_CODES)
def test_every_special_code_of_the_design_is_known(code: str) -> None:
    assert is_known_code(code)
    assert country_name(code)


def test_germany_is_d_and_accepted_as_printed_with_fillers() -> None:
    assert country_name("D<<") == "Germany"
    assert country_name("D") == "Germany"
    assert describe("D<<") == "D Germany"


def test_deu_is_not_an_mrz_code() -> None:
    # ICAO 9303 writes Germany as D; DEU in an MRZ is a misprint or a forgery the officer must see.
    assert not is_known_code("DEU")
    assert "DEU" not in COUNTRIES


def test_the_table_holds_all_iso_3166_states_plus_the_specials() -> None:
    # 248 ISO 3166-1 alpha-3 codes (249 less DEU), checked against Debian iso-codes when written.
    iso = [code for code in COUNTRIES if len(code) == 3 and code not in SPECIAL_CODES]
    assert len(iso) == 248 + 2  # + ANT and NTZ, withdrawn from ISO but still listed by ICAO
    assert all(code.isalpha() and code.isupper() for code in COUNTRIES)
    assert all(name.strip() == name and name for name in COUNTRIES.values())


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("MNE", "Montenegro"),
        ("SRB", "Serbia"),
        ("GBR", "United Kingdom"),
        ("NLD", "Netherlands"),
        ("CHE", "Switzerland"),
        ("BEL", "Belgium"),
        ("PRT", "Portugal"),
        ("UTO", "Utopia (ICAO specimen)"),
        ("XXA", "Stateless person"),
        ("EUE", "European Union"),
    ],
)
def test_names(code: str, name: str) -> None:
    assert country_name(code) == name


def test_lookups_ignore_case_spaces_and_fillers() -> None:
    assert country_name(" mne ") == "Montenegro"
    assert country_name("UT0") is None  # a digit zero, as OCR reads O: not silently fixed here
    assert is_known_code("utO<")


@pytest.mark.parametrize("code", ["ZZZ", "", "<<<", "XYZ", "DE", "MNEE", "123"])
def test_unknown_codes_are_none_not_errors(code: str) -> None:
    assert country_name(code) is None
    assert not is_known_code(code)


def test_describe() -> None:
    assert describe("MNE") == "MNE Montenegro"
    assert describe("ZZZ") == "ZZZ (unknown code)"
    assert describe("zzz<") == "ZZZ (unknown code)"
    assert describe("<<<") == "(no code)"


def test_the_table_cannot_be_changed_by_a_caller() -> None:
    with pytest.raises(TypeError):
        COUNTRIES["ZZZ"] = "Nowhere"  # type: ignore[index]
