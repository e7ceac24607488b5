"""The refusal-of-entry form handed to the traveller: Regulation (EU) 2016/399 (Schengen Borders Code),
Annex V, Part B, laid out as the standard form lists it, written as PDF with fpdf2.

Every reason of the post's table is printed with a box ticked (``[X]``) or not (``[ ]``), so the form
reads the same in black and white. The file is written 0600: it holds personal data.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from checkpoint.inspection.reasons import ReasonCode
from checkpoint.tui.backend import ClientError

# A Unicode font when the system has one (names and remarks may hold any letter); else the PDF core
# font, which holds Latin-1 only.
_UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)


@dataclass(frozen=True, slots=True)
class RefusalForm:
    """What the form says: where and when, who was refused, their documents, the reasons and remarks."""

    state: str
    crossing_point: str
    when: datetime
    officer_id: str
    surname: str
    given_names: str
    birth_date: date | None
    sex: str
    nationality: str
    document_type: str
    document_number: str
    issuing_state: str
    expiry_date: date | None
    visa: str
    reasons: Sequence[ReasonCode]
    ticked: frozenset[str]
    remarks: str
    reference: str


def _unicode_font() -> Path | None:
    return next((path for path in _UNICODE_FONTS if path.is_file()), None)


def render(form: RefusalForm) -> bytes:
    """Return the form as PDF bytes. Raises ClientError when fpdf2 (the ``client`` extra) is missing."""
    try:
        from fpdf import FPDF
    except ImportError as exc:
        raise ClientError(
            "Printing the refusal form needs fpdf2: pip install 'checkpoint[client]'.",
            "Refusal form not available",
        ) from exc
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    font_path = _unicode_font()
    if font_path is not None:
        pdf.add_font("Body", fname=str(font_path))
        family = "Body"

        def text(value: str) -> str:
            return value
    else:
        family = "Helvetica"

        def text(value: str) -> str:
            return value.encode("latin-1", "replace").decode("latin-1")

    width = pdf.epw

    def line(value: str, size: int = 10, height: float = 6) -> None:
        pdf.set_font(family, size=size)
        pdf.multi_cell(width, height, text(value), new_x="LMARGIN", new_y="NEXT")

    def field(label: str, value: str) -> None:
        pdf.set_font(family, size=9)
        pdf.cell(60, 6, text(label))
        pdf.set_font(family, size=11)
        pdf.multi_cell(width - 60, 6, text(value or "-"), new_x="LMARGIN", new_y="NEXT")

    line(form.state.upper() or "MEMBER STATE", 12)
    line("REFUSAL OF ENTRY AT THE BORDER", 16, 10)
    line(f"Reference {form.reference}", 8)
    pdf.ln(2)
    line(
        f"On {form.when:%d.%m.%Y} at {form.when:%H:%M} UTC, at the border crossing point "
        f"{form.crossing_point}, before the undersigned officer {form.officer_id}, appeared:"
    )
    pdf.ln(2)
    field("Surname", form.surname)
    field("First name(s)", form.given_names)
    field("Date of birth", form.birth_date.strftime("%d.%m.%Y") if form.birth_date else "")
    field("Sex", form.sex)
    field("Nationality", form.nationality)
    field("Type of travel document", form.document_type)
    field("Number of travel document", form.document_number)
    field("Issued by", form.issuing_state)
    field("Valid until", form.expiry_date.strftime("%d.%m.%Y") if form.expiry_date else "")
    field("Visa", form.visa)
    pdf.ln(3)
    line("who has been informed that he/she is refused entry on the following grounds:")
    pdf.ln(1)
    for reason in form.reasons:
        box = "[X]" if reason.code in form.ticked else "[ ]"
        line(f"{box}  ({reason.code}) {reason.text}", 10, 5.5)
    pdf.ln(3)
    line("Comments (remarks of the officer):", 10)
    line(form.remarks or "-", 11)
    pdf.ln(4)
    line(
        "The person concerned may appeal against the decision to refuse entry as provided for in "
        "national law. The person concerned has received a copy of this document.",
        9,
        5,
    )
    pdf.ln(12)
    pdf.set_font(family, size=9)
    half = width / 2
    pdf.cell(half, 6, text("Signature of the person concerned"))
    pdf.cell(half, 6, text(f"Officer responsible for the check: {form.officer_id}"))
    return bytes(pdf.output())


def save(form: RefusalForm, folder: Path) -> tuple[Path, str]:
    """Write the form into ``folder`` (made 0700 if missing) as a 0600 file; return its path and the
    SHA-256 of its bytes (for the audit chain). Raises ClientError when it cannot be written."""
    data = render(form)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"refusal-{form.when:%Y%m%d-%H%M%S}-{form.reference[:12]}.pdf"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise ClientError(
            f"The refusal form could not be saved in {folder}: {exc.strerror or exc}",
            "Refusal form not saved",
        ) from exc
    return path, hashlib.sha256(data).hexdigest()
