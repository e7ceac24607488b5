"""The store's error tree. Every error carries a short ``title`` a screen can show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar


class StoreError(Exception):
    """Base of every error :mod:`checkpoint.store` raises."""

    title: ClassVar[str] = "Store error"


class StoreUnavailable(StoreError, OSError):
    """The database cannot be opened or written (path, permissions, disk, newer schema)."""

    title = "Database unavailable"


class CorruptRecord(StoreError, ValueError):
    """A stored record cannot be read back (the file was altered or damaged); the message names it."""

    title = "Damaged record"


class NotFound(StoreError, LookupError):
    """The officer, shift or crossing asked for does not exist."""

    title = "Not found"


class InvalidRecord(StoreError, ValueError):
    """A record is incomplete or inconsistent; the message names the field and the rule."""

    title = "Invalid record"


class AuthenticationFailed(StoreError):
    """Wrong officer ID or PIN. Deliberately does not say which."""

    title = "Sign-in refused"


class OfficerLocked(AuthenticationFailed):
    """Too many wrong PINs: the officer is locked out until ``until``."""

    title = "Officer locked out"

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class WatchlistImportError(StoreError, ValueError):
    """A watchlist file has errors; nothing was imported. ``problems`` lists ``(line, message)``."""

    title = "Watchlist not imported"

    def __init__(self, source: str, problems: Sequence[tuple[int, str]]) -> None:
        shown = "\n".join(f"  {source}:{line}: {message}" for line, message in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in {source}, nothing imported:\n{shown}{more}")
        self.problems = tuple(problems)
