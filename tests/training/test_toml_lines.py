"""Line numbers of TOML tables and keys, which tomllib does not give."""

from __future__ import annotations

from checkpoint.training.toml_lines import SourceLines

TEXT = '''\
title = "x"            # 1

[context]              # 3
date = 2026-12-04      # 4

[[case]]               # 6
id = "a"               # 7
lesson = """           # 8
decision = "not a key" # 9
"""                    # 10
mrz = [                # 11
  "id = 'not a key'",  # 12
]                      # 13
decision = "admit"     # 14

[case.document]        # 16
surname = "X"          # 17

[[case]]               # 19
"id" = "b"             # 20

[[watchlist.document]] # 22
reason = "STOLEN"      # 23
'''


def test_keys_and_tables_have_their_lines() -> None:
    source = SourceLines(TEXT)
    assert source.line((), "title") == 1
    assert source.line(("context",), "date") == 4
    assert source.line(("case", 1), "id") == 7
    assert source.line(("case", 1), "decision") == 14  # not the text inside the lesson
    assert source.line(("case", 1, "document"), "surname") == 17
    assert source.line(("case", 2), "id") == 20
    assert source.line(("watchlist", "document", 1), "reason") == 23


def test_a_missing_key_falls_back_to_its_table() -> None:
    source = SourceLines(TEXT)
    assert source.line(("case", 2), "purpose") == 19
    assert source.line(("case", 1, "document"), "birth_date") == 16
    assert source.line(("case", 1, "forge"), "field") == 6
    assert source.line(("nothing",), "key") is None
