"""The body map as geometry and as braille text, shared by the CLI, the TUI and the PDF.

Frame (product brief): seen from behind, x = 0 on the spine, +x toward the person's right
(drawn on the viewer's right); y = 0 at the lowest ribs, y = 1 at the gluteal fold.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

# Outline pieces as polylines in map coordinates (right half; the left half mirrors).
_RIGHT_OUTLINE: tuple[tuple[tuple[float, float], ...], ...] = (
    # flank: lowest ribs, waist, over the hip to the side of the thigh
    ((0.50, -0.12), (0.47, 0.05), (0.45, 0.22), (0.50, 0.36), (0.62, 0.55), (0.68, 0.75),
     (0.67, 0.95), (0.62, 1.20), (0.58, 1.45), (0.55, 1.70)),
    # inner thigh, from the crotch down
    ((0.03, 1.02), (0.08, 1.25), (0.12, 1.45), (0.14, 1.70)),
    # gluteal fold
    ((0.04, 0.98), (0.18, 1.02), (0.34, 1.00), (0.50, 0.93)),
    # iliac crest
    ((0.16, 0.43), (0.28, 0.38), (0.40, 0.37), (0.50, 0.40)),
    # lowest rib
    ((0.10, -0.02), (0.28, 0.02), (0.46, 0.10)),
)
# The spine and the cleft between the buttocks, on the midline.
_MIDLINE: tuple[tuple[float, float], ...] = ((0.0, -0.12), (0.0, 0.80), (0.0, 0.98))

LANDMARKS: dict[str, tuple[float, float]] = {
    "iliac crest": (0.45, 0.38),
    "low-back dimple (PSIS)": (0.12, 0.50),
    "tailbone": (0.0, 0.80),
    "greater trochanter": (0.62, 0.78),
    "sitting bone": (0.20, 0.95),
}


# ---------------------------------------------------------------- structures at risk
#
# Nerves and large vessels that pressure, and above all body weight, must keep off. Points are
# for the person's right side in the frame of their `view`; the left side mirrors them. Sources
# and reasoning (docs/protocol-format.md, "Structures at risk"; ../shared/reviews/clinical-read.md):
# - sciatic nerve: the usual surface line, from 2.5 cm outside the midpoint of PSIS-sitting bone
#   (0.26, 0.72), through just inside the midpoint of knob-sitting bone (0.38, 0.87), down the
#   middle of the back of the thigh (0.35, 1.6), to the bottom of the map;
# - where it leaves the pelvis: the greater sciatic notch under the lower border of the
#   piriformis (midpoint of PSIS-tailbone tip to the top of the knob), joining the top of that
#   line from just above and inside it;
# - pudendal nerve: round the ischial spine (two thirds of the way from the PSIS to the sitting
#   bone) and along the inner face of the sitting bone toward the perineum;
# - front view (x from the midline, y = 0 at the ribs, y = 1 at the pubic bone; navel (0, 0.45),
#   ASIS (0.45, 0.65)): the aorta down the midline, dividing into the iliac arteries just below
#   the navel, which run to the mid-groin point (halfway ASIS-pubic symphysis); the femoral
#   triangle below the groin crease from that point down; the skin nerve of the outer thigh
#   (lateral femoral cutaneous), which leaves the pelvis 1-2 cm inside the ASIS, just under the
#   groin crease, and runs down the front of the outer thigh.


@dataclass(frozen=True, slots=True)
class Structure:
    """A nerve or vessel in one view of the map: a polyline for the right side, mirrored."""

    id: str
    name: str
    view: str  # back | front
    kind: str  # nerve | vessel
    points: tuple[tuple[float, float], ...]
    words: tuple[str, ...]  # a caution naming it contains one of these (any case)

    def polyline(self, side: str = "right") -> tuple[tuple[float, float], ...]:
        """The points on one side: `left` mirrors x, anything else is the right side."""
        if side == "left":
            return tuple((-x, y) for x, y in self.points)
        return self.points

    def distance(self, x: float, y: float) -> float:
        """Map units from (x, y), a right-side point, to the nearest point of this structure."""
        return polyline_distance(self.points, x, y)

    def named_in(self, text: str) -> bool:
        """Whether `text` names this structure with one of its words."""
        folded = text.casefold()
        return any(word.casefold() in folded for word in self.words)


STRUCTURES: tuple[Structure, ...] = (
    Structure(
        "sciatic-nerve",
        "sciatic nerve",
        "back",
        "nerve",
        ((0.26, 0.72), (0.38, 0.87), (0.35, 1.60), (0.345, 1.72)),
        ("sciatic nerve",),
    ),
    Structure(
        "sciatic-notch",
        "sciatic nerve where it leaves the pelvis (greater sciatic notch)",
        "back",
        "nerve",
        ((0.225, 0.665), (0.26, 0.72)),
        ("sciatic nerve",),
    ),
    Structure(
        "pudendal-nerve",
        "pudendal nerve, on the inner face of the sitting bone",
        "back",
        "nerve",
        ((0.17, 0.80), (0.15, 0.90), (0.10, 0.99)),
        ("pudendal nerve",),
    ),
    Structure(
        "lateral-femoral-cutaneous-nerve",
        "skin nerve of the outer thigh (lateral femoral cutaneous nerve)",
        "front",
        "nerve",
        ((0.40, 0.67), (0.42, 0.80), (0.46, 1.05)),
        ("skin nerve of the outer thigh", "lateral femoral cutaneous"),
    ),
    Structure(
        "femoral-triangle",
        "femoral artery, vein and nerve in the femoral triangle, below the groin crease",
        "front",
        "vessel",
        ((0.225, 0.845), (0.21, 1.0), (0.18, 1.20)),
        ("femoral artery", "femoral nerve"),
    ),
    Structure(
        "aorta",
        "aorta and the iliac arteries it divides into just below the navel",
        "front",
        "vessel",
        ((0.0, -0.05), (0.0, 0.47), (0.13, 0.66), (0.225, 0.845)),
        ("main artery", "aorta"),
    ),
)
# What the dotted lines on each view are, in a few words (map legends).
STRUCTURE_LEGEND: dict[str, str] = {
    "back": "the sciatic nerve, from where it leaves the pelvis, and the pudendal nerve",
    "front": "the aorta and the iliac and femoral arteries, and the skin nerve of the outer thigh",
}
CAUTION_DISTANCE = 0.12  # within this, a spot's cautions must name the structure
BODY_WEIGHT_DISTANCE = 0.06  # within this, no body-weight tool
BODY_WEIGHT_TOOLS: tuple[str, ...] = ("ball", "roller", "elbow")


def polyline_distance(points: Sequence[tuple[float, float]], x: float, y: float) -> float:
    """The distance from (x, y) to the nearest point of a polyline (one point: to that point)."""
    if len(points) == 1:
        return math.dist(points[0], (x, y))
    best = math.inf
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        best = min(best, math.hypot(x - (ax + t * dx), y - (ay + t * dy)))
    return best


def structures_in(view: str) -> tuple[Structure, ...]:
    """The structures drawn and checked on `view`."""
    return tuple(s for s in STRUCTURES if s.view == view)


def distance_to(structure: Structure, x: float, y: float, side: str = "right") -> float:
    """Map units from a point on `side` (left points have negative x) to `structure` on that side.

    A point on the midline (`side` = "mid") is measured to the nearer of the two sides.
    """
    if side == "mid":
        return min(polyline_distance(structure.polyline(s), x, y) for s in ("left", "right"))
    return polyline_distance(structure.polyline(side), x, y)


def nearest_structure(
    x: float, y: float, view: str = "back", side: str = "right"
) -> tuple[Structure, float] | None:
    """The structure of `view` nearest a point on `side`, with its distance; None if none."""
    found = [(s, distance_to(s, x, y, side)) for s in structures_in(view)]
    return min(found, key=lambda pair: pair[1]) if found else None


X_RANGE = (-0.78, 0.78)
Y_RANGE = (-0.14, 1.72)
_BRAILLE_BASE = 0x2800
_DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def outline() -> list[tuple[tuple[float, float], ...]]:
    """Every outline polyline, both halves, plus the midline."""
    lines = [tuple(p) for p in _RIGHT_OUTLINE]
    lines += [tuple((-x, y) for x, y in piece) for piece in _RIGHT_OUTLINE]
    lines.append(_MIDLINE)
    return lines


@dataclass(frozen=True, slots=True)
class Mark:
    """A spot drawn on the map: its position, the character drawn, and a style key."""

    x: float
    y: float
    char: str = "●"
    key: object = None


@dataclass(frozen=True, slots=True)
class Grid:
    """A rendered map: one character and one style key per cell."""

    chars: list[list[str]]
    keys: list[list[object]]
    width: int
    height: int

    def lines(self) -> list[str]:
        """The map as plain text lines."""
        return ["".join(row).rstrip() for row in self.chars]

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        """The (column, row) of the cell that holds map point (x, y)."""
        return to_cell(x, y, self.width, self.height)


def to_cell(x: float, y: float, width: int, height: int) -> tuple[int, int]:
    """The (column, row) of map point (x, y) in a grid of width x height cells."""
    col = int((x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * (width - 1) + 0.5)
    row = int((y - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) * (height - 1) + 0.5)
    return max(0, min(width - 1, col)), max(0, min(height - 1, row))


def to_point(col: int, row: int, width: int, height: int) -> tuple[float, float]:
    """The map point at the centre of cell (column, row)."""
    x = X_RANGE[0] + col / max(1, width - 1) * (X_RANGE[1] - X_RANGE[0])
    y = Y_RANGE[0] + row / max(1, height - 1) * (Y_RANGE[1] - Y_RANGE[0])
    return x, y


STRUCTURE_KEY = "structure"  # the style key of cells that show a structure at risk


def render(
    marks: Sequence[Mark], width: int = 44, height: int = 22, *, structures: bool = True
) -> Grid:
    """The outline in braille with each mark's character on top; later marks win a cell.

    With `structures`, the nerves and vessels of the back view are drawn too, dotted, in cells
    whose style key is STRUCTURE_KEY; a mark always hides them.
    """
    base_chars, base_keys = _base_cells(width, height, structures)
    chars = [list(row) for row in base_chars]
    keys: list[list[object]] = [list(row) for row in base_keys]
    for mark in marks:
        col, row = to_cell(mark.x, mark.y, width, height)
        chars[row][col] = mark.char
        keys[row][col] = mark.key
    return Grid(chars, keys, width, height)


def _dots(width: int, height: int):
    """A function from map point to braille-dot coordinates for a grid of this size."""
    dots_w, dots_h = width * 2, height * 4

    def dot(x: float, y: float) -> tuple[float, float]:
        fx = (x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * (dots_w - 1)
        fy = (y - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) * (dots_h - 1)
        return fx, fy

    return dot


def _plot_lines(
    lines, width: int, height: int, *, every: int = 1
) -> tuple[tuple[int, ...], ...]:
    """Braille bits per cell for these polylines; `every` > 1 keeps one dot in `every` (dotted)."""
    dots_w, dots_h = width * 2, height * 4
    bits = [[0] * width for _ in range(height)]
    dot = _dots(width, height)
    count = 0
    for piece in lines:
        seen: set[tuple[int, int]] = set()
        for a, b in zip(piece, piece[1:]):
            (x0, y0), (x1, y1) = dot(*a), dot(*b)
            steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
            for i in range(steps + 1):
                t = i / steps
                px, py = round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)
                if (px, py) in seen:
                    continue
                seen.add((px, py))
                count += 1
                if every > 1 and count % every:
                    continue
                if 0 <= px < dots_w and 0 <= py < dots_h:
                    bits[py // 4][px // 2] |= _DOT_BITS[py % 4][px % 2]
    return tuple(tuple(row) for row in bits)


@functools.lru_cache(maxsize=8)
def _outline_bits(width: int, height: int) -> tuple[tuple[int, ...], ...]:
    """The outline alone as braille bits, one number per cell (drawn once per size)."""
    return _plot_lines(outline(), width, height)


@functools.lru_cache(maxsize=8)
def _structure_bits(width: int, height: int) -> tuple[tuple[int, ...], ...]:
    """The back view's structures at risk, both sides, as dotted braille bits (once per size)."""
    lines = [s.polyline(side) for s in structures_in("back") for side in ("left", "right")]
    return _plot_lines(lines, width, height, every=2)


@functools.lru_cache(maxsize=16)
def _base_cells(
    width: int, height: int, structures: bool
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[object, ...], ...]]:
    """The characters and style keys of the map without marks (built once per size)."""
    outline_bits = _outline_bits(width, height)
    extra = _structure_bits(width, height) if structures else None
    chars: list[tuple[str, ...]] = []
    keys: list[tuple[object, ...]] = []
    for row in range(height):
        row_chars: list[str] = []
        row_keys: list[object] = []
        for col in range(width):
            bits = outline_bits[row][col]
            key = None
            if extra is not None and extra[row][col]:
                bits |= extra[row][col]
                key = STRUCTURE_KEY
            row_chars.append(chr(_BRAILLE_BASE + bits) if bits else " ")
            row_keys.append(key)
        chars.append(tuple(row_chars))
        keys.append(tuple(row_keys))
    return tuple(chars), tuple(keys)


def _outline_cells(width: int, height: int) -> tuple[tuple[str, ...], ...]:
    """The outline alone in braille, one character per cell."""
    return _base_cells(width, height, False)[0]


def nearest(points: Sequence[tuple[float, float]], x: float, y: float) -> int | None:
    """Index of the point nearest (x, y), or None when there are none."""
    if not points:
        return None
    return min(range(len(points)), key=lambda i: (points[i][0] - x) ** 2 + (points[i][1] - y) ** 2)
