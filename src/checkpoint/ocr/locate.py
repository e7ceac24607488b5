"""Find text lines of MRZ size and shape in a page image, at any scale and in any of the four
orientations, by chaining character-sized connected components.

The method needs no guess of the resolution: an MRZ line is a run of 30, 36 or 44 characters of equal
height at a fixed pitch (2.54 mm for about 2.4 mm of height), which no other print on a document has.
Components are chained to their nearest neighbour along the line direction, once reading across the
image and once down it (a page turned by 90 degrees); the chains that span at least
``MIN_SPAN_IN_HEIGHTS`` character heights are the candidates. That finds lines up to about 17 degrees
off either axis; a page turned further (a phone photo of a passport lying askew on a desk) is searched
again turned back by ``SEARCH_TURNS``. Which way is up is decided later, by reading (see
:mod:`checkpoint.ocr.read`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Final

import cv2
import numpy as np

# Work on at most this many pixels along the longer side: enough for 150-dpi characters to stay
# above 8 px on a page, and fast. Line crops for reading come from the full-resolution image.
WORK_SIDE: Final = 1600
MIN_CHAR_PX: Final = 6
# The shortest MRZ line (TD1, 30 characters) spans about 31 heights; visual-zone text rarely
# reaches 15 characters in one run without a word gap.
MIN_SPAN_IN_HEIGHTS: Final = 18.0
# Chaining along the image's axes finds lines up to about 17 degrees off them. When it finds no line
# of an MRZ's length (TD1's 30 characters span about 31 heights), the page is searched again turned by
# each of these angles, which brings any line between two axes within 15 degrees of one.
MRZ_SPAN_IN_HEIGHTS: Final = 28.0
SEARCH_TURNS: Final = (30.0, -30.0)
# A character's height is measured square to the search's axis: on a line tilted off it by an angle t
# it seems taller by its width times sin(t) (5% at 5 degrees). A longest line tilted by more than this
# many degrees is searched again with the image turned to lay it along the axis.
MAX_TILT_DEGREES: Final = 8.0
# Neighbour search: the next character's centre lies within this many heights along the line (two
# characters blurred into one component put centres up to ~1.6 pitches apart) and this far across it.
MAX_STEP: Final = 2.2
MAX_OFFSET: Final = 0.45
MAX_GAP: Final = 2.5
MAX_END_STEP: Final = 1.6
# The steps next to a chain's end that give the pitch there (see _trim_ends).
END_PITCH_STEPS: Final = 5
# Margin kept before the first and after the last character centre of a cut line, in character heights.
END_MARGIN: Final = 1.0
# A piece of a line: this many components over this many heights. Pieces on one line join across a
# gap of up to MAX_JOIN_GAP heights (a hologram band or a watermark's letters are up to ~7 wide).
MIN_PIECE_COMPONENTS: Final = 3
MIN_PIECE_SPAN: Final = 2.0
MAX_JOIN_GAP: Final = 10.0
MAX_JOIN_OFFSET: Final = 0.4
# Pieces of a bent line (see join_pieces) meet at up to this angle, hold this many components each,
# and lie within this many heights of the cubic through them all.
MAX_BENT_JOIN_ANGLE: Final = math.radians(20.0)
MIN_BENT_PIECE_COMPONENTS: Final = 6
MAX_BENT_JOIN_OFFSET: Final = 0.3
# A photo whose print scale changes by more than this from one end of the MRZ to the other is cut out
# of the MRZ's plane (see mrz_plane); below it, a straight cut along the line is as good.
MIN_PERSPECTIVE: Final = 1.15
# A page that is not flat (a passport page curving up to its spine, a card bowed in the hand, a sheet
# that has been crumpled) bends its lines. Where the cubic through the centres of a line of at least
# MIN_BEND_COMPONENTS components leaves the straight line fitted to them by MIN_BEND character heights
# or more, the line is cut along the cubic (see crop_line); a straighter one is cut straight, as it
# reads as well.
MIN_BEND_COMPONENTS: Final = 12
MIN_BEND: Final = 0.25
# binarise: the background's closing kernel, in line-crop heights (a crop is 1.6 character heights).
BACKGROUND_KERNEL: Final = 0.33
# restore_washed_out: a stretch of line whose ink-to-paper contrast is below this share of the line's
# usual contrast (but at least MIN_WASHED_CONTRAST grey levels: print, not bare paper) is washed out.
WASHED_OUT_RATIO: Final = 0.6
MIN_WASHED_CONTRAST: Final = 25


@dataclass(frozen=True, slots=True)
class TextLine:
    """A candidate line in full-resolution pixel coordinates.

    ``start`` and ``end`` are the centres of its first and last characters (the order is arbitrary: the
    text may be upside down); ``char_height`` is the median character height across the line.
    """

    start: tuple[float, float]
    end: tuple[float, float]
    char_height: float
    components: int
    # The median distance between neighbouring character centres (0 when not known).
    pitch: float = 0.0
    # A bent line: at the fraction f of the way from ``start`` to ``end`` (beyond them too) it lies
    # c0 + c1 f + c2 f^2 + c3 f^3 pixels off the straight line through them, towards the normal (-dy, dx)
    # of ``direction``. Empty for a straight line.
    bend: tuple[float, ...] = ()
    # The centres of its characters (components, x and y by row), for joining a bent line's pieces
    # (see join_pieces).
    centres: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)), compare=False, repr=False)

    def offsets(self, fractions: np.ndarray, reverse: bool = False) -> np.ndarray:
        """Return how far the line lies off the straight line, in pixels towards the normal, at
        ``fractions`` of the way from ``start`` to ``end``; with ``reverse`` from ``end`` to ``start``,
        towards the normal of that direction. Zeros for a straight line."""
        if not self.bend:
            return np.zeros_like(fractions, dtype=np.float64)
        along = 1.0 - fractions if reverse else fractions
        offsets = np.asarray(np.polynomial.polynomial.polyval(along, self.bend), dtype=np.float64)
        return -offsets if reverse else offsets

    @property
    def length(self) -> float:
        """Distance in pixels between the first and last character centres."""
        return math.dist(self.start, self.end)

    @property
    def direction(self) -> tuple[float, float]:
        """Unit vector from start to end."""
        length = self.length or 1.0
        return ((self.end[0] - self.start[0]) / length, (self.end[1] - self.start[1]) / length)

    @property
    def centre(self) -> tuple[float, float]:
        """Midpoint of the line."""
        return ((self.start[0] + self.end[0]) / 2, (self.start[1] + self.end[1]) / 2)


def _components(work: np.ndarray) -> np.ndarray:
    """Return character-sized dark components as rows (cx, cy, width, height)."""
    block = 31
    # The offset keeps the pale guilloche of the background out (it would glue characters together)
    # while MRZ print, dark on light even in a dim photo, stays in.
    binary = cv2.adaptiveThreshold(work, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 60)
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return np.zeros((0, 4), dtype=np.float64)
    widths = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    areas = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    big = np.maximum(widths, heights)
    small = np.minimum(widths, heights)
    keep = (
        (big >= MIN_CHAR_PX)
        & (big <= 0.9 * min(work.shape))
        & (big <= 10.0 * small + 2)
        & (areas >= 0.08 * widths * heights)
    )
    # Box centres, not centroids: an F or a 7 has its mass high, but its box sits on the line.
    centre_x = stats[1:, cv2.CC_STAT_LEFT] + widths / 2
    centre_y = stats[1:, cv2.CC_STAT_TOP] + heights / 2
    return np.column_stack([centre_x[keep], centre_y[keep], widths[keep], heights[keep]])


def _chains(
    along: np.ndarray, across: np.ndarray, size: np.ndarray, min_members: int, min_span: float
) -> list[np.ndarray]:
    """Chain components to their nearest neighbour further along; return index arrays of the chains
    of at least ``min_members`` components spanning at least ``min_span`` character heights.
    """
    order = np.argsort(along)
    a, b, s = along[order], across[order], size[order]
    count = len(a)
    # Every pair (i, j) with j after i and at most MAX_STEP of i's heights further along, at once.
    ends = np.maximum(np.searchsorted(a, a + MAX_STEP * s, side="right"), np.arange(1, count + 1))
    spans = ends - np.arange(1, count + 1)
    i = np.repeat(np.arange(count), spans)
    j = np.arange(len(i)) - np.repeat(np.cumsum(spans) - spans, spans) + i + 1
    ratio = s[j] / s[i]
    ok = (np.abs(b[j] - b[i]) < MAX_OFFSET * np.maximum(s[j], s[i])) & (ratio > 0.4) & (ratio < 2.5)
    ok &= a[j] - a[i] > 0.3 * s[i]
    i, j = i[ok], j[ok]
    dist = a[j] - a[i] + np.abs(b[j] - b[i])
    # Each component's nearest candidate (the first of equals, as the pairs are in order of j), taken in
    # order along the line: a component keeps the nearest of those that pick it.
    pick = np.lexsort((j, dist, i))
    leading = np.ones(len(pick), dtype=bool)
    leading[1:] = i[pick][1:] != i[pick][:-1]
    nxt = np.full(count, -1)
    prev_dist = np.full(count, np.inf)
    prev = np.full(count, -1)
    i, j, dist = i[pick][leading], j[pick][leading], dist[pick][leading]
    for k, best, step in zip(i.tolist(), j.tolist(), dist.tolist(), strict=True):
        if step < prev_dist[best]:
            if prev[best] >= 0:
                nxt[prev[best]] = -1
            prev[best] = k
            prev_dist[best] = step
            nxt[k] = best
    pieces: list[list[int]] = []
    for head in np.flatnonzero(prev < 0):
        members = [int(head)]
        while nxt[members[-1]] >= 0:
            members.append(int(nxt[members[-1]]))
        if len(members) >= 3:
            pieces.append(members)
    # A character lost to a smudge or glued to the background breaks a chain in two: join pieces that
    # continue each other (close along the line, on the same line across it).
    pieces.sort(key=lambda members: a[members[0]])
    merged: list[list[int]] = []
    for members in pieces:
        for chain in merged:
            last, first = chain[-1], members[0]
            height = max(s[last], s[first])
            if 0 < a[first] - a[last] < MAX_GAP * height and abs(b[first] - b[last]) < MAX_OFFSET * height:
                chain.extend(members)
                break
        else:
            merged.append(list(members))
    chains: list[np.ndarray] = []
    for members in merged:
        _trim_ends(members, a)
        idx = np.array(members)
        height = float(np.median(s[idx]))
        if len(members) >= min_members and a[idx[-1]] - a[idx[0]] >= min_span * height:
            chains.append(order[idx])
    return chains


def _trim_ends(members: list[int], along: np.ndarray) -> None:
    """Drop components at either end of a chain that sit further from their neighbour than the print's
    pitch there allows: a document edge or a visual-zone mark just past the line's last character. The
    pitch is that of the steps next to the end (``END_PITCH_STEPS``): in a photo taken at an angle the
    print is larger at the near end of a line, where a character sits further from the next than the
    line's median pitch.
    """
    while len(members) >= 8:
        steps = np.diff(along[members])
        if steps[-1] > MAX_END_STEP * float(np.median(steps[-1 - END_PITCH_STEPS : -1])):
            members.pop()
        elif steps[0] > MAX_END_STEP * float(np.median(steps[1 : 1 + END_PITCH_STEPS])):
            members.pop(0)
        else:
            return


def find_text_lines(grey: np.ndarray) -> list[TextLine]:
    """Return the long, evenly printed text lines in ``grey`` (a 2-D uint8 image), longest first.

    A line that something interrupts (a hologram's bright band, a fold, a watermark's ink glued to the
    characters) is found in pieces: the pieces that continue each other on the same line are joined
    (:func:`join_pieces`) before the short ones are dropped. Where no line of an MRZ's length stands
    near the image's axes, the image is searched turned by each of ``SEARCH_TURNS``; the longest line
    found more than ``MAX_TILT_DEGREES`` off the axes of its search is searched again laid along one.
    """
    work, scale = _work_image(grey)
    lines, searched = _long_lines(work, scale, 0.0), 0.0
    # No line of an MRZ's length: the print may stand between the axes. Keep the search that finds the
    # longest line, the unturned one on a tie.
    for turn in SEARCH_TURNS if _longest_span(lines) < MRZ_SPAN_IN_HEIGHTS else ():
        turned = _long_lines(work, scale, turn)
        if _longest_span(turned) > _longest_span(lines):
            lines, searched = turned, turn
    if lines and abs(_axial(_tilt(lines[0]) - searched)) > MAX_TILT_DEGREES:
        # Its heights are the true ones: compared in them, a tilted search's lines may seem longer.
        level = _long_lines(work, scale, _tilt(lines[0]))
        if _longest_span(level) >= min(_longest_span(lines), MRZ_SPAN_IN_HEIGHTS):
            lines = level
    return lines


def _axial(degrees: float) -> float:
    """Return ``degrees`` less the nearest multiple of 90: -45 to 45."""
    return (degrees + 45.0) % 90.0 - 45.0


def _tilt(line: TextLine) -> float:
    """Return the angle in degrees (-45 to 45) by which to turn the image to lay ``line`` along the
    nearest of its axes."""
    return _axial(math.degrees(math.atan2(line.direction[1], line.direction[0])))


def _long_lines(work: np.ndarray, scale: float, turn: float) -> list[TextLine]:
    pieces = _pieces(work, scale, turn)
    if not pieces:
        return []
    return [line for line in join_pieces(pieces) if line.length >= MIN_SPAN_IN_HEIGHTS * line.char_height]


def _longest_span(lines: list[TextLine]) -> float:
    """The span of the longest of ``lines`` in its character heights (0 without lines)."""
    return max((line.length / line.char_height for line in lines), default=0.0)


def _turned(work: np.ndarray, turn: float) -> tuple[np.ndarray, np.ndarray]:
    """Return ``work`` turned by ``turn`` degrees (counter-clockwise, whole: the canvas grows to hold its
    corners, its edges continued outwards) and the 2 x 3 affine map from the turned image's pixel
    coordinates back to ``work``'s."""
    height, width = work.shape
    to_turned = cv2.getRotationMatrix2D((width / 2, height / 2), turn, 1.0)
    cos, sin = abs(to_turned[0, 0]), abs(to_turned[0, 1])
    size = (math.ceil(width * cos + height * sin), math.ceil(width * sin + height * cos))
    to_turned[0, 2] += size[0] / 2 - width / 2
    to_turned[1, 2] += size[1] / 2 - height / 2
    turned = cv2.warpAffine(work, to_turned, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return turned, cv2.invertAffineTransform(to_turned)


def find_text_pieces(grey: np.ndarray, turn: float = 0.0) -> list[TextLine]:
    """Return every run of at least ``MIN_PIECE_COMPONENTS`` evenly spaced, equally high components in
    ``grey``, longest first: the MRZ lines whole or in pieces, and visual-zone words. With ``turn``,
    the runs are sought in the image turned by that many degrees, and given in ``grey``'s coordinates.
    """
    return _pieces(*_work_image(grey), turn)


def _work_image(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """Return ``grey`` scaled to at most ``WORK_SIDE`` pixels along its longer side, and the scale."""
    scale = min(1.0, WORK_SIDE / max(grey.shape))
    work = grey if scale == 1.0 else cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return work, scale


def _pieces(work: np.ndarray, scale: float, turn: float) -> list[TextLine]:
    """:func:`find_text_pieces` in ``work``, the image scaled by ``scale`` (:func:`_work_image`)."""
    back = None
    if turn:
        work, back = _turned(work, turn)
    comps = _components(work)
    if len(comps) < 8:
        return []
    lines: list[TextLine] = []
    for vertical in (False, True):
        along = comps[:, 1] if vertical else comps[:, 0]
        across = comps[:, 0] if vertical else comps[:, 1]
        size = comps[:, 2] if vertical else comps[:, 3]
        for chain in _chains(along, across, size, MIN_PIECE_COMPONENTS, MIN_PIECE_SPAN):
            a, b = along[chain], across[chain]
            a0, a1 = float(a.min()), float(a.max())
            slope, intercept = np.polyfit(a, b, 1) if len(chain) > 1 else (0.0, float(b[0]))
            ends = np.array([[a0, slope * a0 + intercept], [a1, slope * a1 + intercept]])
            centres = np.column_stack([a, b])
            if vertical:
                ends, centres = ends[:, ::-1], centres[:, ::-1]
            if back is not None:
                ends, centres = _mapped(ends, back), _mapped(centres, back)
            ends, centres = ends / scale, centres / scale
            line = TextLine(
                start=(float(ends[0, 0]), float(ends[0, 1])),
                end=(float(ends[1, 0]), float(ends[1, 1])),
                char_height=float(np.median(size[chain])) / scale,
                components=len(chain),
                pitch=float(np.median(np.diff(np.sort(a)))) / scale,
                centres=centres,
            )
            if len(chain) >= MIN_BEND_COMPONENTS and a1 > a0:
                # The cubic through its centres, from start to end, when it leaves the straight line.
                fractions, off = _in_frame(line, line.centres, 0.0, line.length)
                line = replace(line, bend=_bend(fractions, off, line.char_height))
            lines.append(line)
    lines.sort(key=lambda line: line.length, reverse=True)
    return lines


def _mapped(points: np.ndarray, affine: np.ndarray) -> np.ndarray:
    """Return ``points`` (x, y by row) mapped by the 2 x 3 ``affine``."""
    return np.asarray(points @ affine[:, :2].T + affine[:, 2], dtype=np.float64)


def _in_frame(line: TextLine, points: np.ndarray, first: float, last: float) -> tuple[np.ndarray, np.ndarray]:
    """Return where ``points`` lie along ``line``, as fractions of the way from ``first`` to ``last``
    (distances from its start along its direction), and how far off it, towards its normal (-dy, dx)."""
    (dx, dy), (sx, sy) = line.direction, line.start
    along = ((points[:, 0] - sx) * dx + (points[:, 1] - sy) * dy - first) / (last - first)
    off = (points[:, 0] - sx) * -dy + (points[:, 1] - sy) * dx
    return along, off


def _bend(along: np.ndarray, off: np.ndarray, height: float) -> tuple[float, ...]:
    """Return the coefficients of the cubic through the points (``along``, ``off``), ``along`` the
    fractions of the way from a straight line's start to its end and ``off`` the distances from it,
    when it leaves the line by at least ``MIN_BEND`` of ``height`` between them; else ()."""
    coefficients = np.polynomial.polynomial.polyfit(along, off, 3)
    stations = np.polynomial.polynomial.polyval(np.linspace(0.0, 1.0, 21), coefficients)
    if float(np.abs(stations).max()) < MIN_BEND * height:
        return ()
    return tuple(float(c) for c in coefficients)


def _bent_join(line: TextLine, piece: TextLine, first: float, last: float) -> tuple[float, ...]:
    """Return the bend of ``line`` joined with ``piece`` (from ``first`` to ``last`` along ``line``'s
    direction, from its start), when one bent line runs through the centres of both: the cubic through
    them leaves none by more than ``MAX_BENT_JOIN_OFFSET`` heights and bends by at least ``MIN_BEND``
    heights. () otherwise, or when either holds fewer than ``MIN_BENT_PIECE_COMPONENTS`` centres."""
    if min(len(line.centres), len(piece.centres)) < MIN_BENT_PIECE_COMPONENTS:
        return ()
    along, off = _in_frame(line, np.vstack([line.centres, piece.centres]), first, last)
    bend = _bend(along, off, line.char_height)
    if not bend:
        return ()
    if (
        float(np.abs(off - np.polynomial.polynomial.polyval(along, bend)).max())
        > MAX_BENT_JOIN_OFFSET * line.char_height
    ):
        return ()
    return bend


def join_pieces(pieces: list[TextLine]) -> list[TextLine]:
    """Return ``pieces`` with those that continue one another on one line joined, longest first. A
    piece joins a longer one when it has about its character height, starts within ``MAX_JOIN_GAP``
    heights of its end, and lies on that line's extension (both its ends within ``MAX_JOIN_OFFSET``
    heights across it, which holds a long piece to the line's direction; a short piece's own direction,
    from three or four characters' centres, is no measure of it) or, on a bent page, on one bent line
    with it (:func:`_bent_join`, within ``MAX_BENT_JOIN_ANGLE``). The joined line keeps the longer
    piece's direction, spans both and bends as the cubic through both pieces' centres does.
    """
    remaining = sorted(pieces, key=lambda line: line.length, reverse=True)
    joined: list[TextLine] = []
    while remaining:
        line = remaining.pop(0)
        merged = True
        while merged:
            merged = False
            (dx, dy), (sx, sy), height = line.direction, line.start, line.char_height
            for index, piece in enumerate(remaining):
                if not 0.7 <= piece.char_height / height <= 1.4:
                    continue
                px, py = piece.direction
                angle = math.acos(min(1.0, abs(px * dx + py * dy)))
                if angle > MAX_BENT_JOIN_ANGLE:
                    continue
                ends = [
                    ((x - sx) * dx + (y - sy) * dy, (x - sx) * -dy + (y - sy) * dx)
                    for x, y in (piece.start, piece.end)
                ]
                low, high = min(t for t, _ in ends), max(t for t, _ in ends)
                gap = max(low - line.length, -high)
                if gap > MAX_JOIN_GAP * height or (gap < 0 and low > 0 and high < line.length):
                    continue
                first, last = min(0.0, low), max(line.length, high)
                straight = max(abs(a) for _, a in ends) <= MAX_JOIN_OFFSET * height
                # A straight join stays straight unless a piece is bent itself (the cubic costs time).
                bend = _bent_join(line, piece, first, last) if not straight or line.bend or piece.bend else ()
                if not straight and not bend:
                    continue
                line = TextLine(
                    start=(sx + first * dx, sy + first * dy),
                    end=(sx + last * dx, sy + last * dy),
                    char_height=line.char_height,
                    components=line.components + piece.components,
                    pitch=line.pitch,
                    bend=bend,
                    centres=np.vstack([line.centres, piece.centres]),
                )
                del remaining[index]
                merged = True
                break
        joined.append(line)
    joined.sort(key=lambda line: line.length, reverse=True)
    return joined


@dataclass(frozen=True, slots=True)
class Plane:
    """The MRZ's plane in a photo taken at an angle: ``matrix`` maps (u, v), in character heights along
    the lines from the first line's first character centre and across them towards the last line, to
    image pixels. ``length`` is the lines' length (first to last character centre) in character heights.
    """

    matrix: np.ndarray = field(compare=False)
    length: float

    def to_plane(self, point: tuple[float, float]) -> tuple[float, float]:
        """Return the (u, v) of the image ``point``."""
        u, v, w = np.linalg.solve(self.matrix, np.array([point[0], point[1], 1.0]))
        return float(u / w), float(v / w)


def mrz_plane(ordered: list[TextLine], flip: bool) -> Plane | None:
    """Return the plane of the MRZ whose lines are ``ordered`` (top to bottom as the text stands, turned
    by 180 degrees with ``flip``), from the ends of its first and last lines: all lines start and end in
    the same print columns. ``None`` for a single line, or when the perspective is too slight to matter
    (the scale changes by less than ``MIN_PERSPECTIVE`` from one end of the lines to the other): there
    :func:`crop_line`'s straight cut is as good.
    """
    if len(ordered) < 2:
        return None
    height = float(np.median([line.char_height for line in ordered]))
    ends = [(line.end, line.start) if flip else (line.start, line.end) for line in ordered]
    length = float(np.mean([line.length for line in ordered])) / height
    span = math.dist(ordered[0].centre, ordered[-1].centre) / height
    if length <= 0 or span <= 0:
        return None
    source = np.array([(0, 0), (length, 0), (0, span), (length, span)], dtype=np.float32)
    target = np.array([ends[0][0], ends[0][1], ends[-1][0], ends[-1][1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target).astype(np.float64)

    def scale(u: float) -> float:
        points = np.array([[[u, span / 2], [u + 1.0, span / 2]]], dtype=np.float64)
        a, b = cv2.perspectiveTransform(points, matrix)[0]
        return float(np.hypot(*(b - a)))

    near, far = scale(0.0), scale(length - 1.0)
    if min(near, far) <= 0 or max(near, far) / min(near, far) < MIN_PERSPECTIVE:
        return None
    return Plane(matrix, length)


def _crop_in_plane(grey: np.ndarray, line: TextLine, plane: Plane, char_px: float, flip: bool) -> np.ndarray:
    """Cut ``line`` out of the MRZ ``plane`` as a straight, evenly pitched line (see :func:`crop_line`)."""
    _, row = plane.to_plane(line.centre)
    out_w = max(8, round((plane.length + 2 * END_MARGIN) * char_px))
    out_h = max(8, round(1.6 * char_px))
    if line.bend:
        return _crop_bent_in_plane(grey, line, plane, char_px, flip, row, (out_w, out_h))
    # Output pixel (x, y) is the plane's (x / k - END_MARGIN, y / k - 0.8 + row).
    to_plane = np.array(
        [[1 / char_px, 0, -END_MARGIN], [0, 1 / char_px, row - 0.8], [0, 0, 1]], dtype=np.float64
    )
    return cv2.warpPerspective(
        grey,
        plane.matrix @ to_plane,
        (out_w, out_h),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )


def _crop_bent_in_plane(
    grey: np.ndarray,
    line: TextLine,
    plane: Plane,
    char_px: float,
    flip: bool,
    row: float,
    size: tuple[int, int],
) -> np.ndarray:
    """Cut the bent ``line`` out of ``plane`` as :func:`_crop_in_plane` cuts a straight one (at ``row``
    of the plane, output ``size``), each column moved across the line by its bend
    (:attr:`TextLine.bend`), turned from pixels into the plane's character heights where it is.
    """
    out_w, out_h = size
    u = np.arange(out_w, dtype=np.float64) / char_px - END_MARGIN
    # The plane's u runs from start to end, or from end to start when the page is upside down (see
    # mrz_plane); its v, like the line's normal taken the same way round, runs down the print.
    dx, dy = line.direction
    normal = np.array([dy, -dx]) if flip else np.array([-dy, dx])
    column = cv2.perspectiveTransform(
        np.stack(
            [np.column_stack([u, np.full_like(u, row)]), np.column_stack([u, np.full_like(u, row + 1.0)])]
        ).astype(np.float64),
        plane.matrix,
    )
    reach = (column[1] - column[0]) @ normal  # pixels towards the normal per character height down
    shift = line.offsets(u / plane.length, reverse=flip) / np.where(np.abs(reach) < 1e-6, 1e-6, reach)
    v = np.arange(out_h, dtype=np.float64)[:, None] / char_px + (row - 0.8) + shift[None, :]
    points = np.stack([np.broadcast_to(u[None, :], (out_h, out_w)), v], axis=-1).reshape(1, -1, 2)
    mapped = cv2.perspectiveTransform(points, plane.matrix).reshape(out_h, out_w, 2).astype(np.float32)
    return cv2.remap(grey, mapped[..., 0], mapped[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def crop_line(
    grey: np.ndarray,
    line: TextLine,
    *,
    flip: bool = False,
    char_px: float = 40.0,
    down: tuple[float, float] | Plane | None = None,
) -> np.ndarray:
    """Return ``line`` cut out of ``grey``, turned level (and by 180 degrees with ``flip``) and scaled
    so its characters are ``char_px`` pixels high, with 0.3 character of margin above and below (about
    what the training lines have) and ``END_MARGIN`` character heights beyond the first and last
    character centres.

    ``down`` is the direction of the print's columns (from one MRZ line to the next), when known: in a
    photo taken at an angle it is not square to the line, and sampling along it straightens the slant
    that perspective gives the characters. When it is the MRZ's :class:`Plane` (a photo at a steep
    angle, where the characters shrink along the line), the line is cut out of the plane, so that
    its characters come out of one size at an even pitch, ``plane.length`` heights apart end to end.
    """
    if isinstance(down, Plane):
        return restore_washed_out(_crop_in_plane(grey, line, down, char_px, flip), char_px)
    start = line.end if flip else line.start
    dx, dy = line.direction
    if flip:
        dx, dy = -dx, -dy
    nx, ny = -dy, dx
    if down is not None:
        nx, ny = down
    k = char_px / line.char_height
    pad = END_MARGIN * line.char_height
    out_w = max(8, round((line.length + 2 * pad) * k))
    out_h = max(8, round(1.6 * char_px))
    # Output pixel (u, v) samples input at start + (u/k - pad) * d + (v/k - out_h/(2k)) * n.
    origin_x = start[0] - pad * dx - out_h / (2 * k) * nx
    origin_y = start[1] - pad * dy - out_h / (2 * k) * ny
    if line.bend:
        crop = _crop_bent(grey, line, flip, (origin_x, origin_y), (dx, dy), (nx, ny), k, (out_w, out_h))
        return restore_washed_out(crop, char_px)
    matrix = np.array([[dx / k, nx / k, origin_x], [dy / k, ny / k, origin_y]], dtype=np.float64)
    crop = cv2.warpAffine(
        grey,
        matrix,
        (out_w, out_h),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return restore_washed_out(crop, char_px)


def _crop_bent(
    grey: np.ndarray,
    line: TextLine,
    flip: bool,
    origin: tuple[float, float],
    along: tuple[float, float],
    across: tuple[float, float],
    k: float,
    size: tuple[int, int],
) -> np.ndarray:
    """Cut the bent ``line`` as :func:`crop_line` cuts a straight one (``origin``, the unit vectors
    ``along`` and ``across`` it, ``k`` output pixels per input pixel, output ``size``), each column
    moved across by the line's bend (:attr:`TextLine.bend`): the characters come out on one level.
    """
    out_w, out_h = size
    # Sampling across runs along ``across``; a column of the print (``down``) need not be square to
    # the line, so the offsets are stretched to reach the curve along it.
    dx, dy = along
    reach = across[0] * -dy + across[1] * dx
    stretch = 1.0 / math.copysign(max(abs(reach), 0.5), reach)
    f = (np.arange(out_w, dtype=np.float64) / k - END_MARGIN * line.char_height) / (line.length or 1.0)
    # Cut upside down, the line runs from end to start.
    shift = line.offsets(f, reverse=flip) * stretch
    u = np.broadcast_to(np.arange(out_w, dtype=np.float64)[None, :] / k, (out_h, out_w))
    v = np.arange(out_h, dtype=np.float64)[:, None] / k + shift[None, :]
    map_x = (origin[0] + u * dx + v * across[0]).astype(np.float32)
    map_y = (origin[1] + u * dy + v * across[1]).astype(np.float32)
    return cv2.remap(grey, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def restore_washed_out(crop: np.ndarray, char_px: float) -> np.ndarray:
    """Return the line ``crop`` with the stretches that a hologram or glare washed out (print at less than
    ``WASHED_OUT_RATIO`` of the line's usual contrast between ink and paper) brought back to that
    contrast; a line without such a stretch comes back as it is.

    Contrast is measured per character-wide window: the darkest and lightest grey of the columns in it.
    Only the print is restored, from half a character before the first character centre to half a
    character after the last (``crop_line`` puts them ``END_MARGIN`` heights from the ends): beyond,
    the margins hold background print that stretching would turn into characters.
    """
    window = max(3, round(char_px)) | 1
    columns = crop.astype(np.float32)
    ink = cv2.erode(columns.min(axis=0)[None, :], np.ones((1, window), np.uint8))[0]
    paper = cv2.dilate(columns.max(axis=0)[None, :], np.ones((1, window), np.uint8))[0]
    contrast = paper - ink
    usual = float(np.median(contrast))
    washed = (contrast < WASHED_OUT_RATIO * usual) & (contrast >= MIN_WASHED_CONTRAST)
    margin = max(0, round((END_MARGIN - 0.5) * char_px))
    washed[:margin] = False
    washed[len(washed) - margin :] = False
    if usual < 2 * MIN_WASHED_CONTRAST or not washed.any():
        return crop
    gain = np.where(washed, np.clip(usual / np.maximum(contrast, 1.0), 1.0, 4.0), 1.0).astype(np.float32)
    gain = np.asarray(cv2.blur(gain[None, :], (window, 1))[0], dtype=np.float32)
    restored = paper[None, :] - (paper[None, :] - columns) * gain[None, :]
    return np.asarray(np.clip(restored, 0, 255), dtype=np.uint8)


def binarise(crop: np.ndarray) -> np.ndarray:
    """Return ``crop`` as black text on white: background flattened (glare, shadows, a watermark's
    broad letters), then Otsu."""
    height = crop.shape[0]
    # The background is what is left when dark strokes narrower than the kernel are closed over: the
    # MRZ's strokes (about a sixth of a character height) go, the broad letters of a watermark across
    # the MRZ stay, so that dividing by it leaves the print dark and the watermark pale.
    size = max(3, round(BACKGROUND_KERNEL * height)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    background = cv2.morphologyEx(crop, cv2.MORPH_CLOSE, kernel)
    flat = cv2.divide(crop, background, scale=255)
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return binary
