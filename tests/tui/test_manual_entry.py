"""Manual entry: live per-field check-digit feedback pointing at the wrong character, and the typed
document reviewed like a read (source ``manual``)."""

from __future__ import annotations

from tui_fakes import (
    SAMPLE_TD3,
    FakeBackend,
    ScriptedReader,
    paste,
    screen_text,
    shift_app,
    sync,
    until,
)

from checkpoint.tui.feedback import Problem, describe, judge, marker_row
from checkpoint.tui.screens.manual_entry import ManualEntryScreen
from checkpoint.tui.widgets.inputs import TextInput

WRONG_NUMBER_DIGIT = SAMPLE_TD3[1][:9] + "7" + SAMPLE_TD3[1][10:]


def test_the_carets_sit_under_the_wrong_characters() -> None:
    problems = [Problem(2, 9, 10, "number"), Problem(2, 43, 44, "composite"), Problem(1, 0, 2, "other line")]
    row = marker_row(problems, 2)
    assert row.index("^") == 9 and row.rindex("^") == 43 and row.count("^") == 2
    assert marker_row(problems, 3) == ""
    assert describe(problems[0]) == "line 2 col 10: number"


def test_judge_reports_the_document_number_digit_with_its_position() -> None:
    feedback = judge([SAMPLE_TD3[0], WRONG_NUMBER_DIGIT])
    assert not feedback.valid
    assert ("document_number", False) in feedback.checks and ("birth_date", True) in feedback.checks
    number = next(p for p in feedback.problems if p.start == 9)
    assert (number.line, number.end) == (2, 10)
    assert "should be 6" in number.message


def test_judge_of_nothing_typed_is_quietly_invalid() -> None:
    assert judge(["", ""]) == judge([])
    assert not judge([]).valid and judge([]).problems == ()


@sync
async def test_typing_shows_feedback_live_and_enter_reviews_the_typed_document(
    reader: ScriptedReader, backend: FakeBackend
) -> None:
    app = shift_app([reader], backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ManualEntryScreen))
        # Paste most of each line and type the end, so the feedback is seen following the keys.
        await paste(pilot, SAMPLE_TD3[0][:-6].lower())
        await pilot.press(*SAMPLE_TD3[0][-6:].lower(), "tab")
        await paste(pilot, WRONG_NUMBER_DIGIT[:40])
        await pilot.press(*WRONG_NUMBER_DIGIT[40:])
        await until(pilot, lambda: "✖ number" in screen_text(app))
        shown = screen_text(app).splitlines()
        typed = next(i for i, row in enumerate(shown) if WRONG_NUMBER_DIGIT in row)
        caret_row = shown[typed + 2]  # the input's bottom border, then the marker row
        assert caret_row.index("^") == shown[typed].index(WRONG_NUMBER_DIGIT) + 9
        assert "line 2 col 10: document number check digit should be 6" in screen_text(app)
        # Lower case was taken as capitals.
        assert SAMPLE_TD3[0] in screen_text(app)

        # To just after the wrong digit, and type the right one over it.
        line_2 = app.screen.query_one("#line-2", TextInput)
        await pilot.press("home", *["right"] * 10, "backspace", "6")
        assert line_2.value == SAMPLE_TD3[1]
        await until(pilot, lambda: "All check digits agree" in screen_text(app))
        assert "^" not in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: "ERIKSSON" in screen_text(app) and len(backend.reviews) == 1)
        assert backend.reviews[0].source == "manual"
        assert backend.reviews[0].lines == SAMPLE_TD3
