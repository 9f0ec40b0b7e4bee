"""Charts: 0-10 series over the period with the start and latest windows shaded, and sessions
per week as bars with an axis. Dates on the x-axis come at steps that keep them readable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from selftrack.analysis.stats import baseline_window

from . import palette
from .text import BOLD, FONT, covered

TICK_SIZE = 6.5
LABEL_ROOM = 30.0  # points a date label needs on the x-axis
_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def _month_start(day: date, step: int) -> date:
    months = day.year * 12 + day.month - 1
    months -= months % step
    return date(months // 12, months % 12 + 1, 1)


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def date_ticks(first: date, last: date, most: int) -> list[tuple[date, str]]:
    """Dates in [first, last] at the finest step (1, 2, 7 or 14 days; 1, 2, 3, 6, 12, 24 or
    60 months) giving at most `most` of them, with their labels ('4 Sep'; 'Oct', the year at
    January and on the first tick; '2027')."""
    most = max(2, most)
    span = (last - first).days
    for step in _DAY_STEPS:
        if span // step + 1 <= most:
            start = first + timedelta(days=(-first.weekday()) % 7) if step >= 7 else first
            ticks = []
            day = start
            while day <= last:
                ticks.append((day, f"{day.day} {day:%b}"))
                day += timedelta(days=step)
            return ticks
    for step in _MONTH_STEPS:
        day = _month_start(first, step)
        if day < first:
            day = _add_months(day, step)
        ticks = []
        while day <= last:
            ticks.append(day)
            day = _add_months(day, step)
        if len(ticks) <= most:
            if step >= 12:
                return [(d, str(d.year)) for d in ticks]
            return [
                (d, f"{d:%b %Y}" if index == 0 or d.month == 1 else f"{d:%b}") for index, d in enumerate(ticks)
            ]
    return [(first, str(first.year)), (last, str(last.year))]


@dataclass(frozen=True)
class Series:
    """One line on a chart: its label, trend (None or empty: nothing drawn) and colour."""

    label: str
    trend: object
    colour: str
    dashed: bool = False


def _windows(series: Sequence[Series]) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]] | None:
    """The spans of the first and last sessions the start and latest levels come from (over
    all the chart's series)."""
    starts, latests = [], []
    for s in series:
        points = s.trend.points if s.trend is not None else ()
        if len(points) < 2:
            continue
        window = max(1, baseline_window(len(points)))
        starts.append((points[0].moment, points[window - 1].moment))
        latests.append((points[-window].moment, points[-1].moment))
    if not starts:
        return None
    return (
        (min(a for a, _ in starts), max(b for _, b in starts)),
        (min(a for a, _ in latests), max(b for _, b in latests)),
    )


def line_chart(series: Sequence[Series], first: date, last: date, zone: tzinfo, width: float, height: float, title: str):
    """A 0-10 chart over the days [first, last] in `zone`: each series' dots and running
    median, the start and latest windows shaded, dates on the x-axis."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth

    covered()  # the fonts, registered
    out = Drawing(width, height)
    left, right, bottom, top = 18.0, width - 8.0, 13.0, height - 22.0
    start = datetime(first.year, first.month, first.day)
    span = max(1.0, (last - first).days + 1.0)

    def x_of(moment: datetime) -> float:
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
        day = (moment - start).total_seconds() / 86400
        return left + (right - left) * max(0.0, min(1.0, day / span))

    def y_of(value: float) -> float:
        return bottom + (top - bottom) * value / 10

    muted = HexColor(palette.MUTED)
    windows = _windows(series)
    if windows:
        for (a, b), word, anchor in ((windows[0], "start", "start"), (windows[1], "latest", "end")):
            x0, x1 = x_of(a) - 1.5, x_of(b) + 1.5
            out.add(Rect(x0, bottom, max(3.0, x1 - x0), top - bottom, fillColor=HexColor(palette.WINDOW), strokeColor=None))
            out.add(String(x0 if anchor == "start" else x1, top + 2, word, fontName=FONT, fontSize=TICK_SIZE,
                           textAnchor=anchor, fillColor=muted))  # fmt: skip
    for level in (0, 5, 10):
        y = y_of(level)
        out.add(Line(left, y, right, y, strokeColor=HexColor(palette.GRID), strokeWidth=0.5))
        out.add(String(left - 3, y - 2.3, str(level), fontName=FONT, fontSize=TICK_SIZE, textAnchor="end", fillColor=muted))
    for day, label in date_ticks(first, last, int((right - left) / LABEL_ROOM)):
        x = x_of(datetime(day.year, day.month, day.day))
        out.add(Line(x, bottom, x, bottom - 2.5, strokeColor=HexColor(palette.AXIS), strokeWidth=0.5))
        out.add(String(x, 2.5, label, fontName=FONT, fontSize=TICK_SIZE, textAnchor="middle", fillColor=muted))
    out.add(String(left - 14, height - 9, title, fontName=BOLD, fontSize=8))
    legend_x = right
    for s in reversed(series):
        out.add(String(legend_x, height - 9, s.label, fontName=FONT, fontSize=7, textAnchor="end", fillColor=HexColor(s.colour)))
        legend_x -= stringWidth(s.label, FONT, 7) + 6
    for s in series:
        if s.trend is None or not s.trend.points:
            continue
        dots, line = s.trend.chart_points(80)
        colour = HexColor(s.colour)
        for p in dots:
            out.add(Circle(x_of(p.moment), y_of(p.value), 1.2, fillColor=colour, strokeColor=None))
        if len(line) > 1:
            coords = [c for p in line for c in (x_of(p.moment), y_of(p.value))]
            out.add(PolyLine(coords, strokeColor=colour, strokeWidth=1.3, strokeDashArray=[3, 2] if s.dashed else None))
    return out


def _nice_top(value: float) -> int:
    for top in (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100):
        if value <= top:
            return top
    return int(value) + 1


UNIT_WORDS = {"week": "week by week", "month": "month by month", "quarter": "quarter by quarter"}


def regularity_chart(regularity, first: date, last: date, width: float, height: float):
    """Sessions per week as bars with a y-axis; bars of weeks (months, quarters) only partly in
    the period are drawn open and marked as partial."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib.colors import HexColor

    covered()  # the fonts, registered
    out = Drawing(width, height)
    left, right, bottom, top = 18.0, width - 4.0, 13.0, height - 22.0
    muted = HexColor(palette.MUTED)
    title = "Sessions per week" + ("" if regularity.unit == "week" else f", {UNIT_WORDS[regularity.unit]}")
    out.add(String(left - 14, height - 9, title, fontName=BOLD, fontSize=8))
    bars = regularity.bars
    if not bars:
        return out
    values = [b.sessions if regularity.unit == "week" else b.per_week for b in bars]
    ceiling = _nice_top(max(values))
    for level in sorted({0, ceiling // 2 if ceiling >= 4 else ceiling, ceiling}):
        y = bottom + (top - bottom) * level / ceiling
        out.add(Line(left, y, right, y, strokeColor=HexColor(palette.GRID), strokeWidth=0.5))
        out.add(String(left - 3, y - 2.3, str(level), fontName=FONT, fontSize=TICK_SIZE, textAnchor="end", fillColor=muted))
    days = max(1, (last - first).days + 1)

    def x_of(day: date) -> float:
        return left + (right - left) * max(0.0, min(1.0, (day - first).days / days))

    partial_seen = False
    for bar, value in zip(bars, values):
        x0 = x_of(max(bar.first, first))
        x1 = x_of(min(bar.first + timedelta(days=bar.full_days), last + timedelta(days=1)))
        gap = min(0.8, (x1 - x0) * 0.15)
        h = (top - bottom) * value / ceiling
        if bar.partial:
            partial_seen = True
            out.add(Rect(x0 + gap / 2, bottom, max(0.4, x1 - x0 - gap), h, fillColor=HexColor("#c6d4e1"),
                         strokeColor=HexColor(palette.BARS), strokeWidth=0.4, strokeDashArray=[1, 1]))  # fmt: skip
        elif value:
            out.add(Rect(x0 + gap / 2, bottom, max(0.4, x1 - x0 - gap), h, fillColor=HexColor(palette.BARS), strokeColor=None))
    out.add(Line(left, bottom, right, bottom, strokeColor=HexColor(palette.AXIS), strokeWidth=0.5))
    for day, label in date_ticks(first, last, int((right - left) / LABEL_ROOM)):
        x = x_of(day)
        out.add(Line(x, bottom, x, bottom - 2.5, strokeColor=HexColor(palette.AXIS), strokeWidth=0.5))
        out.add(String(x, 2.5, label, fontName=FONT, fontSize=TICK_SIZE, textAnchor="middle", fillColor=muted))
    if partial_seen:
        out.add(Rect(right - 52, height - 19.5, 7, 6, fillColor=HexColor("#c6d4e1"), strokeColor=HexColor(palette.BARS),
                     strokeWidth=0.4, strokeDashArray=[1, 1]))  # fmt: skip
        out.add(String(right, height - 19, f"partial {regularity.unit}", fontName=FONT, fontSize=TICK_SIZE,
                       textAnchor="end", fillColor=muted))  # fmt: skip
    return out
