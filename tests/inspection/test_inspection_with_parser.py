"""The engine on real :func:`checkpoint.mrz.parse` results: the Protocol fits the parser's result."""

from __future__ import annotations

from datetime import date

from inspection_builders import DocAlert, DocList

from checkpoint.inspection import DocumentLike, Status, Suggestion, inspect
from checkpoint.mrz import parse

SPECIMEN = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def test_icao_specimen_as_in_the_design_sketch(ctx):
    result: DocumentLike = parse(SPECIMEN, today=date(2026, 11, 27))
    inspection = inspect(result, ctx())
    statuses = {r.check_id: (r.status, r.message) for r in inspection.results}
    assert statuses["mrz.validity"] == (Status.PASS, "MRZ check digits (5/5)")
    assert statuses["document.dates"] == (Status.FAIL, "Document expired 14 years ago (2012-04-15)")
    assert statuses["document.specimen"][0] is Status.FAIL
    assert statuses["person.minor"] == (Status.PASS, "Adult (52)")
    assert inspection.suggestion is Suggestion.REFER


def test_bad_check_digit_fails_mrz_validity_with_the_parser_message(ctx):
    damaged = [SPECIMEN[0], SPECIMEN[1][:9] + "7" + SPECIMEN[1][10:]]
    result = parse(damaged, today=date(2026, 11, 27), strict=True)
    inspection = inspect(result, ctx())
    validity = inspection.by_id("mrz.validity")
    assert validity.status is Status.FAIL
    assert validity.message.startswith("MRZ invalid: ")
    assert result.errors[0].message in validity.message


def test_watchlisted_specimen_number_from_the_parser(ctx):
    result = parse(SPECIMEN, today=date(2026, 11, 27))
    alerts = DocList([DocAlert("L898902C3", "UTO", "P", "STOLEN", "SLTD-9")])
    assert inspect(result, ctx(document_watchlist=alerts)).by_id("watchlist.document").status is Status.FAIL


def test_a_driving_licence_is_refused_as_no_travel_document(ctx):
    # Valid as a licence (both check digits agree), and still no document to cross a border with.
    result = parse("D1FRA13AA000026181231MARTIN<<9", today=date(2026, 11, 27))
    assert result.valid and not result.travel_document
    inspection = inspect(result, ctx())
    validity = inspection.by_id("mrz.validity")
    assert validity.status is Status.FAIL
    assert validity.message == "Not a travel document: a driving licence (FRA-DL) permits no border crossing"
    assert inspection.suggestion is Suggestion.REFER
