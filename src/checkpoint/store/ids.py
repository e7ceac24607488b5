"""Globally unique record ids made on the terminal, with no coordination: UUIDv7 (RFC 9562).

The 48-bit millisecond timestamp first keeps ids roughly in time order, so new rows land at the end of
the index; the 74 random bits make collisions between terminals negligible.
"""

from __future__ import annotations

import os
import time
import uuid


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """Return a new version-7 UUID for ``unix_ms`` (default: now)."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    value = (ms & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 9562 variant
    return uuid.UUID(int=value)


def new_id() -> str:
    """Return a new record id as text (a UUIDv7)."""
    return str(uuid7())
