"""OCR repair of MRZ lines (lenient mode only).

Two steps. First, by field type: a letter in a numeric position (dates, check digits) and a digit in an
alphabetic one (codes, names) can only be an OCR confusion, so it is replaced by its look-alike
(O/Q/D->0, I/L->1, Z->2, S->5, G->6, B->8 and back). Second, in alphanumeric fields that have their
own check digit (document number, TD3 personal number), where the check digit disagrees, the look-alike
readings with one substitution are tried, at the one character that is out of place (a letter between
digits or a digit between letters); one is kept only when exactly one fits the check digit. Otherwise
(no such character, several, or several readings) the ambiguity is reported with the candidates and
nothing is guessed: a check digit is satisfied by one reading in ten, so a repair anywhere else would
mostly turn some other misread into a valid-looking wrong document (``benchmarks/repair_safety.py``). Where the format has a composite check
digit, a reading must satisfy it too: that catches a misread field check digit, which would otherwise
"repair" a correct field to match it. (The composite cannot break ties between readings: every field
starts at a multiple of three inside it, so a reading that fits the field's digit keeps its sum.)

Some confusions are invisible to the 7-3-1 check digit because both characters have the same value
modulo 10: ``<``/``0``/``A``/``K``/``U`` (0), ``1``/``L`` (1), ``6``/``G`` (6) and so on. A check
digit cannot decide between them, so the search never tries them (see :data:`INVISIBLE_SUBSTITUTIONS`).
"""

from __future__ import annotations

from itertools import combinations, product
from typing import Final

from checkpoint.mrz import problems as P
from checkpoint.mrz.checkdigit import VALUES, fast_check_digit
from checkpoint.mrz.layouts import ALPHA, DIGIT, NAME_FIELDS, NUMERIC, Check, Layout
from checkpoint.mrz.problems import Correction, Problem
from checkpoint.mrz.reading import ODD

TO_DIGIT: Final[dict[str, str]] = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "I": "1",
    "L": "1",
    "Z": "2",
    "S": "5",
    "G": "6",
    "B": "8",
}
TO_LETTER: Final[dict[str, str]] = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}

_CONFUSIONS: Final = [(letter, digit) for letter, digit in TO_DIGIT.items()]

#: Look-alike pairs whose characters have the same value modulo 10: a check digit cannot tell them apart.
INVISIBLE_SUBSTITUTIONS: Final[frozenset[tuple[str, str]]] = frozenset(
    {(a, b) for a, b in _CONFUSIONS if VALUES[a] % 10 == VALUES[b] % 10} | {("<", "0"), ("<", "K")}
)

# For the search: each character's look-alikes that the check digit *can* tell apart.
_ALTERNATIVES: Final[dict[str, str]] = {}
for _letter, _digit in _CONFUSIONS:
    if (_letter, _digit) not in INVISIBLE_SUBSTITUTIONS:
        _ALTERNATIVES[_letter] = _ALTERNATIVES.get(_letter, "") + _digit
        _ALTERNATIVES[_digit] = _ALTERNATIVES.get(_digit, "") + _letter

# One substitution: with two, a nine-character number has dozens of readings and one in ten fits any
# check digit by chance, so a "repair" would mostly be a guess.
_MAX_SUBSTITUTIONS: Final = 1


def fix_types(layout: Layout, lines: list[str]) -> tuple[list[str], list[Correction]]:
    """Return ``lines`` with letters in numeric and digits in alphabetic positions replaced, and the
    corrections made."""
    rows = [list(line) for line in lines]
    corrections: list[Correction] = []
    for span in layout.fields.values():
        if span.kind == ALPHA:
            table = TO_LETTER
        elif span.kind in (NUMERIC, DIGIT):
            table = TO_DIGIT
        else:
            continue
        row = rows[span.line]
        for col in range(span.start, span.end):
            new = table.get(row[col])
            if new is not None:
                corrections.append(Correction(span.line + 1, col, row[col], new, span.name))
                row[col] = new
    return ["".join(row) for row in rows], corrections


def _filler_tail(text: str, minimum: int) -> str:
    """Return ``text`` with the K and L of its filler tail read as ``<``.

    The filler tail is the end of the field made only of ``<``, ``K`` and ``L``, from its first
    ``<`` on (so the letters of a name before it stay): OCR reads the chevron-like filler as K or L.
    Returns ``text`` unchanged when the tail holds fewer than ``minimum`` K or L.
    """
    i = len(text)
    while i > 0 and text[i - 1] in "<KL":
        i -= 1
    i = text.find("<", i)
    if i < 0:
        return text
    tail = text[i:]
    if len(tail) - tail.count("<") < minimum:
        return text
    return text[:i] + "<" * len(tail)


def fix_filler_tails(layout: Layout, lines: list[str]) -> tuple[list[str], list[Correction]]:
    """Return ``lines`` with K and L read for fillers at the end of the name fields replaced, and the
    corrections made.

    Names have no check digit, so this is decided by shape alone: it needs three or more K/L in a tail
    that starts with a filler (no name is spelled ``<KLL``). Cheap when there is nothing to do: a name
    field that ends in a filler is left at once.
    """
    corrections: list[Correction] = []
    for name in NAME_FIELDS:
        span = layout.fields.get(name)
        if span is None or lines[span.line][span.end - 1] not in "KL":
            continue
        field = lines[span.line][span.start : span.end]
        fixed = _filler_tail(field, minimum=3)
        if fixed == field:
            continue
        for col, (old, new) in enumerate(zip(field, fixed, strict=True), span.start):
            if old != new:
                corrections.append(Correction(span.line + 1, col, old, new, name))
        lines = _replace(lines, span.line, span.start, fixed)
    return lines, corrections


def _kind(char: str) -> str:
    return "digit" if char.isdigit() else "letter"


def _neighbour_kinds(data: str, i: int, step: int, count: int = 2) -> list[str]:
    """Return the kinds (digit, letter) of the ``count`` nearest characters on one side of ``i`` that are
    not fillers (fewer near an end)."""
    kinds: list[str] = []
    j = i + step
    while 0 <= j < len(data) and len(kinds) < count:
        if data[j] != "<":
            kinds.append(_kind(data[j]))
        j += step
    return kinds


def _island(data: str, i: int) -> bool:
    # Two characters of the other kind on each side, fillers skipped: one is not enough, as a misread
    # next to a run of two (12AB34 read 127B34) would make the run's other half look out of place.
    if data[i] == "<":
        return False
    around = _neighbour_kinds(data, i, -1) + _neighbour_kinds(data, i, 1)
    other = "letter" if _kind(data[i]) == "digit" else "digit"
    return around == [other] * 4


def islands(data: str) -> list[int]:
    """Return the positions of ``data`` where an OCR confusion is plausible: a letter with two digits on
    each side or a digit with two letters on each side (fillers skipped), as the ``O`` in ``1898O02``.

    A character that fits in with its neighbours was most likely read right: changing it to satisfy a
    failed check digit would mostly turn some other misread into a valid-looking wrong document.
    """
    return [i for i in range(len(data)) if _island(data, i)]


def _readings(data: str, target: str, positions: list[int]) -> list[str]:
    positions = [i for i in positions if data[i] in _ALTERNATIVES]
    for count in range(1, _MAX_SUBSTITUTIONS + 1):
        found: list[str] = []
        for chosen in combinations(positions, count):
            for replacement in product(*(_ALTERNATIVES[data[i]] for i in chosen)):
                chars = list(data)
                for i, c in zip(chosen, replacement, strict=True):
                    chars[i] = c
                candidate = "".join(chars)
                if fast_check_digit(candidate) == target:
                    found.append(candidate)
        if found:
            return found
    return []


def _composite_fits(layout: Layout, lines: list[str]) -> bool:
    composite = next((c for c in layout.checks if c.name == "composite"), None)
    if composite is None:
        return True
    data = "".join(lines[ln][a:b] for ln, a, b in composite.parts)
    return fast_check_digit(data) == lines[composite.line][composite.pos]


def _replace(lines: list[str], line: int, start: int, text: str) -> list[str]:
    out = list(lines)
    out[line] = out[line][:start] + text + out[line][start + len(text) :]
    return out


def search(
    layout: Layout, lines: list[str], checks: dict[str, bool]
) -> tuple[list[str], list[Correction], list[Problem]]:
    """Repair alphanumeric fields whose own check digit fails.

    Returns the new lines, the corrections and ``ambiguous_repair`` errors for fields where several
    readings fit.
    """
    corrections: list[Correction] = []
    problems: list[Problem] = []
    for check in layout.checks:
        if check.guards is None or checks.get(check.name, True):
            continue
        target = lines[check.line][check.pos]
        if not target.isdigit():
            continue  # "<" here is a long document number (or no digit at all): nothing to aim at
        line, start, end = check.parts[0]
        data = lines[line][start:end]
        if ODD in data:
            continue  # a character that is no MRZ character: no reading can be trusted
        odd = islands(data)
        # Repaired only where one character is out of place: with two (``96C0M846``: the C or the 0?),
        # which one was misread is a guess, so the readings are listed and none is chosen.
        candidates = _readings(data, target, odd if len(odd) == 1 else [])
        tail = _filler_tail(data, minimum=1)
        if tail != data and (fast_check_digit(tail) == target or (target == "0" and not tail.strip("<"))):
            candidates.append(tail)
        readings = [r for r in candidates if _composite_fits(layout, _replace(lines, line, start, r))]
        if not readings and len(odd) > 1:
            guesses = _readings(data, target, odd)
            readings = [r for r in guesses if _composite_fits(layout, _replace(lines, line, start, r))]
            if readings:
                problems.append(_ambiguity(check, readings, line, start, end, len(odd)))
                continue
        if len(readings) == 1:
            reading = readings[0]
            for col, (old, new) in enumerate(zip(data, reading, strict=True), start):
                if old != new:
                    corrections.append(Correction(line + 1, col, old, new, check.guards))
            lines = _replace(lines, line, start, reading)
        elif readings:
            problems.append(_ambiguity(check, readings, line, start, end))
    return lines, corrections, problems


def _ambiguity(check: Check, readings: list[str], line: int, start: int, end: int, odd: int = 1) -> Problem:
    shown = ", ".join(readings[:5]) + (" ..." if len(readings) > 5 else "")
    if odd > 1:
        return Problem(
            P.AMBIGUOUS_REPAIR,
            check.guards or check.name,
            line + 1,
            start,
            end,
            f"{odd} characters look misread; the check digit fits {len(readings)} reading(s) ({shown}) "
            "but cannot say which character is wrong: none was chosen",
        )
    return Problem(
        P.AMBIGUOUS_REPAIR,
        check.guards or check.name,
        line + 1,
        start,
        end,
        f"{len(readings)} OCR readings fit the check digit ({shown}); none was chosen",
    )
