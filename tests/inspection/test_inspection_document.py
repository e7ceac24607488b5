"""Checks on the document: MRZ validity, validity dates, specimen, country codes."""

from __future__ import annotations

from datetime import date

from inspection_builders import Issue

from checkpoint.inspection import InspectionConfig, Status
from checkpoint.inspection.checks_document import COUNTRY_CODES, MRZ_VALIDITY, SPECIMEN, VALIDITY_DATES


def test_valid_mrz_passes_with_digit_count(doc, ctx):
    result = MRZ_VALIDITY.run(doc(), ctx())
    assert (result.status, result.message) == (Status.PASS, "MRZ check digits (5/5)")
    assert (result.check_id, result.version) == ("mrz.validity", 1)


def test_invalid_mrz_fails_with_first_error(doc, ctx):
    document = doc(
        valid=False,
        checks={"document_number": False, "birth_date": True},
        errors=[Issue("document number check digit: expected 6, found 7 (line 2, column 10)"), Issue("x")],
    )
    result = MRZ_VALIDITY.run(document, ctx())
    assert result.status is Status.FAIL
    assert (
        result.message
        == "MRZ invalid: document number check digit: expected 6, found 7 (line 2, column 10) (+1 more)"
    )


def test_invalid_mrz_errors_as_dicts_from_json(doc, ctx):
    document = doc(valid=False, errors=[{"code": "check_digit", "message": "composite check digit wrong"}])
    assert MRZ_VALIDITY.run(document, ctx()).message == "MRZ invalid: composite check digit wrong"


def test_corrected_read_passes_but_asks_to_compare(doc, ctx):
    result = MRZ_VALIDITY.run(doc(corrections=[object(), object()]), ctx())
    assert result.status is Status.PASS
    assert "after 2 read corrections" in result.message
    assert result.details == {"corrections": 2}


def test_expired_document_fails_with_span_and_code(doc, ctx):
    result = VALIDITY_DATES.run(doc(expiry_date=date(2012, 4, 15)), ctx())
    assert result.status is Status.FAIL
    assert result.message == "Document expired 14 years ago (2012-04-15)"
    assert result.refusal_code == "A"


def test_expired_yesterday_fails_and_expiring_today_warns(doc, ctx):
    assert VALIDITY_DATES.run(doc(expiry_date=date(2026, 11, 26)), ctx()).message == (
        "Document expired 1 day ago (2026-11-26)"
    )
    today = VALIDITY_DATES.run(doc(expiry_date=date(2026, 11, 27)), ctx())
    assert (today.status, today.message) == (Status.WARN, "Document expires today (2026-11-27)")


def test_expiry_margin_is_configurable_and_inclusive(doc, ctx):
    config = InspectionConfig(expiry_warning_days=30)
    at_margin = VALIDITY_DATES.run(doc(expiry_date=date(2026, 12, 27)), ctx(config))
    assert (at_margin.status, at_margin.message) == (Status.WARN, "Document expires in 30 days (2026-12-27)")
    after = VALIDITY_DATES.run(doc(expiry_date=date(2026, 12, 28)), ctx(config))
    assert (after.status, after.message) == (Status.PASS, "Valid until 2026-12-28; issue date unknown")


def test_not_yet_valid_when_issue_date_is_in_the_future(doc, ctx):
    result = VALIDITY_DATES.run(doc(), ctx(issue_date=date(2026, 11, 28), issue_date_source="manual entry"))
    assert (result.status, result.message) == (
        Status.FAIL,
        "Document not yet valid: issued 2026-11-28 (per manual entry)",
    )
    issued = VALIDITY_DATES.run(doc(), ctx(issue_date=date(2020, 1, 2), issue_date_source="chip DG12"))
    assert issued.status is Status.PASS and "issued per chip DG12" in issued.message
    assert VALIDITY_DATES.run(doc(), ctx(issue_date=date(2026, 11, 27))).status is Status.PASS


def test_unreadable_expiry_is_not_run(doc, ctx):
    result = VALIDITY_DATES.run(doc(expiry_date=None), ctx())
    assert result.status is Status.NOT_RUN


def test_specimen_by_issuer_number_and_name_fails_outside_training(doc, ctx):
    by_issuer = SPECIMEN.run(doc(issuing_state="UTO"), ctx())
    assert (by_issuer.status, by_issuer.message) == (
        Status.FAIL,
        "Specimen document: issuer UTO is the ICAO example state",
    )
    assert SPECIMEN.run(doc(document_number="C01X00T47", issuing_state="D"), ctx()).status is Status.FAIL
    assert SPECIMEN.run(doc(surname="MUSTERMANN", given_names="ERIKA"), ctx()).status is Status.FAIL
    training = SPECIMEN.run(doc(issuing_state="UTO"), ctx(training=True))
    assert (training.status, training.message) == (
        Status.WARN,
        "Specimen document (training): issuer UTO is the ICAO example state",
    )
    full_name = SPECIMEN.run(doc(surname="ERIKSSON", given_names="ANNA  MARIA"), ctx())
    assert "specimen name" in full_name.message


def test_common_surname_of_a_specimen_is_not_a_specimen(doc, ctx):
    result = SPECIMEN.run(doc(surname="ERIKSSON", given_names="LARS", issuing_state="SWE"), ctx())
    assert (result.status, result.message) == (Status.PASS, "Not a known specimen")


def test_specimen_without_any_identifying_data_is_not_run(doc, ctx):
    result = SPECIMEN.run(doc(issuing_state="", document_number="", surname=""), ctx())
    assert result.status is Status.NOT_RUN


def test_known_codes_pass_with_names(doc, ctx):
    result = COUNTRY_CODES.run(doc(issuing_state="D", nationality="D"), ctx())
    assert (result.status, result.message) == (Status.PASS, "Issuer and nationality D Germany")
    mixed = COUNTRY_CODES.run(doc(issuing_state="MNE", nationality="SRB"), ctx())
    assert mixed.message == "Issuer MNE Montenegro, nationality SRB Serbia"


def test_unknown_code_fails_naming_the_field(doc, ctx):
    result = COUNTRY_CODES.run(doc(issuing_state="ZZX", nationality="MNE"), ctx())
    assert (result.status, result.message) == (Status.FAIL, "Unknown country code: issuer ZZX")


def test_missing_codes(doc, ctx):
    assert COUNTRY_CODES.run(doc(issuing_state="", nationality=""), ctx()).status is Status.NOT_RUN
    one = COUNTRY_CODES.run(doc(issuing_state="MNE", nationality=""), ctx())
    assert (one.status, one.message) == (Status.WARN, "Country codes: nationality unreadable")
