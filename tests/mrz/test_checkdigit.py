"""The 7-3-1 check digit against the peers' vectors and ICAO's worked examples."""

from __future__ import annotations

import json

import pytest

from checkpoint.mrz import MRZError, check_digit
from tests.mrz.conftest import PEER_SUITES, specimens

with (PEER_SUITES / "check_digit_vectors.jsonl").open(encoding="utf-8") as _f:
    VECTORS = [json.loads(line) for line in _f if line.strip()]


@pytest.mark.parametrize("case", VECTORS, ids=lambda c: c["input"][:30])
def test_peer_vectors(case: dict[str, object]) -> None:
    text = str(case["input"])
    expect = case["expect"]
    assert isinstance(expect, dict)
    want = str(expect["check_digit"])
    if want.startswith("same as "):
        assert check_digit(text) == check_digit(want.removeprefix("same as "))
    elif want.startswith("not "):
        assert check_digit(text) != want.removeprefix("not ")
    elif text == "":
        # PassportEye answers "" for an empty string; by ICAO an empty field's digit is 0 (the digit of
        # an all-filler field, which is what TD3's empty personal number carries).
        assert check_digit(text) == "0"
    elif not all(c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<" for c in text):
        # Peers answer "" (PassportEye) or upper-case first (Arg0s1080 hash_is_ok); check_digit takes
        # MRZ characters only and says which one is not; parse() does the normalising.
        with pytest.raises(MRZError, match="position"):
            check_digit(text)
    else:
        assert check_digit(text) == want


@pytest.mark.parametrize(
    ("text", "digit"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("", "0"),
        ("<<<<<<", "0"),
    ],
)
def test_icao_examples(text: str, digit: str) -> None:
    assert check_digit(text) == digit


def test_icao_part3_composite_worked_example() -> None:
    case = next(c for c in specimens() if c["format"] == "TD3-line2")
    line = case["mrz"][0]
    data = line[0:10] + line[13:20] + line[21:43]
    assert data == case["expect"]["composite_input"]
    assert check_digit(data) == case["expect"]["composite"]


@pytest.mark.parametrize("bad", ["abc", "L898 902", "É", "\x00", 123, None])
def test_non_mrz_characters_raise_mrz_error_with_position(bad: object) -> None:
    with pytest.raises(MRZError) as info:
        check_digit(bad)  # type: ignore[arg-type]
    if isinstance(bad, str) and bad:
        assert "position" in str(info.value)
