"""A case's MRZ from its fields, with the forger's alteration drawn in.

The genuine lines are composed by :func:`checkpoint.mrz.compose`. A forgery changes one field; the
forger may leave every check digit as it was (``recompute = "none"``: the field's own digit fails),
recompute the field's digit only (``"field"``: only the composite digit still tells), or recompute all
of them (``"all"``: the MRZ is consistent and only the page, the number range or the person tell).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from datetime import date
from typing import Final

from checkpoint.mrz import compose

FORGEABLE: Final[frozenset[str]] = frozenset(
    {"surname", "given_names", "document_number", "nationality", "birth_date", "sex", "expiry_date"}
)
RECOMPUTE: Final[tuple[str, ...]] = ("none", "field", "all")
# (line, column) of every check digit, and of the composite digit, by format (ICAO 9303 Parts 4-6).
_CHECK_DIGITS: Final[dict[str, tuple[tuple[int, int], ...]]] = {
    "TD3": ((1, 9), (1, 19), (1, 27), (1, 42)),
    "TD2": ((1, 9), (1, 19), (1, 27)),
    "TD1": ((0, 14), (1, 6), (1, 14)),
    "MRV-A": ((1, 9), (1, 19), (1, 27)),
    "MRV-B": ((1, 9), (1, 19), (1, 27)),
}
_COMPOSITE: Final[dict[str, tuple[int, int]]] = {"TD3": (1, 43), "TD2": (1, 35), "TD1": (1, 29)}
# The fields compose() takes, read from its signature so the two never drift apart.
COMPOSE_KEYS: Final[frozenset[str]] = frozenset(inspect.signature(compose).parameters) - {"format"}


def compose_case(document_format: str, fields: Mapping[str, object]) -> tuple[str, ...]:
    """Return the MRZ lines of ``fields`` (the keys of :func:`checkpoint.mrz.compose`).

    Raises :class:`checkpoint.mrz.MRZCompositionError` naming the field that cannot be written.
    """
    kwargs = {key: value for key, value in fields.items() if key in COMPOSE_KEYS}
    return compose(document_format, **kwargs)  # type: ignore[arg-type]


def _restore(lines: list[str], genuine: tuple[str, ...], at: tuple[int, int]) -> None:
    row, column = at
    if row < len(lines) and column < len(lines[row]):
        lines[row] = lines[row][:column] + genuine[row][column] + lines[row][column + 1 :]


def forge(
    document_format: str, fields: Mapping[str, object], field_name: str, value: object, recompute: str
) -> tuple[str, ...]:
    """Return the lines of ``fields`` with ``field_name`` changed to ``value`` in the MRZ.

    ``recompute`` is ``none``, ``field`` or ``all`` (see the module). Raises ``ValueError`` for a field
    or a recompute mode this does not know, and :class:`checkpoint.mrz.MRZCompositionError` when the
    value cannot be written.
    """
    if field_name not in FORGEABLE:
        raise ValueError(f"cannot forge {field_name!r}: expected one of {', '.join(sorted(FORGEABLE))}")
    if recompute not in RECOMPUTE:
        raise ValueError(f"recompute must be one of {', '.join(RECOMPUTE)}, got {recompute!r}")
    genuine = compose_case(document_format, fields)
    forged = list(compose_case(document_format, {**fields, field_name: value}))
    if recompute == "all":
        return tuple(forged)
    composite = _COMPOSITE.get(document_format)
    if composite is not None:
        _restore(forged, genuine, composite)
    if recompute == "none":
        for at in _CHECK_DIGITS.get(document_format, ()):
            _restore(forged, genuine, at)
    return tuple(forged)


def as_date(value: object) -> date | None:
    """Return ``value`` as a date when it is one (a TOML date or ``YYYY-MM-DD`` text), else None."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
