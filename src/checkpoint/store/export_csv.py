"""Crossings as CSV, one row per crossing, for reporting and hand-over to other systems.

Columns: see :data:`EXPORT_COLUMNS`. Checks are summarised as ``id:version:STATUS`` joined by ``;``,
reason codes joined by ``;``, MRZ lines joined by ``|``. A value that a spreadsheet would run as a
formula (it starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``: the
names and reasons in a record were typed or read from a device, and must stay data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from checkpoint.store.records import Crossing

EXPORT_COLUMNS: tuple[str, ...] = (
    "crossing_id",
    "time",
    "post",
    "lane",
    "terminal_id",
    "officer_id",
    "shift_id",
    "direction",
    "decision",
    "suggestion",
    "reason_codes",
    "override_reason",
    "corrects",
    "correction_reason",
    "surname",
    "given_names",
    "birth_date",
    "sex",
    "nationality",
    "document_type",
    "issuing_state",
    "document_number",
    "expiry_date",
    "source",
    "checks",
    "mrz_lines",
)


def _cell(value: str) -> str:
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def crossing_row(crossing: Crossing) -> list[str]:
    """Return one crossing as CSV cells in :data:`EXPORT_COLUMNS` order."""
    values = {
        "crossing_id": crossing.crossing_id,
        "time": crossing.time.isoformat(),
        "post": crossing.post,
        "lane": crossing.lane,
        "terminal_id": crossing.terminal_id,
        "officer_id": crossing.officer_id,
        "shift_id": crossing.shift_id,
        "direction": crossing.direction,
        "decision": crossing.decision,
        "suggestion": crossing.suggestion,
        "reason_codes": ";".join(crossing.reason_codes),
        "override_reason": crossing.override_reason,
        "corrects": crossing.corrects or "",
        "correction_reason": crossing.correction_reason,
        "surname": crossing.surname,
        "given_names": crossing.given_names,
        "birth_date": crossing.birth_date.isoformat() if crossing.birth_date else "",
        "sex": crossing.sex,
        "nationality": crossing.nationality,
        "document_type": crossing.document_type,
        "issuing_state": crossing.issuing_state,
        "document_number": crossing.document_number,
        "expiry_date": crossing.expiry_date.isoformat() if crossing.expiry_date else "",
        "source": crossing.source,
        "checks": ";".join(f"{c.check_id}:{c.version}:{c.status}" for c in crossing.checks),
        "mrz_lines": "|".join(crossing.mrz_lines),
    }
    return [_cell(values[name]) for name in EXPORT_COLUMNS]


def _row(cells: Iterable[str]) -> str:
    # RFC 4180 quoting, with a bare CR quoted too: csv.writer with "\n" line ends leaves it bare, and a
    # reader that takes CR for a line end would split the row there.
    return (
        ",".join(
            '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ',"\r\n') else cell
            for cell in cells
        )
        + "\n"
    )


def write_crossings(out: TextIO, crossings: Iterable[Crossing]) -> int:
    """Write a header and one row per crossing to ``out``; return the number of rows."""
    out.write(_row(EXPORT_COLUMNS))
    count = 0
    for crossing in crossings:
        out.write(_row(crossing_row(crossing)))
        count += 1
    return count
