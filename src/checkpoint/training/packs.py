"""The scenario packs shipped with checkpoint, and finding a scenario by file name or pack name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def pack_names() -> list[str]:
    """Return the names of the shipped packs (``basics``, ``forgery`` ...), sorted."""
    folder = resources.files("checkpoint.training") / "packs"
    return sorted(item.name[:-5] for item in folder.iterdir() if item.name.endswith(".toml"))


def pack_path(name: str) -> Path:
    """Return the file of the shipped pack ``name``; raise ``KeyError`` listing the packs if unknown."""
    if name not in pack_names():
        raise KeyError(f"no scenario pack {name!r}; shipped packs: {', '.join(pack_names())}")
    return Path(str(resources.files("checkpoint.training") / "packs" / f"{name}.toml"))


def scenario_path(text: str) -> Path:
    """Return the scenario file ``text`` names: an existing file, else a shipped pack's name.

    Raises ``FileNotFoundError`` saying both what was looked for and which packs exist.
    """
    path = Path(text)
    if path.exists():
        return path
    try:
        return pack_path(text)
    except KeyError:
        raise FileNotFoundError(
            f"{text}: no such file, and no shipped pack of that name (packs: {', '.join(pack_names())})"
        ) from None
