"""The vocabulary of the checks engine: statuses, results, and the shapes of its inputs.

Inputs are :class:`typing.Protocol` types so that the engine never depends on where its data come from:
an :class:`checkpoint.mrz` result, a store, or plain test objects all fit. Attributes are read-only
properties so frozen dataclasses satisfy them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


class Status(enum.Enum):
    """The outcome of one check. ``NOT_RUN`` means the data it needs were missing: never a pass."""

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    NOT_RUN = "NOT RUN"

    @property
    def symbol(self) -> str:
        """Return the symbol shown beside the word, so colour is never the only signal."""
        return _STATUS_SYMBOLS[self]


_STATUS_SYMBOLS: dict[Status, str] = {
    Status.PASS: "✔",
    Status.WARN: "▲",
    Status.FAIL: "✖",
    Status.NOT_RUN: "·",
}


class Suggestion(enum.Enum):
    """What the checks suggest; the officer always decides."""

    CLEAR = "CLEAR"
    ATTENTION = "ATTENTION"
    REFER = "REFER"

    @property
    def symbol(self) -> str:
        """Return the banner symbol (``✔``, ``▲``, ``✖``)."""
        return {"CLEAR": "✔", "ATTENTION": "▲", "REFER": "✖"}[self.value]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's verdict on one document.

    ``message`` is one line for the officer. ``data_version`` names the data the check used (e.g. the
    watchlist version and date) so a decision can later be explained. ``details`` carries small,
    JSON-safe facts (scores, matched entry references) for the record; ``refusal_code`` is the reason
    code (see :mod:`checkpoint.inspection.reasons`) a FAIL of this check would usually justify.
    """

    check_id: str
    version: int
    status: Status
    message: str
    data_version: str | None = None
    details: Mapping[str, str | int | float | bool | None] = field(default_factory=dict)
    refusal_code: str | None = None


# --- inputs -------------------------------------------------------------------------------------------


class MRZIssueLike(Protocol):
    """An error or warning of an MRZ parse: only its message is needed here."""

    @property
    def message(self) -> str: ...


class DocumentLike(Protocol):
    """The fields of :class:`checkpoint.mrz.MRZResult` the checks read (names as in ICAO 9303).

    Codes and numbers have fillers stripped; a date that could not be read is ``None``.
    """

    @property
    def format(self) -> str | None: ...  # None when no MRZ was found
    @property
    def valid(self) -> bool: ...
    @property
    def document_code(self) -> str: ...
    @property
    def issuing_state(self) -> str: ...
    @property
    def surname(self) -> str: ...
    @property
    def given_names(self) -> str: ...
    @property
    def document_number(self) -> str: ...
    @property
    def nationality(self) -> str: ...
    @property
    def birth_date(self) -> date | None: ...
    @property
    def sex(self) -> str: ...
    @property
    def expiry_date(self) -> date | None: ...
    @property
    def checks(self) -> Mapping[str, bool]: ...
    @property
    def errors(self) -> Sequence[object]: ...
    @property
    def corrections(self) -> Sequence[object]: ...


class PastCrossing(Protocol):
    """A crossing already on record for the same document (as the store returns it)."""

    @property
    def time(self) -> datetime: ...
    @property
    def direction(self) -> str: ...  # "entry" | "exit"
    @property
    def post(self) -> str: ...
    @property
    def lane(self) -> str: ...
    @property
    def decision(self) -> str: ...  # "admit" | "refer" | "refuse"


class DocumentAlert(Protocol):
    """An entry of the lost/stolen/invalid document list."""

    @property
    def document_number(self) -> str: ...
    @property
    def issuing_state(self) -> str: ...
    @property
    def document_type(self) -> str | None: ...  # first letter of the document code; None = any type
    @property
    def reason(self) -> str: ...
    @property
    def reference(self) -> str: ...


class PersonAlert(Protocol):
    """An entry of the person alert list."""

    @property
    def surname(self) -> str: ...
    @property
    def given_names(self) -> str: ...
    @property
    def birth_date(self) -> date | None: ...
    @property
    def nationality(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def reference(self) -> str: ...


class DocumentWatchlist(Protocol):
    """A loaded document list: its version and date, and an exact lookup by number and issuer."""

    @property
    def version(self) -> str: ...
    @property
    def list_date(self) -> date: ...
    def lookup(self, document_number: str, issuing_state: str) -> Sequence[DocumentAlert]:
        """Return the entries for this number and issuer (any document type)."""
        ...


class PersonWatchlist(Protocol):
    """A loaded person list: its version and date, and the candidates for a birth date.

    ``candidates(d)`` returns every entry whose birth date is ``d`` or unknown; ``candidates(None)``
    returns every entry. The engine scores the names.
    """

    @property
    def version(self) -> str: ...
    @property
    def list_date(self) -> date: ...
    def candidates(self, birth_date: date | None) -> Sequence[PersonAlert]:
        """Return the entries that could match a traveller born on ``birth_date``."""
        ...


@dataclass(frozen=True, slots=True)
class Inspection:
    """The engine's answer: every check in order, the suggestion, and the reason codes it points to."""

    results: tuple[CheckResult, ...]
    suggestion: Suggestion
    suggested_reason_codes: tuple[str, ...]

    def by_id(self, check_id: str) -> CheckResult:
        """Return the result of ``check_id``; raise ``KeyError`` if that check did not run."""
        for result in self.results:
            if result.check_id == check_id:
                return result
        raise KeyError(check_id)

    @property
    def failed(self) -> bool:
        """Return whether any check FAILed (admitting then needs a written override reason)."""
        return any(r.status is Status.FAIL for r in self.results)


class ChipReading(Protocol):
    """What a reader's chip antenna made of the document (:class:`checkpoint.drivers.ChipOutcome` is one):
    ``state`` "read" (with ``report``, a :class:`checkpoint.emrtd.ChipReport`), "absent", "failed" or
    "unavailable", with the error's ``title``, ``detail`` and class name (``error``) when not read.
    """

    @property
    def state(self) -> str: ...
    @property
    def report(self) -> Any: ...
    @property
    def title(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def error(self) -> str: ...
