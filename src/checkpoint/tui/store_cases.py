"""The follow-ups of decisions over the store: referrals resolved by the second line, corrections, the
refusal form, and the last shift's handover (see :mod:`checkpoint.tui.cases`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from checkpoint.inspection import ReasonTable
from checkpoint.inspection.post_config import PostConfig
from checkpoint.mrz.countries import country_name
from checkpoint.store import Crossing, NewCrossing, NotFound, Store, StoreError
from checkpoint.store.paths import default_db_path
from checkpoint.tui.backend import ClientError
from checkpoint.tui.cases import CaseLine, FollowUp, Handover, reason_problem
from checkpoint.tui.models import Outcome, ShiftInfo
from checkpoint.tui.refusal_form import RefusalForm, save

DOCUMENT_TYPES: dict[str, str] = {
    "P": "Passport",
    "I": "Identity card",
    "A": "Identity card",
    "C": "Identity card",
}


def case_line(crossing: Crossing) -> CaseLine:
    """Return a crossing as the case lists show it."""
    name = crossing.surname + (f", {crossing.given_names}" if crossing.given_names else "")
    return CaseLine(
        crossing.crossing_id,
        crossing.time,
        crossing.post,
        crossing.lane,
        crossing.direction,
        name,
        f"{crossing.document_number} {crossing.issuing_state}",
        crossing.decision,
        crossing.kind,
        crossing.officer_id,
        crossing.reason_codes,
        crossing.correction_reason,
    )


class StoreCases:
    """:class:`~checkpoint.tui.cases.CaseBackend` over a store; mixed into
    :class:`~checkpoint.tui.store_backend.StoreBackend`, whose attributes it uses."""

    store: Store
    clock: Callable[[], datetime]
    reasons: ReasonTable
    post: PostConfig | None
    refusal_forms: Path | None

    def refusal_folder(self) -> Path:
        """Where refusal forms are saved: the post's folder, else the one given to the backend, else
        ``refusal-forms`` beside the default database."""
        if self.post is not None and self.post.refusal_forms:
            return Path(self.post.refusal_forms)
        if self.refusal_forms is not None:
            return self.refusal_forms
        return default_db_path().parent / "refusal-forms"

    def handover(self, post: str | None) -> Handover:
        """Return the last closed shift's note and the referrals still open (at ``post`` when given)."""
        try:
            last = self.store.last_closed_shift(post)
            referrals = self.store.open_referrals(post)
        except StoreError as exc:
            raise ClientError(str(exc), exc.title) from exc
        return Handover(
            last.officer_id if last else "",
            last.closed_at if last else None,
            last.close_note if last else "",
            tuple(case_line(c) for c in referrals),
        )

    def open_referrals(self, shift: ShiftInfo) -> tuple[CaseLine, ...]:
        """Return the open referrals at the shift's post, oldest first."""
        try:
            return tuple(case_line(c) for c in self.store.open_referrals(shift.post))
        except StoreError as exc:
            raise ClientError(str(exc), exc.title) from exc

    def shift_cases(self, shift: ShiftInfo) -> tuple[CaseLine, ...]:
        """Return this shift's crossings, newest first."""
        try:
            return tuple(case_line(c) for c in self.store.shift_crossings(shift.shift_id))
        except StoreError as exc:
            raise ClientError(str(exc), exc.title) from exc

    def follow_up(
        self,
        crossing_id: str,
        kind: FollowUp,
        outcome: Outcome,
        reason: str,
        shift: ShiftInfo,
        *,
        reason_codes: tuple[str, ...] = (),
        remarks: str = "",
    ) -> str:
        """Record a correction or a referral's resolution linked to ``crossing_id``; return its id.

        The traveller, the documents and the checks are the original's: what changes is the outcome,
        with the reason. Raises ClientError (a reason too short, a referral already resolved ...).
        """
        trouble = reason_problem(reason, "reason for the correction" if kind == "correction" else "finding")
        if trouble:
            raise ClientError(trouble, "Reason needed")
        if outcome == "refuse" and not reason_codes:
            raise ClientError("A refusal needs at least one reason code.", "Reason code needed")
        try:
            reason_codes = self.reasons.validate(reason_codes)
        except KeyError as exc:
            raise ClientError(str(exc.args[0]), "Unknown reason code") from exc
        try:
            old = self.store.get_crossing(crossing_id)
            failed = any(check.status == "FAIL" for check in old.checks)
            new = NewCrossing(
                shift_id=shift.shift_id,
                decision=outcome,
                suggestion=old.suggestion,
                surname=old.surname,
                given_names=old.given_names,
                birth_date=old.birth_date,
                sex=old.sex,
                nationality=old.nationality,
                document_type=old.document_type,
                issuing_state=old.issuing_state,
                document_number=old.document_number,
                expiry_date=old.expiry_date,
                mrz_lines=old.mrz_lines,
                source=old.source,
                checks=old.checks,
                hits=old.hits,
                reason_codes=reason_codes,
                # Admitting after a FAIL: the second line's finding is the written reason.
                override_reason=reason if outcome == "admit" and failed else "",
                corrects=old.crossing_id,
                correction_reason=reason,
                time=self.clock(),
                kind=kind,
                remarks=remarks,
                companions=old.companions,
            )
            return self.store.record_crossing(new).crossing_id
        except StoreError as exc:
            raise ClientError(str(exc), exc.title) from exc

    def refusal_form(self, crossing_id: str, shift: ShiftInfo) -> Path:
        """Write the Annex V Part B form of a refusal into the post's folder, audit it as
        ``refusal.form`` (with the file's SHA-256), and return its path. Raises ClientError."""
        try:
            crossing = self.store.get_crossing(crossing_id)
        except NotFound as exc:
            raise ClientError(str(exc), exc.title) from exc
        if crossing.decision != "refuse":
            raise ClientError("Only a refusal has a refusal form.", "Not a refusal")
        visa = next((c for c in crossing.companions if c.role == "visa"), None)
        form = RefusalForm(
            state=self.post.state if self.post else "",
            crossing_point=f"{crossing.post}, lane {crossing.lane}",
            when=crossing.time,
            officer_id=crossing.officer_id,
            surname=crossing.surname,
            given_names=crossing.given_names,
            birth_date=crossing.birth_date,
            sex=crossing.sex,
            nationality=country_name(crossing.nationality) or crossing.nationality,
            document_type=DOCUMENT_TYPES.get(crossing.document_type[:1], crossing.document_type),
            document_number=crossing.document_number,
            issuing_state=country_name(crossing.issuing_state) or crossing.issuing_state,
            expiry_date=crossing.expiry_date,
            visa=f"{visa.document_number} ({visa.issuing_state})" if visa else "",
            reasons=tuple(self.reasons),
            ticked=frozenset(crossing.reason_codes),
            remarks=crossing.remarks,
            reference=crossing.crossing_id,
        )
        path, digest = save(form, self.refusal_folder())
        try:
            self.store.audit(
                "refusal.form",
                actor=shift.officer.officer_id,
                subject=crossing.crossing_id,
                details={"file": path.name, "sha256": digest},
            )
        except StoreError as exc:
            raise ClientError(str(exc), exc.title) from exc
        return path
