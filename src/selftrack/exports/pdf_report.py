"""PDF report for a clinician: a one-page summary, then trends, spots, sessions and notes.

Every figure arrives in a ReportData, gathered by the Tracker (selftrack.tracker.review); this
module only lays them out with reportlab's vector drawing. Colours are colour-blind safe and
never the only cue: every spot on a map carries its number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from selftrack import bodymap
from selftrack.analysis.stats import READING_TRENDS, Verdict
from selftrack.domain.terms import REGIONS, region_name
from selftrack.render.words import number, signed, status_word, verdict_words

SIDE_SHORT = {"left": "L", "right": "R", "mid": "mid"}
# Sequential scale for tenderness 0-10 (viridis, light to dark): readable with every common
# colour-vision deficiency and in grey-scale print.
_HEAT = ("#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878", "#440154")
# Change: blue = less tender, vermillion = more tender, grey = no clear change (Okabe-Ito).
BETTER, WORSE, NOISE = "#0072b2", "#d55e00", "#bbbbbb"
STRUCTURE_INK = "#d9a6c4"  # the nerves on the map: a light reddish purple no mark uses
NOT_ADVICE = (
    "selftrack is a diary, not a clinician: it records the tenderness a person felt at named "
    "spots while pressing them, nothing more. It does not diagnose or treat anything, and "
    "nothing in this report is medical advice."
)


@dataclass
class ReportData:
    """Everything the report shows, gathered before any drawing."""

    name: str
    first_day: date
    last_day: date
    generated: datetime
    summaries: list = field(default_factory=list)  # SessionSummary, oldest first
    adherence: object = None
    pain: dict = field(default_factory=dict)  # "before"/"after" -> Trend
    regions: list = field(default_factory=list)  # Trend per region and side
    spots: list = field(default_factory=list)  # Trend per spot and side
    heat: object = None  # HeatMap of the period
    flags: list = field(default_factory=list)  # FlaggedSpot
    notes: list = field(default_factory=list)  # Note

    @property
    def ratings(self) -> int:
        return sum(s.rated for s in self.summaries)


# -- drawing helpers ---------------------------------------------------------------------------


def heat_colour(value: float) -> str:
    """The colour of a tenderness (0-10) on the sequential scale."""
    index = max(0, min(len(_HEAT) - 1, int(round(value / 10 * (len(_HEAT) - 1)))))
    return _HEAT[index]


def _ink_on(value: float) -> str:
    return "#000000" if value < 5 else "#ffffff"


def _text(value: str) -> str:
    """User text made safe for a paragraph: control characters shown as visible `\\xNN` marks
    (as on the terminal), markup escaped, and limited to what the PDF font has."""
    from xml.sax.saxutils import escape

    from selftrack.domain.text import printable

    clean = printable(value, multiline=True).encode("cp1252", "replace").decode("cp1252")
    return escape(clean).replace("\n", "<br/>")


def _marked(paragraph: str) -> str:
    """A paragraph of the core's texts with its `**bold**` marks as reportlab markup."""
    parts = _text(paragraph).split("**")
    return "".join(f"<b>{part}</b>" if number_ % 2 else part for number_, part in enumerate(parts))


def _day(moment: date | datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _map_drawing(marks, width: float, title: str):
    """A body-map drawing: the outline, then a numbered dot per mark (x, y, fill, ink, label)."""
    from reportlab.graphics.shapes import Circle, Drawing, PolyLine, String
    from reportlab.lib.colors import HexColor

    (x0, x1), (y0, y1) = bodymap.X_RANGE, bodymap.Y_RANGE
    scale = width / (x1 - x0)
    height = (y1 - y0) * scale + 16
    drawing = Drawing(width, height)

    def point(x: float, y: float) -> tuple[float, float]:
        return (x - x0) * scale, (y1 - y) * scale

    for piece in bodymap.outline():
        coords = [c for p in piece for c in point(*p)]
        drawing.add(PolyLine(coords, strokeColor=HexColor("#777777"), strokeWidth=0.8))
    for piece in _structure_lines():  # nerves not to lean on: light and dashed, under the dots
        coords = [c for p in piece for c in point(*p)]
        drawing.add(
            PolyLine(coords, strokeColor=HexColor(STRUCTURE_INK), strokeWidth=0.7, strokeDashArray=[2, 2])
        )
    drawing.add(String(width / 2, height - 11, title, fontName="Helvetica-Bold", fontSize=8.5, textAnchor="middle"))
    drawing.add(String(4, 4, "left", fontName="Helvetica", fontSize=7, fillColor=HexColor("#555555")))
    drawing.add(
        String(width - 4, 4, "right", fontName="Helvetica", fontSize=7, textAnchor="end", fillColor=HexColor("#555555"))
    )
    placed = [(*point(x, y), fill, ink, label) for x, y, fill, ink, label in marks]
    radius = _dot_radius([(px, py) for px, py, *_rest in placed], width)
    size = radius * 1.05
    for px, py, fill, ink, label in placed:
        drawing.add(Circle(px, py, radius, fillColor=HexColor(fill), strokeColor=HexColor("#333333"), strokeWidth=0.4))
        drawing.add(
            String(px, py - size * 0.36, label, fontName="Helvetica-Bold", fontSize=size, textAnchor="middle", fillColor=HexColor(ink))
        )
    return drawing


def _structure_lines() -> list[tuple[tuple[float, float], ...]]:
    """The back view's nerves at risk, both sides (bodymap.STRUCTURES)."""
    return [s.polyline(side) for s in bodymap.structures_in("back") for side in ("left", "right")]


def _dot_radius(points: list[tuple[float, float]], width: float) -> float:
    """Large enough to read, small enough that most dots clear their nearest neighbour.

    Taken from the lower quartile of nearest-neighbour distances: a few spots that two
    routines place almost on top of each other may overlap rather than shrink every dot.
    """
    nearest = []
    for i, (ax, ay) in enumerate(points):
        distances = [
            ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 for j, (bx, by) in enumerate(points) if j != i
        ]
        distances = [d for d in distances if d > 0.5]
        if distances:
            nearest.append(min(distances))
    if not nearest:
        return 8.0
    nearest.sort()
    quartile = nearest[len(nearest) // 4]
    return max(5.0, min(8.0, quartile / 2 - 0.3))


def _chart(series, first: date, last: date, width: float, height: float, title: str):
    """A 0-10 line chart over [first, last]: per series its dots and smoothed line.

    `series` is a list of (label, trend, colour, dashed).
    """
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib.colors import HexColor

    drawing = Drawing(width, height)
    left, right, bottom, top = 20, width - 6, 14, height - 14
    span = max(1.0, (last - first).days + 1.0)
    start = datetime(first.year, first.month, first.day)

    def xy(moment: datetime, value: float) -> tuple[float, float]:
        day = (moment.replace(tzinfo=None) - start).total_seconds() / 86400
        return left + (right - left) * max(0.0, min(1.0, day / span)), bottom + (top - bottom) * value / 10

    grey = HexColor("#999999")
    for level in (0, 5, 10):
        y = bottom + (top - bottom) * level / 10
        drawing.add(Line(left, y, right, y, strokeColor=HexColor("#dddddd"), strokeWidth=0.5))
        drawing.add(String(left - 3, y - 2.5, str(level), fontName="Helvetica", fontSize=6.5, textAnchor="end", fillColor=grey))
    drawing.add(String(left, 3, _day(first), fontName="Helvetica", fontSize=6.5, fillColor=grey))
    drawing.add(String(right, 3, _day(last), fontName="Helvetica", fontSize=6.5, textAnchor="end", fillColor=grey))
    drawing.add(String(left, height - 9, title, fontName="Helvetica-Bold", fontSize=8))
    legend_x = right
    for label, trend, colour, dashed in reversed(series):
        drawing.add(String(legend_x, height - 9, label, fontName="Helvetica", fontSize=7, textAnchor="end", fillColor=HexColor(colour)))
        legend_x -= 6 + len(label) * 3.6
        if trend is None or not trend.points:
            continue
        dots, line = trend.chart_points(80)
        for p in dots:
            px, py = xy(p.moment, p.value)
            drawing.add(Circle(px, py, 1.2, fillColor=HexColor(colour), strokeColor=None))
        if len(line) > 1:
            coords = [c for p in line for c in xy(p.moment, p.value)]
            drawing.add(
                PolyLine(coords, strokeColor=HexColor(colour), strokeWidth=1.3, strokeDashArray=[3, 2] if dashed else None)
            )
    return drawing


def _week_bars(weeks, width: float, height: float):
    """Sessions per week as small bars, for the adherence line of page 1."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib.colors import HexColor

    drawing = Drawing(width, height)
    if not weeks:
        return drawing
    most = max(1, max(count for _w, count in weeks))
    step = (width - 2) / len(weeks)
    for i, (_week, count) in enumerate(weeks):
        bar = (height - 10) * count / most
        if count:
            drawing.add(Rect(1 + i * step, 8, max(0.6, step * 0.8), bar, fillColor=HexColor("#31688e"), strokeColor=None))
    drawing.add(Line(0, 8, width, 8, strokeColor=HexColor("#999999"), strokeWidth=0.4))
    drawing.add(String(0, 0, f"sessions per week (most {most})", fontName="Helvetica", fontSize=6.5, fillColor=HexColor("#777777")))
    return drawing


# -- the document ------------------------------------------------------------------------------


def _styles():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontSize=16, leading=19, alignment=0, spaceAfter=2),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=11.5, leading=14, spaceBefore=6, spaceAfter=3),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontSize=8.8, leading=11.2, spaceAfter=2),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=7.6, leading=9.4, spaceAfter=1),
        "cell": ParagraphStyle("cell", parent=base["BodyText"], fontSize=7.6, leading=9.2),
    }


def _verdict(trend) -> str:
    return verdict_words(trend.summary)


def _pain_line(data: ReportData) -> str:
    parts = []
    for side in ("before", "after"):
        trend = data.pain.get(side)
        if trend is None or not trend.points:
            continue
        s = trend.summary
        parts.append(
            f"<b>Pain {side} sessions</b>: {number(s.baseline)} at the start, {number(s.latest)} lately "
            f"({signed(s.change)}, {_verdict(trend)})"
        )
    drops = [s.pain_before - s.pain_after for s in data.summaries if s.pain_before is not None and s.pain_after is not None]
    if drops:
        parts.append(f"<b>Within a session</b> pain fell by {sum(drops) / len(drops):.1f} points on average")
    return ". ".join(parts) + "." if parts else "No overall pain scores were given in this period."


_PAGE_ONE_ITEMS = 5  # per list, so the summary keeps to one page


def _change_lists(data: ReportData, styles):
    from reportlab.platypus import Paragraph

    better = [t for t in data.spots if t.summary.verdict is Verdict.LESS_TENDER]
    worse = [t for t in data.spots if t.summary.verdict is Verdict.MORE_TENDER]
    better.sort(key=lambda t: t.summary.change)
    worse.sort(key=lambda t: -t.summary.change)

    def line(trend) -> str:
        s = trend.summary
        return f"{_text(trend.name)}: {number(s.baseline)} to {number(s.latest)} ({signed(s.change)})"

    out = []
    for title, items in (("Clearly less tender", better), ("Clearly more tender", worse)):
        text = "; ".join(line(t) for t in items[:_PAGE_ONE_ITEMS]) or "none"
        if len(items) > _PAGE_ONE_ITEMS:
            text += f"; and {len(items) - _PAGE_ONE_ITEMS} more (see the spot table)"
        out.append(Paragraph(f"<b>{title}</b>: {text}.", styles["body"]))
    marked = [f for f in data.flags if f.nerve or f.recognised]
    flagged = [
        f"{_text(f.name)} ({f.side})"
        + (f": nerve-like {f.nerve}x" if f.nerve else ":")
        + (f"{',' if f.nerve else ''} recognised {f.recognised}x" if f.recognised else "")
        for f in marked[:_PAGE_ONE_ITEMS]
    ]
    text = "; ".join(flagged) or "none"
    if len(marked) > _PAGE_ONE_ITEMS:
        text += f"; and {len(marked) - _PAGE_ONE_ITEMS} more"
    out.append(
        Paragraph(
            f"<b>Flagged spots</b> (nerve-like: electric, shooting or tingling; recognised: the person's "
            f"familiar pain): {text}.",
            styles["body"],
        )
    )
    return out


def _maps(data: ReportData, width: float):
    """The period's heat map and the change since the start, side by side, plus off-map spots."""
    heat_marks, change_marks, off_map = [], [], []
    trends = {(t.subject.key, t.subject.side): t for t in data.spots}
    for cell in data.heat.cells if data.heat else ():
        if cell.view != "back":
            off_map.append(cell)
            continue
        x, y = cell.position()
        heat_marks.append((x, y, heat_colour(cell.mean), _ink_on(cell.mean), f"{cell.mean:.0f}"))
        trend = trends.get(cell.key)
        if trend is None or trend.summary.change is None:
            continue
        change = trend.summary.change
        colour = {-1: BETTER, 1: WORSE}.get(trend.summary.verdict.direction, NOISE)
        ink = "#000000" if colour == NOISE else "#ffffff"
        change_marks.append((x, y, colour, ink, f"{change:+.0f}" if round(change) else "0"))
    half = (width - 10) / 2
    return (
        _map_drawing(heat_marks, half, "Mean tenderness in the period (0-10)"),
        _map_drawing(change_marks, half, "Change since the start of the period"),
        off_map,
    )


def _legend(width: float):
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib.colors import HexColor

    drawing = Drawing(width, 14)
    x = 0
    drawing.add(String(x, 4, "Tenderness:", fontName="Helvetica", fontSize=7))
    x += 44
    for value in range(0, 11, 2):
        drawing.add(Rect(x, 2, 12, 9, fillColor=HexColor(heat_colour(value)), strokeColor=None))
        drawing.add(String(x + 14, 4, str(value), fontName="Helvetica", fontSize=7))
        x += 26
    x += 10
    for label, colour in (("clearly less tender", BETTER), ("clearly more tender", WORSE), ("no clear change", NOISE)):
        drawing.add(Rect(x, 2, 12, 9, fillColor=HexColor(colour), strokeColor=None))
        drawing.add(String(x + 15, 4, label, fontName="Helvetica", fontSize=7))
        x += 20 + len(label) * 3.7
    drawing.add(Line(x, 6.5, x + 12, 6.5, strokeColor=HexColor(STRUCTURE_INK), strokeWidth=0.9, strokeDashArray=[2, 2]))
    drawing.add(String(x + 15, 4, "nerves", fontName="Helvetica", fontSize=7))
    return drawing


def _table(rows, widths, styles, *, header_rows: int = 1):
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table, TableStyle

    cells = [[c if not isinstance(c, str) else Paragraph(c, styles["cell"]) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HexColor("#e8e8e8")),
                ("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.6, HexColor("#666666")),
                ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [HexColor("#ffffff"), HexColor("#f5f5f5")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _page_one(data: ReportData, styles, width: float):
    from reportlab.platypus import Paragraph, Spacer, Table

    story = []
    who = f" for {_text(data.name)}" if data.name else ""
    story.append(Paragraph(f"Self-massage log{who}", styles["title"]))
    story.append(
        Paragraph(
            f"Tenderness at named spots, low back and buttocks, rated 0-10 by the person while pressing "
            f"each spot. Period: <b>{_day(data.first_day)} to {_day(data.last_day)}</b>.",
            styles["body"],
        )
    )
    if not data.summaries:
        story.append(Paragraph("No sessions were logged in this period.", styles["h2"]))
        return story
    abandoned = sum(1 for s in data.summaries if s.status.value == "abandoned")
    adherence = data.adherence
    gap = adherence.longest_gap_days
    story.append(
        Paragraph(
            f"<b>Sessions</b>: {len(data.summaries)}"
            + (f" ({abandoned} stopped early)" if abandoned else "")
            + f"; {adherence.sessions} completed on {adherence.active_days} days, "
            f"{adherence.per_week:.1f} per week over {len(adherence.weeks)} weeks"
            + (f"; longest stretch of weeks without a session: {gap} days" if gap else "; no week missed")
            + f". {data.ratings} spot ratings in all.",
            styles["body"],
        )
    )
    story.append(Paragraph(_pain_line(data), styles["body"]))
    chart = _chart(
        [
            ("before", data.pain.get("before"), "#d55e00", False),
            ("after", data.pain.get("after"), "#0072b2", True),
        ],
        data.first_day,
        data.last_day,
        width * 0.64,
        92,
        "Overall pain, 0-10",
    )
    bars = _week_bars(adherence.weeks, width * 0.33, 60)
    story.append(Table([[chart, bars]], colWidths=[width * 0.66, width * 0.34], style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    heat, change, off_map = _maps(data, width)
    story.append(Spacer(1, 4))
    story.append(Table([[heat, change]], colWidths=[width / 2, width / 2]))
    story.append(_legend(width))
    if off_map:
        listed = "; ".join(f"{_text(c.name)} ({c.side}) {c.mean:.1f}" for c in off_map)
        story.append(Paragraph(f"<b>Not on this view</b> (mean tenderness): {listed}.", styles["small"]))
    story.append(
        Paragraph(
            "Seen from behind: the person's left is on the left. Each dot shows its number, so the "
            "colours are never needed to read it. Change is the latest level against the start of "
            "the period (see page 2 onward for how it is judged).",
            styles["small"],
        )
    )
    story += _change_lists(data, styles)
    return story


def _rest(data: ReportData, styles, width: float):
    from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, Spacer, Table

    story = [PageBreak(), Paragraph("Trends per region", styles["h2"])]
    by_region: dict[str, dict[str, object]] = {}
    for trend in data.regions:
        by_region.setdefault(trend.subject.key, {})[trend.subject.side] = trend
    charts = []
    for region, sides in by_region.items():
        series = [
            ("left", sides.get("left"), "#d55e00", False),
            ("right", sides.get("right"), "#0072b2", True),
        ]
        if "mid" in sides:
            series.append(("middle", sides["mid"], "#009e73", False))
        charts.append(_chart(series, data.first_day, data.last_day, width / 2 - 6, 120, region_name(region)))
    rows = [charts[i : i + 2] + [""] * (2 - len(charts[i : i + 2])) for i in range(0, len(charts), 2)]
    if rows:
        story.append(Table(rows, colWidths=[width / 2, width / 2]))
    summary_rows = [["Region and side", "Start", "Lately", "Change", "Per month", "Judged"]]
    for trend in data.regions:
        s = trend.summary
        summary_rows.append(
            [_text(trend.name), number(s.baseline), number(s.latest), signed(s.change), signed(trend.per_month), _verdict(trend)]
        )
    story.append(Spacer(1, 4))
    story.append(_table(summary_rows, [w * width for w in (0.34, 0.1, 0.1, 0.1, 0.12, 0.24)], styles))

    story += [CondPageBreak(120), Paragraph("Every spot: start, lately and change", styles["h2"])]
    rows = [["Spot", "Side", "Region", "Sessions", "Start", "Lately", "Change", "Judged"]]
    order = {region: rank for rank, region in enumerate(REGIONS)}
    for trend in sorted(data.spots, key=lambda t: (order.get(t.region, 99), t.name)):
        s = trend.summary
        rows.append(
            [
                _text(trend.name.rsplit(", ", 1)[0]),
                trend.subject.side,
                region_name(trend.region),
                str(s.count),
                number(s.baseline),
                number(s.latest),
                signed(s.change),
                _verdict(trend),
            ]
        )
    story.append(_table(rows, [w * width for w in (0.32, 0.07, 0.12, 0.09, 0.08, 0.08, 0.08, 0.16)], styles))

    story += [CondPageBreak(120), Paragraph("Sessions", styles["h2"])]
    rows = [["Date", "Routine", "Sides", "Tool", "Rated", "Skip", "Mean", "Max", "Pain before", "Pain after", "Status"]]
    for s in data.summaries:
        rows.append(
            [
                f"{s.started_at.astimezone(data.generated.tzinfo):%d %b %Y %H:%M}",
                _text(s.protocol_name),
                s.sides,
                _text(s.tool or "-"),
                str(s.rated),
                str(s.skipped),
                number(s.mean),
                "-" if s.highest is None else str(s.highest),
                "-" if s.pain_before is None else str(s.pain_before),
                "-" if s.pain_after is None else str(s.pain_after),
                status_word(s.status),
            ]
        )
    story.append(
        _table(rows, [w * width for w in (0.15, 0.25, 0.06, 0.07, 0.06, 0.05, 0.06, 0.05, 0.07, 0.07, 0.11)], styles)
    )

    story += [CondPageBreak(80), Paragraph("Notes", styles["h2"])]
    if data.notes:
        tz = data.generated.tzinfo
        for note in data.notes:
            where = f"{note.spot_name} ({note.side}): " if note.spot_name else ""
            story.append(
                Paragraph(f"<b>{note.moment.astimezone(tz):%d %b %Y}</b>: {_text(where + note.text)}", styles["small"])
            )
    else:
        story.append(Paragraph("No notes in this period.", styles["small"]))

    story += [CondPageBreak(140), Paragraph("What the numbers mean", styles["h2"])]
    story.append(
        Paragraph(
            "Each spot is rated from 0 (not tender at all) to 10 (the worst tenderness imaginable) "
            "while it is pressed. Overall pain is the person's rating of their pain, 0-10, before "
            "and after each session. Sessions per week count the sessions that were not stopped "
            "early, over the calendar weeks of the period.",
            styles["body"],
        )
    )
    for paragraph in READING_TRENDS:
        story.append(Paragraph(_marked(paragraph), styles["body"]))
    story += [Paragraph("Not medical advice", styles["h2"]), Paragraph(_text(NOT_ADVICE), styles["body"])]
    return story


def _numbered_canvas(generated: str):
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Writes 'page n of N' and the generation date on every page once all are known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont("Helvetica", 7.5)
                self.setFillGray(0.35)
                self.drawString(42, 22, f"selftrack report - generated {generated} - not medical advice")
                self.drawRightString(width - 42, 22, f"page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render(data: ReportData, out: BinaryIO) -> None:
    """Lay the report out as an A4 PDF into `out`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    margin = 15 * mm
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title="selftrack report" + (f" for {data.name}" if data.name else ""),
        author="selftrack",
        invariant=True,
    )
    styles = _styles()
    story = _page_one(data, styles, doc.width)
    if data.summaries:
        story += _rest(data, styles, doc.width)
    generated = f"{data.generated.day} {data.generated:%b %Y %H:%M}"
    doc.build(story, canvasmaker=_numbered_canvas(generated))


def write_pdf(out: BinaryIO, data: ReportData) -> tuple[int, int]:
    """Render the report; returns (sessions, ratings) it covers."""
    render(data, out)
    return len(data.summaries), data.ratings
