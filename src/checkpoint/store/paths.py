"""Where the terminal's database lives unless ``--db`` says otherwise."""

from __future__ import annotations

import os
import re
from pathlib import Path


def default_db_path() -> Path:
    """Return ``$CHECKPOINT_DB`` if set, else ``$XDG_DATA_HOME/checkpoint/checkpoint.db``
    (``~/.local/share/checkpoint/checkpoint.db`` when ``XDG_DATA_HOME`` is unset)."""
    explicit = os.environ.get("CHECKPOINT_DB")
    if explicit:
        return Path(explicit)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "checkpoint" / "checkpoint.db"


def is_postgres_url(text: str) -> bool:
    """Return whether ``text`` names a PostgreSQL database (``postgresql://`` / ``postgres://`` or a
    libpq ``key=value`` string) rather than a SQLite file."""
    return text.startswith(("postgresql://", "postgres://")) or bool(re.match(r"\s*\w+\s*=", text))
