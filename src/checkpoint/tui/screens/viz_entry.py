"""Manual entry of the visual zone: for a document with no MRZ, or one too damaged to type, the officer
types the printed fields. They become a read like any other, with the source ``manual:viz`` (shown on
the review screen and kept in the record), and the printed date of issue, which the MRZ never holds,
lets the "not yet valid" check run."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Final, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from checkpoint.mrz import Sex, TravelFormat, compose
from checkpoint.mrz.errors import MRZCompositionError
from checkpoint.tui.intake import VIZ_SOURCE, Arrival
from checkpoint.tui.text import literal
from checkpoint.tui.widgets.footer import KeyFooter
from checkpoint.tui.widgets.inputs import TextInput

# (field id, label, required); dates are YYYY-MM-DD. Labels stay beside their fields: a placeholder
# would vanish once typed into.
FIELDS: Final = (
    ("document_code", "Type P/I/V", True),
    ("issuing_state", "Issuing state", True),
    ("document_number", "Document no.", True),
    ("surname", "Surname", True),
    ("given_names", "Given names", False),
    ("nationality", "Nationality", True),
    ("birth_date", "Born Y-M-D", True),
    ("sex", "Sex M/F/X", False),
    ("expiry_date", "Expires Y-M-D", True),
    ("issue_date", "Issued Y-M-D", False),
)
_FORMATS: Final[dict[str, TravelFormat]] = {"P": "TD3", "I": "TD1", "A": "TD1", "C": "TD1", "V": "MRV-A"}


def viz_arrival(values: dict[str, str], received_at: object) -> Arrival:
    """Return the read of a document typed from its visual zone; raise ValueError saying which field
    is wrong."""
    missing = [label for key, label, required in FIELDS if required and not values.get(key, "").strip()]
    if missing:
        raise ValueError(f"Fill in: {missing[0]}.")
    dates: dict[str, date | None] = {}
    for key in ("birth_date", "expiry_date", "issue_date"):
        text = values.get(key, "").strip()
        try:
            dates[key] = date.fromisoformat(text) if text else None
        except ValueError:
            raise ValueError(
                f"{key.replace('_', ' ').capitalize()} {text!r} is not a date YYYY-MM-DD."
            ) from None
    code = values["document_code"].strip().upper()
    if code[:1] not in _FORMATS:
        raise ValueError(f"Type {code!r}: P, I or V.")
    sex = values.get("sex", "").strip().upper() or "<"
    if sex not in ("M", "F", "X", "<"):
        raise ValueError(f"Sex {sex!r}: M, F or X.")
    try:
        lines = compose(
            _FORMATS[code[:1]],
            document_code=code[:2],
            issuing_state=values["issuing_state"].strip().upper(),
            surname=values["surname"].strip(),
            given_names=values.get("given_names", "").strip(),
            document_number=values["document_number"].strip().upper(),
            nationality=values["nationality"].strip().upper(),
            birth_date=dates["birth_date"],  # type: ignore[arg-type]
            sex=cast(Sex, "<" if sex == "X" else sex),  # one of M, F, < as checked above
            expiry_date=dates["expiry_date"],  # type: ignore[arg-type]
        )
    except MRZCompositionError as exc:
        raise ValueError(str(exc)) from None
    return Arrival(tuple(lines), VIZ_SOURCE, received_at, issue_date=dates["issue_date"])  # type: ignore[arg-type]


class VizEntryScreen(ModalScreen[Arrival | None]):
    """Dismisses with the typed document as a read, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check document", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="viz"):
            with Grid(id="viz-grid"):
                for key, label, required in FIELDS:
                    yield Static(f"{label}{' *' if required else ''}", classes="viz-label")
                    yield TextInput(id=f"viz-{key}", max_length=39, compact=True)
            yield Static("* required. Dates as on the page, written YYYY-MM-DD.", classes="viz-help")
            yield Static(id="viz-problem")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#viz").border_title = "Manual entry: type the visual zone (no MRZ)"
        self.query_one("#viz-document_code").focus()

    def action_submit(self) -> None:
        values = {key: self.query_one(f"#viz-{key}", TextInput).value for key, _, _ in FIELDS}
        app = self.app
        clock = getattr(app, "clock", None)
        try:
            arrival = viz_arrival(values, clock() if callable(clock) else None)
        except ValueError as exc:
            self.query_one("#viz-problem", Static).update(literal(str(exc), "bold red"))
            return
        self.dismiss(arrival)

    def action_cancel(self) -> None:
        self.dismiss(None)
