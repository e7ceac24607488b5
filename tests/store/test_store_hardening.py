"""Hostile input at the store's edges: a huge retention, a damaged row, control characters in free
text, a bare CR in a CSV cell, a watchlist with an enormous line."""

from __future__ import annotations

import csv
import io
import sqlite3
import tracemalloc

import pytest
from store_builders import crossing

from checkpoint.cli import main
from checkpoint.store import CorruptRecord, CrossingQuery, InvalidRecord, WatchlistImportError
from checkpoint.store.watchlist_csv import MAX_LINE_BYTES


def test_purge_with_an_absurd_retention_is_a_clear_refusal(store, db_path, capsys):
    with pytest.raises(InvalidRecord, match="reaches back before the year 1"):
        store.purge(99999999999, actor="admin")
    store.close()
    assert main(["purge", "--older-than", "99999999999", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "before the year 1" in err and "Traceback" not in err


def test_export_of_a_damaged_row_names_it(store, shift, db_path, capsys):
    kept = store.record_crossing(crossing(shift.shift_id))
    damaged = store.record_crossing(crossing(shift.shift_id, document_number="CD7654321"))
    with sqlite3.connect(db_path) as raw:
        raw.execute("DROP TRIGGER crossings_no_update")
        raw.execute(
            "UPDATE crossings SET birth_date = 'not a date' WHERE crossing_id = ?", (damaged.crossing_id,)
        )
    with pytest.raises(CorruptRecord, match=damaged.crossing_id):
        store.export_crossings(io.StringIO(), actor="admin")
    store.close()
    assert main(["export", "--db", str(db_path)]) == 2
    captured = capsys.readouterr()
    assert f"Damaged record: crossing {damaged.crossing_id}" in captured.err
    assert "Traceback" not in captured.err and kept.crossing_id not in captured.err


@pytest.mark.parametrize("text", ["needs\rsecondary", "line\none", "esc\x1b[2J", "bell\x07", "c1\x9b"])
def test_free_text_with_control_characters_is_refused(store, shift, text):
    with pytest.raises(InvalidRecord, match="control character"):
        store.record_crossing(crossing(shift.shift_id, decision="refer", override_reason=text))
    with pytest.raises(InvalidRecord, match="control character"):
        store.record_crossing(crossing(shift.shift_id, decision="refuse", reason_codes=(text,)))
    with pytest.raises(InvalidRecord, match="control character"):
        store.search_crossings(CrossingQuery(text="X"), purpose=text, actor="MNE-0412")
    with pytest.raises(InvalidRecord, match="control character"):
        store.close_shift(shift.shift_id, text)
    with pytest.raises(InvalidRecord, match="control character"):
        store.open_shift("MNE-0412", text, "2", "entry")


def test_a_bare_cr_in_a_cell_is_quoted_and_does_not_split_the_row(store, shift, db_path):
    # Written before the store refused it (or through the file): the export must still keep the row whole.
    record = store.record_crossing(crossing(shift.shift_id, decision="refer", override_reason="x"))
    with sqlite3.connect(db_path) as raw:
        raw.execute("DROP TRIGGER crossings_no_update")
        raw.execute(
            "UPDATE crossings SET override_reason = 'two\rlines', surname = 'O\"BRIEN,J' WHERE crossing_id = ?",
            (record.crossing_id,),
        )
    out = io.StringIO()
    store.export_crossings(out, actor="admin")
    text = out.getvalue()
    assert '"two\rlines"' in text and '"O""BRIEN,J"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2 and "two\rlines" in rows[1] and 'O"BRIEN,J' in rows[1]


def test_a_watchlist_with_an_enormous_line_is_refused_naming_it_without_holding_it(store, tmp_path):
    listing = tmp_path / "huge.csv"
    with listing.open("wb") as out:
        out.write(b"document_number,issuing_state,reason\n")
        out.write(b"X1234567,UTO,stolen\n")
        out.write(b"Y7654321,UTO," + b"A" * (3 * 1024 * 1024) + b"\n")  # 3 MB on line 3
        out.write(b"Z1111111,UTO,lost\n")
    tracemalloc.start()
    try:
        with pytest.raises(WatchlistImportError) as refused:
            store.import_watchlist("documents", listing, actor="admin")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert list(refused.value.problems) == [
        (3, f"line longer than {MAX_LINE_BYTES} bytes: not a watchlist line")
    ]
    assert peak < 1024 * 1024, f"{peak} bytes held"
    assert store.watchlist_info("documents") is None
