"""The Java and JavaScript peers' semantics mapped to ours: JMRTD, mrz-java and cheminfo/mrz.

A checker turns every expectation of a row into an assertion on our result (``to_dict()`` of mrz.md)
in the peer's own words; a key it cannot map fails the case, so nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from checkpoint.mrz import check_digit
from checkpoint.mrz.countries import country_name
from checkpoint.mrz.errors import MRZError
from tests.mrz.peer_suite_support import (
    FORMATS,
    Case,
    Expect,
    Ours,
    compose_lines,
    error_fields,
    given_names_of,
    holder_name,
    lenient,
    raw_date,
    rejected,
    strict,
    warning_codes,
    yymmdd,
)

# --- cheminfo/mrz (JS) ----------------------------------------------------------------------------
# Names fillers -> spaces in optional fields; sex as male/female/nonspecified; fields of a failed parse
# are null. Raw YYMMDD dates. Check-digit fields are the printed characters.

CHEMINFO: Mapping[str, Callable[[Ours], Any]] = {
    "documentCode": lambda o: o["document_code"],
    "issuingState": lambda o: o["issuing_state"],
    "nationality": lambda o: o["nationality"],
    "documentNumber": lambda o: o["document_number"],
    "birthDate": lambda o: yymmdd(o["birth_date"]),
    "expirationDate": lambda o: yymmdd(o["expiry_date"]),
    "sex": lambda o: {"M": "male", "F": "female", "<": "nonspecified"}.get(o["sex"], o["sex"]),
    "lastName": lambda o: o["surname"],
    "firstName": given_names_of,
    # cheminfo's optional1 is the whole printed field, a long document number's continuation included
    "optional1": lambda o: o["lines"][0][15:30].rstrip("<").replace("<", " "),
    "optional2": lambda o: o["optional_data_2"].replace("<", " "),
    "optional": lambda o: o["optional_data"].replace("<", " "),
    "personalNumber": lambda o: o["optional_data"].replace("<", " "),
}
# The Swiss driving licence's parts: line 1 (our optional_data) is the authority code, office and
# language; the licence number (our document_number) is the personal number and the version.
CHEMINFO_LICENCE: Mapping[str, Callable[[Ours], Any]] = {
    "languageCode": lambda o: o["optional_data"][6],
    "pinCode": lambda o: o["document_number"][:9],
    "versionNumber": lambda o: o["document_number"][9:12],
}
# cheminfo field -> our field that holds its value, for the fields it nulls when invalid.
CHEMINFO_FIELD_OF: Mapping[str, str] = {
    "versionNumber": "document_number",
    "firstName": "names",
    "lastName": "names",
}
CHEMINFO_CHECK_FIELDS: Mapping[str, str] = {
    "documentNumberCheckDigit": "document_number",
    "birthDateCheckDigit": "birth_date",
    "expirationDateCheckDigit": "expiry_date",
    "personalNumberCheckDigit": "optional_data",
    "compositeCheckDigit": "composite",
}


def check_cheminfo(case: Case, e: Expect) -> None:
    row, expected = case.row, case.row["expect"]
    if "throws" in expected:
        e.true("strict mode refuses what cheminfo throws on", rejected(row["mrz"]))
        return
    if "fields_equal_to_parse_of" in expected:
        # Autocorrection: the noisy lines must read as the clean ones, every change reported.
        noisy, clean = lenient(row["mrz"]), lenient(expected["fields_equal_to_parse_of"])
        for key in ("format", "document_code", "issuing_state", "surname", "given_names", "document_number",
                    "nationality", "birth_date", "sex", "expiry_date", "optional_data", "optional_data_2"):  # fmt: skip
            e.equal(f"autocorrected {key}", noisy[key], clean[key])
        e.equal("autocorrected lines", noisy["lines"], clean["lines"])
        expected_corrections = sum(len(group) for group in expected.get("autocorrect_by_detail", []))
        if expected_corrections:
            e.equal("number of corrections", len(noisy["corrections"]), expected_corrections)
        return
    ours = lenient(row["mrz"])
    e.equal("format", ours["format"], FORMATS[expected["format"]])
    e.equal("valid", ours["valid"], expected["valid"])
    fields = dict(expected.get("fields", {})) | dict(expected.get("fields_toBe", {}))
    if ours["format"] in ("CHE-DL", "FRA-DL"):
        # Border formats first: valid or not, a driving licence is never a travel document.
        e.equal("travel document", ours["travel_document"], False)
        e.true("said to be no travel document", "not_travel_document" in warning_codes(ours))
    if "documentNumber" in expected:
        # French ID: cheminfo's top-level documentNumber is the whole 12-character number. Swiss
        # driving licence: the licence number (personal number and version); its field of that name
        # is line 1, which is our optional_data.
        e.equal(
            "documentNumber",
            ours["document_number"] if expected["valid"] else None,
            expected["documentNumber"],
        )
        fields.pop("documentNumber", None)  # its field of that name is only the serial part
    for key, theirs in fields.items():
        if key in CHEMINFO_CHECK_FIELDS:
            if theirs is not None and expected["valid"]:
                e.true(f"{key} verified", ours["checks"][CHEMINFO_CHECK_FIELDS[key]] is True)
        elif theirs is None and not expected["valid"] and key in CHEMINFO_FIELD_OF:
            # cheminfo nulls a field it finds invalid; we keep the value as read and report an error on
            # the field that holds it.
            e.true(f"{key} is in error", CHEMINFO_FIELD_OF[key] in error_fields(ours))
        elif key in CHEMINFO:
            e.equal(key, CHEMINFO[key](ours), theirs)
        elif key in CHEMINFO_LICENCE:
            e.equal(key, CHEMINFO_LICENCE[key](ours), theirs)
        elif key in ("administrativeCode", "issueDate", "administrativeCode2"):
            # French ID parts: the office code is our optional_data; issue date and department are
            # the first 7 characters of our document number.
            if key == "administrativeCode":
                e.equal(key, ours["optional_data"], theirs)
            elif theirs is not None:
                offset = {"issueDate": (0, 4), "administrativeCode2": (4, 7)}[key]
                e.equal(key, ours["document_number"][offset[0] : offset[1]], theirs)
        else:
            e.unmapped(key)
    if "invalid_details_count" in expected and not expected["valid"]:
        e.true("at least one error", len(ours["errors"]) >= 1)
    for assertion in expected.get("details_assertions", []):
        value = assertion["value"]
        if value.get("valid") is False and value.get("field") in CHEMINFO_FIELD_OF:
            e.true(f"{value['field']} is in error", CHEMINFO_FIELD_OF[value["field"]] in error_fields(ours))
        elif value.get("valid") is False and "field" in value:
            field_name = {"documentNumberCheckDigit": "document_number"}.get(value["field"], value["field"])
            e.equal(f"{field_name} check fails", ours["checks"].get(field_name), False)
        elif assertion["target"] == "birthDateDetails":
            e.equal("birth date check fails", ours["checks"]["birth_date"], False)
        elif "Details" in assertion["target"] or assertion["target"] in ("optional1", "optional2"):
            pass  # cheminfo's own per-field detail objects (labels, ranges); the values are compared above
        elif assertion["target"] == "detailedCheckDigit":
            e.equal("document number check", ours["checks"]["document_number"], True)
        elif "wrongDetails" in assertion["target"]:
            check = "optional_data" if "personalNumber" in assertion["target"] else "composite"
            e.equal(f"{check} check fails", ours["checks"][check], False)
    e.true("cheminfo row asserted", e.count > 0)


# --- mrz-java (innovatrics) -----------------------------------------------------------------------
# Dates as {year (2 digits), month, day}; names joined with ", " in French IDs; '<' inside numbers as ' '.

MRZ_JAVA: Mapping[str, Callable[[Ours], Any]] = {
    "validDateOfBirth": lambda o: o["checks"]["birth_date"] and "birth_date" not in error_fields(o),
    "validExpirationDate": lambda o: o["checks"]["expiry_date"] and "expiry_date" not in error_fields(o),
    "validDocumentNumber": lambda o: o["checks"]["document_number"],
    "validComposite": lambda o: o["checks"]["composite"],
    "dateOfBirth.isDateValid": lambda o: o["birth_date"] is not None,
    "expirationDate.isDateValid": lambda o: o["expiry_date"] is not None,
    "dateOfBirth.toMrz": lambda o: o["lines"][1][13:19] if o["format"] == "TD3" else None,
    "code1": lambda o: o["lines"][0][0],
    "code2": lambda o: o["lines"][0][1],
    "issuingCountry": lambda o: o["issuing_state"],
    "nationality": lambda o: o["nationality"],
    "documentNumber": lambda o: o["document_number"].replace("<", " "),
    "optional": lambda o: o["optional_data"],
    "optional2": lambda o: o["optional_data_2"],
    "personalNumber": lambda o: o["optional_data"],
    "sex": lambda o: {"M": "Male", "F": "Female"}.get(o["sex"], o["sex"]),
    "surname": lambda o: o["surname"],
    # mrz-java joins the French ID's given names (separated by << on the card) with ", "
    "givenNames": lambda o: (
        o["given_names"].replace(" ", ", ") if o["format"] == "FRA-ID" else o["given_names"]
    ),
    "code": lambda o: "Type" + o["lines"][0][0],
}


def _java_date(iso: str | None) -> dict[str, int] | None:
    if iso is None:
        return None
    return {"year": int(iso[2:4]), "month": int(iso[5:7]), "day": int(iso[8:10])}


def check_mrz_java_innovatrics(case: Case, e: Expect) -> None:
    row, expected = case.row, case.row["expect"]
    if row.get("kind") == "generator":
        # The encoder's output, valid by construction: we read it back as valid.
        e.equal("encoder output is valid", lenient(row["mrz"])["valid"], True)
        return
    # Judge dates on the lines exactly as printed: lenient mode would repair B -> 8 in a date.
    result = strict(row["mrz"])
    assert not isinstance(result, MRZError), f"{case.id}: {result}"
    ours = result
    for key, theirs in expected.items():
        if key in ("dateOfBirth", "expirationDate"):
            ours_date = _java_date(ours["birth_date" if key == "dateOfBirth" else "expiry_date"])
            if theirs.get("isDateValid") is False:
                e.equal(f"{key} is invalid", ours_date, None)
            else:
                e.equal(key, ours_date, {k: theirs[k] for k in ("year", "month", "day")})
        elif key.startswith("parseDate(line2["):
            iso = ours["birth_date"] if key.startswith("parseDate(line2[0:6]") else ours["expiry_date"]
            e.equal(key, _java_date(iso), theirs)
        elif key in MRZ_JAVA:
            e.equal(key, MRZ_JAVA[key](ours), theirs)
        elif key in ("comment", "note", "format"):
            pass
        else:
            e.unmapped(key)


# --- JMRTD ----------------------------------------------------------------------------------------
# Fillers trimmed; names as primary and secondary identifiers; raw YYMMDD; gender as MALE/FEMALE;
# toString() re-encodes the fields, so a round trip means fields in -> the same lines out.

JMRTD: Mapping[str, Callable[[Ours], Any]] = {
    "documentCode": lambda o: o["lines"][0][:2].rstrip("<"),
    "nationality_equalsModuloFillerChars": lambda o: o["nationality"],  # compared without fillers
    "issuingState_equalsModuloFillerChars": lambda o: o["issuing_state"],
    "issuingState": lambda o: o["issuing_state"],
    "nationality": lambda o: o["nationality"],
    "primaryIdentifier": lambda o: o["surname"],
    "secondaryIdentifier": given_names_of,
    "secondaryIdentifierComponents": lambda o: o["given_names"].split(),
    "documentNumber": lambda o: o["document_number"],
    "dateOfBirth": lambda o: yymmdd(o["birth_date"]),
    "dateOfExpiry": lambda o: yymmdd(o["expiry_date"]),
    "genderCode": lambda o: {"M": "MALE", "F": "FEMALE"}.get(o["sex"], "UNSPECIFIED"),
    "optionalData1": lambda o: o["optional_data"],
    "optionalData2": lambda o: o["optional_data_2"] if o["format"] == "TD1" else None,
    "nameOfHolder": holder_name,
    "len(optionalData1)": lambda o: len(o["optional_data"]),
    "documentNumber(constructed equal)": lambda o: o["document_number"],
}


def recompose(ours: Ours) -> list[str]:
    """Our fields back through our ``compose``: the equivalent of JMRTD's ``toString()``."""
    return compose_lines(
        ours["format"],
        document_code=ours["lines"][0][:2].rstrip("<"),
        issuing_state=ours["issuing_state"],
        surname=ours["surname"],
        given_names=ours["given_names"],
        document_number=ours["document_number"],
        nationality=ours["nationality"],
        birth_date=date.fromisoformat(ours["birth_date"]),
        sex=ours["sex"],
        expiry_date=date.fromisoformat(ours["expiry_date"]),
        optional_data=ours["optional_data"],
        **({"optional_data_2": ours["optional_data_2"]} if ours["format"] == "TD1" else {}),
    )


def printed_form(lines: Sequence[str]) -> list[str]:
    """Lines with an empty TD3 personal number's check digit written ``<``, the way JMRTD's samples print it.

    mrz.md: ``<`` and ``0`` are both valid there (Germany, Austria, Switzerland print ``<``); our
    ``compose`` writes ``0``. Both forms mean the same document.
    """
    out = list(lines)
    if len(out) == 2 and len(out[1]) == 44 and out[0][0] == "P" and out[1][28:42] == "<" * 14:
        out[1] = out[1][:42] + "<" + out[1][43]
    return out


def check_jmrtd(case: Case, e: Expect) -> None:
    row, expected = case.row, case.row["expect"]
    if row["mrz"] is None:  # a constructor test: fields in, our compose, our parse
        fields = expected["constructed_fields"]
        lines = compose_lines(
            "MRV-A", document_code="V", issuing_state=fields[1], surname=fields[2], given_names=fields[3],
            document_number=fields[4], nationality=fields[5], birth_date=raw_date(fields[6], "birth"),
            sex=fields[7][0], expiry_date=raw_date(fields[8], "expiry"), optional_data=fields[9],
        )  # fmt: skip
        ours = lenient(lines)
        e.equal("documentCode", ours["document_code"], expected["documentCode"])
        e.equal("optionalData1", ours["optional_data"], expected["optionalData1"])
        e.equal("valid", ours["valid"], True)
        return
    if "raises" in expected:
        e.true("strict mode refuses what JMRTD rejects", rejected(row["mrz"]))
        return
    ours = lenient(row["mrz"])
    for key, theirs in expected.items():
        if key in (
            "roundtrip_toString_equals_input",
            "equals_reparse",
            "equals_after_reconstruct_from_fields",
        ):
            e.equal("read lines", ours["lines"], row["mrz"])
            e.equal(
                "fields -> compose -> the same lines", printed_form(recompose(ours)), printed_form(row["mrz"])
            )
        elif key == "encoded_length":
            e.equal(key, sum(len(line) for line in ours["lines"]), theirs)
        elif key in ("equals_createTD3MRZInfo", "equals_createTD1MRZInfo", "constructed_from"):
            e.equal(
                "fields -> compose -> the same lines", printed_form(recompose(ours)), printed_form(row["mrz"])
            )
        elif key == "personalNumber_equals_that_of":
            e.equal(key, ours["optional_data"], lenient(theirs)["optional_data"])
        elif key == "documentNumber_len_le":
            e.true(key, len(ours["document_number"]) <= theirs)
        elif key == "documentNumber_contains_filler":
            e.equal(key, "<" in ours["document_number"], theirs)
        elif key == "ICAOCountry.getInstance(nationality)":
            e.equal(key, country_name(ours["nationality"]), "Germany")
        elif key in ("composite", "composite_checkDigit_input"):
            if key == "composite":
                e.equal(key, ours["lines"][1][29], theirs)
                e.equal("composite verified", ours["checks"]["composite"], True)
            else:
                e.equal(key, check_digit(theirs), expected["composite"])
        elif key in JMRTD:
            e.equal(key, JMRTD[key](ours), theirs.strip("<") if "ModuloFiller" in key else theirs)
        elif key == "note":
            if "create" in row["api"] or "toString" in row["api"]:
                e.equal("encoder output reads back valid", ours["valid"], True)
        else:
            e.unmapped(key)
