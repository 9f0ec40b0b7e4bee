"""The body maps of page 1: every spot a numbered dot, no dot hiding another.

Spots are numbered once for the whole report (`number_spots`): the maps, the lists on page 1,
the spot table and the region table all use the same numbers. A spot's left and right share
its number, as they share its name. Dots start on their spots; where two would overlap they
are pushed apart (`spread`) just enough, and a dot moved off its spot keeps a thin line back
to it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from selftrack import bodymap
from selftrack.domain.terms import REGIONS

from . import palette
from .text import BOLD, FONT, covered

VIEW_ORDER = ("back", "front", "calf")
LABEL_SIZE = 7.0  # points: legible printed
GAP = 0.8  # points between neighbouring dots
TITLE_HEIGHT = 14.0
FOOT_HEIGHT = 10.0


def number_spots(cells: Iterable) -> dict[str, int]:
    """A number for every spot of the heat map's cells, in body order: by region, view, then
    from the top down and from the spine out."""
    rank = {region: index for index, region in enumerate(REGIONS)}
    places = {}
    for cell in cells:
        places.setdefault(cell.spot_id, cell)
    ordered = sorted(
        places.values(),
        key=lambda c: (
            rank.get(c.region, len(rank)),
            VIEW_ORDER.index(c.view) if c.view in VIEW_ORDER else len(VIEW_ORDER),
            round(c.y, 2),
            abs(c.x),
            c.spot_id,
        ),
    )
    return {cell.spot_id: number for number, cell in enumerate(ordered, start=1)}


def dot_radius(largest: int) -> float:
    """The radius that fits the widest number in LABEL_SIZE bold, with a little room."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    covered()  # the fonts, registered
    return max(4.6, stringWidth(str(max(largest, 1)), BOLD, LABEL_SIZE) / 2 + 0.7)


def spread(
    anchors: Mapping[str, tuple[float, float, bool]],
    centre: float,
    distance: float,
    box: tuple[float, float, float, float],
    rounds: int = 400,
) -> dict[str, tuple[float, float]]:
    """Dot centres for the right half of a map, none closer than `distance` to another.

    `anchors` maps a spot to (x, y, on the midline) on the right half (x >= centre). A midline
    dot stays on the midline; a sided dot keeps `distance / 2` off it, so it clears its mirror
    image on the left. Overlapping pairs are pushed apart along the line joining them (a pair on
    the same point: up and down), a little more than needed, round after round until none
    overlaps; `box` (x0, y0, x1, y1) bounds the centres.
    """
    keys = sorted(anchors)
    xs = [anchors[k][0] for k in keys]
    ys = [anchors[k][1] for k in keys]
    mid = [anchors[k][2] for k in keys]
    _x0, y0, x1, y1 = box
    inner = centre + distance / 2

    def settle(i: int) -> None:
        xs[i] = centre if mid[i] else min(x1, max(inner, xs[i]))
        ys[i] = min(y1, max(y0, ys[i]))

    for i in range(len(keys)):
        settle(i)
    reach = (distance - 0.01) ** 2  # closer than this (a hundredth of a point) is crowded
    for _round in range(rounds):
        crowded = False
        order = sorted(range(len(keys)), key=lambda k: (xs[k], ys[k]))
        for a, i in enumerate(order):
            for j in order[a + 1 :]:
                dx = xs[j] - xs[i]
                if dx >= distance:
                    break
                dy = ys[j] - ys[i]
                if dx * dx + dy * dy >= reach:
                    continue
                crowded = True
                apart = math.hypot(dx, dy)
                if apart < 1e-6:
                    ux, uy, apart = 0.0, 1.0, 0.0
                else:
                    ux, uy = dx / apart, dy / apart
                push = (distance - apart) * 0.52
                share_i = 0.0 if (mid[i] and not mid[j] and abs(ux) > 0.9) else 1.0
                share_j = 0.0 if (mid[j] and not mid[i] and abs(ux) > 0.9) else 1.0
                if share_i + share_j == 0:
                    share_i = share_j = 1.0
                total = share_i + share_j
                xs[i] -= ux * push * 2 * share_i / total
                ys[i] -= uy * push * 2 * share_i / total
                xs[j] += ux * push * 2 * share_j / total
                ys[j] += uy * push * 2 * share_j / total
                settle(i)
                settle(j)
        if not crowded:
            break
    return {key: (xs[i], ys[i]) for i, key in enumerate(keys)}


@dataclass(frozen=True, slots=True)
class Mark:
    """A dot to draw: its spot and side, its fill and its number."""

    spot_id: str
    side: str
    fill: str
    label: str
    outline: str = "#333333"


@dataclass(frozen=True)
class MapFrame:
    """Where the spots of a period go on maps of a given width: the scale, the dots' radius
    and every dot's centre (shared by the heat map and the change map)."""

    width: float
    height: float
    scale: float
    radius: float
    anchors: Mapping[tuple[str, str], tuple[float, float]]  # where each spot is
    centres: Mapping[tuple[str, str], tuple[float, float]]  # where its dot is drawn

    def point(self, x: float, y: float) -> tuple[float, float]:
        (x0, _x1), (_y0, y1) = bodymap.X_RANGE, bodymap.Y_RANGE
        return (x - x0) * self.scale, FOOT_HEIGHT + (y1 - y) * self.scale


def frame(cells: Iterable, numbers: Mapping[str, int], width: float) -> MapFrame:
    """The frame for the back-view cells (spot, side, x, y) on maps `width` points wide."""
    (x0, x1), (y0, y1) = bodymap.X_RANGE, bodymap.Y_RANGE
    scale = width / (x1 - x0)
    height = FOOT_HEIGHT + (y1 - y0) * scale + TITLE_HEIGHT
    radius = dot_radius(max(numbers.values(), default=1))
    shell = MapFrame(width, height, scale, radius, {}, {})
    anchors: dict[tuple[str, str], tuple[float, float]] = {}
    half: dict[str, tuple[float, float, bool]] = {}
    for cell in cells:
        x, y = cell.position()
        anchors[(cell.spot_id, cell.side)] = shell.point(x, y)
        px, py = shell.point(abs(x) if cell.side != "mid" else 0.0, y)
        half[cell.spot_id] = (px, py, cell.side == "mid")
    centre = shell.point(0.0, 0.0)[0]
    box = (radius, FOOT_HEIGHT + radius, width - radius, height - TITLE_HEIGHT - radius)
    placed = spread(half, centre, 2 * radius + GAP, box)
    centres = {}
    for spot, side in anchors:
        px, py = placed[spot]
        centres[(spot, side)] = (2 * centre - px if side == "left" else px, py)
    return MapFrame(width, height, scale, radius, anchors, centres)


def drawing(frame_: MapFrame, marks: Iterable[Mark], title: str):
    """A body map: the outline, the nerves (dashed), a leader line from each moved dot back to
    its spot, then the numbered dots."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib.colors import HexColor

    covered()  # the fonts, registered
    width, height = frame_.width, frame_.height
    out = Drawing(width, height)
    for piece in bodymap.outline():
        coords = [c for p in piece for c in frame_.point(*p)]
        out.add(PolyLine(coords, strokeColor=HexColor("#888888"), strokeWidth=0.8))
    for structure in bodymap.structures_in("back"):  # nerves not to lean on: light and dashed
        for side in ("left", "right"):
            coords = [c for p in structure.polyline(side) for c in frame_.point(*p)]
            out.add(PolyLine(coords, strokeColor=HexColor(palette.STRUCTURE_INK), strokeWidth=0.8, strokeDashArray=[2, 2]))
    out.add(String(width / 2, height - 10, title, fontName=BOLD, fontSize=8.5, textAnchor="middle"))
    grey = HexColor(palette.MUTED)
    out.add(String(10, 1, "left", fontName=FONT, fontSize=7, fillColor=grey))
    out.add(String(width - 10, 1, "right", fontName=FONT, fontSize=7, textAnchor="end", fillColor=grey))
    marks = list(marks)
    radius = frame_.radius
    for mark in marks:
        ax, ay = frame_.anchors[(mark.spot_id, mark.side)]
        cx, cy = frame_.centres[(mark.spot_id, mark.side)]
        if math.hypot(cx - ax, cy - ay) > radius * 0.75:
            out.add(Line(ax, ay, cx, cy, strokeColor=HexColor("#555555"), strokeWidth=0.5))
            out.add(Circle(ax, ay, 1.1, fillColor=HexColor("#333333"), strokeColor=None))
    for mark in marks:
        cx, cy = frame_.centres[(mark.spot_id, mark.side)]
        out.add(Circle(cx, cy, radius, fillColor=HexColor(mark.fill), strokeColor=HexColor(mark.outline), strokeWidth=0.5))
        out.add(
            String(cx, cy - LABEL_SIZE * 0.36, mark.label, fontName=BOLD, fontSize=LABEL_SIZE,
                   textAnchor="middle", fillColor=HexColor(palette.ink_on(mark.fill)))
        )  # fmt: skip
    return out


def legend(width: float):
    """The key to the maps' colours and lines: the first map's row, then the second's."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, String
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth

    covered()  # the fonts, registered
    out = Drawing(width, 24)
    x, y = 0.0, 14.0

    def word(text: str, font: str = FONT) -> None:
        nonlocal x
        out.add(String(x, y + 2.5, text, fontName=font, fontSize=7))
        x += stringWidth(text, font, 7) + 4

    def swatch(fill: str) -> None:
        nonlocal x
        out.add(Circle(x + 4, y + 5, 4, fillColor=HexColor(fill), strokeColor=HexColor("#333333"), strokeWidth=0.4))
        x += 10

    word("First map, mean tenderness:", BOLD)
    for value in (0, 2, 4, 6, 8, 10):
        swatch(palette.heat_colour(value))
        word(str(value))
    x += 8
    out.add(Line(x, y + 5, x + 14, y + 5, strokeColor=HexColor(palette.STRUCTURE_INK), strokeWidth=0.9, strokeDashArray=[2, 2]))
    x += 18
    word("nerves: never lean on them")
    x, y = 0.0, 2.0
    word("Second map, change:", BOLD)
    for text, fill in (
        ("clearly less tender", palette.BETTER),
        ("clearly more tender", palette.WORSE),
        ("no clear change", palette.NOISE),
        ("too few sessions to judge", palette.UNJUDGED),
    ):
        swatch(fill)
        word(text)
    return out
