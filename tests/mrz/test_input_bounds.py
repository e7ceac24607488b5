"""A parse looks at bounded input: megabytes of text fail fast with a clear error, strict or lenient."""

from __future__ import annotations

import time

import pytest

from checkpoint.mrz import MRZFormatError, parse
from checkpoint.mrz.reading import MAX_INPUT
from tests.mrz.conftest import TD3


@pytest.mark.parametrize(
    "hostile",
    ["\n" * 10_000_000, ["\n"] * 2_000_000, "A" * 10_000_000],
    ids=["10 MB of newlines", "2 million lines", "10 MB of letters"],
)
def test_megabytes_of_text_fail_fast_with_a_clear_error(hostile: object) -> None:
    started = time.perf_counter()
    with pytest.raises(MRZFormatError, match="exact ICAO lines are at most"):
        parse(hostile, strict=True)  # type: ignore[arg-type]
    result = parse(hostile)  # type: ignore[arg-type]
    assert not result.valid and [e.code for e in result.errors] == ["no_mrz"]
    assert f"more than {MAX_INPUT} characters" in result.errors[0].message
    assert time.perf_counter() - started < 2.0  # generous: the unbounded parse took 5-15 s


def test_an_mrz_with_some_text_around_it_is_still_found() -> None:
    text = "scanned page\n" + "noise " * 2000 + "\n" + "\n".join(TD3) + "\n"
    assert len(text) < MAX_INPUT
    assert parse(text).valid
