"""What the checks are told: the configuration of the post, and the context of one inspection.

Both are plain frozen data. The caller (the client) fills the context from its clock, its shift and its
store; the engine itself never reads a clock, a file or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from checkpoint.inspection.model import (
    ChipReading,
    DocumentLike,
    DocumentWatchlist,
    PastCrossing,
    PersonWatchlist,
)

# ICAO 9303 Part 3 specimen data: the example state, and the names and numbers printed on the specimens
# of ICAO 9303 and of well-known national specimens (Germany's MUSTERMANN, the UK's SPECIMEN ...).
DEFAULT_SPECIMEN_ISSUERS: frozenset[str] = frozenset({"UTO"})
# A name is "SURNAME" (any given names) or "SURNAME, GIVEN NAMES" (exactly that person): ERIKSSON is a
# common Swedish surname, so only the full ICAO specimen name counts.
DEFAULT_SPECIMEN_NAMES: frozenset[str] = frozenset(
    {"ERIKSSON, ANNA MARIA", "MUSTERMANN", "MUSTERFRAU", "SPECIMEN"}
)
DEFAULT_SPECIMEN_NUMBERS: frozenset[str] = frozenset(
    {"L898902C3", "L898902C", "L8988901C", "D23145890", "D23145890734", "C01X00T47", "T22000129"}
)

_CHECK_ID_SETS: frozenset[str] = frozenset({"attention_if_not_run", "blocking_checks"})


@dataclass(frozen=True, slots=True)
class InspectionConfig:
    """Post configuration of the checks (all durations in the units their names say).

    - ``expiry_warning_days``: a document expiring within this many days gets WARN.
    - ``minor_age``: younger than this on the crossing date is a minor.
    - ``same_document_minutes``: a crossing of the same document within this window is flagged.
    - ``stay_rule_nationalities``: nationalities the 90/180 rule applies to (none by default).
    - ``stay_limit_days`` / ``stay_window_days``: the short-stay rule, 90 days in any 180.
    - ``person_hit_score`` / ``person_possible_score``: person-alert score (0-100) for FAIL / WARN.
    - ``watchlist_max_age_days``: a list older than this still runs, but WARNs that it is stale.
    - ``attention_if_not_run``: checks whose NOT RUN makes the suggestion at least ATTENTION.
    - ``stay_rule_exempt_nationalities``: nationalities the short-stay rule does not apply to (the
      post's own and free-movement nationals): PASS instead of NOT RUN.
    - ``visa_required_nationalities`` / ``visa_exempt_nationalities``: the post's visa table for entry;
      a nationality in neither makes the visa check say NOT RUN.
    - ``min_age_alone``: a minor younger than this travelling alone (no accompanying adult read, no
      consent letter) FAILs; 0 means a minor alone only WARNs.
    - ``blocking_checks``: checks whose FAIL cannot be admitted over at the first line, even with an
      override reason: the officer refers or refuses.
    """

    expiry_warning_days: int = 90
    minor_age: int = 18
    same_document_minutes: int = 30
    stay_rule_nationalities: frozenset[str] = frozenset()
    stay_limit_days: int = 90
    stay_window_days: int = 180
    person_hit_score: int = 85
    person_possible_score: int = 70
    watchlist_max_age_days: int = 7
    specimen_issuers: frozenset[str] = DEFAULT_SPECIMEN_ISSUERS
    specimen_names: frozenset[str] = DEFAULT_SPECIMEN_NAMES
    specimen_numbers: frozenset[str] = DEFAULT_SPECIMEN_NUMBERS
    attention_if_not_run: frozenset[str] = frozenset(
        {"mrz.validity", "document.dates", "watchlist.document", "watchlist.person"}
    )
    stay_rule_exempt_nationalities: frozenset[str] = frozenset()
    visa_required_nationalities: frozenset[str] = frozenset()
    visa_exempt_nationalities: frozenset[str] = frozenset()
    min_age_alone: int = 0
    blocking_checks: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> InspectionConfig:
        """Return a config from plain data, e.g. a post's TOML table read with :mod:`tomllib`.

        Keys are the field names; sets may be given as lists of strings. Missing keys keep their
        defaults. Raises ``ValueError`` naming the key that is unknown or has the wrong type.
        """
        known = {f.name for f in fields(cls)}
        defaults = cls()
        kwargs: dict[str, object] = {}
        for key, value in values.items():
            if key not in known:
                raise ValueError(f"unknown inspection setting {key!r}; known: {', '.join(sorted(known))}")
            if isinstance(getattr(defaults, key), frozenset):
                if isinstance(value, str) or not isinstance(value, Iterable):
                    raise ValueError(f"inspection setting {key!r} must be a list of strings")
                items = list(value)
                if not all(isinstance(item, str) for item in items):
                    raise ValueError(f"inspection setting {key!r} must be a list of strings")
                # Codes, numbers and names are compared as the MRZ prints them; check ids as written.
                kwargs[key] = frozenset(
                    item.strip() if key in _CHECK_ID_SETS else item.strip().upper() for item in items
                )
            elif isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"inspection setting {key!r} must be a whole number, got {value!r}")
            else:
                kwargs[key] = value
        return cls(**kwargs)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        for name in (
            "expiry_warning_days",
            "minor_age",
            "same_document_minutes",
            "watchlist_max_age_days",
            "min_age_alone",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"InspectionConfig.{name} must not be negative, got {getattr(self, name)}")
        if not 0 < self.stay_limit_days <= self.stay_window_days:
            raise ValueError(
                f"stay rule must be 0 < limit <= window, got {self.stay_limit_days} in {self.stay_window_days}"
            )
        if not 0 <= self.person_possible_score <= self.person_hit_score <= 100:
            raise ValueError(
                "person scores must satisfy 0 <= possible <= hit <= 100, got "
                f"{self.person_possible_score} and {self.person_hit_score}"
            )


@dataclass(frozen=True, slots=True)
class InspectionContext:
    """Everything one inspection may look at besides the document.

    - ``now``: the crossing time (timezone-aware); ``today``: the crossing date at the post.
    - ``direction``: ``"entry"`` or ``"exit"``; ``post`` and ``lane`` name where the officer is.
    - ``history``: earlier crossings of this document, newest first, or ``None`` when the history could
      not be looked up (then the movement and stay checks say NOT RUN).
    - ``history_since``: ``history`` holds every crossing from this time on (``None``: every crossing
      on record). The stay rule says NOT RUN when that does not cover its whole window: a truncated
      history would undercount the days. :meth:`checkpoint.store.Store.document_movements` gives it.
    - ``document_watchlist`` / ``person_watchlist``: ``None`` when no list is loaded (NOT RUN).
    - ``issue_date``: the date of issue when a source other than the MRZ gave it; ``issue_date_source``
      names that source (``"manual entry"``, ``"visa"``, and ``"chip DG12"`` once the chip is read:
      the client fills both from whatever gave the date, the check only reads them).
    - ``visa``: a visa presented with the passport (one crossing), checked against it;
      ``visa_valid_from`` its printed first day of validity when known (the MRZ does not hold it).
    - ``accompanying_adult``: the document of the adult a minor travels with, read at the same time;
      ``consent_reference``: the reference of a consent letter for a minor travelling without one.
    - ``training``: a training session; a specimen document then only WARNs.
    - ``chip``: what the reader's chip antenna made of the document; ``None`` when the reader has none
      (the chip checks then say NOT RUN).
    """

    now: datetime
    today: date
    direction: str
    post: str = ""
    lane: str = ""
    history: Sequence[PastCrossing] | None = None
    history_since: datetime | None = None
    document_watchlist: DocumentWatchlist | None = None
    person_watchlist: PersonWatchlist | None = None
    issue_date: date | None = None
    config: InspectionConfig = field(default_factory=InspectionConfig)
    issue_date_source: str = ""
    visa: DocumentLike | None = None
    visa_valid_from: date | None = None
    accompanying_adult: DocumentLike | None = None
    consent_reference: str = ""
    training: bool = False
    chip: ChipReading | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("InspectionContext.now must be timezone-aware (UTC)")
        if self.history_since is not None and self.history_since.tzinfo is None:
            raise ValueError("InspectionContext.history_since must be timezone-aware (UTC)")
        if self.direction not in ("entry", "exit"):
            raise ValueError(f"InspectionContext.direction must be 'entry' or 'exit', got {self.direction!r}")
