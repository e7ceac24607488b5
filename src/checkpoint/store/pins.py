"""Officer PINs, hashed with scrypt (memory-hard, :func:`hashlib.scrypt`), never stored or logged plain.

The stored form records its parameters, ``scrypt$N$r$p$salt$hash`` (base64), so the cost can be raised
later without invalidating existing PINs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import itertools
import os
from typing import Final

SCRYPT_N: Final = 2**15  # 32 MiB with r=8: costly to brute-force a short PIN offline, ~0.1 s to check
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
MIN_PIN_LENGTH: Final = 4
MAX_PIN_LENGTH: Final = 64


def check_pin_policy(pin: str) -> None:
    """Raise ``ValueError`` saying why ``pin`` is not acceptable as a new PIN."""
    if not MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH:
        raise ValueError(f"a PIN must be {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} characters, got {len(pin)}")
    if pin != pin.strip():
        raise ValueError("a PIN must not start or end with a space")
    if len(set(pin)) == 1:
        raise ValueError("a PIN must not be one character repeated")
    if pin.isdigit():
        _refuse_guessable_digits(pin)


def _refuse_guessable_digits(pin: str) -> None:
    # What is tried first against a lock screen: runs (1234, 4321, 7890), short patterns repeated
    # (1212, 123123) and years, a birth year above all.
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        raise ValueError("a PIN must not be a run of digits such as 1234 or 4321")
    for size in range(1, len(pin) // 2 + 1):
        if len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size):
            raise ValueError("a PIN must not be a short pattern repeated, such as 1212")
    if len(pin) == 4 and 1900 <= int(pin) <= 2099:
        raise ValueError("a 4-digit PIN must not be a year (1900-2099): birth years are guessed first")


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 * n * r)


def hash_pin(pin: str, *, n: int = SCRYPT_N) -> str:
    """Return the storable hash of ``pin`` with a fresh random salt."""
    salt = os.urandom(16)
    derived = _derive(pin, salt, n, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(derived).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Return whether ``pin`` matches ``stored`` (constant-time compare). A malformed hash never matches."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = _derive(pin, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(derived, base64.b64decode(expected))
    except ValueError:
        return False


@functools.cache
def dummy_hash() -> str:
    """Return a hash to check against when the officer does not exist, so a wrong ID takes as long as a
    wrong PIN (made once, on first use, not at import)."""
    return hash_pin("not-a-real-pin")
