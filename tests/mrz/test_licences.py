"""The two driving licences with an MRZ (as cheminfo/mrz reads them): read, checked, and never taken
for a travel document."""

from __future__ import annotations

from datetime import date

import pytest

from checkpoint.mrz import TRAVEL_FORMATS, MRZCompositionError, compose, parse
from checkpoint.mrz.problems import CHECK_DIGIT, NOT_TRAVEL_DOCUMENT
from tests.mrz.conftest import TD1, TODAY

SWISS = ["AAA001D<<", "FACHE305142128097<<800126<<<<<", "MARCHAND<<FABIENNE<<<<<<<<<<<<"]
FRENCH = "D1FRA13AA000026181231MARTIN<<9"


def test_the_swiss_licence_reads_its_fields_and_says_it_is_no_travel_document() -> None:
    result = parse(SWISS, today=TODAY)
    assert result.format == "CHE-DL" and result.valid
    assert result.travel_document is False and result.to_dict()["travel_document"] is False
    assert (result.document_code, result.issuing_state) == ("FA", "CHE")
    assert result.document_number == "305142128097"  # the licence number: personal number and version
    assert result.optional_data == "AAA001D"  # the issuing authority, its office and the language
    assert (result.surname, result.given_names) == ("MARCHAND", "FABIENNE")
    assert result.birth_date == date(1980, 1, 26)
    assert (result.sex, result.nationality, result.expiry_date) == ("", "", None)
    assert [w.code for w in result.warnings] == [NOT_TRAVEL_DOCUMENT]
    assert parse(SWISS, today=TODAY, strict=True) == result


def test_the_french_licence_checks_both_digits() -> None:
    result = parse(FRENCH, today=TODAY)
    assert result.format == "FRA-DL" and result.valid and not result.travel_document
    assert (result.document_code, result.issuing_state, result.document_number) == ("D1", "FRA", "13AA00002")
    assert result.expiry_date == date(2018, 12, 31) and result.surname == "MARTIN"
    assert dict(result.checks) == {"document_number": True, "composite": True}
    # The first digit covers the line up to it; the second the line up to it.
    wrong_number_digit = FRENCH[:14] + "5" + FRENCH[15:]
    bad = parse(wrong_number_digit, today=TODAY, strict=True)
    assert not bad.valid and bad.checks["document_number"] is False
    (error,) = [e for e in bad.errors if e.code == CHECK_DIGIT and e.field == "document_number"]
    assert (error.expected, error.found, error.start) == ("6", "5", 14)
    wrong_composite = parse(FRENCH[:29] + "0", today=TODAY, strict=True)
    assert not wrong_composite.valid and wrong_composite.checks == {
        "document_number": True,
        "composite": False,
    }


def test_ocr_confusions_in_a_licence_are_repaired_by_field_type() -> None:
    noisy = parse("D1FRA13AA0000261B1231MART1N<<9", today=TODAY)
    assert noisy.valid and noisy.lines == (FRENCH,)
    assert [(c.column, c.from_, c.to) for c in noisy.corrections] == [(16, "B", "8"), (25, "1", "I")]
    swiss = parse(
        ["AAA001D<<", "FACHE30S142IZBO97<<8OO12G<<<<<", "MARCHAND<<FA81ENNE<<<<<<<<<<<<"], today=TODAY
    )
    assert swiss.valid and list(swiss.lines) == SWISS and len(swiss.corrections) == 10


def test_a_damaged_licence_is_reported_where_it_is_wrong() -> None:
    result = parse(
        ["AAA001D<<", "FACHE305142128?97<<800126<<<<<", "M4RCHAND<<FABI3NNE<<<<<<<<<<<<"], today=TODAY
    )
    assert result.format == "CHE-DL" and not result.valid
    assert {(e.field, e.line, e.start) for e in result.errors} == {
        ("document_number", 2, 14),
        ("names", 3, 1),
    }


def test_travel_documents_come_first() -> None:
    # A line shaped like a French licence before a TD1: the identity card is what is read.
    result = parse([FRENCH, *TD1], today=TODAY)
    assert result.format == "TD1" and result.travel_document
    assert {"TD1", "TD2", "TD3", "MRV-A", "MRV-B", "FRA-ID"} == TRAVEL_FORMATS


def test_licences_are_read_not_written() -> None:
    with pytest.raises(MRZCompositionError, match="format must be one of TD1"):
        compose(
            "FRA-DL",  # type: ignore[arg-type]
            issuing_state="FRA", surname="MARTIN", document_number="13AA00002", nationality="FRA",
            birth_date=date(1980, 1, 1), expiry_date=date(2030, 1, 1),
        )  # fmt: skip
