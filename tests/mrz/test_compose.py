"""compose: every format, transliteration, truncation, overflow, and the errors it raises."""

from __future__ import annotations

from datetime import date

import pytest

from checkpoint.mrz import MRZCompositionError, MRZError, compose, parse
from tests.mrz.conftest import FRA_ID, MRV_A, MRV_B, TD1, TD2, TD3, TODAY

ANNA = {
    "issuing_state": "UTO",
    "surname": "Eriksson",
    "given_names": "Anna Maria",
    "nationality": "UTO",
    "birth_date": date(1974, 8, 12),
    "sex": "F",
    "expiry_date": date(2012, 4, 15),
}


def test_reproduces_the_icao_specimens() -> None:
    assert compose("TD3", document_number="L898902C3", optional_data="ZE184226B", **ANNA) == TD3
    assert compose("TD2", document_number="D23145890", **ANNA) == TD2
    assert compose("TD1", document_number="D23145890", **ANNA) == TD1
    visa = {**ANNA, "nationality": "XXX", "birth_date": "400907", "expiry_date": "961210"}
    assert compose("MRV-A", document_number="L8988901C", optional_data="6ZE184226B", **visa) == MRV_A
    assert compose("MRV-B", document_number="L8988901C", **visa) == MRV_B


def test_iso_dates_as_the_command_line_takes_them() -> None:
    iso = {**ANNA, "birth_date": "1974-08-12", "expiry_date": "2012-04-15"}
    assert compose("TD3", document_number="L898902C3", optional_data="ZE184226B", **iso) == TD3


def test_french_id_card() -> None:
    lines = compose(
        "FRA-ID",
        issuing_state="FRA",
        nationality="FRA",
        surname="Berthier",
        given_names="Corinne",
        document_number="940992310285",
        birth_date="651206",
        sex="F",
        expiry_date="041001",
    )
    assert lines == FRA_ID
    two = compose(
        "FRA-ID", **{**ANNA, "issuing_state": "FRA", "nationality": "FRA"}, document_number="970675K00277"
    )
    assert two[1][13:27] == "ANNA<<MARIA<<<"  # given names are separated by two fillers on this card
    with pytest.raises(MRZCompositionError, match="FRA"):
        compose("FRA-ID", document_number="1", **ANNA)


def test_transliteration_and_d_for_germany() -> None:
    lines = compose(
        issuing_state="D",
        nationality="D",
        surname="Müller-Lüdenscheidt",
        given_names="Jürgen Ørsted",
        document_number="C01X00T47",
        birth_date="640812",
        expiry_date="300101",
    )
    assert lines[0].startswith("P<D<<MUELLER<LUEDENSCHEIDT<<JUERGEN<OERSTED<")
    r = parse(lines, today=TODAY)
    assert r.valid and (r.issuing_state, r.surname, r.given_names) == (
        "D",
        "MUELLER LUEDENSCHEIDT",
        "JUERGEN OERSTED",
    )


def test_long_names_are_cut_to_fit_deterministically() -> None:
    lines = compose(
        "TD1",
        issuing_state="UTO",
        nationality="UTO",
        surname="Vanderstraeten Delacroix",
        given_names="Marie Christine Josephine",
        document_number="1",
        birth_date="800101",
        expiry_date="300101",
    )
    assert lines[2] == "VANDERSTRAETEN<DELACROIX<<MARI"
    r = parse(lines, today=TODAY)
    assert r.valid and r.given_names == "MARI" and [w.code for w in r.warnings] == ["name_truncated"]
    # A cut that lands on a filler leaves no dangling "<": the name still fills the field.
    lines = compose(
        "TD1",
        issuing_state="UTO",
        nationality="UTO",
        surname="A" * 27,
        given_names="B",
        document_number="1",
        birth_date="800101",
        expiry_date="300101",
    )
    assert lines[2] == "A" * 27 + "<<B"
    lines = compose(
        "TD1",
        issuing_state="UTO",
        nationality="UTO",
        surname="A" * 28,
        given_names="B",
        document_number="1",
        birth_date="800101",
        expiry_date="300101",
    )
    # ICAO: the primary identifier gives way until "<<" and the secondary identifier's initial fit.
    assert lines[2] == "A" * 27 + "<<B"


def test_overflow_of_long_document_numbers() -> None:
    lines = compose(
        "TD1",
        issuing_state="UTO",
        nationality="UTO",
        surname="Stevenson",
        given_names="Peter John",
        document_number="D23145890734",
        birth_date="340712",
        sex="M",
        expiry_date="950712",
    )
    assert lines == (
        "I<UTOD23145890<7349<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    )
    two = compose(
        "TD2",
        issuing_state="UTO",
        nationality="UTO",
        surname="Stevenson",
        given_names="Peter John",
        document_number="D23145890734",
        birth_date="340712",
        sex="M",
        expiry_date="950712",
    )
    assert two[1] == "D23145890<UTO3407127M95071227349<<<8"
    with pytest.raises(MRZCompositionError, match="room for 9"):
        compose("TD3", document_number="D23145890734", **ANNA)
    with pytest.raises(MRZCompositionError, match="optional data"):
        compose("TD2", document_number="D23145890734", optional_data="ABCD", **ANNA)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"format": "TD4"}, "format must be one of"),
        ({"issuing_state": "U2O"}, "issuing_state"),
        ({"nationality": ""}, "nationality"),
        ({"surname": "", "given_names": ""}, "name"),
        ({"surname": "李"}, "surname: .*李"),
        ({"document_number": "L89-8902"}, "document_number"),
        ({"document_number": ""}, "document_number is empty"),
        ({"birth_date": "741312"}, "month 13"),
        ({"birth_date": "1974-02-30"}, "birth_date '1974-02-30' is no date"),
        ({"birth_date": "74-08-12"}, "birth_date must be a date, YYYY-MM-DD or YYMMDD"),
        ({"expiry_date": 20120415}, "expiry_date"),
        ({"sex": "W"}, "sex"),
        ({"optional_data": "Z" * 15}, "room for 14"),
        ({"optional_data_2": "X"}, "no second optional data"),
        ({"document_code": "12"}, "document_code"),
    ],
)
def test_bad_fields_raise_composition_error_naming_them(change: dict[str, object], match: str) -> None:
    fields: dict[str, object] = {"document_number": "L898902C3", **ANNA, **change}
    fmt = fields.pop("format", "TD3")
    with pytest.raises(MRZCompositionError, match=match) as info:
        compose(fmt, **fields)  # type: ignore[arg-type]
    assert isinstance(info.value, MRZError)


def test_partial_dates_and_document_codes() -> None:
    lines = compose(document_code="PD", document_number="1", **{**ANNA, "birth_date": "74<<<<"})
    r = parse(lines, today=TODAY)
    assert r.valid and r.document_code == "PD" and r.birth_date is None and lines[1][13:19] == "74<<<<"


# ICAO 9303 Part 4 4.2.3: the worked examples of a passport of Utopia (document code PP).
ICAO_NAMES = [
    # 4.2.3.1 names that fit are not truncated
    ("ERIKSSON", "ANNA MARIA", "PPUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"),
    ("SMITH-JONES", "SUSIE MARGARET", "PPUTOSMITH<JONES<<SUSIE<MARGARET<<<<<<<<<<<<"),
    ("O'CONNOR", "ENYA SIOBHAN", "PPUTOOCONNOR<<ENYA<SIOBHAN<<<<<<<<<<<<<<<<<<"),
    ("VILARCHAO FERNANDEZ", "JOSE RAMON", "PPUTOVILARCHAO<FERNANDEZ<<JOSE<RAMON<<<<<<<<"),
    ("ARKFREITH", "", "PPUTOARKFREITH<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"),
    # 4.2.3.2 secondary identifier truncated: (a) to an initial, (b) inside a component
    ("NILAVADHANANANDA", "CHAYAPA DEJTHAMRONG KRASUANG", "PPUTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K"),
    ("NILAVADHANANANDA", "ARNPOL PETCH CHARONGUANG", "PPUTONILAVADHANANANDA<<ARNPOL<PETCH<CHARONGU"),
    # 4.2.3.4 fits exactly: a letter in the last position, not truncated
    ("PAPANDROPOULOUS", "JONATHON WARREN TREVOR", "PPUTOPAPANDROPOULOUS<<JONATHON<WARREN<TREVOR"),
]  # fmt: skip


def _passport(surname: str, given_names: str) -> tuple[str, ...]:
    return compose(
        "TD3",
        document_code="PP",
        issuing_state="UTO",
        nationality="UTO",
        surname=surname,
        given_names=given_names,
        document_number="L898902C3",
        birth_date="740812",
        expiry_date="120415",
    )


@pytest.mark.parametrize(("surname", "given_names", "line"), ICAO_NAMES)
def test_icao_name_examples(surname: str, given_names: str, line: str) -> None:
    lines = _passport(surname, given_names)
    assert lines[0] == line
    warned = "name_truncated" in [w.code for w in parse(lines, today=TODAY).warnings]
    assert warned == line[-1].isalpha()  # ICAO: a letter in the last position means "assume truncated"


def test_primary_identifier_gives_way_to_the_secondary_initial() -> None:
    # ICAO 4.2.3.3: the primary identifier is cut until "<<" and the first initial fit, ending in a letter.
    lines = _passport("Bennelong Wooloomooloo Warrandyte Warnambool", "Dingo Potoroo")
    assert lines[0] == "PPUTOBENNELONG<WOOLOOMOOLOO<WARRANDYTE<WA<<D"
    r = parse(lines, today=TODAY)
    assert r.valid and r.given_names == "D" and [w.code for w in r.warnings] == ["name_truncated"]


@pytest.mark.parametrize(
    "line",
    [
        "PPUTOBENNELONG<WOOLOOMOOLOO<WARRANDYTE<W<<DI",
        "PPUTOBENNELONG<WOOLOOM<WARRAND<WARNAM<<DINGO",
    ],
)
def test_icao_primary_truncation_choices_are_read_as_truncated(line: str) -> None:
    # The states' own choices of 4.2.3.3 (a) and (b): each parses, valid, with the truncation warning.
    # (Example (c) as published, "...WARNAM<<DINGO<POTO", is 45 characters long: an erratum.)
    r = parse([line, _passport("X", "Y")[1]], today=TODAY)
    assert r.valid and "name_truncated" in [w.code for w in r.warnings]
    assert r.surname.startswith("BENNEL") and r.given_names.startswith("D")


@pytest.mark.parametrize(
    ("surname", "expected"),
    [
        ("A" * 38 + " WARNAMBOOL", "A" * 37 + "<W"),  # the cut lands on a separator
        ("B" * 45, "B" * 39),  # a primary identifier alone is cut to end in a letter
    ],
)
def test_a_truncated_name_ends_in_a_letter(surname: str, expected: str) -> None:
    assert _passport(surname, "")[0] == "PPUTO" + expected


def test_an_initial_at_the_cut_is_kept_and_the_longer_component_gives_way() -> None:
    line = _passport("A" * 24 + " " + "B" * 8 + " C DDDD", "EVA")[0]
    assert line == "PPUTO" + "A" * 24 + "<" + "B" * 7 + "<C<D<<E"


def test_a_secondary_cut_on_a_separator_keeps_the_next_initial() -> None:
    line = _passport("SMITH", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDE XY")[0]
    assert line == "PPUTOSMITH<<ABCDEFGHIJKLMNOPQRSTUVWXYZABCD<X"
