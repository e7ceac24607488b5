"""What real documents put across their MRZ: ghost-text watermarks, holographic bands that flash bright,
guilloche security print behind the characters, folds that crack the laminate; and a document shown on
a screen and photographed (moiré).

Each is drawn on the document image around the MRZ box, with a strength from 0 (none) to 1 (as bad as
a reader should still cope with: the characters stay legible to a person). Nothing here draws from the
generator when every strength is 0, so pages of the other classes keep their pixels.
"""

from __future__ import annotations

import math
import random
from functools import cache
from typing import TYPE_CHECKING, Final

import numpy as np
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from checkpoint.mocks.degrade import Degradation

Box = tuple[float, float, float, float]
WATERMARK_FONT: Final = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
WATERMARK_WORDS: Final = ("SPECIMEN", "VOID", "REPUBLIC", "SPECIMEN SPECIMEN")


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(WATERMARK_FONT, size)


def overlay(
    document: Image.Image, spec: Degradation, box: Box, px_per_mm: float, rng: random.Random
) -> Image.Image:
    """Return ``document`` with the security features ``spec`` asks for drawn over the MRZ ``box``."""
    if spec.guilloche:
        document = _guilloche(document, box, spec.guilloche, px_per_mm, rng)
    if spec.watermark:
        document = _watermark(document, box, spec.watermark, rng)
    if spec.hologram:
        document = _hologram(document, box, spec.hologram, px_per_mm, rng)
    if spec.fold:
        document = _fold(document, box, spec.fold, px_per_mm, rng)
    return document


def _multiply(document: Image.Image, layer: np.ndarray) -> Image.Image:
    """Print ``layer`` (RGB, 0-1 transmittance) under or over the ink: dark stays dark, as ink does."""
    pixels = np.asarray(document, dtype=np.float32) * layer
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _guilloche(
    document: Image.Image, box: Box, strength: float, px_per_mm: float, rng: random.Random
) -> Image.Image:
    """Dense interlaced sine curves in one or two colours across the MRZ and a band around it, plus a
    colour wash: the fine-line security print that some passports carry right behind the MRZ.
    """
    width, height = document.size
    layer = Image.new("RGB", document.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    top = max(0.0, box[1] - 4 * px_per_mm)
    bottom = min(float(height), box[3] + 2 * px_per_mm)
    wash = tuple(255 - round(strength * rng.uniform(15, 45)) for _ in range(3))
    draw.rectangle((0, top, width, bottom), fill=wash)
    colours = [
        tuple(round(255 - strength * rng.uniform(70, 140)) for _ in range(3))
        for _ in range(rng.randint(1, 2))
    ]
    spacing = rng.uniform(0.5, 0.9) * px_per_mm
    line_width = max(1, round(rng.uniform(0.08, 0.15) * px_per_mm))
    amplitude = rng.uniform(0.6, 1.6) * px_per_mm
    period = rng.uniform(3.0, 8.0) * px_per_mm
    step = max(2, round(px_per_mm / 2))
    offset = top - amplitude
    index = 0
    while offset < bottom + amplitude:
        colour = colours[index % len(colours)]
        phase = (index % 2) * math.pi
        points = [
            (x, offset + amplitude * math.sin(2 * math.pi * x / period + phase))
            for x in range(0, width + step, step)
        ]
        draw.line(points, fill=colour, width=line_width)
        offset += spacing
        index += 1
    return _multiply(document, np.asarray(layer, dtype=np.float32) / 255.0)


def _watermark(document: Image.Image, box: Box, strength: float, rng: random.Random) -> Image.Image:
    """Large ghost lettering across the MRZ, a few degrees off level, in a pale ink."""
    band = box[3] - box[1]
    word = rng.choice(WATERMARK_WORDS)
    font = _font(max(8, round(band * rng.uniform(0.9, 1.4))))
    left, top, right, bottom = font.getbbox(word)
    text = Image.new("L", (int(right - left) + 4, int(bottom - top) + 4), 0)
    ImageDraw.Draw(text).text((2 - left, 2 - top), word, font=font, fill=255)
    text = text.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC, expand=True)
    mask = Image.new("L", document.size, 0)
    cx = rng.uniform(box[0] + 0.2 * (box[2] - box[0]), box[0] + 0.8 * (box[2] - box[0]))
    cy = (box[1] + box[3]) / 2 + rng.uniform(-0.2, 0.2) * band
    mask.paste(text, (round(cx - text.width / 2), round(cy - text.height / 2)))
    alpha = np.asarray(mask, dtype=np.float32)[..., None] / 255.0
    ink = np.array([rng.uniform(0.55, 0.9), rng.uniform(0.45, 0.85), rng.uniform(0.5, 0.9)], dtype=np.float32)
    darkness = 0.25 + 0.35 * strength
    layer = 1.0 - alpha * darkness * (1.0 - ink[None, None, :] * 0.5)
    return _multiply(document, layer)


def _hologram(
    document: Image.Image, box: Box, strength: float, px_per_mm: float, rng: random.Random
) -> Image.Image:
    """A band of the holographic laminate catching the light: bright, rainbow-tinted, washing the
    print out to a fraction of its contrast where it crosses the MRZ.
    """
    width, height = document.size
    pixels = np.asarray(document, dtype=np.float32)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = math.radians(rng.uniform(55, 125))
    centre_x = rng.uniform(box[0] + 0.15 * (box[2] - box[0]), box[0] + 0.85 * (box[2] - box[0]))
    centre_y = (box[1] + box[3]) / 2
    # Distance across the band, and position along it (for the rainbow).
    across = (xs - centre_x) * math.sin(angle) - (ys - centre_y) * math.cos(angle)
    along = (xs - centre_x) * math.cos(angle) + (ys - centre_y) * math.sin(angle)
    half = rng.uniform(3.0, 8.0) * px_per_mm
    weight = np.clip(1.0 - (np.abs(across) / half) ** 4, 0.0, 1.0) * (0.45 + 0.35 * strength)
    hue = along / (10.0 * px_per_mm) + across / (6.0 * px_per_mm)
    rainbow = np.stack(
        [230 + 25 * np.sin(hue), 230 + 25 * np.sin(hue + 2.1), 230 + 25 * np.sin(hue + 4.2)], axis=-1
    )
    out = pixels * (1.0 - weight[..., None]) + rainbow * weight[..., None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def _fold(
    document: Image.Image, box: Box, strength: float, px_per_mm: float, rng: random.Random
) -> Image.Image:
    """A crease across the MRZ: the cracked laminate along it has lost its ink (a pale line through the
    characters), with a shadow on one side and a sheen on the other.
    """
    width, height = document.size
    pixels = np.asarray(document, dtype=np.float32)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    x0 = rng.uniform(box[0] + 0.2 * (box[2] - box[0]), box[0] + 0.8 * (box[2] - box[0]))
    slope = math.tan(math.radians(rng.uniform(-10, 10)))
    across = xs - (x0 + (ys - (box[1] + box[3]) / 2) * slope)
    crack = rng.uniform(0.15, 0.35) * px_per_mm * (0.5 + strength)
    paper = np.array([235.0, 232.0, 225.0], dtype=np.float32)
    lost = np.exp(-((across / crack) ** 2))[..., None] * (0.55 + 0.4 * strength)
    out = pixels * (1.0 - lost) + paper * lost
    side = rng.choice((-1.0, 1.0))
    shade = 1.0 - 0.25 * strength * np.exp(-np.clip(side * across, 0, None) / (2.0 * px_per_mm)) * (
        side * across > 0
    )
    shine = 1.0 + 0.08 * strength * np.exp(-np.clip(-side * across, 0, None) / (3.0 * px_per_mm)) * (
        side * across < 0
    )
    out = out * (shade * shine)[..., None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def screen_photo(document: Image.Image, strength: float, rng: random.Random) -> Image.Image:
    """Return ``document`` as a camera sees it on a screen: the screen's pixel grid (red, green and
    blue stripes with dark gaps between them), sampled slightly off the camera's own grid, so that the
    two beat into moiré bands, at the document's own size.
    """
    width, height = document.size
    # The screen shows the document with characters about 14-20 screen pixels high.
    screen_scale = rng.uniform(0.55, 0.75)
    screen = document.resize(
        (max(1, round(width * screen_scale)), max(1, round(height * screen_scale))), Image.Resampling.LANCZOS
    )
    sub = 3
    big = np.asarray(
        screen.resize((screen.width * sub, screen.height * sub), Image.Resampling.NEAREST), dtype=np.float32
    )
    stripes = np.zeros((sub, sub, 3), dtype=np.float32)
    gap = 0.3 + 0.4 * (1.0 - strength)
    for channel in range(3):
        stripes[:, channel, :] = gap
        stripes[:, channel, channel] = 1.0
    stripes[sub - 1, :, :] *= 0.3 + 0.4 * (1.0 - strength)  # the dark line between pixel rows
    tile = np.tile(stripes, (screen.height, screen.width, 1))
    lit = np.clip(big * tile * 1.6, 0, 255).astype(np.uint8)
    shot = Image.fromarray(lit, "RGB")
    # The camera samples the screen slightly turned, with plain bilinear interpolation and no
    # low-pass filter: the aliasing that makes the moiré.
    turn = math.radians(rng.uniform(-2.5, 2.5))
    sx, sy = shot.width / width, shot.height / height
    cos, sin = math.cos(turn), math.sin(turn)
    cx, cy = shot.width / 2, shot.height / 2
    # Output (u, v) samples input (a u + b v + c, d u + e v + f).
    a, b, d, e = sx * cos, -sy * sin, sx * sin, sy * cos
    c = cx - a * width / 2 - b * height / 2
    f = cy - d * width / 2 - e * height / 2
    return shot.transform(
        (width, height),
        Image.Transform.AFFINE,
        (a, b, c, d, e, f),
        Image.Resampling.BILINEAR,
        fillcolor=(30, 30, 30),
    )
