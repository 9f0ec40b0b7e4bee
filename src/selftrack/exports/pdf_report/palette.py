"""The report's colours: colour-blind safe, and never the only cue (numbers and words carry
every value too)."""

from __future__ import annotations

# Sequential scale for tenderness 0-10 (viridis, light to dark): readable with every common
# colour-vision deficiency and in grey-scale print.
HEAT = ("#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878", "#440154")
# Change: blue = less tender, vermillion = more tender, grey = no clear change (Okabe-Ito);
# white = too few sessions to judge.
BETTER, WORSE, NOISE, UNJUDGED = "#0072b2", "#d55e00", "#bbbbbb", "#ffffff"
STRUCTURE_INK = "#d9a6c4"  # the nerves on the map: a light reddish purple no mark uses
LEFT, RIGHT, MIDDLE = "#d55e00", "#0072b2", "#009e73"  # series on the charts
BEFORE, AFTER = "#d55e00", "#0072b2"
GRID, AXIS, MUTED, WINDOW = "#dddddd", "#888888", "#666666", "#ececec"
BARS = "#31688e"


def heat_colour(value: float) -> str:
    """The colour of a tenderness (0-10) on the sequential scale."""
    index = max(0, min(len(HEAT) - 1, round(value / 10 * (len(HEAT) - 1))))
    return HEAT[index]


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (a #rrggbb colour)."""
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


def change_colour(direction: int, judged: bool) -> str:
    """The colour of a verdict: -1 less tender, 1 more tender, 0 no clear change."""
    if not judged:
        return UNJUDGED
    return {-1: BETTER, 1: WORSE}.get(direction, NOISE)
