"""The client's backend over the real parts: :func:`checkpoint.mrz.parse`, the checks engine
(:func:`checkpoint.inspection.inspect`) and a :class:`checkpoint.store.Store`.

This is the one place that translates between the store's and engine's records and the screens' view
models, and turns store errors into :class:`~checkpoint.tui.backend.ClientError` with the store's title.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from checkpoint.inspection import (
    SCHENGEN_ANNEX_V_PART_B,
    CheckResult,
    Inspection,
    InspectionConfig,
    InspectionContext,
    ReasonTable,
    Status,
    inspect,
    suggest,
)
from checkpoint.inspection.post_config import PostConfig
from checkpoint.inspection.spans import years_between
from checkpoint.mrz import MRZResult, parse
from checkpoint.mrz.countries import describe
from checkpoint.store import (
    AuthenticationFailed,
    CheckRecord,
    Crossing,
    CrossingQuery,
    HitDisposition,
    Movement,
    NewCrossing,
    Store,
    StoreError,
)
from checkpoint.tui.backend import ClientError, SignInRefused
from checkpoint.tui.intake import VIZ_SOURCE, Arrival
from checkpoint.tui.models import (
    AuditReport,
    CheckLine,
    ChipFace,
    Decision,
    Direction,
    HistoryLine,
    ImportResult,
    ListState,
    OfficerSession,
    ReasonCode,
    Review,
    SearchHit,
    ShiftInfo,
    ShiftSummary,
    StoreHealth,
    Verdict,
)
from checkpoint.tui.store_cases import StoreCases
from checkpoint.tui.store_companions import Companions, StoreCompanions

log = logging.getLogger(__name__)

DOCUMENT_KINDS: dict[str, str] = {
    "P": "Passport",
    "I": "ID card",
    "A": "ID card",
    "C": "ID card",
    "V": "Visa",
}
PAST_TENSE: dict[str, str] = {"admit": "admitted", "refer": "referred", "refuse": "refused"}
WATCHLIST_CHECKS: frozenset[str] = frozenset({"watchlist.document", "watchlist.person"})
HISTORY_SHOWN = 6
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # before any crossing on record


@dataclass(frozen=True, slots=True)
class Checked:
    """What a review was decided on: the parsed MRZ and the engine's inspection (a Review's payload)."""

    result: MRZResult
    inspection: Inspection
    companions: Companions = field(default_factory=lambda: Companions())


@contextmanager
def _store_errors() -> Iterator[None]:
    """Re-raise a store error as a ClientError carrying the store's message and title."""
    try:
        yield
    except AuthenticationFailed as exc:
        raise SignInRefused(str(exc), exc.title) from exc
    except StoreError as exc:
        raise ClientError(str(exc), exc.title) from exc


class StoreBackend(StoreCases, StoreCompanions):
    """:class:`~checkpoint.tui.backend.ClientBackend` over a store, the MRZ parser and the checks."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        *,
        config: InspectionConfig | None = None,
        reasons: ReasonTable = SCHENGEN_ANNEX_V_PART_B,
        post: PostConfig | None = None,
        training: bool = False,
        refusal_forms: Path | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        # A post's configuration carries the checks' settings and reason codes; explicit ones win.
        self.post = post
        self.config = config or (post.inspection if post else InspectionConfig())
        self.reasons = post.reasons if post and reasons is SCHENGEN_ANNEX_V_PART_B else reasons
        # Training mode (a specimen then only WARNs) is switched on by the training session.
        self.training = training
        self.refusal_forms = refusal_forms

    # -- people and shifts -----------------------------------------------------------------------

    def sign_in(self, officer_id: str, pin: str) -> OfficerSession:
        """Return the session for a correct ID and PIN; raise SignInRefused (wrong, or locked out)."""
        with _store_errors():
            officer = self.store.authenticate(officer_id, pin)
        return OfficerSession(officer.officer_id, officer.name)

    def open_shift(self, officer: OfficerSession, post: str, lane: str, direction: Direction) -> ShiftInfo:
        """Open a shift in the store and return it; raise ClientError when the store refuses."""
        with _store_errors():
            shift = self.store.open_shift(officer.officer_id, post, lane, direction)
        return ShiftInfo(shift.shift_id, officer, shift.post, shift.lane, shift.direction)

    def close_shift(self, shift: ShiftInfo, note: str) -> ShiftSummary:
        """Close the shift and return its summary; raise ClientError when the store refuses."""
        with _store_errors():
            summary = self.store.close_shift(shift.shift_id, note)
        return ShiftSummary(dict(summary.counts), len(summary.open_referrals), note)

    def health(self) -> StoreHealth:
        """Return whether the store answers, and each alert list's version and age."""
        lists = []
        try:
            for kind in ("documents", "persons"):
                info = self.store.watchlist_info(kind)
                if info is None:
                    lists.append(ListState(kind))
                else:
                    age = (self.clock().date() - info.list_date).days
                    lists.append(ListState(kind, f"{info.version} ({info.list_date})", age))
        except StoreError as exc:
            return StoreHealth(False, str(exc))
        return StoreHealth(True, f"terminal {self.store.terminal_id}", tuple(lists))

    def reason_codes(self) -> tuple[ReasonCode, ...]:
        """Return the configured reason-code table."""
        return tuple(ReasonCode(reason.code, reason.text) for reason in self.reasons)

    # -- reads and decisions ---------------------------------------------------------------------

    def review(self, arrival: Arrival, shift: ShiftInfo) -> Review:
        """Parse and check a read against the store's lists and history; audit the read; return the
        review. Raises ClientError when the store cannot be read."""
        return self._review(arrival, shift, Companions())

    def _review(self, arrival: Arrival, shift: ShiftInfo, companions: Companions) -> Review:
        now = self.clock()
        result = parse(arrival.lines, today=now.date())
        with _store_errors():
            # The list on screen is the newest few crossings; the checks get every movement they need.
            history: list[Crossing] | None = None
            movements: list[Movement] | None = None
            since: datetime | None = None
            if result.document_number and result.issuing_state:
                history = self.store.document_history(result.document_number, result.issuing_state)
                movements, since = self._movements(result, now, shift.direction)
            context = InspectionContext(
                now=now,
                today=now.date(),
                direction=shift.direction,
                post=shift.post,
                lane=shift.lane,
                history=movements,
                history_since=since,
                document_watchlist=self.store.document_watchlist(),
                person_watchlist=self.store.person_watchlist(),
                config=self.config,
                chip=arrival.chip,
                training=self.training,
                **self._known_elsewhere(arrival),
                **companions.context(),
            )
            inspection = _typed_zone(arrival, inspect(result, context, reasons=self.reasons), self.config)
            # The read is an officer action: audited by reference (source and format), no personal data.
            self.store.audit(
                "read",
                actor=shift.officer.officer_id,
                subject=shift.shift_id,
                details={
                    "source": arrival.source,
                    "format": result.format,
                    "valid": result.valid,
                    "companions": len(companions.records()),
                },
            )
        verdict: Verdict = inspection.suggestion.value.lower()  # type: ignore[assignment]
        return Review(
            arrival=arrival,
            verdict=verdict,
            suggested_reason_codes=inspection.suggested_reason_codes,
            surname=result.surname,
            given_names=result.given_names,
            sex=result.sex,
            birth_date=result.birth_date,
            age=years_between(result.birth_date, now.date()) if result.birth_date else None,
            nationality=describe(result.nationality) if result.nationality else "unknown",
            document_kind=DOCUMENT_KINDS.get(result.document_code[:1], "Document"),
            document_number=result.document_number,
            issuing_state=result.issuing_state,
            expiry_date=result.expiry_date,
            checks=self._with_freshness(
                tuple(_check_line(check, self.config) for check in inspection.results), now
            ),
            history=tuple(_history_line(crossing) for crossing in (history or [])[:HISTORY_SHOWN]),
            payload=Checked(result, inspection, companions),
            face=chip_face(arrival),
            companions=companions.describe(),
        )

    @staticmethod
    def _known_elsewhere(arrival: Arrival) -> dict[str, Any]:
        """Return what the read's source knows besides the MRZ: the date of issue typed from the visual
        zone, or else the one the chip's DG12 holds."""
        if arrival.issue_date is not None:
            return {"issue_date": arrival.issue_date, "issue_date_source": "manual entry"}
        issued = chip_issue_date(arrival)
        if issued is not None:
            return {"issue_date": issued, "issue_date_source": "chip DG12"}
        return {}

    def _movements(
        self, result: MRZResult, now: datetime, direction: Direction
    ) -> tuple[list[Movement], datetime | None]:
        """Return the document's movements for the checks and the time they are complete from (None:
        the whole record). Raises StoreError when the store cannot be read.

        The window covers the stay rule's days and the same-document minutes. When it opens inside a
        stay (its oldest admitted crossing is an exit), or an exit finds no admitted crossing in it,
        the entry is older than the window: the whole record is read, so the stay counts its days and
        a lawful exit is not taken for one with no entry.
        """
        config = self.config
        first_day = now.date() - timedelta(days=config.stay_window_days - 1)
        since = min(
            datetime.combine(first_day, time.min, tzinfo=now.tzinfo),
            now - timedelta(minutes=config.same_document_minutes),
        )
        number, issuer = result.document_number, result.issuing_state
        movements = self.store.document_movements(number, issuer, since=since)
        admitted = [m for m in movements if m.decision == "admit"]  # newest first
        opens_inside_a_stay = admitted[-1].direction == "exit" if admitted else direction == "exit"
        if opens_inside_a_stay:
            return self.store.document_movements(number, issuer, since=_EPOCH), None
        return movements, since

    def _with_freshness(self, lines: tuple[CheckLine, ...], now: datetime) -> tuple[CheckLine, ...]:
        """Add to the movement and stay lines how fresh the other lanes' crossings are."""
        with _store_errors():
            note = other_lanes_note(self.store, now)
        if not note:
            return lines
        return tuple(
            CheckLine(line.check_id, line.status, f"{line.message} · {note}")
            if line.check_id in FRESHNESS_CHECKS
            else line
            for line in lines
        )

    def record(self, review: Review, decision: Decision, shift: ShiftInfo) -> str:
        """Record the decision with the checks it was taken on; return the crossing id.

        Raises ClientError when the store refuses it (closed shift, missing override reason ...).
        """
        checked = review.payload
        if not isinstance(checked, Checked):
            raise ClientError("This review was not made by the store backend and cannot be recorded.")
        if decision.outcome == "admit" and review.blocking_fails:
            raise ClientError(
                f"At this post a FAIL of {', '.join(review.blocking_fails)} cannot be admitted over: "
                "refer to second line or refuse.",
                "Admission blocked",
            )
        result, inspection = checked.result, checked.inspection
        crossing = NewCrossing(
            shift_id=shift.shift_id,
            decision=decision.outcome,
            suggestion=inspection.suggestion.value,
            surname=result.surname,
            given_names=result.given_names,
            birth_date=result.birth_date,
            sex=result.sex,
            nationality=result.nationality,
            document_type=result.document_code,
            issuing_state=result.issuing_state,
            document_number=result.document_number,
            expiry_date=result.expiry_date,
            mrz_lines=tuple(result.lines) or review.arrival.lines,
            source=review.arrival.source,
            checks=tuple(_check_record(check) for check in inspection.results),
            hits=_hits(inspection, decision),
            reason_codes=decision.reason_codes,
            override_reason=decision.override_reason,
            time=self.clock(),
            remarks=decision.remarks,
            companions=checked.companions.records(),
        )
        with _store_errors():
            return self.store.record_crossing(crossing).crossing_id

    # -- search, lists, audit --------------------------------------------------------------------

    def search(self, text: str, purpose: str, shift: ShiftInfo) -> tuple[SearchHit, ...]:
        """Return crossings whose document number is ``text`` or whose surname starts with it; the
        store audits the search with its purpose. Raises ClientError."""
        with _store_errors():
            found = self.store.search_crossings(
                CrossingQuery(text=text), purpose=purpose, actor=shift.officer.officer_id
            )
        return tuple(
            SearchHit(
                crossing.crossing_id,
                crossing.time,
                crossing.direction,
                crossing.lane,
                crossing.surname + (f", {crossing.given_names}" if crossing.given_names else ""),
                crossing.document_number,
                PAST_TENSE.get(crossing.decision, crossing.decision),
            )
            for crossing in found
        )

    def import_watchlist(self, path: Path, kind: str, shift: ShiftInfo) -> ImportResult:
        """Import a documents or persons CSV; return what was loaded. Raises ClientError listing the
        bad lines when the file is refused."""
        if kind not in ("documents", "persons"):
            raise ClientError(f"unknown watchlist kind {kind!r}: expected documents or persons")
        with _store_errors():
            info = self.store.import_watchlist(
                "documents" if kind == "documents" else "persons", path, actor=shift.officer.officer_id
            )
        return ImportResult(info.kind, info.entry_count, info.version)

    def verify_audit(self, shift: ShiftInfo) -> AuditReport:
        """Verify the audit chain and return the report. Raises ClientError."""
        with _store_errors():
            report = self.store.verify_audit()
        return AuditReport(report.ok, report.events_checked, str(report))


FRESHNESS_CHECKS: frozenset[str] = frozenset({"travel.movement", "travel.stay_rule"})


def other_lanes_note(store: Store, now: datetime) -> str:
    """Return how fresh the other lanes' crossings are that a syncing terminal's history includes
    (``""`` for a terminal that does not sync, or a store that holds every lane itself)."""
    as_of = getattr(store, "other_lanes_as_of", None)
    if as_of is None:
        return ""
    syncs, when = as_of()
    if not syncs:
        return ""
    if when is None:
        return "other lanes not pulled yet"
    minutes = int(max((now - when).total_seconds(), 0) // 60)
    age = "just now" if minutes < 1 else f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"
    return f"other lanes as of {when.astimezone(now.tzinfo):%H:%M} ({age})"


def chip_issue_date(arrival: Arrival) -> date | None:
    """Return the date of issue in the DG12 of the chip read with ``arrival``, if it holds one."""
    report = arrival.chip.report if arrival.chip is not None else None
    if report is None or 12 not in report.data_groups:
        return None
    from checkpoint.emrtd import AdditionalDetails  # a chip was read, so the chip library is installed

    details = report.data_groups[12].parsed
    return details.date("date_of_issue") if isinstance(details, AdditionalDetails) else None


def chip_face(arrival: Arrival) -> ChipFace | None:
    """Return the holder's photo from the chip read with ``arrival``, if there is one."""
    chip = arrival.chip
    report = chip.report if chip is not None else None
    face = report.face if report is not None else None
    return ChipFace(face.data, face.format) if face is not None else None


def _typed_zone(arrival: Arrival, inspection: Inspection, config: InspectionConfig) -> Inspection:
    """Return the inspection of a document typed from its visual zone: its MRZ was composed from the
    typed fields, so its check digits prove nothing and the MRZ check says NOT RUN."""
    if not arrival.source.startswith(VIZ_SOURCE):
        return inspection
    results = tuple(
        CheckResult(r.check_id, r.version, Status.NOT_RUN, "No MRZ: fields typed from the visual zone")
        if r.check_id == "mrz.validity"
        else r
        for r in inspection.results
    )
    return Inspection(results, suggest(results, config), inspection.suggested_reason_codes)


def _check_line(check: CheckResult, config: InspectionConfig) -> CheckLine:
    return CheckLine(
        check.check_id, check.status.value, check.message, check.check_id in config.blocking_checks
    )


def _check_record(check: CheckResult) -> CheckRecord:
    return CheckRecord(
        check.check_id,
        check.version,
        check.status.value,
        check.message,
        check.data_version,
        dict(check.details),
    )


# A crossing that follows another says so in history (two columns of it fit 76 cells): ✎ a corrected
# decision, 2L the second line's resolution of a referral.
FOLLOW_UP_MARKS: dict[str, str] = {"correction": " ✎", "resolution": " 2L"}


def _history_line(crossing: Crossing) -> HistoryLine:
    outcome = PAST_TENSE.get(crossing.decision, crossing.decision) + FOLLOW_UP_MARKS.get(crossing.kind, "")
    return HistoryLine(crossing.time, crossing.direction, crossing.lane, outcome)


def _hits(inspection: Inspection, decision: Decision) -> tuple[HitDisposition, ...]:
    """Return a disposition for each watchlist hit: the officer's decision taken with the hit in view."""
    hits = []
    for check in inspection.results:
        if check.check_id in WATCHLIST_CHECKS and check.status in (Status.FAIL, Status.WARN):
            reference = check.details.get("reference")
            score = check.details.get("score")
            if reference is None:
                continue  # a stale-list warning, not a hit
            hits.append(
                HitDisposition(
                    check.check_id,
                    str(reference),
                    f"seen; decision {decision.outcome}",
                    score if isinstance(score, int) else None,
                )
            )
    return tuple(hits)
