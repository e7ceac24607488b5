"""The rules a decision must follow before it is recorded, and how a crossing record is made from it."""

from __future__ import annotations

from datetime import UTC, datetime

from checkpoint.store.errors import InvalidRecord
from checkpoint.store.records import CROSSING_KINDS, OUTCOMES, Crossing, NewCrossing, Shift

STATUSES: tuple[str, ...] = ("PASS", "WARN", "FAIL", "NOT RUN")


def normalize_number(number: str) -> str:
    """Return a document number as stored and compared: upper case, without spaces, ``-`` or ``<``."""
    return "".join(ch for ch in number.upper() if ch not in " <-\t")


def normalize_code(code: str) -> str:
    """Return a state code as stored and compared: upper case, without fillers (``D<<`` -> ``D``)."""
    return code.strip().strip("<").upper()


def validate_new_crossing(new: NewCrossing, shift: Shift) -> None:
    """Raise InvalidRecord saying which rule ``new`` breaks: closed shift, unknown decision or status,
    admit over a FAIL without an override reason, refusal without reason codes, correction without a
    reason, naive time."""
    if shift.closed_at is not None:
        raise InvalidRecord(f"shift {shift.shift_id} is closed: open a new shift to record crossings")
    if new.decision not in OUTCOMES:
        raise InvalidRecord(f"decision must be one of {', '.join(OUTCOMES)}, got {new.decision!r}")
    for check in new.checks:
        if check.status not in STATUSES:
            raise InvalidRecord(f"check {check.check_id}: status {check.status!r} is not one of {STATUSES}")
    failed = [c.check_id for c in new.checks if c.status == "FAIL"]
    if new.decision == "admit" and failed and not new.override_reason.strip():
        raise InvalidRecord(f"admitting over a FAIL ({', '.join(failed)}) needs a written override reason")
    if new.decision == "refuse" and not new.reason_codes:
        raise InvalidRecord("a refusal needs at least one reason code")
    if new.corrects is not None and not new.correction_reason.strip():
        raise InvalidRecord("a correction needs a reason")
    if new.kind not in CROSSING_KINDS:
        raise InvalidRecord(f"kind must be one of {', '.join(CROSSING_KINDS)}, got {new.kind!r}")
    if new.kind != "decision" and new.corrects is None:
        raise InvalidRecord(f"a {new.kind} must name the crossing it follows (corrects)")
    if new.kind == "resolution" and new.decision == "refer":
        raise InvalidRecord("the second line resolves a referral by admitting or refusing")
    if new.time is not None and new.time.tzinfo is None:
        raise InvalidRecord("the crossing time must be timezone-aware")
    free_text = {
        "override reason": new.override_reason,
        "correction reason": new.correction_reason,
        "suggestion": new.suggestion,
        "surname": new.surname,
        "given names": new.given_names,
        "source": new.source,
        **{f"reason code {i + 1}": code for i, code in enumerate(new.reason_codes)},
        **{f"hit {i + 1} disposition": hit.disposition for i, hit in enumerate(new.hits)},
        **{f"hit {i + 1} reference": hit.reference for i, hit in enumerate(new.hits)},
    }
    for what, text in free_text.items():
        refuse_control_characters(what, text)


def refuse_control_characters(what: str, text: str) -> None:
    """Raise InvalidRecord when ``text`` holds a control character (C0, DEL or C1, line breaks too).

    Free text goes to the officer's terminal, to CSV exports and to reports: a bare CR splits a row in
    some readers, an escape sequence drives a terminal. It is refused where it enters, never stripped.
    """
    for column, char in enumerate(text, 1):
        if ord(char) < 32 or 0x7F <= ord(char) < 0xA0:
            raise InvalidRecord(
                f"the {what} holds a control character (U+{ord(char):04X}) at position {column}: "
                "type it on one line, without control characters"
            )


def build_crossing(
    new: NewCrossing, shift: Shift, crossing_id: str, now: datetime, terminal_id: str, audit_prev_hash: str
) -> Crossing:
    """Return the record of ``new``: where and who from the shift, normalised number and codes."""
    return Crossing(
        crossing_id=crossing_id,
        time=(new.time or now).astimezone(UTC),
        post=shift.post,
        lane=shift.lane,
        direction=shift.direction,
        terminal_id=terminal_id,
        officer_id=shift.officer_id,
        shift_id=shift.shift_id,
        decision=new.decision,
        suggestion=new.suggestion,
        surname=new.surname,
        given_names=new.given_names,
        birth_date=new.birth_date,
        sex=new.sex,
        nationality=normalize_code(new.nationality),
        document_type=new.document_type,
        issuing_state=normalize_code(new.issuing_state),
        document_number=normalize_number(new.document_number),
        expiry_date=new.expiry_date,
        mrz_lines=tuple(new.mrz_lines),
        source=new.source,
        checks=tuple(new.checks),
        hits=tuple(new.hits),
        reason_codes=tuple(new.reason_codes),
        override_reason=new.override_reason.strip(),
        corrects=new.corrects,
        correction_reason=new.correction_reason.strip(),
        audit_prev_hash=audit_prev_hash,
        # A crossing naming the one it corrects is a correction unless it says it is a resolution.
        kind="correction" if new.kind == "decision" and new.corrects is not None else new.kind,
        remarks=new.remarks.strip(),
        companions=tuple(new.companions),
    )
