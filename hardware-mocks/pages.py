"""Synthetic document pages with known ground truth, deterministic by seed.

A page is the document as a scanner or a phone sees it: the card or passport data page (TD1, TD2, TD3,
MRV-A and MRV-B visas) with a security-print background, a visual zone that repeats the MRZ data, a
portrait placeholder and the MRZ printed in OCR-B at the ICAO size (2.54 mm per character), then the
degradations of :mod:`checkpoint.mocks.degrade`. Everything random comes from ``random.Random(seed)``,
so the same arguments always give the same pixels.

    page = make_page("TD3", seed=7, degrade="rotated")
    page.lines          # the ground truth MRZ
    page.encode("png")  # the file a scanner would write (EXIF orientation included for JPEG)
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from functools import cache
from typing import Final, Literal

from checkpoint.extras import require

require("ocr", "synthetic document pages (checkpoint.mocks.pages)")

import numpy as np  # noqa: E402
from checkpoint.mocks.degrade import Degradation, apply_degradation, parse_degradation  # noqa: E402
from checkpoint.mocks.identities import Identity, compose_lines, make_identity  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

PageFormat = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]
FORMATS: Final[tuple[PageFormat, ...]] = ("TD1", "TD2", "TD3", "MRVA", "MRVB")
# "visa" on the command line means the common passport-size visa sticker, MRV-A.
FORMAT_ALIASES: Final[dict[str, PageFormat]] = {"VISA": "MRVA", "MRV-A": "MRVA", "MRV-B": "MRVB"}

OCR_B_FONT: Final = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
TEXT_FONTS: Final = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
MM_PER_INCH: Final = 25.4
# ICAO 9303 Part 3: 10 characters per inch, OCR-B size 1 (cap height about 2.4 mm), lines about
# 4.2 mm apart, the MRZ starting at least 3 mm from the document's bottom and side edges.
MRZ_PITCH_MM: Final = 2.54
MRZ_CAP_HEIGHT_MM: Final = 2.4
MRZ_LINE_PITCH_MM: Final = 4.23
MRZ_BOTTOM_MM: Final = 4.0


@dataclass(frozen=True, slots=True)
class Layout:
    """A document's size in millimetres and its MRZ shape."""

    width_mm: float
    height_mm: float
    lines: int
    chars: int
    title: str


LAYOUTS: Final[dict[PageFormat, Layout]] = {
    "TD1": Layout(85.6, 53.98, 3, 30, "IDENTITY CARD"),
    "TD2": Layout(105.0, 74.0, 2, 36, "IDENTITY CARD"),
    "TD3": Layout(125.0, 88.0, 2, 44, "PASSPORT"),
    "MRVA": Layout(120.0, 80.0, 2, 44, "VISA"),
    "MRVB": Layout(105.0, 74.0, 2, 36, "VISA"),
}


@dataclass(frozen=True, slots=True)
class Page:
    """A generated page: its pixels, the ground truth and how it was made.

    ``exif_orientation`` is the EXIF Orientation tag (1-8) to write with the image: when it is not 1,
    the pixels are stored turned and the tag tells a viewer how to turn them back, as phones do.
    """

    image: Image.Image = field(compare=False)
    format: PageFormat
    seed: int
    identity: Identity
    lines: tuple[str, ...]
    dpi: int
    degradation: Degradation
    exif_orientation: int = 1

    @property
    def natural_format(self) -> str:
        """The file format such a page arrives in: ``jpeg`` when it was made compressed or carries an EXIF
        turn (as a phone writes a photo), else ``png`` (as a scanner writes a page).
        """
        return "jpeg" if self.degradation.jpeg is not None or self.exif_orientation != 1 else "png"

    def encode(self, file_format: str = "png", quality: int | None = None) -> bytes:
        """Return the page as an image file (``png``, ``jpeg`` or ``pnm``) with its EXIF orientation.

        PNM carries no metadata, so a turned page is written as it is stored. Raises ``ValueError`` for
        an unknown file format.
        """
        kind = file_format.lower()
        out = io.BytesIO()
        if kind in {"jpeg", "jpg"}:
            exif = Image.Exif()
            exif[0x0112] = self.exif_orientation
            q = quality or self.degradation.jpeg or 92
            self.image.convert("RGB").save(
                out, "JPEG", quality=q, exif=exif.tobytes(), dpi=(self.dpi, self.dpi)
            )
        elif kind == "png":
            exif = Image.Exif()
            exif[0x0112] = self.exif_orientation
            self.image.save(out, "PNG", exif=exif.tobytes(), dpi=(self.dpi, self.dpi))
        elif kind in {"pnm", "ppm", "pgm"}:
            self.image.convert("RGB" if kind != "pgm" else "L").save(out, "PPM")
        else:
            raise ValueError(f"unknown image file format {file_format!r}: expected png, jpeg or pnm")
        return out.getvalue()


def normalise_format(name: str) -> PageFormat:
    """Return the page format for ``name`` (TD1, TD2, TD3, MRVA, MRVB or visa, any case).

    Raises ``ValueError`` naming the known formats.
    """
    upper = name.strip().upper()
    upper = FORMAT_ALIASES.get(upper, upper)
    for known in FORMATS:
        if known == upper:
            return known
    raise ValueError(f"unknown document format {name!r}: expected one of TD1, TD2, TD3, MRVA, MRVB, visa")


def make_page(
    format: str = "TD3",
    *,
    seed: int = 0,
    degrade: str | Degradation = "clean",
    identity: Identity | None = None,
) -> Page:
    """Return a synthetic page of ``format`` for ``seed``, degraded as ``degrade`` says.

    ``degrade`` is a :class:`Degradation` or its text form (``clean``, ``noisy``, ``lowres``,
    ``rotated``, ``photo``, or items such as ``dpi=200,blur=1.2,rotate=90``: see
    :func:`checkpoint.mocks.degrade.parse_degradation`). Raises ``ValueError`` for an unknown format or
    degradation.
    """
    page_format = normalise_format(format)
    rng = random.Random(f"page:{page_format}:{seed}")
    degradation = parse_degradation(degrade, seed) if isinstance(degrade, str) else degrade
    person = identity or make_identity(page_format, rng)
    lines = compose_lines(page_format, person)
    image = render_document(page_format, person, lines, degradation.dpi, rng)
    image, orientation = apply_degradation(
        image, degradation, random.Random(f"degrade:{seed}"), mrz_box(page_format, degradation.dpi)
    )
    return Page(
        image=image,
        format=page_format,
        seed=seed,
        identity=person,
        lines=lines,
        dpi=degradation.dpi,
        degradation=degradation,
        exif_orientation=orientation,
    )


# -- drawing ----------------------------------------------------------------------------------------


@cache
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@cache
def _ocr_b_size_for_cap_height(cap_px: float) -> int:
    """Return the OCR-B point size whose capital H is ``cap_px`` pixels tall."""
    probe = _font(OCR_B_FONT, 200)
    _, top, _, bottom = probe.getbbox("H")
    return max(4, round(200 * cap_px / (bottom - top)))


def render_document(
    page_format: PageFormat,
    person: Identity,
    lines: tuple[str, ...],
    dpi: int,
    rng: random.Random,
    *,
    mrz_font: str = OCR_B_FONT,
) -> Image.Image:
    """Return the undegraded document at ``dpi``: background, visual zone, portrait and MRZ.

    ``person`` is what the visual zone prints and ``lines`` what the MRZ holds: a forgery prints them
    apart. ``mrz_font`` is the typeface file of the MRZ (OCR-B on every genuine document).
    """
    layout = LAYOUTS[page_format]
    px = dpi / MM_PER_INCH
    width, height = round(layout.width_mm * px), round(layout.height_mm * px)
    image = _security_background(width, height, rng)
    draw = ImageDraw.Draw(image)
    _visual_zone(draw, layout, person, px, rng)
    _mrz(draw, layout, lines, px, mrz_font)
    return image


def _security_background(width: int, height: int, rng: random.Random) -> Image.Image:
    """A pale tint with guilloche-like interleaved sine curves, as on real data pages."""
    tint = np.array([rng.randint(225, 245), rng.randint(225, 245), rng.randint(215, 240)], dtype=np.float32)
    xs = np.arange(width, dtype=np.float32)[None, :].repeat(height, axis=0)
    shade = 8.0 * np.sin(xs / width * math.pi * rng.uniform(0.5, 2.0) + rng.uniform(0, 6.3))
    base = np.clip(tint[None, None, :] + shade[..., None], 0, 255)
    image = Image.fromarray(base.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    colour = (rng.randint(170, 215), rng.randint(180, 220), rng.randint(190, 230))
    step = max(2, width // 60)
    curves = rng.randint(10, 18)
    for index in range(curves):
        amplitude = height * rng.uniform(0.03, 0.12)
        period = width * rng.uniform(0.15, 0.5)
        phase = rng.uniform(0, 2 * math.pi)
        offset = height * (index + 0.5) / curves
        points = [
            (x, offset + amplitude * math.sin(2 * math.pi * x / period + phase))
            for x in range(0, width + step, step)
        ]
        draw.line(points, fill=colour, width=max(1, width // 800))
    return image


def _visual_zone(
    draw: ImageDraw.ImageDraw, layout: Layout, person: Identity, px: float, rng: random.Random
) -> None:
    """Title, portrait placeholder and labelled fields in the upper part of the document."""
    margin = 4.0 * px
    title_font = _font(TEXT_FONTS[1], max(6, round(3.2 * px)))
    label_font = _font(TEXT_FONTS[0], max(5, round(1.6 * px)))
    value_font = _font(TEXT_FONTS[1], max(5, round(2.4 * px)))
    draw.text(
        (margin, margin * 0.6), f"{layout.title}  {person.issuing_state}", font=title_font, fill=(40, 40, 90)
    )
    mrz_top = _mrz_top_mm(layout) * px
    portrait_w = layout.width_mm * 0.26 * px
    portrait_box = (margin, margin + 4.5 * px, margin + portrait_w, mrz_top - 2.0 * px)
    draw.rectangle(portrait_box, fill=(200, 200, 205), outline=(120, 120, 130), width=max(1, round(0.2 * px)))
    cx = (portrait_box[0] + portrait_box[2]) / 2
    box_h = portrait_box[3] - portrait_box[1]
    head_r = portrait_w * 0.22
    head_cy = portrait_box[1] + box_h * 0.38
    draw.ellipse(
        (cx - head_r, head_cy - head_r * 1.2, cx + head_r, head_cy + head_r * 1.2), fill=(150, 150, 160)
    )
    draw.pieslice(
        (
            cx - portrait_w * 0.42,
            portrait_box[3] - box_h * 0.3,
            cx + portrait_w * 0.42,
            portrait_box[3] + box_h * 0.3,
        ),
        180,
        360,
        fill=(150, 150, 160),
    )
    fields = [
        ("Surname / Nom", person.surname),
        ("Given names / Prénoms", person.given_names),
        ("Nationality", person.nationality),
        ("Date of birth", _visual_date(person.birth_date)),
        ("Sex", person.sex.replace("<", "X")),
        ("Date of expiry", _visual_date(person.expiry_date)),
        ("Document No.", person.document_number),
    ]
    x = portrait_box[2] + 4.0 * px
    y = margin + 4.5 * px
    row = (mrz_top - 2.0 * px - y) / len(fields)
    for label, value in fields:
        draw.text((x, y), label, font=label_font, fill=(70, 70, 110))
        draw.text((x, y + 1.9 * px), value, font=value_font, fill=(rng.randint(0, 40),) * 3)
        y += row


def _visual_date(yymmdd: str) -> str:
    months = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    return f"{yymmdd[4:6]} {months[int(yymmdd[2:4]) - 1]} {yymmdd[0:2]}"


def mrz_box(page_format: PageFormat, dpi: int) -> tuple[float, float, float, float]:
    """Return the MRZ's box (left, top, right, bottom) in pixels of the document at ``dpi``."""
    layout = LAYOUTS[page_format]
    px = dpi / MM_PER_INCH
    left_mm = (layout.width_mm - layout.chars * MRZ_PITCH_MM) / 2
    bottom_mm = layout.height_mm - MRZ_BOTTOM_MM + 0.5
    return (
        left_mm * px,
        _mrz_top_mm(layout) * px,
        (left_mm + layout.chars * MRZ_PITCH_MM) * px,
        bottom_mm * px,
    )


def _mrz_top_mm(layout: Layout) -> float:
    return layout.height_mm - MRZ_BOTTOM_MM - layout.lines * MRZ_LINE_PITCH_MM - 1.0


def _mrz(
    draw: ImageDraw.ImageDraw, layout: Layout, lines: tuple[str, ...], px: float, font_path: str = OCR_B_FONT
) -> None:
    """Print the MRZ (in OCR-B unless told), one character per 2.54 mm cell, centred across the document."""
    font = _font(font_path, _ocr_b_size_for_cap_height(MRZ_CAP_HEIGHT_MM * px))
    left_mm = (layout.width_mm - layout.chars * MRZ_PITCH_MM) / 2
    cap_bottom = font.getbbox("H")[3]
    for row, text in enumerate(lines):
        baseline_mm = layout.height_mm - MRZ_BOTTOM_MM - (len(lines) - 1 - row) * MRZ_LINE_PITCH_MM
        for column, char in enumerate(text):
            cell_left = (left_mm + column * MRZ_PITCH_MM) * px
            left, _, right, _ = font.getbbox(char)
            x = cell_left + (MRZ_PITCH_MM * px - (right - left)) / 2 - left
            y = baseline_mm * px - cap_bottom
            draw.text((x, y), char, font=font, fill=(12, 12, 16))
