"""Every format parses into the JSON shape of mrz.md; the ICAO specimens and the variants of mrz.md."""

from __future__ import annotations

import json
from datetime import date

import pytest

from checkpoint.mrz import MRZResult, check_digit, compose, parse
from tests.mrz.conftest import (
    FRA_ID,
    MRV_A,
    MRV_B,
    TD1,
    TD2,
    TD3,
    TODAY,
    specimens,
    with_char,
)

KEYS = [
    "format",
    "valid",
    "travel_document",
    "document_code",
    "issuing_state",
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "optional_data",
    "optional_data_2",
    "checks",
    "errors",
    "warnings",
    "corrections",
    "lines",
]


def p(lines: object, **kwargs: object) -> MRZResult:
    return parse(lines, today=TODAY, **kwargs)  # type: ignore[arg-type]


def codes(result: MRZResult) -> tuple[list[str], list[str]]:
    return [e.code for e in result.errors], [w.code for w in result.warnings]


def test_td3_specimen_gives_exactly_the_json_of_mrz_md() -> None:
    result = p(TD3)
    assert json.loads(json.dumps(result.to_dict())) == {
        "format": "TD3",
        "valid": True,
        "travel_document": True,
        "document_code": "P",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "optional_data": "ZE184226B",
        "optional_data_2": "",
        "checks": {
            "document_number": True,
            "birth_date": True,
            "expiry_date": True,
            "optional_data": True,
            "composite": True,
        },
        "errors": [],
        "warnings": [],
        "corrections": [],
        "lines": list(TD3),
    }
    assert list(result.to_dict()) == KEYS


def test_result_is_immutable() -> None:
    result = p(TD3)
    with pytest.raises(AttributeError):
        result.surname = "X"  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.checks["composite"] = False  # type: ignore[index]


@pytest.mark.parametrize(
    ("lines", "fmt", "checks"),
    [
        (TD3, "TD3", ["document_number", "birth_date", "expiry_date", "optional_data", "composite"]),
        (TD2, "TD2", ["document_number", "birth_date", "expiry_date", "composite"]),
        (TD1, "TD1", ["document_number", "birth_date", "expiry_date", "composite"]),
        (MRV_A, "MRV-A", ["document_number", "birth_date", "expiry_date"]),
        (MRV_B, "MRV-B", ["document_number", "birth_date", "expiry_date"]),
        (FRA_ID, "FRA-ID", ["document_number", "birth_date", "composite"]),
    ],
)
def test_each_format_is_recognised_and_lists_only_its_check_digits(
    lines: tuple[str, ...], fmt: str, checks: list[str]
) -> None:
    result = p(lines)
    assert (result.format, result.valid, list(result.checks)) == (fmt, True, checks)
    assert all(result.checks.values())
    assert p("\n".join(lines), strict=True) == result


def test_td1_fields() -> None:
    r = p(TD1)
    assert (r.document_code, r.issuing_state, r.document_number, r.nationality) == (
        "I",
        "UTO",
        "D23145890",
        "UTO",
    )
    assert (r.surname, r.given_names, r.birth_date, r.expiry_date) == (
        "ERIKSSON",
        "ANNA MARIA",
        date(1974, 8, 12),
        date(2012, 4, 15),
    )


def test_td1_optional_data_both_lines() -> None:
    lines = compose(
        "TD1",
        issuing_state="NLD",
        surname="VAN DER STEEN",
        given_names="MARIANNE LOUISE",
        document_number="XI85935F8",
        nationality="NLD",
        birth_date="720814",
        sex="F",
        expiry_date="110826",
        optional_data="999999990",
        optional_data_2="AB12",
    )
    r = p(lines)
    assert r.valid
    assert (r.optional_data, r.optional_data_2, r.surname) == ("999999990", "AB12", "VAN DER STEEN")


def test_visa_fields() -> None:
    r = p(MRV_A)
    assert (r.document_code, r.nationality, r.birth_date, r.expiry_date, r.optional_data) == (
        "V",
        "XXX",
        date(1940, 9, 7),
        date(1996, 12, 10),
        "6ZE184226B",
    )


def test_french_id_card_layout() -> None:
    r = p(FRA_ID)
    assert (r.format, r.document_code, r.issuing_state, r.nationality) == ("FRA-ID", "ID", "FRA", "FRA")
    assert (r.surname, r.given_names, r.document_number) == ("BERTHIER", "CORINNE", "940992310285")
    assert (r.birth_date, r.sex, r.expiry_date, r.optional_data) == (date(1965, 12, 6), "F", None, "")
    r2 = p(["IDFRALOISEAU<<<<<<<<<<<<<<<<<<<<<<<<", "970675K002774HERVE<<DJAMEL<7303216M4"])
    assert r2.valid and r2.given_names == "HERVE DJAMEL" and r2.document_number == "970675K00277"
    r3 = p(["IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02", "1710GVA123451ROBERTA<<<<<<<9112311F2"])
    assert r3.valid and (r3.surname, r3.optional_data) == ("TEST NAME", "0CHE02")


def test_french_id_composite_covers_line_one() -> None:
    r = p(
        with_char(FRA_ID, 1, 33, "X"), strict=True
    )  # a filler of line 1 changed: only the composite sees it
    assert r.checks == {"document_number": True, "birth_date": True, "composite": False}


# The single-line composite worked example is a check-digit vector: see test_checkdigit.py.
@pytest.mark.parametrize(
    "case", [c for c in specimens() if len(c["mrz"]) >= 2], ids=lambda c: c["source"][:60]
)
def test_icao_specimens(case: dict[str, object]) -> None:
    lines = case["mrz"]
    assert isinstance(lines, list)
    result = p(lines, strict=True)
    expect = case["expect"]
    assert isinstance(expect, dict)
    if "document_number" in expect:
        assert result.document_number == expect["document_number"]
    if "Part 10" in str(case["source"]):
        # The Part 10 DG1 example prints composite 4; 7-3-1 over its digits gives 8 (a known misprint).
        assert [e.code for e in result.errors] == ["check_digit"] and result.errors[0].expected == "8"
    else:
        assert result.valid, result.errors


# --- the variants of mrz.md ---------------------------------------------------------------------------


def test_long_document_number_icao_td1() -> None:
    r = p(
        ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"]
    )
    assert (r.valid, r.document_number, r.optional_data, r.warnings) == (True, "D23145890734", "", ())


def test_long_document_number_td2() -> None:
    r = p(["I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "D23145890<UTO3407127M95071227349<<<8"])
    assert (r.valid, r.document_number) == (True, "D23145890734")


def test_long_document_number_belgian_with_filler_is_a_warning() -> None:
    lines = compose(
        "TD1",
        issuing_state="BEL",
        surname="SPECIMEN",
        given_names="SPECIMEN",
        document_number="000590240601",
        nationality="BEL",
        birth_date="940101",
        sex="F",
        expiry_date="271001",
    )
    # ICAO: "<" in the check-digit position, then the rest of the number and the digit over all of it.
    assert lines[0] == "I<BEL000590240<601" + check_digit("000590240601") + "<" * 11
    assert check_digit("000590240601") != check_digit("000590240<601") == "3"
    belgian = with_char(lines, 1, 18, "3")  # digit over "000590240<601", as some Belgian cards print
    composite = check_digit(belgian[0][5:30] + belgian[1][0:7] + belgian[1][8:15] + belgian[1][18:29])
    belgian = with_char(belgian, 2, 29, composite)
    r = p(belgian, strict=True)
    assert r.valid and r.document_number == "000590240601"
    assert [w.code for w in r.warnings] == ["overflow_check_with_filler"]
    assert (r.warnings[0].line, r.warnings[0].start) == (1, 18)


def _long_td1(number: str, optional_data: str) -> list[str]:
    return compose(
        "TD1",
        issuing_state="PRT",
        surname="A",
        document_number=number,
        nationality="PRT",
        birth_date="800101",
        expiry_date="300101",
        optional_data=optional_data,
    )


def test_long_document_number_with_optional_data_after_it() -> None:
    r = p(_long_td1("ABD1234567890", "XY7"))
    assert (r.valid, r.document_number, r.optional_data) == (True, "ABD1234567890", "XY7")


def test_a_long_number_that_could_be_a_check_digit_0_read_as_filler_is_not_taken() -> None:
    # ABC123456 has check digit 0, and "<" weighs what "0" does: "ABC123456<" + "1234567890" may be
    # ABC123456 with its 0 misread and optional data 1234567890. Both fit every check: neither is taken.
    lines = _long_td1("ABC1234567890", "XY7")
    assert check_digit("ABC123456") == "0"
    r = p(lines)
    assert not r.valid
    assert [e.code for e in r.errors] == ["invalid_overflow"]
    assert "ABC1234567890" in r.errors[0].message and "ABC123456 " in r.errors[0].message
    # The misread itself: a nine-character number whose check digit 0 reads as "<" never becomes long.
    short = compose("TD1", issuing_state="UTO", surname="X", document_number="607598386",
                    nationality="UTO", birth_date="800101", expiry_date="300101", optional_data="56508")  # fmt: skip
    misread = [short[0][:14] + "<" + short[0][15:], *short[1:]]
    assert short[0][14] == "0" and not p(misread).valid


def test_empty_td3_personal_number_check_digit_may_be_filler_or_zero() -> None:
    german = ("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4")
    r = p(german, strict=True)
    assert r.valid and r.checks["optional_data"]
    assert (r.issuing_state, r.nationality, r.document_number) == ("D", "D", "C11T002JM")
    zero = with_char(german, 2, 42, "0")
    assert p(zero, strict=True).valid  # "0" is the computed digit; "<" and "0" have the same value


def test_filler_check_digit_only_for_an_empty_field() -> None:
    r = p(with_char(TD3, 2, 42, "<"), strict=True)  # personal number ZE184226B is not empty
    assert not r.checks["optional_data"]


@pytest.mark.parametrize(
    "code", ["UTO", "GBD", "XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK", "EUE", "XOM", "RKS", "XXK"]
)
def test_special_state_codes_are_known(code: str) -> None:
    lines = compose(
        issuing_state=code,
        surname="A",
        document_number="1",
        nationality=code,
        birth_date="800101",
        expiry_date="300101",
    )
    r = p(lines)
    assert r.valid and r.issuing_state == code and r.nationality == code


@pytest.mark.parametrize("sex", ["M", "F", "X", "<"])
def test_all_four_sexes(sex: str) -> None:
    r = p(
        compose(
            issuing_state="GBR",
            surname="A",
            document_number="1",
            nationality="GBR",
            birth_date="800101",
            sex=sex,
            expiry_date="300101",
        )
    )
    assert r.valid and r.sex == sex


def test_mononym_and_empty_primary_identifier() -> None:
    r = p(["P<PAKZAHRA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "DD51243520PAK8501019F27032135440067474356<98"])
    assert r.valid and (r.surname, r.given_names) == ("ZAHRA", "")
    r = p(["P<IND<<AHMADI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "K2578285<7IND5601240F2202288<<<<<<<<<<<<<<<4"])
    assert r.valid and (r.surname, r.given_names, r.document_number) == ("", "AHMADI", "K2578285")


def test_filler_inside_personal_number_is_kept() -> None:
    r = p(["P<TUNSAYARI<<MOHAMED<MEHDI<<<<<<<<<<<<<<<<<<", "W807543<<7TUN5301012M170115302640846<1601<68"])
    assert r.valid and r.optional_data == "02640846<1601"


def test_name_filling_the_field_is_a_truncation_warning() -> None:
    long = "P<UTO" + "A" * 20 + "<<" + "B" * 17
    lines = (long, "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    r = p(lines)
    assert r.valid and [w.code for w in r.warnings] == ["name_truncated"]
    assert (r.warnings[0].line, r.warnings[0].start, r.warnings[0].end) == (1, 5, 44)


@pytest.mark.parametrize(
    ("birth", "expiry", "today", "want_birth", "want_expiry"),
    [
        ("740812", "120415", date(2024, 1, 1), date(1974, 8, 12), date(2012, 4, 15)),
        ("231231", "331231", date(2024, 1, 1), date(2023, 12, 31), date(2033, 12, 31)),
        (
            "240102",
            "740101",
            date(2024, 1, 1),
            date(1924, 1, 2),
            date(2074, 1, 1),
        ),  # tomorrow: 1924; tie: later
        ("240101", "750101", date(2024, 1, 1), date(2024, 1, 1), date(1975, 1, 1)),  # 51 years ahead: past
        ("991231", "010101", date(2090, 6, 1), date(1999, 12, 31), date(2101, 1, 1)),
        ("900101", "900101", date(2090, 6, 1), date(2090, 1, 1), date(2090, 1, 1)),
    ],
)
def test_century_inference(birth: str, expiry: str, today: date, want_birth: date, want_expiry: date) -> None:
    lines = compose(
        issuing_state="UTO",
        surname="A",
        document_number="1",
        nationality="UTO",
        birth_date=birth,
        expiry_date=expiry,
    )
    r = parse(lines, today=today)
    assert (r.birth_date, r.expiry_date) == (want_birth, want_expiry)


def test_today_defaults_to_the_local_date_and_rejects_non_dates() -> None:
    from datetime import datetime

    from checkpoint.mrz import MRZError

    assert parse(TD3).birth_date == date(1974, 8, 12)
    assert parse(TD3, today=datetime(2024, 1, 1, 12, 0)).birth_date == date(1974, 8, 12)
    with pytest.raises(MRZError):
        parse(TD3, today="2024-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("birth", "unknown"),
    [
        ("74<<<<", "month and day"),
        ("7408<<", "day"),
        ("<<<<<<", "year and month and day"),
        ("74<<12", "month"),
    ],
)
def test_partial_dates_are_null_with_a_warning(birth: str, unknown: str) -> None:
    lines = compose(
        issuing_state="UTO",
        surname="A",
        document_number="1",
        nationality="UTO",
        birth_date=birth,
        expiry_date="300101",
    )
    r = p(lines, strict=True)
    assert r.valid and r.birth_date is None and r.checks["birth_date"]
    assert [w.code for w in r.warnings] == ["partial_date"]
    assert unknown in r.warnings[0].message and r.warnings[0].field == "birth_date"
