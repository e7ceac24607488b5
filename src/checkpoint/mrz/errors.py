"""The MRZ error tree. Nothing else ever escapes :mod:`checkpoint.mrz`."""

from __future__ import annotations

from typing import ClassVar


class MRZError(Exception):
    """Base of every error :mod:`checkpoint.mrz` raises."""

    title: ClassVar[str] = "MRZ error"


class MRZFormatError(MRZError, ValueError):
    """The text is not a machine-readable zone of any known format (raised in strict mode)."""

    title = "Not a machine-readable zone"


class MRZCompositionError(MRZError, ValueError):
    """Fields given to :func:`checkpoint.mrz.compose` cannot be written as an MRZ (says which and why)."""

    title = "Cannot compose the MRZ"
