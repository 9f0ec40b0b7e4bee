"""The pages after the summary: the spot table (the maps' key), trends per region, the
sessions (one row each, or summed up by day, week or month when there are many), the notes
(the latest, with a count of the rest), how to read the numbers, and the not-advice note."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from selftrack.analysis.stats import READING_TRENDS
from selftrack.domain.terms import region_name
from selftrack.render.words import counted, number, signed, status_word, verdict_words

from . import charts, palette
from .text import BOLD, FONT, bold_marks, clock_time, day, is_plain, many, markup, styles

NOTES_SHOWN = 30  # the latest notes; all of them are in the JSON export
NOTE_CHARS = 500  # of each note shown
NOT_ADVICE = (
    "selftrack is a diary, not a clinician: it records the tenderness a person felt at named "
    "spots while pressing them, nothing more. It does not diagnose or treat anything, and "
    "nothing in this report is medical advice."
)
UNIT_ROWS = {
    "day": "one row per day",
    "week": "one row per week (Monday to Sunday)",
    "month": "one row per month",
    "quarter": "one row per quarter",
    "year": "one row per year",
}


def rest(data, numbers: Mapping[str, int], width: float) -> list:
    from reportlab.platypus import PageBreak

    story = [PageBreak()]
    story += spot_table(data, numbers, width)
    story += regions(data, numbers, width)
    story += sessions(data, width)
    story += notes(data, width)
    story += reading(data)
    return story


# -- helpers -----------------------------------------------------------------------------------


def cell(text: str, width: float | None = None, style: str = "cell"):
    """A table cell: plain text when DejaVu draws it as it is and it fits (much quicker), a
    paragraph (wrapped, other scripts in their fonts) otherwise."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    st = styles()[style]
    if is_plain(text) and (width is None or stringWidth(text, FONT, st.fontSize) <= width - 5):
        return text
    return Paragraph(markup(text), st)


def table(rows, widths, *, header_rows: int = 1, extra=(), stripes: bool = True):
    """A table in the report's look (`stripes`: every other row shaded); header cells of
    several words wrap between them."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph, Table, TableStyle

    head = styles()["head"]
    rows = [
        [Paragraph(markup(c), head) if isinstance(c, str) and " " in c else c for c in row] if index < header_rows else row
        for index, row in enumerate(rows)
    ]
    out = Table(rows, colWidths=widths, repeatRows=header_rows)
    out.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 7),
                ("FONT", (0, 0), (-1, header_rows - 1), BOLD, 6),
                ("LEADING", (0, 0), (-1, -1), 8.4),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HexColor("#e8e8e8")),
                ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, HexColor("#666666")),
                *([("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [HexColor("#ffffff"), HexColor("#f3f3f3")])] if stripes else []),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.4),
                *extra,
            ]
        )
    )
    return out


def number_list(numbers: Sequence[int]) -> str:
    """'1-4, 7, 9-10': spot numbers with runs joined."""
    ordered = sorted(set(numbers))
    parts = []
    start = previous = None
    for n in ordered + [None]:
        if start is not None and (n is None or n != previous + 1):
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = None
        if n is not None and start is None:
            start = n
        previous = n
    return ", ".join(parts)


# -- the spots ---------------------------------------------------------------------------------


def spot_table(data, numbers: Mapping[str, int], width: float) -> list:
    """Every spot of the period, numbered as on the maps, a row per side: its sessions, mean
    (the first map's colour), start, latest, change and verdict (the second map's colour)."""
    from reportlab.platypus import Paragraph

    st = styles()
    heat = {(c.spot_id, c.side): c for c in (data.heat.cells if data.heat else ())}
    trends = {(t.subject.key, t.subject.side): t for t in data.spots}
    names = {c.spot_id: c.name for c in heat.values()}
    regions = {c.spot_id: c.region for c in heat.values()}
    for t in data.spots:
        names.setdefault(t.subject.key, t.name.rsplit(", ", 1)[0])
        regions.setdefault(t.subject.key, t.region)
    fixed = (14.0, 0.0, 32.0, 24.0, 26.0, 26.0, 28.0, 30.0, 0.0)
    name_width = (width - sum(fixed)) * 0.56
    widths = [*fixed[:1], name_width, *fixed[2:8], width - sum(fixed) - name_width]
    rows = [["#", "Spot", "Side", "n", "Mean", "Start", "Latest", "Change", "Judged"]]
    extra = []
    shade = False
    current = None
    here = -1
    for spot in sorted(names, key=lambda s: (numbers.get(s, 10**6), s)):
        region = regions.get(spot, "")
        if region != current:
            current = region
            rows.append([region_name(region), *[""] * 8])
            here = len(rows) - 1
            extra += [
                ("SPAN", (0, here), (-1, here)),
                ("FONT", (0, here), (-1, here), BOLD, 7),
                ("BACKGROUND", (0, here), (-1, here), "#dde6ee"),
            ]
        sides = [side for side in ("left", "right", "mid") if (spot, side) in trends or (spot, side) in heat]
        first = len(rows)
        for index, side in enumerate(sides):
            trend, found = trends.get((spot, side)), heat.get((spot, side))
            s = trend.summary if trend else None
            rows.append(
                [
                    str(numbers.get(spot, "")) if index == 0 else "",
                    cell(names[spot], name_width) if index == 0 else "",
                    "middle" if side == "mid" else side,
                    str(s.sessions) if s else "",
                    number(found.mean) if found else "",
                    number(s.baseline) if s else "",
                    number(s.latest) if s else "",
                    signed(s.change) if s else "",
                    cell(verdict_words(s), widths[-1]) if s else "",
                ]
            )
        if len(sides) > 1:
            extra += [("SPAN", (0, first), (0, len(rows) - 1)), ("SPAN", (1, first), (1, len(rows) - 1))]
        # a spot's rows stay together, and so does a region's heading with its first spot
        together = first - 1 if rows[first - 1][0] == region_name(region) and first - 1 == here else first
        extra.append(("NOSPLIT", (0, together), (-1, len(rows) - 1)))
        if shade:
            extra.append(("BACKGROUND", (0, first), (-1, len(rows) - 1), "#f1f1f1"))
        shade = not shade
    return [
        Paragraph("Spots: the key to the maps", st["h2"]),
        Paragraph(
            "Numbered as on the maps of page 1. <b>n</b>: sessions that rated the spot on that side; "
            "<b>Mean</b>: its mean tenderness over the period (the colour on the first map); "
            "<b>Start</b> and <b>Latest</b>: the medians of its first and last 3 sessions; "
            "<b>Judged</b>: the verdict on that change (the colour on the second map), by the rule "
            "under \u201cWhat the numbers mean\u201d.",
            st["small"],
        ),
        table(rows, widths, extra=extra, stripes=False),  # shaded spot by spot instead
    ]


# -- regions -----------------------------------------------------------------------------------


def regions(data, numbers: Mapping[str, int], width: float) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table

    st = styles()
    story = [CondPageBreak(300), Paragraph("Trends per region", st["h2"])]
    by_region: dict[str, dict[str, object]] = {}
    for trend in data.regions:
        by_region.setdefault(trend.subject.key, {})[trend.subject.side] = trend
    drawings = []
    for region, sides in by_region.items():
        series = [
            charts.Series("left", sides.get("left"), palette.LEFT),
            charts.Series("right", sides.get("right"), palette.RIGHT, dashed=True),
        ]
        if "mid" in sides:
            series.append(charts.Series("middle", sides["mid"], palette.MIDDLE))
        drawings.append(
            charts.line_chart(series, data.first_day, data.last_day, data.generated.tzinfo, width / 2 - 6, 104, region_name(region))
        )
    grid = [drawings[i : i + 2] + [""] * (2 - len(drawings[i : i + 2])) for i in range(0, len(drawings), 2)]
    if grid:
        story.append(Table(grid, colWidths=[width / 2, width / 2], style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        story.append(
            Paragraph(
                "Shaded: the first and last sessions the start and latest levels come from. The "
                "line is a running median of the mean of the spots the last column names (the same "
                "spots throughout, so a change of routine cannot move it).",
                st["small"],
            )
        )
    spot_of = {c.name: c.spot_id for c in (data.heat.cells if data.heat else ())}

    def drawn_numbers(names) -> list[int]:
        found = []
        for name in names:
            for suffix in (" (left)", " (right)"):
                if name not in spot_of and name.endswith(suffix):
                    name = name[: -len(suffix)]
            if name in spot_of and spot_of[name] in numbers:
                found.append(numbers[spot_of[name]])
        return found

    rows = [["Region and side", "Start", "Latest", "Change", "Per month", "Judged (spots that agree)", "Chart: mean of spots"]]
    fractions = (0.15, 0.065, 0.065, 0.07, 0.075, 0.36, 0.215)
    widths = [f * width for f in fractions]
    for trend in data.regions:
        s = trend.summary
        drawn = drawn_numbers(trend.drawn_from)
        drawn_text = f"#{number_list(drawn)} ({counted(len(trend.drawn_from), 'spot')})" if drawn else "-"
        rows.append(
            [
                cell(trend.name, widths[0]),
                number(s.baseline),
                number(s.latest),
                signed(s.change),
                signed(trend.per_month),
                cell(verdict_words(s), widths[5]),
                cell(drawn_text, widths[6]),
            ]
        )
    story += [CondPageBreak(110), Spacer(1, 3), table(rows, widths)]  # no table of one row at a foot
    return story


# -- sessions ----------------------------------------------------------------------------------


def _month_end(day_: date) -> date:
    return (day_.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _span(first: date, last: date) -> str:
    """A row's days: '4 Sep 2026', '7-13 Sep 2026', 'Sep 2026', 'Jul-Sep 2026', '2026'."""
    if first == last:
        return day(first)
    if first.day == 1 and last == _month_end(last) and first.year == last.year:
        if first.month == 1 and last.month == 12:
            return str(first.year)
        if first.month == last.month:
            return f"{first:%b %Y}"
        return f"{first:%b}-{last:%b %Y}"
    if first.year != last.year:
        return f"{day(first)} - {day(last)}"
    if first.month != last.month:
        return f"{first.day} {first:%b} - {day(last)}"
    return f"{first.day}-{day(last)}"


def sessions(data, width: float) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph

    st = styles()
    tz = data.generated.tzinfo
    story = [CondPageBreak(120), Paragraph("Sessions", st["h2"])]
    if data.group_unit == "session":
        rows = [["Started", "Routine", "Sides", "Tool", "Rated", "Skipped", "Mean", "Max", "Pain before", "Pain after", "Status"]]
        fractions = (0.16, 0.25, 0.06, 0.07, 0.055, 0.06, 0.055, 0.045, 0.065, 0.065, 0.08)
        widths = [f * width for f in fractions]
        for s in data.summaries:
            rows.append(
                [
                    clock_time(s.started_at, tz),
                    cell(s.protocol_name, widths[1]),
                    s.sides,
                    cell(s.tool or "-", widths[3]),
                    str(s.rated),
                    str(s.skipped),
                    number(s.mean),
                    "-" if s.highest is None else str(s.highest),
                    "-" if s.pain_before is None else str(s.pain_before),
                    "-" if s.pain_after is None else str(s.pain_after),
                    status_word(s.status),
                ]
            )
        story.append(table(rows, widths))
        return story
    story.append(
        Paragraph(
            f"{many(len(data.summaries), 'session')} are too many for a row each: "
            f"{UNIT_ROWS[data.group_unit]}. Mean: the mean tenderness of the spots rated; pain: the "
            "mean of the sessions that gave one. Every session is in the JSON, CSV and Excel exports.",
            st["small"],
        )
    )
    rows = [["Days", "Sessions", "Finished", "Stopped early", "Unfinished", "Rated", "Skipped", "Mean", "Max", "Pain before", "Pain after"]]
    fractions = (0.17, 0.075, 0.075, 0.09, 0.085, 0.075, 0.075, 0.07, 0.06, 0.095, 0.095)
    widths = [f * width for f in fractions]
    for g in data.groups:
        rows.append(
            [
                _span(g.first, g.last),
                str(g.sessions),
                str(g.finished),
                str(g.abandoned),
                str(g.unfinished),
                str(g.rated),
                str(g.skipped),
                number(g.mean),
                "-" if g.highest is None else str(g.highest),
                number(g.pain_before),
                number(g.pain_after),
            ]
        )
    story.append(table(rows, widths))
    return story


# -- notes -------------------------------------------------------------------------------------


def notes(data, width: float) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph

    st = styles()
    tz = data.generated.tzinfo
    story = [CondPageBreak(80), Paragraph("Notes", st["h2"])]
    if not data.notes:
        return story + [Paragraph("No notes in this period.", st["small"])]
    shown = data.notes[-NOTES_SHOWN:]
    if len(data.notes) > len(shown):
        story.append(
            Paragraph(
                f"The latest {len(shown)} of {many(len(data.notes), 'note')}; the "
                f"{many(len(data.notes) - len(shown), 'earlier note')} and every note in full "
                "are in the JSON export.",
                st["small"],
            )
        )
    for note in shown:
        where = f"{note.spot_name} ({note.side}): " if note.spot_name else ""
        text = note.text
        more = ""
        if len(text) > NOTE_CHARS:
            more = f' <font color="#666666">[... {len(text) - NOTE_CHARS:,} more characters, in the JSON export]</font>'
            text = text[:NOTE_CHARS]
        story.append(Paragraph(f"<b>{clock_time(note.moment, tz)}</b>: {markup(where + text)}{more}", st["small"]))
    return story


# -- reading -----------------------------------------------------------------------------------


def reading(data) -> list:
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph

    st = styles()
    story = [CondPageBreak(200), Paragraph("About this report", st["h2"])]
    zone = f" Dates and times are in {markup(data.zone, lines=False)}." if data.zone else ""
    story.append(
        Paragraph(
            "Each spot is rated from 0 (not tender at all) to 10 (the worst tenderness imaginable) "
            "while it is pressed; a spot can be skipped instead, which is not a rating. Overall pain "
            "is the person's rating of their pain, 0-10, before and after each session. A session "
            "is finished, stopped early, or unfinished (never finished or stopped). Sessions per "
            "week count the sessions not stopped early that rated or skipped a spot, over the days "
            f"of the period.{zone}",
            st["body"],
        )
    )
    story.append(Paragraph(f"<b>Not medical advice.</b> {NOT_ADVICE}", st["body"]))
    # in one piece (two thirds of a page): the report never ends on a page of a few lines
    paragraphs = [Paragraph(bold_marks(paragraph), st["body"]) for paragraph in READING_TRENDS]
    story.append(KeepTogether([Paragraph("What the numbers mean", st["h2"]), *paragraphs]))
    return story
