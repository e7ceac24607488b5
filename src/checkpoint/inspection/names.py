"""Name comparison for person alerts: normalise to the MRZ alphabet, then score with :mod:`difflib`.

Alert lists are written by people (``Müller, Hans-Peter``, ``Иванов``) while the MRZ holds the ICAO
transliteration (``MUELLER<<HANS<PETER``, by :func:`checkpoint.mrz.transliteration.transliterate`);
both are brought to upper-case A-Z words before comparing. The score is the best of difflib's ratio on
the names in order and on the words sorted, so a swapped surname and given name still match.
"""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from difflib import SequenceMatcher

from checkpoint.mrz.errors import MRZCompositionError
from checkpoint.mrz.transliteration import transliterate

_PRUNE_BELOW = 0.5
"""Pairs whose similarity cannot reach this count as 0: every score threshold is well above it."""


def _ascii_words(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = [ch if "A" <= ch <= "Z" else " " for ch in kept.upper()]
    return " ".join("".join(letters).split())


# Alert lists are a few thousand names compared again at every read: normalise each spelling once.
@functools.lru_cache(maxsize=65536)
def name_variants(text: str) -> frozenset[str]:
    """Return the upper-case A-Z spellings of a name: plain decomposition and ICAO transliteration.

    ``"Müller"`` gives ``{"MULLER", "MUELLER"}``; ``"O'Brien-Smith"`` gives ``{"O BRIEN SMITH",
    "OBRIEN SMITH"}``. Characters ICAO cannot transliterate keep only the plain spelling; a name with
    no letters at all gives the empty set.
    """
    variants = {_ascii_words(text)}
    # Digits or Greek in a list entry cannot be transliterated: the plain spelling still takes part.
    with contextlib.suppress(MRZCompositionError):
        variants.add(_ascii_words(transliterate(text).replace("<", " ")))
    variants.discard("")  # a spelling with no letters left matches nothing
    return frozenset(variants)


@functools.lru_cache(maxsize=65536)
def _forms(surname: str, given_names: str) -> tuple[tuple[str, str], ...]:
    """Return each (in order, words sorted) spelling of a full name; surname only without given names."""
    forms = []
    for sur in name_variants(surname):
        givens = name_variants(given_names) or frozenset({""})
        for given in givens:
            full = f"{sur} {given}".strip()
            forms.append((full, " ".join(sorted(full.split()))))
    return tuple(forms)


def transliterated(surname: str, given_names: str) -> bool:
    """Return whether a name written by people (an alert list's) has letters the MRZ alphabet spells
    by transliteration (``Müller``, ``Иванов``), so that a match with an MRZ name rests on a convention."""
    return any(name_variants(part) - {_ascii_words(part)} for part in (surname, given_names))


class NameMatcher:
    """One traveller's name, prepared once and compared with many alert names.

    difflib caches what it learns about its second sequence, so the traveller's spellings are the
    second sequences and each alert name is set as the first (as the difflib documentation advises).
    """

    def __init__(self, surname: str, given_names: str) -> None:
        self._has_given = bool(name_variants(given_names))
        self._plain = sorted(f"{_ascii_words(surname)} {_ascii_words(given_names)}".split())
        self._full: list[tuple[SequenceMatcher[str], SequenceMatcher[str]]] = []
        self._surnames: list[SequenceMatcher[str]] = []
        for in_order, by_words in _forms(surname, given_names):
            if not in_order:
                continue  # a name with no letters matches nothing
            self._full.append(
                (
                    SequenceMatcher(None, b=in_order, autojunk=False),
                    SequenceMatcher(None, b=by_words, autojunk=False),
                )
            )
        for sur in name_variants(surname):
            if sur:
                self._surnames.append(SequenceMatcher(None, b=sur, autojunk=False))

    def spelled_as_listed(self, surname: str, given_names: str) -> bool:
        """Return whether another name, spelled as written (accents dropped, no transliteration), is
        this traveller's name word for word (in any order): a match that needs the ICAO
        transliteration, or is only similar, is not."""
        listed = sorted(f"{_ascii_words(surname)} {_ascii_words(given_names)}".split())
        return bool(listed) and listed == self._plain

    def similarity(self, surname: str, given_names: str, at_least: float = 0.0) -> float:
        """Return the similarity (0.0 to 1.0) of this traveller's name and another; see the module doc.

        When either side has no given names only the surnames are compared. A pair that cannot reach
        ``at_least`` (and never less than 0.5: every threshold is well above it) scores 0.0, which lets
        most comparisons stop at difflib's cheap upper bounds.
        """
        floor = max(_PRUNE_BELOW, at_least)
        best = 0.0
        if not self._has_given or not name_variants(given_names):
            for other in name_variants(surname):
                for matcher in self._surnames:
                    best = max(best, _ratio(matcher, other, floor))
            return best
        for in_order, by_words in _forms(surname, given_names):
            for ordered, sorted_words in self._full:
                best = max(best, _ratio(ordered, in_order, floor), _ratio(sorted_words, by_words, floor))
        return best


def _ratio(matcher: SequenceMatcher[str], other: str, floor: float) -> float:
    if not other:
        return 0.0
    matcher.set_seq1(other)
    # Cheap upper bounds first: most alert names are nowhere near the traveller's.
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= floor else 0.0


def name_similarity(surname_a: str, given_a: str, surname_b: str, given_b: str) -> float:
    """Return the similarity (0.0 to 1.0) of two people's names.

    The names are normalised with :func:`name_variants`; the best ratio over the variants, the full
    name in order and the full name with its words sorted is returned. When either side has no given
    names only the surnames are compared. Below 0.5 the result is 0.0.
    """
    return NameMatcher(surname_a, given_a).similarity(surname_b, given_b)
