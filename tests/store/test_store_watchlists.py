"""Watchlist import: both CSV formats, every bad line reported with its number, nothing half-imported."""

from __future__ import annotations

from datetime import date

import pytest

from checkpoint.inspection import InspectionContext, Status, inspect
from checkpoint.store import InvalidRecord, StoreError, StoreUnavailable, WatchlistImportError

DOCUMENTS = """document_number,issuing_state,document_type,reason,reference
L898902C3,UTO,P,STOLEN,SLTD-1
AB 123-4567,mne,,LOST,
X1,D,I,REVOKED,NAT-7
"""

PERSONS = """\ufeffsurname,given_names,birth_date,nationality,reason,reference
Müller,Hans-Peter,1970-01-31,D,Refusal of entry,SIS-123
"O'Brien",,,,Wanted,SIS-124
"""


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_document_list_imports_with_version_and_date(store, tmp_path, clock):
    info = store.import_watchlist(
        "documents",
        write(tmp_path, "sltd.csv", DOCUMENTS),
        actor="MNE-0412",
        version="2026-11-26.1",
        list_date=date(2026, 11, 26),
    )
    assert (info.kind, info.version, info.list_date, info.entry_count, info.source_name) == (
        "documents",
        "2026-11-26.1",
        date(2026, 11, 26),
        3,
        "sltd.csv",
    )
    assert store.watchlist_info("documents") == info
    view = store.document_watchlist()
    assert view is not None and view.version == "2026-11-26.1"
    (entry,) = view.lookup("AB1234567", "MNE")
    assert (entry.document_type, entry.reason, entry.reference) == (None, "LOST", "")
    assert view.lookup("x1", "D<<")[0].document_type == "I"
    assert view.lookup("L898902C3", "SRB") == []
    event = store.audit_events()[-1]
    assert (event.action, event.subject, event.details["entries"]) == ("watchlist.import", "documents", 3)


def test_defaults_version_from_content_and_date_from_clock(store, tmp_path, clock):
    info = store.import_watchlist("documents", write(tmp_path, "a.csv", DOCUMENTS), actor="x")
    assert len(info.version) == 12 and info.list_date == clock.now.date()


def test_person_list_imports_and_candidates_come_by_birth_date(store, tmp_path):
    store.import_watchlist("persons", write(tmp_path, "p.csv", PERSONS), actor="x")
    view = store.person_watchlist()
    assert view is not None
    assert sorted(e.surname for e in view.candidates(date(1970, 1, 31))) == ["Müller", "O'Brien"]
    assert [e.surname for e in view.candidates(date(1990, 1, 1))] == ["O'Brien"]  # unknown birth date
    assert len(view.candidates(None)) == 2
    assert view.candidates(date(1970, 1, 31))[0].nationality in ("D", None)


def test_store_lists_feed_the_checks(store, tmp_path, shift):
    from dataclasses import dataclass, field
    from datetime import UTC, datetime

    @dataclass(frozen=True)
    class Read:
        format: str = "TD3"
        valid: bool = True
        document_code: str = "P"
        issuing_state: str = "D"
        surname: str = "MUELLER"
        given_names: str = "HANS PETER"
        document_number: str = "C01234567"
        nationality: str = "D"
        birth_date: date | None = date(1970, 1, 31)
        sex: str = "M"
        expiry_date: date | None = date(2030, 1, 1)
        checks: dict[str, bool] = field(default_factory=dict)
        errors: tuple[object, ...] = ()
        corrections: tuple[object, ...] = ()

    store.import_watchlist(
        "persons", write(tmp_path, "p.csv", PERSONS), actor="x", list_date=date(2026, 11, 26)
    )
    now = datetime(2026, 11, 27, 8, tzinfo=UTC)
    context = InspectionContext(
        now=now,
        today=now.date(),
        direction="entry",
        history=store.document_history("C01234567", "D"),
        document_watchlist=store.document_watchlist(),
        person_watchlist=store.person_watchlist(),
    )
    inspection = inspect(Read(), context)
    assert inspection.by_id("watchlist.person").status is Status.FAIL
    assert inspection.by_id("watchlist.document").status is Status.NOT_RUN  # no document list imported


def test_every_bad_line_is_reported_and_nothing_is_imported(store, tmp_path):
    store.import_watchlist("documents", write(tmp_path, "good.csv", DOCUMENTS), actor="x", version="good")
    bad = (
        "document_number,issuing_state,document_type,reason,reference\n"
        "L898902C3,UTO,P,STOLEN,A\n"
        "L898902C3,ZZX,P,STOLEN,B\n"
        ",UTO,P,STOLEN,C\n"
        "L898902C3,UTO,PP,,D\n"
        "L898902C3,UTO,P\n"
        "L898902C3,UTO,P,\x1b[31mred,E\n"
    )
    with pytest.raises(WatchlistImportError) as caught:
        store.import_watchlist("documents", write(tmp_path, "bad.csv", bad), actor="x")
    problems = caught.value.problems
    assert problems == (
        (3, "issuing_state 'ZZX' is not an ICAO 9303 state or organisation code"),
        (4, "document_number is empty"),
        (5, "document_type 'PP' must be one letter (P, I, A, C, V) or blank"),
        (5, "reason is empty"),
        (6, "expected 5 fields (document_number,issuing_state,document_type,reason,reference), found 3"),
        (7, "reason contains a control character"),
    )
    assert f"{tmp_path / 'bad.csv'}:3: issuing_state 'ZZX'" in str(caught.value)
    assert store.watchlist_info("documents").version == "good"  # the loaded list is untouched


def test_header_problems_are_on_line_one(store, tmp_path):
    with pytest.raises(WatchlistImportError) as caught:
        store.import_watchlist("persons", write(tmp_path, "h.csv", "name,dob\nA,B\n"), actor="x")
    assert caught.value.problems[0][0] == 1
    assert "unknown column(s) name, dob" in caught.value.problems[0][1]
    assert "missing column(s) surname, reason" in caught.value.problems[1][1]


def test_person_field_errors(store, tmp_path):
    text = "surname,birth_date,nationality,reason\n123,1970-02-30,XX9,x\nSmith,31.01.1970,,x\n"
    with pytest.raises(WatchlistImportError) as caught:
        store.import_watchlist("persons", write(tmp_path, "p.csv", text), actor="x")
    assert caught.value.problems == (
        (2, "surname has no letters"),
        (2, "birth_date '1970-02-30' is not a date YYYY-MM-DD"),
        (2, "nationality 'XX9' is not an ICAO 9303 state or organisation code"),
        (3, "birth_date '31.01.1970' is not a date YYYY-MM-DD"),
    )


def test_not_utf8_reports_line_and_column(store, tmp_path):
    data = b"surname,reason\nSmith,x\n" + b"M\xfcller,x\n"
    with pytest.raises(WatchlistImportError) as caught:
        store.import_watchlist("persons", write(tmp_path, "latin1.csv", data), actor="x")
    assert caught.value.problems == ((3, "not UTF-8 text: byte 0xFC at column 2"),)


def test_empty_file_and_empty_list_are_refused(store, tmp_path):
    with pytest.raises(WatchlistImportError, match="empty file"):
        store.import_watchlist("documents", write(tmp_path, "e.csv", ""), actor="x")
    with pytest.raises(WatchlistImportError, match="would clear the loaded one"):
        store.import_watchlist(
            "documents", write(tmp_path, "h.csv", "document_number,issuing_state,reason\n"), actor="x"
        )


def test_malformed_csv_quote_is_reported(store, tmp_path):
    text = 'surname,reason\n"Smith,x\n'
    with pytest.raises(WatchlistImportError, match="malformed CSV"):
        store.import_watchlist("persons", write(tmp_path, "q.csv", text), actor="x")


def test_missing_file_and_unknown_kind(store, tmp_path):
    with pytest.raises(StoreUnavailable, match="cannot read"):
        store.import_watchlist("documents", tmp_path / "absent.csv", actor="x")
    with pytest.raises(InvalidRecord, match="kind"):
        store.import_watchlist("vehicles", tmp_path / "absent.csv", actor="x")  # type: ignore[arg-type]


def test_a_replaced_list_view_refuses_instead_of_answering_empty(store, tmp_path):
    store.import_watchlist("documents", write(tmp_path, "a.csv", DOCUMENTS), actor="x", version="one")
    old_view = store.document_watchlist()
    store.import_watchlist("documents", write(tmp_path, "b.csv", DOCUMENTS), actor="x", version="two")
    with pytest.raises(StoreError, match="replaced"):
        old_view.lookup("L898902C3", "UTO")
    assert store.document_watchlist().lookup("L898902C3", "UTO")[0].reference == "SLTD-1"
