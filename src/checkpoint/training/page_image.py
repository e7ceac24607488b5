"""A case's data page: its printed fields as text, and its image drawn by the page generator with the
alteration in it (printed fields that differ from the MRZ, an MRZ not printed in OCR-B)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from checkpoint.training.forgery import as_date
from checkpoint.training.model import Case

_LABELS = (
    ("surname", "Surname"),
    ("given_names", "Given names"),
    ("nationality", "Nationality"),
    ("birth_date", "Date of birth"),
    ("sex", "Sex"),
    ("document_number", "Document No."),
    ("issue_date", "Date of issue"),
    ("expiry_date", "Date of expiry"),
)


def _printed(value: object) -> str:
    day = as_date(value)
    if isinstance(day, date):
        return day.strftime("%d %b %Y").upper()
    return str(value).upper()


def printed_lines(case: Case) -> list[str]:
    """Return the data page as text: its printed fields, one ``label  value`` line each (none when the
    scenario gave only MRZ lines), then the MRZ as printed (what the trainee types when it will not read)."""
    fields = case.page.fields
    printed = [f"{label:<15}{_printed(fields[key])}" for key, label in _LABELS if key in fields]
    return [*printed, "", "MRZ (as printed)", *case.lines]


def _yymmdd(value: object) -> str:
    day = as_date(value)
    return day.strftime("%y%m%d") if day else str(value)


def render_page(case: Case, path: Path) -> Path:
    """Draw the case's data page to ``path`` (PNG, file mode 0600) and return the path.

    Raises ``ValueError`` when the case has no printed fields, ``OSError`` when the file cannot be written.
    """
    from checkpoint.mocks.identities import Identity
    from checkpoint.mocks.pages import OCR_B_FONT, TEXT_FONTS, normalise_format, render_document

    fields = case.page.fields
    if not fields:
        raise ValueError(f"case {case.case_id!r} has no printed fields to draw")
    page_format = normalise_format(case.document_format)
    person = Identity(
        document_code=case.lines[0][:2].replace("<", ""),
        issuing_state=case.lines[0][2:5].replace("<", ""),
        surname=str(fields.get("surname", "")).upper(),
        given_names=str(fields.get("given_names", "")).upper(),
        document_number=str(fields.get("document_number", "")).upper(),
        nationality=str(fields.get("nationality", "")).upper(),
        birth_date=_yymmdd(fields.get("birth_date", "")),
        sex=str(fields.get("sex", "<")).upper(),
        expiry_date=_yymmdd(fields.get("expiry_date", "")),
    )
    font = OCR_B_FONT if case.page.mrz_font == "ocr-b" else TEXT_FONTS[0]
    image = render_document(page_format, person, case.lines, 200, random.Random(case.case_id), mrz_font=font)
    for folder in reversed([path.parent, *path.parent.parents]):
        if not folder.exists():
            folder.mkdir(mode=0o700)
    image.save(path, format="PNG")
    path.chmod(0o600)
    return path
