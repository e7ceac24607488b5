"""Scenario files: every shipped pack is usable, and a trainer's mistakes are named with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkpoint.cli import main
from checkpoint.mrz import parse
from checkpoint.training.evaluate import check_scenario, inspect_case
from checkpoint.training.forgery import forge
from checkpoint.training.model import ScenarioError
from checkpoint.training.packs import pack_names, pack_path
from checkpoint.training.scenario import load_scenario

GOOD = """\
title = "Two cases"

[context]
date = 2026-12-04
direction = "entry"

[[case]]
id = "fine"
purpose = "Tourism."
decision = "admit"
matters = "mrz.validity"
lesson = "Admit."

[case.document]
issuing_state = "D"
surname = "Hartmann"
document_number = "C4F7K2M9R"
nationality = "D"
birth_date = 1983-02-17
sex = "M"
expiry_date = 2031-06-30

[[case]]
id = "expired"
purpose = "Tourism."
decision = "refuse"
reasons = ["A"]
matters = "document.dates"
lesson = "Refuse."

[case.document]
issuing_state = "D"
surname = "Hartmann"
document_number = "C4F7K2M9R"
nationality = "D"
birth_date = 1983-02-17
sex = "M"
expiry_date = 2021-06-30
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", pack_names())
def test_every_shipped_pack_passes_train_check(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "check", name]) == 0, capsys.readouterr().err
    scenario = load_scenario(pack_path(name))
    assert check_scenario(scenario) == []


def test_the_packs_hold_at_least_forty_cases_with_unique_ids() -> None:
    cases = [case for name in pack_names() for case in load_scenario(pack_path(name)).cases]
    assert len(cases) >= 40
    ids = [case.case_id for case in cases]
    assert len(ids) == len(set(ids))
    categories = {case.category for case in cases}
    assert {"basics", "forgery", "travel"} <= categories


def test_a_good_scenario_loads_and_agrees_with_the_engine(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, GOOD))
    assert [case.case_id for case in scenario.cases] == ["fine", "expired"]
    assert check_scenario(scenario) == []
    assert inspect_case(scenario, scenario.cases[1]).by_id("document.dates").status.value == "FAIL"


def test_mistakes_name_case_key_and_line(tmp_path: Path) -> None:
    text = GOOD.replace('decision = "refuse"', 'decision = "deport"').replace(
        'birth_date = 1983-02-17\nsex = "M"\nexpiry_date = 2021',
        'birth_date = "yesterday"\nsex = "M"\nexpiry_date = 2021',
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text))
    rendered = [problem.render("s.toml") for problem in caught.value.problems]
    lines = text.splitlines()
    decision_line = next(i for i, line in enumerate(lines, 1) if "deport" in line)
    birth_line = next(i for i, line in enumerate(lines, 1) if "yesterday" in line)
    assert any(r.startswith(f"s.toml:{decision_line}: case 2 'expired': decision:") for r in rendered), (
        rendered
    )
    assert any(r.startswith(f"s.toml:{birth_line}: case 2 'expired': birth_date:") for r in rendered), (
        rendered
    )


def test_a_missing_key_points_at_its_table(tmp_path: Path) -> None:
    text = GOOD.replace('purpose = "Tourism."\ndecision = "admit"', 'decision = "admit"')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert (problem.where, problem.key, problem.line) == ("case 1 'fine'", "purpose", 7)


def test_a_contradicting_case_is_flagged_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Expected admit, but the document expired: the engine FAILs it.
    text = GOOD.replace('decision = "refuse"\nreasons = ["A"]', 'decision = "admit"')
    path = write(tmp_path, text)
    assert main(["train", "check", str(path)]) == 1
    err = capsys.readouterr().err
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row == 'decision = "admit"' and i > 20)
    assert f"{path}:{line}: case 2 'expired': decision: admit expected, but document.dates FAILs" in err


def test_a_refusal_whose_check_passes_is_flagged(tmp_path: Path) -> None:
    text = GOOD.replace(
        'decision = "admit"\nmatters = "mrz.validity"',
        'decision = "refuse"\nreasons = ["B"]\nmatters = "mrz.validity"',
    )
    problems = check_scenario(load_scenario(write(tmp_path, text)))
    assert {p.where for p in problems} == {"case 1 'fine'"}
    assert "mrz.validity, but it shows PASS" in problems[0].message


def test_not_toml_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, "title = \n"))
    assert "not valid TOML" in str(caught.value)


@pytest.mark.parametrize(
    ("recompute", "failing"),
    [("none", {"birth_date", "composite"}), ("field", {"composite"}), ("all", set())],
)
def test_forgery_modes_leave_the_traces_they_promise(recompute: str, failing: set[str]) -> None:
    fields = {
        "issuing_state": "ITA", "surname": "ROSSI", "document_number": "YA4827315", "nationality": "ITA",
        "birth_date": "910418", "sex": "M", "expiry_date": "301102",
    }  # fmt: skip
    lines = forge("TD3", fields, "birth_date", "890418", recompute)
    result = parse(lines)
    assert result.birth_date is not None and result.birth_date.year == 1989
    assert {name for name, ok in result.checks.items() if not ok} == failing


def test_a_watchlist_mistake_has_its_line(tmp_path: Path) -> None:
    text = GOOD.replace(
        "[[case]]", '[[watchlist.document]]\ndocument_number = "X1"\nissuing_state = "D"\n\n[[case]]', 1
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert (problem.where, problem.key, problem.line) == ("watchlist.document 1", "reason", 7)


def test_a_scenario_may_take_specimens_as_genuine_training_material(tmp_path: Path) -> None:
    specimen = GOOD.replace(
        'direction = "entry"', 'direction = "entry"\n\n[context.rules]\nspecimen_issuers = []', 1
    )
    specimen = specimen.replace(
        'issuing_state = "D"\nsurname = "Hartmann"', 'issuing_state = "UTO"\nsurname = "Eriksson"', 1
    )
    specimen = specimen.replace('nationality = "D"', 'nationality = "UTO"', 1)
    scenario = load_scenario(write(tmp_path, specimen))
    assert check_scenario(scenario) == []
    assert inspect_case(scenario, scenario.cases[0]).by_id("document.specimen").status.value == "PASS"
    with_default_rules = load_scenario(write(tmp_path, specimen.replace("specimen_issuers = []", "")))
    assert (
        inspect_case(with_default_rules, with_default_rules.cases[0]).by_id("document.specimen").status.value
        == "WARN"
    )


def test_bad_context_rules_are_named(tmp_path: Path) -> None:
    text = GOOD.replace(
        'direction = "entry"', 'direction = "entry"\n\n[context.rules]\nstay_limit_days = "ninety"', 1
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert (problem.where, problem.key, problem.line) == ("context.rules", "stay_limit_days", 8)


def test_a_wrong_time_is_named_and_a_right_one_kept(tmp_path: Path) -> None:
    scenario = load_scenario(
        write(tmp_path, GOOD.replace("date = 2026-12-04", 'date = 2026-12-04\ntime = "07:45"', 1))
    )
    assert scenario.context.start.isoformat() == "2026-12-04T07:45:00+00:00"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(
            write(tmp_path, GOOD.replace("date = 2026-12-04", 'date = 2026-12-04\ntime = "late"', 1))
        )
    (problem,) = caught.value.problems
    assert (problem.where, problem.key, problem.line) == ("context", "time", 5)
