"""Watchlist CSV files: the two formats, and a parser that reports every bad line before importing any.

Both formats are UTF-8 CSV (a byte-order mark is allowed) with a header row naming the columns, in any
order. Column names are case-insensitive; ``[optional]`` columns may be left out or left blank.

Documents (lost, stolen, revoked or invalid documents)::

    document_number,issuing_state,document_type,reason,reference
    L898902C3,UTO,P,STOLEN,INTERPOL-SLTD-0001

- ``document_number``: letters and digits (spaces, ``-`` and ``<`` are dropped).
- ``issuing_state``: an ICAO 9303 code (``D`` for Germany).
- ``document_type`` [optional]: the first letter of the document code (``P``, ``I``, ``A``, ``C``,
  ``V``); blank means any type.
- ``reason``: why it is listed (``STOLEN``, ``LOST``, ``REVOKED`` ...).
- ``reference`` [optional]: the list owner's reference, shown to the officer.

Persons (person alerts)::

    surname,given_names,birth_date,nationality,reason,reference
    Müller,Hans-Peter,1970-01-31,D,Refusal of entry,SIS-123

- ``surname``: as written by the list owner, any script ICAO 9303 can transliterate.
- ``given_names`` [optional], ``birth_date`` [optional, ``YYYY-MM-DD``], ``nationality`` [optional,
  ICAO code], ``reason``, ``reference`` [optional].
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from checkpoint.mrz.countries import is_known_code
from checkpoint.store.errors import WatchlistImportError
from checkpoint.store.records import DocumentAlertEntry, PersonAlertEntry, WatchlistKind

DOCUMENT_COLUMNS: dict[str, bool] = {
    "document_number": True,
    "issuing_state": True,
    "document_type": False,
    "reason": True,
    "reference": False,
}
"""Document list columns: name -> required."""

PERSON_COLUMNS: dict[str, bool] = {
    "surname": True,
    "given_names": False,
    "birth_date": False,
    "nationality": False,
    "reason": True,
    "reference": False,
}
"""Person list columns: name -> required."""

MAX_TEXT = 200
MAX_LINE_BYTES = 64 * 1024
"""The longest line read (a line holds a few fields of at most MAX_TEXT characters each)."""
_NUMBER = re.compile(r"[A-Z0-9]{1,20}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class ParsedWatchlist:
    """The entries of a file that parsed without a single problem."""

    kind: WatchlistKind
    documents: tuple[DocumentAlertEntry, ...]
    persons: tuple[PersonAlertEntry, ...]

    @property
    def entry_count(self) -> int:
        """Return the number of entries."""
        return len(self.documents) + len(self.persons)


class HashingReader:
    """A binary file read line by line that hashes what it reads (the list's SHA-256 in one pass)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()

    def readline(self, limit: int = -1) -> bytes:
        """Return the next line (at most ``limit`` bytes), hashed on the way."""
        data = self._raw.readline(limit)
        self.sha256.update(data)
        return data


def _lines(data: BinaryIO | HashingReader, source: str) -> Iterator[str]:
    """Yield the file's lines as text, each read with a bound: a line longer than MAX_LINE_BYTES is an
    error naming it, and is never held whole (a list with a 1 GB line must not take gigabytes)."""
    number = 0
    while True:
        raw = data.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise WatchlistImportError(
                source, [(number, f"line longer than {MAX_LINE_BYTES} bytes: not a watchlist line")]
            )
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WatchlistImportError(
                source, [(number, f"not UTF-8 text: byte 0x{raw[exc.start]:02X} at column {exc.start + 1}")]
            ) from None


def _rows(lines: Iterator[str], source: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, strict=True)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise WatchlistImportError(source, [(reader.line_num, f"malformed CSV: {exc}")]) from None


def _check_text(field: str, value: str, problems: list[str]) -> str:
    # Control characters (escape sequences) would reach the officer's terminal: reject, never strip
    # silently.
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        problems.append(f"{field} contains a control character")
    text = " ".join(value.split())
    if len(text) > MAX_TEXT:
        problems.append(f"{field} is longer than {MAX_TEXT} characters")
    return text


def _code(field: str, value: str, problems: list[str], *, required: bool) -> str | None:
    code = value.strip().strip("<").upper()
    if not code:
        if required:
            problems.append(f"{field} is empty")
        return None
    if not is_known_code(code):
        problems.append(f"{field} {code!r} is not an ICAO 9303 state or organisation code")
    return code


def _document_entry(values: dict[str, str], problems: list[str]) -> DocumentAlertEntry:
    raw_number = values.get("document_number", "")
    number = "".join(ch for ch in raw_number.upper() if ch not in " -<\t")
    if not number:
        problems.append("document_number is empty")
    elif not _NUMBER.fullmatch(number):
        problems.append(f"document_number {raw_number.strip()!r} must be 1-20 letters A-Z and digits")
    issuer = _code("issuing_state", values.get("issuing_state", ""), problems, required=True)
    doc_type = values.get("document_type", "").strip().upper() or None
    if doc_type is not None and not re.fullmatch(r"[A-Z]", doc_type):
        problems.append(f"document_type {doc_type!r} must be one letter (P, I, A, C, V) or blank")
    reason = _check_text("reason", values.get("reason", ""), problems)
    if not reason:
        problems.append("reason is empty")
    reference = _check_text("reference", values.get("reference", ""), problems)
    return DocumentAlertEntry(number, issuer or "", doc_type, reason, reference)


def _person_entry(values: dict[str, str], problems: list[str]) -> PersonAlertEntry:
    surname = _check_text("surname", values.get("surname", ""), problems)
    if not any(ch.isalpha() for ch in surname):
        problems.append("surname has no letters")
    given = _check_text("given_names", values.get("given_names", ""), problems)
    birth: date | None = None
    raw_birth = values.get("birth_date", "").strip()
    if raw_birth:
        try:
            if not _DATE.fullmatch(raw_birth):
                raise ValueError
            birth = date.fromisoformat(raw_birth)
        except ValueError:
            problems.append(f"birth_date {raw_birth!r} is not a date YYYY-MM-DD")
    nationality = _code("nationality", values.get("nationality", ""), problems, required=False)
    reason = _check_text("reason", values.get("reason", ""), problems)
    if not reason:
        problems.append("reason is empty")
    reference = _check_text("reference", values.get("reference", ""), problems)
    return PersonAlertEntry(surname, given, birth, nationality, reason, reference)


def parse_watchlist(
    data: bytes | BinaryIO | HashingReader, kind: WatchlistKind, source: str
) -> ParsedWatchlist:
    """Return the entries of a watchlist file of ``kind`` (``documents`` or ``persons``), given as bytes
    or a binary file read line by line (each line at most MAX_LINE_BYTES).

    Raises WatchlistImportError listing every problem with its line number (header errors on line 1,
    an empty list too): nothing is imported from a file with any problem.
    """
    columns = DOCUMENT_COLUMNS if kind == "documents" else PERSON_COLUMNS
    rows = _rows(_lines(io.BytesIO(data) if isinstance(data, bytes) else data, source), source)
    header_row = next(rows, None)
    if header_row is None:
        raise WatchlistImportError(source, [(1, f"empty file: expected a header row: {','.join(columns)}")])
    _, header = header_row
    names = [name.strip().lower() for name in header]
    expected = ",".join(columns)
    problems: list[tuple[int, str]] = []
    unknown = [n for n in names if n not in columns]
    missing = [n for n, required in columns.items() if required and n not in names]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    for label, items in (
        ("unknown column", unknown),
        ("missing column", missing),
        ("repeated column", duplicated),
    ):
        if items:
            problems.append((1, f"{label}(s) {', '.join(items)}: a {kind} list has columns {expected}"))
    if problems:
        raise WatchlistImportError(source, problems)
    documents: list[DocumentAlertEntry] = []
    persons: list[PersonAlertEntry] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # blank lines are harmless
        if len(row) != len(names):
            problems.append((line, f"expected {len(names)} fields ({','.join(names)}), found {len(row)}"))
            continue
        values = dict(zip(names, row, strict=True))
        row_problems: list[str] = []
        if kind == "documents":
            documents.append(_document_entry(values, row_problems))
        else:
            persons.append(_person_entry(values, row_problems))
        problems.extend((line, problem) for problem in row_problems)
    if problems:
        raise WatchlistImportError(source, problems)
    if not documents and not persons:
        raise WatchlistImportError(
            source, [(2, "no entries: importing an empty list would clear the loaded one")]
        )
    return ParsedWatchlist(kind, tuple(documents), tuple(persons))
