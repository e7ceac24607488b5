"""Shared fixtures of the MRZ tests: a fixed reference day and the ICAO specimens."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2024, 1, 1)
# The committed copy of the shared corpus: the tests depend on nothing outside the repository.
PEER_SUITES = Path(__file__).parent / "data" / "peer-suites"

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
MRV_A = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<")
MRV_B = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<")
FRA_ID = ("IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "9409923102854CORINNE<<<<<<<6512068F4")


def with_char(lines: tuple[str, ...], line: int, column: int, char: str) -> list[str]:
    """Return ``lines`` with the character at 1-based ``line``, 0-based ``column`` replaced."""
    out = list(lines)
    out[line - 1] = out[line - 1][:column] + char + out[line - 1][column + 1 :]
    return out


def with_text(lines: tuple[str, ...] | list[str], line: int, column: int, text: str) -> list[str]:
    """Return ``lines`` with ``text`` written over 1-based ``line`` from 0-based ``column``."""
    out = list(lines)
    out[line - 1] = out[line - 1][:column] + text + out[line - 1][column + len(text) :]
    return out


def specimens() -> list[dict[str, Any]]:
    """Return the ICAO specimens quoted by the peers' suites (committed with the tests)."""
    with (PEER_SUITES / "icao_specimens.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
