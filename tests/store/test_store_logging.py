"""Personal data never reaches a log record above DEBUG."""

from __future__ import annotations

import io
import logging

import pytest
from store_builders import PIN, crossing

from checkpoint.inspection import InspectionContext, inspect
from checkpoint.store import AuthenticationFailed, CrossingQuery

SECRETS = ("PETROVIC", "MARKO", "AB1234567", "1980-05-17", "Ana Vuković", "Müller", "P<MNE", PIN)


def test_no_personal_data_in_logs_above_debug(store, tmp_path, clock, caplog):
    with caplog.at_level(logging.DEBUG):
        store.add_officer("MNE-0412", "Ana Vuković", PIN, actor="admin")
        with pytest.raises(AuthenticationFailed):
            store.authenticate("MNE-0412", "9999")
        store.authenticate("MNE-0412", PIN)
        shift = store.open_shift("MNE-0412", "Bozaj", "2", "entry")
        lists = tmp_path / "p.csv"
        lists.write_text(
            "surname,given_names,birth_date,reason\nMüller,Hans,1970-01-31,alert\n", encoding="utf-8"
        )
        store.import_watchlist("persons", lists, actor="MNE-0412")
        store.record_crossing(crossing(shift.shift_id))
        store.search_crossings(CrossingQuery(text="PETROVIC"), purpose="case 7", actor="MNE-0412")
        store.export_crossings(io.StringIO(), actor="MNE-0412")
        clock.advance(days=400)
        store.purge(365, actor="retention")
        assert store.verify_audit().ok

        now = clock.now
        context = InspectionContext(
            now=now,
            today=now.date(),
            direction="entry",
            history=store.document_history("AB1234567", "MNE"),
            person_watchlist=store.person_watchlist(),
        )

        class Broken:
            surname = "PETROVIC"

            def __getattr__(self, name: str) -> object:
                raise RuntimeError(f"PETROVIC AB1234567 missing {name}")

        inspect(Broken(), context)  # type: ignore[arg-type]
    loud = [r for r in caplog.records if r.levelno > logging.DEBUG]
    assert loud, "expected INFO records to check"
    for record in loud:
        text = record.getMessage() + (record.exc_text or "")
        for secret in SECRETS:
            assert secret not in text, (secret, record.name, text)
