"""The review of one read: verdict banner, holder, document, checks, previous crossings.

Laid out to fit 80x24 with the status line and footer. Everything that came from the document is shown
literally (see :mod:`checkpoint.tui.text`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from checkpoint.tui.intake import MANUAL_SOURCE, VIZ_SOURCE
from checkpoint.tui.models import CheckLine, CheckStatus, HistoryLine, Review, Verdict
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.face import FacePanel

CHIP_CHECK_PREFIX = "chip."

# Verdict -> (banner title, CSS class). Symbol and word, so the verdict reads without colour.
VERDICTS: dict[Verdict, str] = {
    "clear": "✔ CLEAR",
    "attention": "▲ ATTENTION",
    "refer": "✖ REFER TO SECONDARY",
}

VERDICT_STYLES: dict[Verdict, str] = {"clear": "bold green", "attention": "bold yellow", "refer": "bold red"}

STATUS_STYLES: dict[CheckStatus, tuple[str, str]] = {
    "PASS": ("✔ PASS    ", "bold green"),
    "WARN": ("▲ WARN    ", "bold yellow"),
    "FAIL": ("✖ FAIL    ", "bold red"),
    "NOT RUN": ("· NOT RUN ", "dim"),
}


LINE_WIDTH = 76
"""The banner's text width at 80 columns (heavy border and padding take four)."""


def shorten(text: str, width: int) -> str:
    """Return ``text`` cut to ``width`` cells with an ellipsis when it is longer."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def holder_line(review: Review, width: int = LINE_WIDTH) -> Content:
    """Return the holder's line: name, sex, birth date and age, nationality, in ``width`` cells.

    What gives way when it is too long, in order: the word "nationality", the country's name (to its
    code), then the name's end. The sex, the birth date, the age and the nationality's code always show.
    """
    name = review.surname + (f", {review.given_names}" if review.given_names else "")
    born = review.birth_date.isoformat() if review.birth_date else "unknown"
    age = f" ({review.age})" if review.age is not None else ""
    nationality = review.nationality
    middle = f"   {review.sex or '?'}  born {born}{age}   "
    if len(name) + len(middle) + len("nationality ") + len(nationality) <= width:
        return literal(f"{name}{middle}nationality {nationality}")
    code, _, country = nationality.partition(" ")
    room = width - len(middle) - len(name) - len(code) - 1
    if len(code) == 3 and country:
        nationality = f"{code} {shorten(country, room)}" if room >= 6 else code
    name = shorten(name, width - len(middle) - len(nationality))
    return literal(f"{name}{middle}{nationality}")


def source_mark(review: Review) -> str:
    """Return how the document was read when a person typed it (``manual``), else nothing."""
    source = review.arrival.source
    if source == VIZ_SOURCE:
        return "  · manual VIZ"
    if source == MANUAL_SOURCE:
        return "  · manual"
    return ""


def document_line(review: Review) -> Content:
    """Return the document's line: kind, number, issuer, expiry, and ``manual`` when typed."""
    expires = review.expiry_date.isoformat() if review.expiry_date else "unknown"
    return literal(
        f"{review.document_kind} {review.document_number}  issued by {review.issuing_state}  "
        f"expires {expires}{source_mark(review)}"
    )


def checks_body(review: Review) -> Content:
    """Return one line per check: status in colour and word, then its one-line reason."""
    lines = []
    for check in chip_row(review.checks):
        label, style = STATUS_STYLES[check.status]
        lines.append(Content.styled(label, style) + literal(check.message))
    return Content("\n").join(lines) if lines else Content("No checks ran.")


def chip_row(checks: tuple[CheckLine, ...]) -> list[CheckLine]:
    """Return the checks with the chip's folded into one line when none of them ran for one reason (a
    reader without a chip antenna, a document without a chip): five lines would say the same thing.
    """
    chip = [check for check in checks if check.check_id.startswith(CHIP_CHECK_PREFIX)]
    if not chip or any(check.status != "NOT RUN" for check in chip):
        return list(checks)
    others = [check for check in checks if not check.check_id.startswith(CHIP_CHECK_PREFIX)]
    first = len([check for check in checks[: checks.index(chip[0])] if check in others])
    return [*others[:first], chip[0], *others[first:]]


def history_body(history: tuple[HistoryLine, ...]) -> Content:
    """Return earlier crossings, two to a row, most recent first; or that there are none."""
    if not history:
        return Content("No earlier crossings on record.")
    cells = [
        f"{line.when:%Y-%m-%d} {line.direction.upper():<5} Lane {line.lane:<3} {line.outcome:<11}"
        for line in history
    ]
    rows = ["  ".join(cells[i : i + 2]) for i in range(0, len(cells), 2)]
    return Content("\n").join(literal(row) for row in rows)


class ReviewView(Vertical):
    """Shows a :class:`Review`. Call :meth:`show` to fill it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="banner"):
            yield Static(id="holder")
            yield Static(id="document")
        with Horizontal(id="checks-row"):
            with VerticalScroll(id="checks"):
                yield Static(id="checks-body")
            yield FacePanel(id="face")
        with VerticalScroll(id="history"):
            yield Static(id="history-body")

    def on_mount(self) -> None:
        self.query_one("#checks").border_title = "Checks"
        self.query_one("#history").border_title = "History"

    def show(self, review: Review, waiting: int) -> None:
        """Fill the view with ``review``; ``waiting`` is how many more reads are queued behind it."""
        banner = self.query_one("#banner")
        banner.set_classes(f"verdict-{review.verdict}")
        banner.border_title = VERDICTS[review.verdict]
        banner.border_subtitle = " · ".join(
            [*review.companions, *([f"{waiting} more waiting"] if waiting else [])]
        )
        self.query_one("#holder", Static).update(holder_line(review))
        self.query_one("#document", Static).update(document_line(review))
        self.query_one("#checks-body", Static).update(checks_body(review))
        self.query_one(FacePanel).show(review.face, review.checks)
        self.query_one("#history-body", Static).update(history_body(review.history))
