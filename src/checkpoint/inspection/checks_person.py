"""Checks on the holder and the alert lists: minor, document watchlist, person watchlist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checkpoint.inspection.check import Check, Verdict, not_run
from checkpoint.inspection.config import InspectionContext
from checkpoint.inspection.model import DocumentLike, PersonAlert, Status
from checkpoint.inspection.names import NameMatcher
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
    if age < context.config.minor_age:
        return Verdict(Status.WARN, f"Minor: {age} years old on the crossing date", details={"age": age})
    return Verdict(Status.PASS, f"Adult ({age})", details={"age": age})


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
    """A person alert and how well the traveller matches it (0-100)."""

    alert: PersonAlert
    score: int


def score_person(
    surname: str, given_names: str, birth_date: date | None, nationality: str, alert: PersonAlert
) -> int:
    """Return the match score (0-100) of a traveller against one person alert.

    Name similarity (see :mod:`checkpoint.inspection.names`) is scaled by the birth date (known on both
    sides and different: 0; unknown on a side: x0.9) and the nationality (different: x0.85, unknown
    on a side: x0.95): the same name and birth date with another nationality (a dual national) still
    scores 85.
    """
    return _score(NameMatcher(surname, given_names), birth_date, nationality, alert)


def _score(
    name: NameMatcher, birth_date: date | None, nationality: str, alert: PersonAlert, threshold: int = 0
) -> int:
    """Return the score, or 0 early when the alert cannot reach ``threshold``."""
    if birth_date is not None and alert.birth_date is not None and birth_date != alert.birth_date:
        return 0
    factor = 1.0
    if birth_date is None or alert.birth_date is None:
        factor *= 0.9
    if not nationality or not alert.nationality:
        factor *= 0.95
    elif nationality != alert.nationality:
        factor *= 0.85
    # round(similarity * factor * 100) >= threshold needs similarity >= (threshold - 0.5) / (100 * factor).
    needed = max(0.0, (threshold - 0.5) / (100 * factor))
    return round(name.similarity(alert.surname, alert.given_names, at_least=needed) * factor * 100)


def match_persons(document: DocumentLike, context: InspectionContext) -> list[PersonMatch]:
    """Return the person alerts the holder matches at or above the WARN score, best first."""
    watchlist = context.person_watchlist
    if watchlist is None:
        return []
    threshold = context.config.person_possible_score
    name = NameMatcher(document.surname, document.given_names)
    matches = []
    for alert in watchlist.candidates(document.birth_date):
        score = _score(name, document.birth_date, document.nationality, alert, threshold)
        if score >= threshold:
            matches.append(PersonMatch(alert, score))
    matches.sort(key=lambda m: m.score, reverse=True)
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


MINOR = Check("person.minor", 1, "Minor on the crossing date", _minor)
DOCUMENT_WATCHLIST = Check("watchlist.document", 1, "Lost/stolen document list", _document_watchlist)
PERSON_WATCHLIST = Check("watchlist.person", 1, "Person alert list", _person_watchlist)
