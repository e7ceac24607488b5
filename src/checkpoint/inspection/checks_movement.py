"""Checks on the document's crossing history: duplicate use, exit with no entry, the 90/180 stay rule.

History times are compared in the time zone of ``context.now``, so a post that passes local time gets
local calendar days.
"""

from __future__ import annotations

from datetime import date, timedelta

from checkpoint.inspection.check import Check, Verdict, not_run
from checkpoint.inspection.config import InspectionContext
from checkpoint.inspection.model import DocumentLike, PastCrossing, Status
from checkpoint.inspection.stay import days_in_window, stays_from_movements


def _local_day(crossing: PastCrossing, context: InspectionContext) -> date:
    return crossing.time.astimezone(context.now.tzinfo).date()


def _movement(document: DocumentLike, context: InspectionContext) -> Verdict:
    history = context.history
    if history is None:
        return not_run("Movements: crossing history unavailable")
    window = timedelta(minutes=context.config.same_document_minutes)
    recent = sorted(
        (c for c in history if abs(context.now - c.time) <= window), key=lambda c: c.time, reverse=True
    )
    elsewhere = [c for c in recent if (c.post, c.lane) != (context.post, context.lane)]
    # Admitted or refused elsewhere minutes ago: a shared or cloned document, or lane shopping. A
    # referral elsewhere is the normal way to secondary inspection: worth a look, not a refusal.
    decided = [c for c in elsewhere if c.decision != "refer"]
    if decided:
        c = decided[0]
        minutes = int(abs(context.now - c.time).total_seconds() // 60)
        return Verdict(
            Status.FAIL,
            f"Same document at {c.post} lane {c.lane} {minutes} min ago ({c.direction}, {c.decision})",
        )
    if elsewhere:
        c = elsewhere[0]
        minutes = int(abs(context.now - c.time).total_seconds() // 60)
        return Verdict(Status.WARN, f"Referred at {c.post} lane {c.lane} {minutes} min ago")
    if recent:
        c = recent[0]
        minutes = int(abs(context.now - c.time).total_seconds() // 60)
        return Verdict(Status.WARN, f"Same document recorded at this lane {minutes} min ago ({c.decision})")
    if context.direction == "exit":
        admitted = sorted(
            (c for c in history if c.decision == "admit" and c.time <= context.now), key=lambda c: c.time
        )
        if not admitted and context.history_since is not None:
            # The history starts at history_since: the entry may simply be older than that, and a
            # lawful exit must not be flagged for a gap in what was looked up.
            covered_from = context.history_since.astimezone(context.now.tzinfo).date().isoformat()
            return not_run(f"Exit: no entry since {covered_from}, earlier crossings not looked up")
        if not admitted or admitted[-1].direction != "entry":
            return Verdict(Status.WARN, "Exit with no recorded entry")
        return Verdict(Status.PASS, f"Entry recorded {_local_day(admitted[-1], context).isoformat()}")
    return Verdict(Status.PASS, "No conflicting crossing")


def _stay_rule(document: DocumentLike, context: InspectionContext) -> Verdict:
    config = context.config
    nationality = document.nationality
    if not nationality:
        return not_run("Stay rule: nationality unreadable")
    if nationality not in config.stay_rule_nationalities:
        if nationality in config.stay_rule_exempt_nationalities:
            return Verdict(Status.PASS, f"Stay rule does not apply to {nationality}")
        return not_run(f"Stay rule (not configured for {nationality})")
    if context.history is None:
        return not_run("Stay rule: crossing history unavailable")
    window_start = context.today - timedelta(days=config.stay_window_days - 1)
    if context.history_since is not None:
        covered_from = context.history_since.astimezone(context.now.tzinfo).date()
        if covered_from > window_start:
            return not_run(
                f"Stay rule: history only from {covered_from.isoformat()}, needs {window_start.isoformat()}"
            )
    admitted = sorted(
        (c for c in context.history if c.decision == "admit" and c.time <= context.now), key=lambda c: c.time
    )
    movements = [(_local_day(c, context), c.direction) for c in admitted]
    if context.direction == "entry":
        # Entering today: today is a day of stay whether or not an earlier stay is still open.
        movements.append((context.today, "entry"))
    stays = stays_from_movements(movements, open_until=context.today)
    used = days_in_window(stays, context.today, config.stay_window_days)
    limit, window = config.stay_limit_days, config.stay_window_days
    details: dict[str, str | int | float | bool | None] = {"days_used": used, "limit": limit}
    if used > limit:
        if context.direction == "entry":
            return Verdict(
                Status.FAIL,
                f"Stay rule: {used} days in the last {window} with this entry (limit {limit})",
                details=details,
                refusal_code="F",
            )
        return Verdict(
            Status.FAIL, f"Overstay: {used} days in the last {window} (limit {limit})", details=details
        )
    return Verdict(
        Status.PASS, f"Stay rule: {used} of {limit} days used in the last {window}", details=details
    )


MOVEMENT = Check("travel.movement", 3, "Same document elsewhere recently, or exit with no entry", _movement)
STAY_RULE = Check("travel.stay_rule", 2, "90 days in any 180", _stay_rule)
