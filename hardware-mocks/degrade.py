"""How a scanner or a phone spoils a document image: resolution, skew and quarter turns (in the pixels
or only in EXIF), blur, noise, JPEG artefacts, uneven light and glare, perspective.

A :class:`Degradation` says exactly what is done; :func:`parse_degradation` builds one from text such as
``photo`` or ``lowres,blur=1.5`` (a class name draws its parameters from the seed, then ``key=value``
items override them). :func:`apply_degradation` is deterministic for a given generator.
"""

from __future__ import annotations

import dataclasses
import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from checkpoint.mocks import security
from PIL import Image, ImageFilter

CLASSES: Final = (
    "clean",
    "noisy",
    "lowres",
    "rotated",
    "photo",
    "watermark",
    "hologram",
    "guilloche",
    "fold",
    "phone",
    "moire",
    "askew",
)
# What a real document puts across its MRZ, and how a phone sees it: the classes that test a reader on
# worn and photographed documents rather than on scans.
FIELD_CLASSES: Final = ("watermark", "hologram", "guilloche", "fold", "phone", "moire", "askew")
QUARTER_TURNS: Final = (0, 90, 180, 270)
# EXIF Orientation that tells a viewer how to undo a counter-clockwise turn of the stored pixels.
EXIF_FOR_TURN: Final = {0: 1, 90: 6, 180: 3, 270: 8}


@dataclass(frozen=True, slots=True)
class Degradation:
    """What happens to a page between the document and the file.

    ``rotate`` turns the page counter-clockwise by a quarter-turn multiple; with ``exif`` the file's
    EXIF Orientation undoes it, as a phone does, so only a reader that honours EXIF sees it upright.
    ``skew`` is a rotation in degrees (up to 45 either way: with ``rotate``, any angle); ``blur`` a
    Gaussian sigma in output pixels; ``noise`` the standard deviation of Gaussian noise in grey levels;
    ``jpeg`` a JPEG quality round trip; ``light`` the strength (0-1) of uneven illumination, ``glare``
    of a bright spot; ``perspective`` how far (as a fraction of the page) the corners move, as in a
    hand-held photo.

    Across the MRZ (strengths 0-1, see :mod:`checkpoint.mocks.security`): ``watermark`` ghost text,
    ``hologram`` an iridescent bright band, ``guilloche`` dense colour security print behind the
    characters, ``fold`` a crease whose cracked laminate loses the ink along it, ``moire`` the
    document shown on a screen and photographed. ``tilt`` (degrees) photographs the document with a
    12-megapixel phone held that far off square, under uneven light. ``bend`` (millimetres) is a page
    that is not flat: the middle of its width lies that far off (down the page when positive), so its
    lines bow, before the scanner or the phone sees it.
    """

    name: str = "clean"
    dpi: int = 300
    skew: float = 0.0
    rotate: int = 0
    exif: bool = False
    blur: float = 0.0
    noise: float = 0.0
    jpeg: int | None = None
    light: float = 0.0
    glare: float = 0.0
    perspective: float = 0.0
    watermark: float = 0.0
    hologram: float = 0.0
    guilloche: float = 0.0
    fold: float = 0.0
    moire: float = 0.0
    tilt: float = 0.0
    bend: float = 0.0


def preset(name: str, rng: random.Random) -> Degradation:
    """Return the degradation class ``name`` with parameters drawn from ``rng``; ``ValueError`` if unknown."""
    if name == "clean":
        return Degradation()
    if name == "noisy":
        return Degradation(
            name=name, noise=rng.uniform(6, 16), blur=rng.uniform(0.3, 0.9), jpeg=rng.randint(45, 80)
        )
    if name == "lowres":
        return Degradation(
            name=name, dpi=rng.choice((150, 165, 180, 200)), blur=rng.uniform(0.2, 0.7), jpeg=85
        )
    if name == "rotated":
        return _turned(name, rng, (200, 250, 300), 5.0)
    if name == "photo":
        turn = rng.choice((0, 0, 90, 270))
        return Degradation(
            name=name,
            dpi=rng.choice((200, 240, 300)),
            skew=rng.uniform(-6.0, 6.0),
            rotate=turn,
            exif=turn != 0,
            blur=rng.uniform(0.5, 1.3),
            noise=rng.uniform(3, 8),
            jpeg=rng.randint(60, 85),
            light=rng.uniform(0.2, 0.5),
            glare=rng.uniform(0.0, 0.5),
            perspective=rng.uniform(0.03, 0.09),
        )
    if name in ("watermark", "hologram", "guilloche", "fold"):
        # A scan of a real document: the security feature over the MRZ, some wear and compression.
        scan = Degradation(
            name=name,
            dpi=rng.choice((200, 250, 300)),
            skew=rng.uniform(-2.0, 2.0),
            blur=rng.uniform(0.2, 0.7),
            noise=rng.uniform(2, 6),
            jpeg=rng.randint(70, 90),
        )
        strength = rng.uniform(0.5, 1.0)
        return dataclasses.replace(
            scan,
            watermark=strength if name == "watermark" else 0.0,
            hologram=strength if name == "hologram" else 0.0,
            guilloche=strength if name == "guilloche" else 0.0,
            fold=strength if name == "fold" else 0.0,
        )
    if name == "phone":
        return Degradation(
            name=name,
            dpi=rng.choice((400, 450, 500)),
            tilt=rng.uniform(20.0, 30.0),
            blur=rng.uniform(0.6, 1.4),
            noise=rng.uniform(2, 6),
            jpeg=rng.randint(75, 92),
            light=rng.uniform(0.2, 0.45),
            glare=rng.uniform(0.0, 0.3),
            # Held in the hand, an open passport's page is not flat (drawn last: the other parameters
            # are those a phone page of this seed always had).
            bend=rng.uniform(-2.5, 2.5),
        )
    if name == "moire":
        return Degradation(
            name=name,
            dpi=rng.choice((250, 300)),
            moire=rng.uniform(0.5, 1.0),
            skew=rng.uniform(-3.0, 3.0),
            blur=rng.uniform(0.4, 0.9),
            noise=rng.uniform(2, 5),
            jpeg=rng.randint(70, 90),
        )
    if name == "askew":
        # A photo of a document lying on a desk at any angle, the phone held above it.
        return dataclasses.replace(
            _turned(name, rng, (200, 240, 300), 45.0),
            blur=rng.uniform(0.4, 1.0),
            noise=rng.uniform(2, 6),
            jpeg=rng.randint(70, 90),
            light=rng.uniform(0.1, 0.4),
            glare=rng.uniform(0.0, 0.3),
            perspective=rng.uniform(0.02, 0.06),
        )
    raise ValueError(f"unknown degradation class {name!r}: expected one of {', '.join(CLASSES)}")


def _turned(name: str, rng: random.Random, dpis: Sequence[int], skew: float) -> Degradation:
    """A page at one of ``dpis``, skewed by up to ``skew`` degrees either way and turned by a quarter-turn
    multiple, half the time in EXIF only. ``rng`` draws the turn, the resolution, the skew, then the EXIF
    choice: the order the ``rotated`` class's pages were made in."""
    turn = rng.choice(QUARTER_TURNS)
    return Degradation(
        name=name,
        dpi=rng.choice(dpis),
        skew=rng.uniform(-skew, skew),
        rotate=turn,
        exif=turn != 0 and rng.random() < 0.5,
    )


_CONVERTERS: Final = {
    "dpi": int,
    "skew": float,
    "rotate": int,
    "blur": float,
    "noise": float,
    "jpeg": int,
    "light": float,
    "glare": float,
    "perspective": float,
    "watermark": float,
    "hologram": float,
    "guilloche": float,
    "fold": float,
    "moire": float,
    "tilt": float,
    "bend": float,
}
_RANGES: Final = {
    "dpi": (72, 1200),
    "skew": (-45.0, 45.0),
    "blur": (0.0, 10.0),
    "noise": (0.0, 100.0),
    "jpeg": (5, 100),
    "light": (0.0, 1.0),
    "glare": (0.0, 1.0),
    "perspective": (0.0, 0.25),
    "watermark": (0.0, 1.0),
    "hologram": (0.0, 1.0),
    "guilloche": (0.0, 1.0),
    "fold": (0.0, 1.0),
    "moire": (0.0, 1.0),
    "tilt": (0.0, 45.0),
    "bend": (-15.0, 15.0),
}


def parse_degradation(text: str, seed: int = 0) -> Degradation:
    """Return the degradation that ``text`` describes.

    ``text`` is comma-separated items: at most one class name (one of :data:`CLASSES`; its parameters
    come from ``seed``), ``exif``, and ``key=value`` overrides (the fields of :class:`Degradation`:
    ``dpi``, ``skew``, ``rotate``, ``blur``, ``noise``, ``jpeg``, ``light``, ``glare``,
    ``perspective``, ``watermark``, ``hologram``, ``guilloche``, ``fold``, ``moire``, ``tilt``,
    ``bend``).
    Raises ``ValueError`` naming the bad item and what is expected.
    """
    items = [item.strip() for item in text.split(",") if item.strip()]
    classes = [item for item in items if "=" not in item and item != "exif"]
    if len(classes) > 1:
        raise ValueError(f"degradation {text!r} names more than one class: {', '.join(classes)}")
    base = (
        preset(classes[0].lower(), random.Random(f"preset:{seed}")) if classes else Degradation(name="custom")
    )
    changes: dict[str, object] = {}
    for item in items:
        if item == "exif":
            changes["exif"] = True
            continue
        if "=" not in item:
            continue
        key, _, value = item.partition("=")
        key = key.strip().lower()
        convert = _CONVERTERS.get(key)
        if convert is None:
            raise ValueError(
                f"degradation item {item!r}: unknown parameter {key!r}; expected one of {', '.join(_CONVERTERS)}"
            )
        try:
            number = convert(value)
        except ValueError:
            raise ValueError(f"degradation item {item!r}: {value!r} is not a number") from None
        if key == "rotate" and number not in QUARTER_TURNS:
            raise ValueError(f"degradation item {item!r}: rotate must be 0, 90, 180 or 270")
        low, high = _RANGES.get(key, (number, number))
        if not low <= number <= high:
            raise ValueError(f"degradation item {item!r}: {key} must be between {low} and {high}")
        changes[key] = number
    if classes and changes:
        changes["name"] = base.name
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def apply_degradation(
    document: Image.Image,
    spec: Degradation,
    rng: random.Random,
    mrz_box: tuple[float, float, float, float] | None = None,
) -> tuple[Image.Image, int]:
    """Return the page as the file stores it, and the EXIF orientation to write with it.

    ``mrz_box`` (left, top, right, bottom in the document's pixels) is where the security features
    go; without it, the lower third of the document.
    """
    photo = spec.perspective > 0
    margin = round(spec.dpi / 25.4 * rng.uniform(3.0, 8.0))
    if photo:
        margin = round(max(document.size) * rng.uniform(0.08, 0.15))
    backdrop = (rng.randint(60, 110),) * 3 if photo else (250, 250, 250)
    box = mrz_box or (0.0, document.height * 2 / 3, float(document.width), float(document.height))
    document = security.overlay(document, spec, box, spec.dpi / 25.4, rng)
    if spec.moire:
        document = security.screen_photo(document, spec.moire, rng)
    if spec.bend:
        document = _bent(document, spec.bend * spec.dpi / 25.4)
    if spec.tilt:
        return _phone_photo(document, spec, rng), EXIF_FOR_TURN[spec.rotate] if spec.exif else 1
    page = Image.new("RGB", (document.width + 2 * margin, document.height + 2 * margin), backdrop)
    page.paste(document, (margin, margin), document if document.mode == "RGBA" else None)
    if photo:
        page = _perspective(page, document.size, margin, spec.perspective, backdrop, rng)
    if spec.skew:
        page = page.rotate(spec.skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=backdrop)
    page = _finish(page, spec, rng)
    if spec.rotate and not spec.exif:
        return page, 1
    return page, EXIF_FOR_TURN[spec.rotate]


def _bent(document: Image.Image, sag: float) -> Image.Image:
    """Return ``document`` bowed, edges and all, on a transparent ground (RGBA, taller by the bow): each
    column moved down by ``sag`` pixels (up when negative) times the sine of its way across, 0 at the
    edges and all of it in the middle, between neighbouring rows where the move is not whole."""
    pixels = np.asarray(document.convert("RGBA"), dtype=np.float32)
    height, width = pixels.shape[:2]
    room = math.ceil(abs(sag)) + 1
    canvas = np.zeros((height + room, width, 4), dtype=np.float32)
    top = 0 if sag > 0 else room
    canvas[top : top + height] = pixels
    shift = sag * np.sin(np.pi * np.arange(width) / max(1, width - 1))
    rows = np.arange(height + room)[:, None] - shift[None, :]
    low = np.floor(rows).astype(np.int64)
    part = (rows - low)[..., None]
    columns = np.arange(width)[None, :]

    def row(index: np.ndarray) -> np.ndarray:
        inside = ((index >= 0) & (index < height + room))[..., None]
        return np.where(inside, canvas[np.clip(index, 0, height + room - 1), columns], 0.0)

    bent = row(low) * (1 - part) + row(low + 1) * part
    return Image.fromarray(np.clip(bent + 0.5, 0, 255).astype(np.uint8), "RGBA")


def _finish(page: Image.Image, spec: Degradation, rng: random.Random) -> Image.Image:
    """Light, blur, sensor noise, the quarter turn and JPEG, as every camera and scanner adds them."""
    if spec.light or spec.glare:
        page = _lighting(page, spec.light, spec.glare, rng)
    if spec.blur:
        page = page.filter(ImageFilter.GaussianBlur(spec.blur))
    if spec.noise:
        pixels = np.asarray(page, dtype=np.float32)
        noise = np.random.default_rng(rng.getrandbits(32)).normal(0.0, spec.noise, pixels.shape[:2])
        page = Image.fromarray(np.clip(pixels + noise[..., None], 0, 255).astype(np.uint8), "RGB")
    if spec.rotate:
        page = page.rotate(spec.rotate, expand=True)
    if spec.jpeg:
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=spec.jpeg)
        page = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return page


# A 12-megapixel phone camera (4:3) and its focal length in pixels (a 26 mm-equivalent lens).
PHONE_FRAME: Final = (4000, 3000)
PHONE_FOCAL_PX: Final = 4000 * 26 / 36


def _phone_photo(document: Image.Image, spec: Degradation, rng: random.Random) -> Image.Image:
    """Photograph ``document`` lying on a desk with a 12-megapixel phone tilted ``spec.tilt`` degrees
    off square (about a random axis in the page's plane), filling half to three quarters of the frame.
    """
    width, height = document.size
    axis = rng.uniform(0, 2 * math.pi)
    tilt = math.radians(spec.tilt)
    # Rotate the page's plane about the in-plane axis (cos a, sin a, 0) by the tilt (Rodrigues).
    ax, ay = math.cos(axis), math.sin(axis)
    c, s = math.cos(tilt), math.sin(tilt)
    rotation = np.array(
        [
            [c + ax * ax * (1 - c), ax * ay * (1 - c), ay * s],
            [ax * ay * (1 - c), c + ay * ay * (1 - c), -ax * s],
            [-ay * s, ax * s, c],
        ]
    )
    frame_w, frame_h = PHONE_FRAME
    fill = rng.uniform(0.5, 0.75) * frame_w / width
    distance = PHONE_FOCAL_PX / fill  # in document pixels: the page then spans about ``fill`` of the frame
    spin = math.radians(rng.uniform(-8.0, 8.0))
    corners = [(0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height))]
    centre = (
        frame_w / 2 + rng.uniform(-0.08, 0.08) * frame_w,
        frame_h / 2 + rng.uniform(-0.08, 0.08) * frame_h,
    )
    projected = []
    for x, y in corners:
        px, py = x - width / 2, y - height / 2
        px, py = px * math.cos(spin) - py * math.sin(spin), px * math.sin(spin) + py * math.cos(spin)
        wx, wy, wz = rotation @ np.array([px, py, 0.0])
        z = distance + wz
        projected.append((centre[0] + PHONE_FOCAL_PX * wx / z, centre[1] + PHONE_FOCAL_PX * wy / z))
    backdrop = tuple(rng.randint(70, 120) for _ in range(3))
    frame = Image.new("RGB", PHONE_FRAME, backdrop)
    coeffs = _homography(projected, corners)
    warped = document.convert("RGB").transform(
        PHONE_FRAME, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR, fillcolor=backdrop
    )
    opaque = document.getchannel("A") if document.mode == "RGBA" else Image.new("L", document.size, 255)
    mask = opaque.transform(
        PHONE_FRAME, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR, fillcolor=0
    )
    frame.paste(warped, (0, 0), mask)
    return _finish(frame, spec, rng)


def _homography(
    outputs: Sequence[tuple[float, float]], inputs: Sequence[tuple[float, float]]
) -> tuple[float, ...]:
    """PIL's PERSPECTIVE coefficients mapping each output point to its input point."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (ox, oy), (ix, iy) in zip(outputs, inputs, strict=True):
        rows.append([ox, oy, 1, 0, 0, 0, -ix * ox, -ix * oy])
        rows.append([0, 0, 0, ox, oy, 1, -iy * ox, -iy * oy])
        rhs.extend((ix, iy))
    coeffs = np.linalg.solve(np.array(rows), np.array(rhs))
    return tuple(float(c) for c in coeffs)


def _perspective(
    page: Image.Image,
    doc_size: tuple[int, int],
    margin: int,
    strength: float,
    backdrop: tuple[int, ...],
    rng: random.Random,
) -> Image.Image:
    """Move the document's corners inwards or outwards by up to ``strength`` of its size."""
    width, height = doc_size
    corners = [
        (margin, margin),
        (margin + width, margin),
        (margin + width, margin + height),
        (margin, margin + height),
    ]
    moved = [
        (x + rng.uniform(-strength, strength) * width, y + rng.uniform(-strength, strength) * height)
        for x, y in corners
    ]
    # PIL's PERSPECTIVE maps output pixels to input pixels.
    return page.transform(
        page.size,
        Image.Transform.PERSPECTIVE,
        _homography(moved, corners),
        Image.Resampling.BICUBIC,
        fillcolor=backdrop,
    )


def _lighting(page: Image.Image, light: float, glare: float, rng: random.Random) -> Image.Image:
    """Darken one side (a lamp off to one side) and add a soft bright spot (a reflection)."""
    pixels = np.asarray(page, dtype=np.float32)
    height, width = pixels.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xs / width - 0.5) * math.cos(angle) + (ys / height - 0.5) * math.sin(angle)
    gain = 1.0 - light * (ramp + 0.5)
    pixels = pixels * gain[..., None]
    if glare:
        cx, cy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height
        radius = rng.uniform(0.1, 0.25) * max(width, height)
        spot = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2))
        pixels = pixels + glare * 255 * spot[..., None] * 0.6
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
