"""Braille line charts of trends with a date axis (plotille), for the CLI and the TUI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo

from selftrack.analysis.stats import Verdict
from selftrack.analysis.trends import Point, Trend
from selftrack.domain.text import printable

# Okabe–Ito colours (colour-blind safe) by plotille name: blue, orange, bluish green, purple.
SERIES_COLOURS = ("blue", "yellow", "green", "magenta")


def date_ticks(span: timedelta):
    """A tick formatter for the x axis that suits the span shown."""
    if span > timedelta(days=2 * 365):
        fmt = "%Y-%m"
    elif span > timedelta(days=60):
        fmt = "%d %b %y"
    elif span > timedelta(days=7):
        fmt = "%d %b"
    else:
        fmt = "%a %H:%M"

    def tick(value, _delta) -> str:
        return value.strftime(fmt) if isinstance(value, datetime) else str(value)

    return tick


def trend_chart(
    trends: Sequence[Trend],
    *,
    width: int = 60,
    height: int = 10,
    tz: tzinfo | None = None,
    colour: bool = False,
    y_range: tuple[float, float] = (0, 10),
) -> str:
    """One chart of the trends' values as dots and their running medians as lines.

    With one trend its sessions are dots and the smoothed line is drawn over them; with
    several only the smoothed lines are drawn, one colour each, named in the legend.
    """
    import plotille

    shown = [(t, points) for t in trends if (points := _drawable(t.points))]
    if not shown:
        return "(no ratings in this period)"
    drawn = [t for t, _points in shown]
    fig = plotille.Figure()
    fig.width, fig.height = width, height
    fig.with_colors = colour
    fig.origin = False
    fig.set_y_limits(*y_range)
    fig.y_label = "0–10"
    fig.x_label = "date"
    fig.y_ticks_fkt = lambda value, _delta: f"{value:.0f}"
    start = min(points[0].moment for _t, points in shown)
    end = max(points[-1].moment for _t, points in shown)
    if end - start < timedelta(days=1):
        start, end = start - timedelta(days=1), end + timedelta(days=1)
    fig.set_x_limits(_local(start, tz), _local(end, tz))
    fig.x_ticks_fkt = date_ticks(end - start)
    for number, trend in enumerate(drawn):
        dots, line = (_drawable(points) for points in trend.chart_points(width * 2))
        colour_name = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        if len(drawn) == 1:
            fig.scatter(_xs(dots, tz), _ys(dots), lc=colour_name, label="sessions")
            fig.plot(_xs(line, tz), _ys(line), lc="yellow", label="running median")
        else:
            fig.plot(_xs(line, tz), _ys(line), lc=colour_name, label=printable(trend.name))
    text = fig.show(legend=len(drawn) > 1 or colour)
    return text


# Moments a date axis can hold with a day to spare either side, in any time zone. Records
# are kept from 1900 to 2199 (imports refuse others); a database written before that check
# may still hold one, which is left off the chart rather than stopping it.
_FIRST = datetime(1900, 1, 3, tzinfo=timezone.utc)
_LAST = datetime(2199, 12, 29, tzinfo=timezone.utc)


def _drawable(points: Sequence[Point]) -> list[Point]:
    return [p for p in points if _FIRST <= p.moment <= _LAST]


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    # plotille wants naive datetimes; show local wall-clock time
    return (moment.astimezone(tz) if tz else moment).replace(tzinfo=None)


def _xs(points: Sequence[Point], tz: tzinfo | None) -> list[datetime]:
    return [_local(p.moment, tz) for p in points]


def _ys(points: Sequence[Point]) -> list[float]:
    return [p.value for p in points]


# -- sparklines and heat colours ---------------------------------------------------------------

_BARS = "▁▂▃▄▅▆▇█"
# A verdict's colour and mark: blue down (less tender, better), orange up (more tender, worse),
# grey otherwise (Okabe–Ito); the mark and the words always go with the colour.
LESS_COLOUR = "#56b4e9"
MORE_COLOUR = "#e69f00"
NEUTRAL_COLOUR = "#999999"


def sparkline(values: Sequence[float | None], width: int = 16, top: float = 10.0) -> str:
    """Values on a 0–`top` scale as block characters (a gap for None), squeezed to `width` by
    slice means."""
    if not values:
        return ""
    if len(values) > width:
        step = len(values) / width
        chunks = [values[int(i * step) : max(int(i * step) + 1, int((i + 1) * step))] for i in range(width)]
        values = [_mean([v for v in chunk if v is not None]) for chunk in chunks]
    last = len(_BARS) - 1
    return "".join(" " if v is None else _BARS[max(0, min(last, round(v / top * last)))] for v in values)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def verdict_colour(verdict: Verdict) -> str:
    """The colour of a verdict: blue for less tender or better, orange for more tender or worse."""
    return {-1: LESS_COLOUR, 1: MORE_COLOUR}.get(verdict.direction, NEUTRAL_COLOUR)


def verdict_mark(verdict: Verdict) -> str:
    """▼ for less tender or better, ▲ for more tender or worse, ● otherwise."""
    return {-1: "▼", 1: "▲"}.get(verdict.direction, "●")
