"""Sample documents: each label means what it says once the MRZ is parsed, and the stream is repeatable."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from checkpoint.mocks.documents import (
    FORMATS,
    LABELS,
    SPECIMEN,
    WATCHLISTED,
    sample_document,
    sample_documents,
    spoil_check_digit,
    watchlisted_identities,
)

from checkpoint.mrz import parse

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize("document_format", FORMATS)
@pytest.mark.parametrize("label", LABELS)
def test_every_label_in_every_format_parses_to_its_ground_truth(label: str, document_format: str) -> None:
    document = sample_document(label, document_format, seed=5, today=TODAY)
    fields = document.fields
    assert document.label == label and document.format == document_format
    result = parse(document.lines, today=TODAY)
    assert result.format == document_format
    assert result.document_number == fields["document_number"]
    assert result.birth_date == fields["birth_date"]
    assert result.expiry_date == fields["expiry_date"]
    assert result.issuing_state == fields["issuing_state"] and result.nationality == fields["nationality"]
    assert result.valid is (label != "bad-check-digit"), result.to_dict()["errors"]

    expiry = fields["expiry_date"]
    birth = fields["birth_date"]
    issued = fields["issue_date"]
    assert isinstance(expiry, date) and isinstance(birth, date) and isinstance(issued, date)
    age = (TODAY - birth).days / 365.25
    if label == "expired":
        assert expiry < TODAY
    elif label == "expiring":
        assert TODAY <= expiry <= TODAY + timedelta(days=90)
    else:
        assert expiry > TODAY + timedelta(days=90) or (label == "minor" and expiry > TODAY)
    if label == "not-yet-valid":
        assert issued > TODAY
    else:
        assert issued <= TODAY
    assert (age < 18) is (label == "minor")
    if label == "specimen":
        assert (result.surname, result.issuing_state) == (SPECIMEN.surname, "UTO")
    if label == "watchlisted":
        assert any(fields["document_number"] == person.document_number for person in WATCHLISTED)
    else:
        assert all(fields["document_number"] != person.document_number for person in WATCHLISTED)


@pytest.mark.parametrize("document_format", FORMATS)
def test_bad_check_digit_is_the_document_numbers_and_no_repair_hides_it(document_format: str) -> None:
    for seed in range(25):
        document = sample_document("bad-check-digit", document_format, seed=seed, today=TODAY)
        result = parse(document.lines, today=TODAY).to_dict()
        errors = result["errors"]
        assert isinstance(errors, list) and not result["corrections"]
        # the composite check digit covers the document number's, so it fails too
        assert [error["field"] for error in errors] in (["document_number"], ["document_number", "composite"])


def test_watchlisted_identities_are_exposed_for_the_demo() -> None:
    identities = watchlisted_identities()
    assert identities == WATCHLISTED and len(identities) >= 2
    seen = {
        document.fields["surname"]
        for document in itertools.islice(sample_documents("td3", seed=1, today=TODAY), 80)
        if document.label == "watchlisted"
    }
    assert seen == {person.surname for person in identities}


def test_stream_is_deterministic_and_covers_every_label_each_eight() -> None:
    first = list(itertools.islice(sample_documents("mixed", seed=9, today=TODAY), 16))
    again = list(itertools.islice(sample_documents("mixed", seed=9, today=TODAY), 16))
    other = list(itertools.islice(sample_documents("mixed", seed=10, today=TODAY), 16))
    assert first == again and first != other
    assert sorted(document.label for document in first[:8]) == sorted(LABELS)
    assert sorted(document.label for document in first[8:]) == sorted(LABELS)
    assert {document.format for document in itertools.islice(sample_documents("mrv", today=TODAY), 20)} == {
        "MRV-A",
        "MRV-B",
    }


def test_today_moves_the_dates() -> None:
    later = TODAY + timedelta(days=400)
    assert sample_document("expired", today=later).fields["expiry_date"] < later  # type: ignore[operator]
    assert sample_document("valid", today=TODAY) == sample_document("valid", today=TODAY)


def test_unknown_label_format_or_kind() -> None:
    with pytest.raises(ValueError, match="unknown sample label 'stolen'"):
        sample_document("stolen")
    with pytest.raises(ValueError, match="unknown format 'TD9'"):
        sample_document("valid", "TD9")
    with pytest.raises(ValueError, match=r"expected td1\|td2\|td3\|mrv\|mixed"):
        next(sample_documents("passport"))


def test_spoil_check_digit_changes_exactly_one_character() -> None:
    lines = sample_document("valid", "TD1", today=TODAY).lines
    spoiled = spoil_check_digit(lines)
    differences = [
        (row, column)
        for row in range(3)
        for column in range(30)
        if lines[row][column] != spoiled[row][column]
    ]
    assert differences == [(0, 14)]
    with pytest.raises(ValueError):
        spoil_check_digit(("SHORT",))


def test_generated_travellers_carry_the_sex_their_given_names_are_usually_borne_with() -> None:
    # An officer reviewing the demo should not see "LENA MARIE, M": the sex comes with the given names.
    usual = {"LENA MARIE": "F", "ANNA SOFIA": "F", "MARIA": "F", "KLAUS": "M", "PIOTR": "M", "SEAN": "M"}
    seen = 0
    for document in itertools.islice(sample_documents("mixed", seed=3, today=TODAY), 200):
        given = document.fields["given_names"]
        if given in usual and document.label != "specimen":
            assert document.fields["sex"] == usual[given], (given, document.fields["sex"])
            seen += 1
    assert seen > 20
