"""Checks on the holder and the alert lists: minor, document watchlist, person watchlist."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, timedelta

from checkpoint.inspection.check import Check, Verdict, not_run
from checkpoint.inspection.config import InspectionContext
from checkpoint.inspection.model import DocumentLike, PersonAlert, Status
from checkpoint.inspection.names import NameMatcher, transliterated
from checkpoint.inspection.spans import describe_span, years_between


def normalize_document_number(number: str) -> str:
    """Return a document number as lists and MRZs are compared: upper case, no fillers or spaces."""
    return "".join(ch for ch in number.upper() if ch not in "< -\t")


def _minor(document: DocumentLike, context: InspectionContext) -> Verdict:
    birth = document.birth_date
    if birth is None:
        return not_run("Minor: birth date unreadable")
    if birth > context.today:
        return Verdict(Status.FAIL, f"Birth date {birth.isoformat()} is after the crossing date")
    age = years_between(birth, context.today)
    config = context.config
    if age >= config.minor_age:
        return Verdict(Status.PASS, f"Adult ({age})", details={"age": age})
    adult = context.accompanying_adult
    if adult is not None:
        adult_age = years_between(adult.birth_date, context.today) if adult.birth_date else None
        who = adult.surname or "companion"
        if adult_age is None or adult_age < config.minor_age:
            shown = "age unknown" if adult_age is None else f"{adult_age}"
            return Verdict(
                Status.WARN,
                f"Minor ({age}) with {who} ({shown}): not shown to be an adult",
                details={"age": age, "accompanied": True},
            )
        return Verdict(
            Status.PASS,
            f"Minor ({age}) accompanied by {who} ({adult_age})",
            details={"age": age, "accompanied": True},
        )
    if context.consent_reference:
        return Verdict(
            Status.PASS,
            f"Minor ({age}) with consent letter {context.consent_reference}",
            details={"age": age, "consent": context.consent_reference},
        )
    if age < config.min_age_alone:
        return Verdict(
            Status.FAIL,
            f"Minor ({age}) alone: under {config.min_age_alone} needs an adult or a consent letter",
            details={"age": age, "accompanied": False},
            refusal_code="E",
        )
    return Verdict(Status.WARN, f"Minor: {age} years old on the crossing date", details={"age": age})


def _list_age(list_date: date, today: date) -> str:
    if list_date > today:
        return f"list {list_date.isoformat()}"
    return f"list {list_date.isoformat()}, {describe_span(list_date, today)} old"


def _stale(list_date: date, context: InspectionContext) -> bool:
    return (context.today - list_date).days > context.config.watchlist_max_age_days


def _document_watchlist(document: DocumentLike, context: InspectionContext) -> Verdict:
    watchlist = context.document_watchlist
    if watchlist is None:
        return not_run("Lost/stolen list: no list loaded")
    number = normalize_document_number(document.document_number)
    issuer = document.issuing_state
    if not number or not issuer:
        return not_run("Lost/stolen list: document number or issuer unreadable")
    data_version = f"{watchlist.version}@{watchlist.list_date.isoformat()}"
    age = _list_age(watchlist.list_date, context.today)
    doc_type = document.document_code[:1]
    hits = [
        alert
        for alert in watchlist.lookup(number, issuer)
        if not alert.document_type or alert.document_type == doc_type
    ]
    if hits:
        hit = hits[0]
        more = f" (+{len(hits) - 1} more)" if len(hits) > 1 else ""
        return Verdict(
            Status.FAIL,
            f"On the lost/stolen list: {hit.reason} (ref {hit.reference}, {age}){more}",
            data_version=data_version,
            details={"hits": len(hits), "reference": hit.reference},
            refusal_code="A",
        )
    if _stale(watchlist.list_date, context):
        return Verdict(
            Status.WARN, f"Not on the lost/stolen list, but the list is stale ({age})", data_version
        )
    return Verdict(Status.PASS, f"Not on the lost/stolen list ({age})", data_version)


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """A person alert, how well the traveller matches it (0-100), and why the match is only partial
    (``"birth date one day off"``, ``"transliterated name"``...; empty for a full match)."""

    alert: PersonAlert
    score: int
    partial: tuple[str, ...] = ()


NEAR_DATE_FACTOR = 0.8
"""A birth date near the alert's (a typing slip) scales the score: the same name then reaches WARN only."""


def near_birth_date(traveller: date, listed: date) -> str | None:
    """Return how ``traveller`` is a likely slip for ``listed`` (a day off, a month off, day and month
    swapped), or None when the dates are equal or not near."""
    if traveller == listed:
        return None
    if abs((traveller - listed).days) == 1:
        return "birth date one day off"
    if traveller.day == listed.month and traveller.month == listed.day and traveller.year == listed.year:
        return "birth date day and month swapped"
    months = (traveller.year - listed.year) * 12 + traveller.month - listed.month
    if abs(months) == 1 and traveller.day == listed.day:
        return "birth date one month off"
    return None


def _near_dates(birth: date) -> list[date]:
    """Return the dates near ``birth`` in the sense of :func:`near_birth_date`."""
    found = [birth - timedelta(days=1), birth + timedelta(days=1)]
    if birth.day <= 12 and birth.day != birth.month:
        with contextlib.suppress(ValueError):
            found.append(birth.replace(month=birth.day, day=birth.month))
    for step in (-1, 1):
        month = birth.month + step
        year = birth.year + (month - 1) // 12
        with contextlib.suppress(ValueError):
            found.append(birth.replace(year=year, month=(month - 1) % 12 + 1))
    return found


def score_person(
    surname: str, given_names: str, birth_date: date | None, nationality: str, alert: PersonAlert
) -> int:
    """Return the match score (0-100) of a traveller against one person alert.

    Name similarity (see :mod:`checkpoint.inspection.names`) is scaled by the birth date (equal: x1;
    near, see :func:`near_birth_date`: x0.8; known on both sides and otherwise different: 0; unknown
    on a side: x0.9) and the nationality (different: x0.85, unknown on a side: x0.95): the same name
    and birth date with another nationality (a dual national) still scores 85.
    """
    return _score(NameMatcher(surname, given_names), birth_date, nationality, alert)[0]


def _score(
    name: NameMatcher, birth_date: date | None, nationality: str, alert: PersonAlert, threshold: int = 0
) -> tuple[int, tuple[str, ...]]:
    """Return the score and why it is partial, or 0 early when the alert cannot reach ``threshold``."""
    partial: list[str] = []
    factor = 1.0
    if birth_date is not None and alert.birth_date is not None and birth_date != alert.birth_date:
        near = near_birth_date(birth_date, alert.birth_date)
        if near is None:
            return 0, ()
        partial.append(near)
        factor *= NEAR_DATE_FACTOR
    if birth_date is None or alert.birth_date is None:
        factor *= 0.9
    if not nationality or not alert.nationality:
        factor *= 0.95
    elif nationality != alert.nationality:
        factor *= 0.85
    # round(similarity * factor * 100) >= threshold needs similarity >= (threshold - 0.5) / (100 * factor).
    needed = max(0.0, (threshold - 0.5) / (100 * factor))
    similarity = name.similarity(alert.surname, alert.given_names, at_least=needed)
    # A name written in another script or with letters the MRZ lacks, matching the MRZ only nearly
    # (SERGEJ for Сергей, whose ICAO spelling is SERGEI): another transliteration of the same name is
    # likely, so it is a lead to compare, never a clean hit. The ICAO spelling itself is a full match.
    if (
        0 < similarity < 1.0
        and transliterated(alert.surname, alert.given_names)
        and not name.spelled_as_listed(alert.surname, alert.given_names)
    ):
        partial.append("name transliterated differently")
    return round(similarity * factor * 100), tuple(partial)


def match_persons(document: DocumentLike, context: InspectionContext) -> list[PersonMatch]:
    """Return the person alerts the holder matches at or above the WARN score, best first.

    Alerts listed with a birth date near the traveller's are compared too (see :func:`near_birth_date`).
    """
    watchlist = context.person_watchlist
    if watchlist is None:
        return []
    threshold = context.config.person_possible_score
    name = NameMatcher(document.surname, document.given_names)
    candidates = list(watchlist.candidates(document.birth_date))
    if document.birth_date is not None:
        seen = {id(alert) for alert in candidates}
        for near in _near_dates(document.birth_date):
            for alert in watchlist.candidates(near):
                if id(alert) not in seen and alert.birth_date is not None:
                    seen.add(id(alert))
                    candidates.append(alert)
    matches = []
    for alert in candidates:
        score, partial = _score(name, document.birth_date, document.nationality, alert, threshold)
        if score >= threshold:
            matches.append(PersonMatch(alert, score, partial))
    matches.sort(key=lambda m: (m.score, not m.partial), reverse=True)
    return matches


def _person_watchlist(document: DocumentLike, context: InspectionContext) -> Verdict:
    watchlist = context.person_watchlist
    if watchlist is None:
        return not_run("Person alerts: no list loaded")
    if not document.surname.strip():
        return not_run("Person alerts: name unreadable")
    data_version = f"{watchlist.version}@{watchlist.list_date.isoformat()}"
    age = _list_age(watchlist.list_date, context.today)
    matches = match_persons(document, context)
    if matches:
        best = matches[0]
        details: dict[str, str | int | float | bool | None] = {
            "score": best.score,
            "reference": best.alert.reference,
            "matches": len(matches),
        }
        more = f" (+{len(matches) - 1} more)" if len(matches) > 1 else ""
        if best.partial:
            # A near birth date or another spelling is a lead, never a clean pass nor a clean hit.
            return Verdict(
                Status.WARN,
                f"Partial person alert {best.score}% ({'; '.join(best.partial)}): compare details "
                f"(ref {best.alert.reference}){more}",
                data_version,
                {**details, "partial": "; ".join(best.partial)},
            )
        if best.score >= context.config.person_hit_score:
            return Verdict(
                Status.FAIL,
                f"Person alert match {best.score}%: {best.alert.reason} (ref {best.alert.reference}){more}",
                data_version,
                details,
                refusal_code="H",
            )
        return Verdict(
            Status.WARN,
            f"Possible person alert {best.score}%: compare details (ref {best.alert.reference}){more}",
            data_version,
            details,
        )
    if _stale(watchlist.list_date, context):
        return Verdict(Status.WARN, f"No person alert, but the list is stale ({age})", data_version)
    return Verdict(Status.PASS, f"No person alert ({age})", data_version)


MINOR = Check("person.minor", 2, "Minor on the crossing date", _minor)
DOCUMENT_WATCHLIST = Check("watchlist.document", 1, "Lost/stolen document list", _document_watchlist)
PERSON_WATCHLIST = Check("watchlist.person", 2, "Person alert list", _person_watchlist)
