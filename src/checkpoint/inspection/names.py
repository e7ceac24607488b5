"""Name comparison for person alerts: normalise to the MRZ alphabet, then score with :mod:`difflib`.

Alert lists are written by people (``Müller, Hans-Peter``) while the MRZ holds the ICAO transliteration
(``MUELLER<<HANS<PETER``, by :func:`checkpoint.mrz.transliteration.transliterate`); both are brought to upper-case A-Z words before comparing. The score is the
best of difflib's ratio on the names in order and on the words sorted, so a swapped surname and given
name still match.
"""

from __future__ import annotations

import contextlib
import unicodedata
from difflib import SequenceMatcher

from checkpoint.mrz.errors import MRZCompositionError
from checkpoint.mrz.transliteration import transliterate


def _ascii_words(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = [ch if "A" <= ch <= "Z" else " " for ch in kept.upper()]
    return " ".join("".join(letters).split())


def name_variants(text: str) -> frozenset[str]:
    """Return the upper-case A-Z spellings of a name: plain decomposition and ICAO transliteration.

    ``"Müller"`` gives ``{"MULLER", "MUELLER"}``; ``"O'Brien-Smith"`` gives ``{"O BRIEN SMITH",
    "OBRIEN SMITH"}``. Characters ICAO cannot transliterate keep only the plain spelling.
    """
    variants = {_ascii_words(text)}
    # Digits or Greek in a list entry cannot be transliterated: the plain spelling still takes part.
    with contextlib.suppress(MRZCompositionError):
        variants.add(_ascii_words(transliterate(text).replace("<", " ")))
    return frozenset(variants)


def _ratio(left: str, right: str) -> float:
    if not left or not right:
        return 0.0
    return SequenceMatcher(None, left, right, autojunk=False).ratio()


def name_similarity(surname_a: str, given_a: str, surname_b: str, given_b: str) -> float:
    """Return the similarity (0.0 to 1.0) of two people's names.

    The names are normalised with :func:`name_variants`; the best ratio over the variants, the full
    name in order and the full name with its words sorted is returned. When either side has no given
    names only the surnames are compared.
    """
    best = 0.0
    for sa in name_variants(surname_a):
        for sb in name_variants(surname_b):
            if not given_a.strip() or not given_b.strip():
                best = max(best, _ratio(sa, sb))
                continue
            for ga in name_variants(given_a):
                for gb in name_variants(given_b):
                    full_a, full_b = f"{sa} {ga}", f"{sb} {gb}"
                    best = max(
                        best,
                        _ratio(full_a, full_b),
                        _ratio(" ".join(sorted(full_a.split())), " ".join(sorted(full_b.split()))),
                    )
    return best
