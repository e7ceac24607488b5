"""Training mode's screens: the inspection screen with the case's banner and what a trainee may open
(the stated purpose, the printed page, each check in detail), the lesson after a decision, and the end
screen with the score, the misses and their lessons, and the time per case."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from checkpoint.inspection import DEFAULT_CHECKS
from checkpoint.tui.models import Decision, Review
from checkpoint.tui.screens.base import ClientScreen
from checkpoint.tui.screens.inspection import InspectionScreen
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from checkpoint.training.session import CaseOutcome, TrainingSession
    from checkpoint.tui.training import TrainingApp

CHECK_TITLES: dict[str, str] = {check.check_id: check.title for check in DEFAULT_CHECKS}

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical, {name} > VerticalScroll {{ width: 78; height: auto; max-height: 22;
    border: thick $warning; background: $surface; padding: 0 1; }}
"""


class TrainingBanner(Static):
    """One line under the status line: TRAINING, the case number, the mode and the trainee."""

    DEFAULT_CSS = "TrainingBanner { height: 1; background: $warning; color: $text; text-style: bold; }"

    def render(self) -> Content:
        session = _session(self.app)
        done = len(session.outcomes)
        number = min(done + 1, len(session.cases))
        return literal(
            f" ▲ TRAINING · case {number}/{len(session.cases)} · {session.mode} · trainee {session.trainee}"
        )


def _session(app: object) -> TrainingSession:
    return app.session  # type: ignore[attr-defined, no-any-return]


class TrainingInspectionScreen(InspectionScreen):
    """The inspection screen of a shift, with what a trainee may open and a hook after each decision."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "purpose", "Purpose"),
        Binding("g", "page", "Page"),
        Binding("c", "checks", "Checks"),
    ]

    @property
    def training(self) -> TrainingApp:
        """The training app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TrainingBanner()
        yield from super().compose()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("present", "close_shift"):
            # The cases arrive from the scenario, never a random sample; the session, not the trainee,
            # opens and closes its shifts.
            return False
        if action in ("purpose", "page"):
            # Open while a case is in hand, read or not: an unreadable page is typed in from the page.
            return self.training.session.current is not None
        if action == "checks":
            return self.review is not None
        return super().check_action(action, parameters)

    def _recorded(self, review: Review, decision: Decision, crossing_id: str) -> None:
        current = self.review is review
        super()._recorded(review, decision, crossing_id)
        if current:
            self.training.case_decided(review, decision)
            for banner in self.query(TrainingBanner):
                banner.refresh()

    def action_purpose(self) -> None:
        case = self.training.session.current
        if case is not None:
            self.training.opened.add("purpose")
            lines = [f"Direction: {case.direction}", "", "The traveller says:", case.purpose]
            self.app.push_screen(InfoScreen("Stated purpose", lines))

    def action_page(self) -> None:
        self.training.opened.add("page")
        self.app.push_screen(InfoScreen("Printed data page", self.training.page_lines()))

    def action_checks(self) -> None:
        if self.review is not None:
            self.app.push_screen(CheckDetailScreen(self.review))


class InfoScreen(ModalScreen[None]):
    """A few lines of text to read, closed with Escape or Enter."""

    DEFAULT_CSS = MODAL_CSS.format(name="InfoScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(lines_content(self.lines))
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = self.title_text

    def action_close(self) -> None:
        self.dismiss(None)


class CheckDetailScreen(ModalScreen[None]):
    """Every check of the review, one to a row: moving onto a check opens it (and counts as looked at)."""

    DEFAULT_CSS = MODAL_CSS.format(name="CheckDetailScreen")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList(
                *(Option(literal(f"{c.status:<8} {c.check_id}"), id=c.check_id) for c in self.review.checks),
                id="check-list",
            )
            yield Static(id="check-detail")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Checks in detail (↑↓ to open one)"
        self.query_one(OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        check_id = event.option.id
        for check in self.review.checks:
            if check.check_id == check_id:
                training: TrainingApp = self.app  # type: ignore[assignment]
                training.opened.add(check.check_id)
                title = CHECK_TITLES.get(check.check_id, check.check_id)
                self.query_one("#check-detail", Static).update(
                    lines_content([f"{title} ({check.check_id}): {check.status}", check.message])
                )

    def action_close(self) -> None:
        self.dismiss(None)


class LessonScreen(ModalScreen[None]):
    """Practice mode: the case's outcome and lesson, right after the decision."""

    DEFAULT_CSS = MODAL_CSS.format(name="LessonScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Next case", priority=True),
        Binding("escape", "close", "Next case", show=False),
    ]

    def __init__(self, outcome: CaseOutcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(outcome_text(self.outcome))
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).border_title = "Lesson"

    def action_close(self) -> None:
        self.dismiss(None)


def outcome_text(outcome: CaseOutcome) -> Content:
    """Return one case's outcome: right or the mistake, expected against given, points, time, lesson."""
    expected = outcome.expected + (
        f" ({', '.join(outcome.expected_reasons)})" if outcome.expected_reasons else ""
    )
    given = outcome.decision + (f" ({', '.join(outcome.reasons)})" if outcome.reasons else "")
    head = (
        Content.styled("✔ RIGHT", "bold green")
        if not outcome.missed
        else Content.styled(f"✖ {outcome.mistake.upper()}", "bold red")
    )
    looked = {None: "", True: "  · looked at what mattered", False: "  · did NOT open what mattered"}
    return Content("\n").join(
        [
            head + literal(f"  {outcome.title}"),
            literal(
                f"Expected {expected}, you decided {given}: {outcome.points}/10 in {outcome.seconds:.0f} s"
            ),
            literal(looked[outcome.looked].strip(" ·")),
            Content(""),
            lines_content(outcome.lesson.split("\n")),
        ]
    )


def lines_content(lines: list[str]) -> Content:
    """Return ``lines`` (text from a scenario, shown literally) one under the other."""
    return Content("\n").join(literal(line) for line in lines)


class TrainingEndScreen(ClientScreen):
    """The end of the session: score, misses with their lessons, time per case."""

    DEFAULT_CSS = "#training-end { border: round $warning; padding: 0 1; }"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit_training", "Finish")]

    def compose(self) -> ComposeResult:
        yield StatusLine()
        yield TrainingBanner()
        with VerticalScroll(id="training-end"):
            yield Static(id="training-summary")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        session = _session(self.app)
        rows = [
            Content.styled(
                f"Score {session.points}/{10 * len(session.outcomes)} ({session.percent:.0f}%)  ·  "
                f"{len(session.misses)} missed of {len(session.outcomes)}",
                "bold",
            ),
            Content(""),
            Content.styled("Time per case", "bold"),
        ]
        for number, o in enumerate(session.outcomes, start=1):
            mark = "✔" if not o.missed else "✖"
            rows.append(literal(f"{number:>3}. {mark} {o.seconds:>6.1f} s  {o.points:>2}/10  {o.title}"))
        if session.misses:
            rows += [Content(""), Content.styled("Missed cases and their lessons", "bold")]
            for o in session.misses:
                rows += [Content(""), outcome_text(o)]
        self.query_one("#training-summary", Static).update(Content("\n").join(rows))
        end = self.query_one("#training-end")
        end.border_title = "Training session complete (↑↓ PgUp PgDn to scroll)"
        end.focus()

    def action_quit_training(self) -> None:
        self.app.exit()
