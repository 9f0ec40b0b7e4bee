"""The body map as geometry and as braille text, shared by the CLI, the TUI and the PDF.

Frame (product brief): seen from behind, x = 0 on the spine, +x toward the person's right
(drawn on the viewer's right); y = 0 at the lowest ribs, y = 1 at the gluteal fold.
"""

from __future__ import annotations

import functools
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


def render(marks: Sequence[Mark], width: int = 44, height: int = 22) -> Grid:
    """The outline in braille with each mark's character on top; later marks win a cell."""
    chars = [list(row) for row in _outline_cells(width, height)]
    keys: list[list[object]] = [[None] * width for _ in range(height)]
    for mark in marks:
        col, row = to_cell(mark.x, mark.y, width, height)
        chars[row][col] = mark.char
        keys[row][col] = mark.key
    return Grid(chars, keys, width, height)


@functools.lru_cache(maxsize=8)
def _outline_cells(width: int, height: int) -> tuple[tuple[str, ...], ...]:
    """The outline alone in braille, one character per cell (drawn once per size)."""
    dots_w, dots_h = width * 2, height * 4
    bits = [[0] * width for _ in range(height)]

    def plot(px: int, py: int) -> None:
        if 0 <= px < dots_w and 0 <= py < dots_h:
            bits[py // 4][px // 2] |= _DOT_BITS[py % 4][px % 2]

    def dot(x: float, y: float) -> tuple[float, float]:
        fx = (x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * (dots_w - 1)
        fy = (y - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) * (dots_h - 1)
        return fx, fy

    for piece in outline():
        for a, b in zip(piece, piece[1:]):
            (x0, y0), (x1, y1) = dot(*a), dot(*b)
            steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
            for i in range(steps + 1):
                t = i / steps
                plot(round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t))
    return tuple(tuple(chr(_BRAILLE_BASE + b) if b else " " for b in row) for row in bits)


def nearest(points: Sequence[tuple[float, float]], x: float, y: float) -> int | None:
    """Index of the point nearest (x, y), or None when there are none."""
    if not points:
        return None
    return min(range(len(points)), key=lambda i: (points[i][0] - x) ** 2 + (points[i][1] - y) ** 2)
