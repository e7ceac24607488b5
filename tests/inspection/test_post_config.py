"""A post's configuration: the shipped example is complete and usable, and a bad file is refused with
every problem on its own line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkpoint.cli import main
from checkpoint.cli.config_command import example_text, load_post_config
from checkpoint.inspection import DEFAULT_CHECKS
from checkpoint.inspection.post_config import PostConfigError, parse_post_config


def test_the_example_configures_every_rule_the_checks_need() -> None:
    post = parse_post_config(example_text())
    assert (post.name, post.lanes, post.direction) == ("Demo crossing", ("1", "2", "3", "Bus"), "entry")
    inspection = post.inspection
    assert "IND" in inspection.visa_required_nationalities and "D" in inspection.visa_exempt_nationalities
    assert "USA" in inspection.stay_rule_nationalities
    assert inspection.min_age_alone == 16
    assert inspection.blocking_checks <= {check.check_id for check in DEFAULT_CHECKS}
    assert [reason.code for reason in post.reasons] == list("ABCDEFGHI")


BAD = """\
[post]
name = "Bozaj"
lanes = ["1", "1"]
direction = "sideways"

[visa]
required = ["RUS", "QQQ"]
exempt = ["RUS"]

[minors]
age = "eighteen"
min_age_alone = 3

[decisions]
blocking = ["watchlist.persons"]

[extras]
colour = "red"
"""


def test_every_problem_is_reported_with_the_line_of_its_key() -> None:
    with pytest.raises(PostConfigError) as caught:
        parse_post_config(BAD, "bozaj.toml")
    lines = str(caught.value).splitlines()
    assert lines[0] == "bozaj.toml:3: [post] lanes: a lane appears twice"
    assert lines[1] == "bozaj.toml:4: [post] direction: must be 'entry' or 'exit', got 'sideways'"
    assert lines[2] == "bozaj.toml:7: [visa] required: unknown country code(s): QQQ"
    assert lines[3] == "bozaj.toml:11: [minors] age: must be a whole number, got 'eighteen'"
    assert lines[4].startswith("bozaj.toml:15: [decisions] blocking: unknown check id(s): watchlist.persons")
    assert lines[5].startswith("bozaj.toml:17: unknown table [extras]")
    assert len(lines) == 6


def test_syntax_errors_and_contradictions_name_their_line() -> None:
    with pytest.raises(PostConfigError, match=r"^x.toml:2: not valid TOML"):
        parse_post_config('[post]\nname = "unterminated\n', "x.toml")
    with pytest.raises(PostConfigError, match=r"x.toml:4: \[visa\] exempt: RUS also listed as visa required"):
        parse_post_config('[post]\nname = "P"\n[visa]\nexempt = ["RUS"]\nrequired = ["RUS"]\n', "x.toml")
    with pytest.raises(PostConfigError, match=r"\[post\] is missing"):
        parse_post_config("[stay]\nlimit_days = 90\n", "x.toml")


def test_config_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "post.toml"
    good.write_text(example_text())
    assert main(["config", "check", str(good)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD)
    assert main(["config", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3: [post] lanes: a lane appears twice" in err and "6 problem(s)" in err
    assert load_post_config(good).refusal_forms == str(tmp_path / "refusal-forms")


def test_run_refuses_a_bad_configuration_before_any_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD)
    assert main(["run", "--config", str(bad), "--db", str(tmp_path / "t.db")]) == 2
    assert f"{bad}:4: [post] direction" in capsys.readouterr().err
