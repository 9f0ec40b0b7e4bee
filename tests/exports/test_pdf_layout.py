"""The PDF's parts on their own: fonts and text runs, the map's numbered dots, date steps, the
figures the Tracker sums up for it. No database, no PDF file."""

from __future__ import annotations

import itertools
import math
from datetime import date, datetime, timedelta, timezone

import pytest

from selftrack.domain.records import FlaggedSpot, HeatCell, SessionSummary
from selftrack.domain.terms import SessionStatus
from selftrack.exports.pdf_report import charts, maps, tables, text
from selftrack.tracker import review

# -- fonts and text ----------------------------------------------------------------------------


def test_the_fonts_and_their_licence_ship_in_the_package():
    for filename in text.FONT_FILES.values():
        assert (text.FOLDER / filename).stat().st_size > 500_000
    licence = (text.FOLDER / "LICENSE").read_text()
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence


def test_text_runs_choose_a_font_per_script_and_mark_what_none_has():
    marked = text.markup("Łódź Ηλέκτρα Жанна 李雷 ひらがな 한국어 😀 𝐀 <b>&")
    assert "Łódź Ηλέκτρα Жанна " in marked  # DejaVu Sans draws these itself
    assert f'<font name="{text.CHINESE}">李雷</font>' in marked
    assert f'<font name="{text.JAPANESE}">ひらがな</font>' in marked
    assert f'<font name="{text.KOREAN}">한국어</font>' in marked
    assert "😀" in marked  # DejaVu Sans has it
    assert "[U+1D400]" in marked and "𝐀" not in marked  # no font here has it: a visible mark
    assert "&lt;b&gt;&amp;" in marked


def test_control_characters_are_visible_marks_and_lines_stay():
    assert text.markup("a\x1b[2Jb\nc") == "a\\x1b[2Jb<br/>c"
    assert text.is_plain("Zoë Łukasiewicz") and not text.is_plain("李") and not text.is_plain("a\nb")


def test_times_say_their_zone():
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 7, 1, 6, 30, tzinfo=timezone.utc)
    assert text.clock_time(moment, ZoneInfo("Europe/London")) == "1 Jul 2026 07:30 BST"
    assert text.clock_time(moment, ZoneInfo("Asia/Kolkata")) == "1 Jul 2026 12:00 IST"
    assert text.many(1, "day") == "1 day" and text.many(12484, "spot") == "12,484 spots"


# -- the map -----------------------------------------------------------------------------------


def _all_builtin_cells():
    """Every spot of every built-in routine, on both sides, as heat-map cells."""
    from selftrack.tracker import Tracker

    with Tracker(":memory:") as tracker:
        spots = {spot.id: spot for spec in tracker.protocols() for spot in spec.spots.values()}
    cells = []
    for spot in spots.values():
        for side in ("left", "right") if spot.sided else ("mid",):
            cells.append(HeatCell(spot.id, side, spot.name, spot.region, spot.view, spot.x, spot.y, 3.0, 5))
    return cells


def _closest(points) -> float:
    return min(math.dist(a, b) for a, b in itertools.combinations(points, 2))


def test_every_builtin_spot_at_once_has_a_dot_no_other_dot_touches():
    cells = _all_builtin_cells()
    back = [c for c in cells if c.view == "back"]
    numbers = maps.number_spots(cells)
    assert sorted(numbers.values()) == list(range(1, len({c.spot_id for c in cells}) + 1))
    frame = maps.frame(back, numbers, 250)
    assert len(frame.centres) == len(back)
    assert _closest(frame.centres.values()) >= 2 * frame.radius + maps.GAP - 0.02
    for (spot, side), (x, _y) in frame.centres.items():  # sides stay on their side
        centre = frame.point(0, 0)[0]
        assert (x < centre) if side == "left" else (x > centre) if side == "right" else x == pytest.approx(centre)
    # most dots stay on their spot; the rest keep a leader line back to it
    moved = [math.dist(frame.anchors[k], frame.centres[k]) for k in frame.centres]
    assert sorted(moved)[len(moved) // 2] < frame.radius


def test_map_labels_are_numbers_in_seven_points_or_more_and_fit_their_dot():
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cells = [c for c in _all_builtin_cells() if c.view == "back"]
    numbers = maps.number_spots(cells)
    frame = maps.frame(cells, numbers, 250)
    marks = [maps.Mark(c.spot_id, c.side, "#ffffff", str(numbers[c.spot_id])) for c in cells]
    drawing = maps.drawing(frame, marks, "title")
    labels = [s for s in drawing.contents if isinstance(s, String) and s.text.isdigit()]
    assert len(labels) == len(cells)
    assert all(s.fontSize >= 7 for s in labels)
    widest = max(stringWidth(s.text, s.fontName, s.fontSize) for s in labels)
    assert widest < 2 * frame.radius - 1


def test_spread_parts_dots_on_one_point_and_keeps_the_midline():
    anchors = {"a": (50.0, 50.0, False), "b": (50.0, 50.0, False), "c": (40.0, 50.0, True), "d": (40.0, 51.0, True)}
    placed = maps.spread(anchors, 40.0, 10.0, (0, 0, 200, 200))
    assert _closest(placed.values()) >= 10.0 - 0.02
    assert placed["c"][0] == placed["d"][0] == 40.0  # midline dots stay on it
    assert placed["a"][0] >= 45.0 and placed["b"][0] >= 45.0  # sided dots clear their mirror


def test_spots_are_numbered_in_body_order():
    def cell(spot, region, y, x=0.1, view="back"):
        return HeatCell(spot, "left", spot, region, view, x, y, 1.0, 1)

    numbers = maps.number_spots(
        [cell("calf", "calf", 2.0, view="calf"), cell("hip", "side-of-hip", 0.5), cell("low2", "low-back", 0.3),
         cell("low1", "low-back", 0.1, 0.3), cell("low1b", "low-back", 0.1, 0.05), cell("glute", "buttock", 0.6)]
    )  # fmt: skip
    assert numbers == {"low1b": 1, "low1": 2, "low2": 3, "glute": 4, "hip": 5, "calf": 6}


# -- charts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "step", "first_label"),
    [(6, "1 day", "1 Sep"), (40, "7 days", "7 Sep"), (90, "14 days", "7 Sep"), (400, "2 months", "Sep 2026"),
     (3650, "24 months", "2028")],
)  # fmt: skip
def test_date_ticks_come_at_readable_steps(days, step, first_label):
    first = date(2026, 9, 1)
    ticks = charts.date_ticks(first, first + timedelta(days=days), 7)
    assert 2 <= len(ticks) <= 7
    assert ticks[0][1] == first_label
    count, unit = step.split()
    if unit.startswith("day"):
        assert {(b - a).days for (a, _), (b, _) in zip(ticks, ticks[1:])} == {int(count)}
    else:
        months = [d.year * 12 + d.month for d, _ in ticks]
        assert {b - a for a, b in zip(months, months[1:])} == {int(count)}
        assert all(d.day == 1 for d, _ in ticks)
    assert all(first <= d <= first + timedelta(days=days) for d, _ in ticks)


def test_month_ticks_name_the_year_at_january():
    ticks = charts.date_ticks(date(2026, 10, 3), date(2027, 3, 1), 7)
    assert [label for _d, label in ticks] == ["Nov 2026", "Dec", "Jan 2027", "Feb", "Mar"]


def test_spans_of_summed_rows():
    assert tables._span(date(2026, 9, 7), date(2026, 9, 13)) == "7-13 Sep 2026"
    assert tables._span(date(2026, 9, 28), date(2026, 10, 4)) == "28 Sep - 4 Oct 2026"
    assert tables._span(date(2026, 9, 1), date(2026, 9, 30)) == "Sep 2026"
    assert tables._span(date(2026, 7, 1), date(2026, 9, 30)) == "Jul-Sep 2026"
    assert tables._span(date(2026, 1, 1), date(2026, 12, 31)) == "2026"
    assert tables._span(date(2026, 9, 4), date(2026, 9, 4)) == "4 Sep 2026"
    assert tables.number_list([7, 1, 2, 3, 9, 10]) == "1-3, 7, 9-10"


# -- what the Tracker sums up for the report ---------------------------------------------------

UTC = timezone.utc


def summary(day: date, status=SessionStatus.FINISHED, rated=10, skipped=0, mean=3.0, before=5, after=3):
    moment = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    return SessionSummary(
        f"s{day}{status}", moment, "p", "Routine", status, "both", "ball", before, after, rated, skipped,
        mean if rated else None, 6 if rated else None,
    )  # fmt: skip


def test_regularity_marks_partial_weeks_and_counts_what_adherence_counts():
    first, last = date(2026, 9, 2), date(2026, 9, 22)  # a Wednesday to a Tuesday
    rows = [summary(first), summary(date(2026, 9, 3)), summary(date(2026, 9, 10), SessionStatus.ABANDONED),
            summary(date(2026, 9, 11), SessionStatus.IN_PROGRESS), summary(date(2026, 9, 12), rated=0)]  # fmt: skip
    reg = review._regularity(rows, UTC, first, last)
    assert reg.unit == "week"
    assert [(b.first, b.sessions, b.days, b.partial) for b in reg.bars] == [
        (date(2026, 8, 31), 2, 5, True),
        (date(2026, 9, 7), 1, 7, False),  # the abandoned and the empty one are not counted
        (date(2026, 9, 14), 0, 7, False),
        (date(2026, 9, 21), 0, 2, True),
    ]
    assert (reg.counted, reg.active_days, reg.days, reg.longest_break) == (3, 3, 21, 7)
    assert reg.per_week == pytest.approx(3 / 21 * 7)


def test_regularity_bars_are_months_then_quarters_for_long_periods():
    first = date(2017, 1, 1)
    assert review._regularity([summary(first)], UTC, first, date(2019, 1, 1)).unit == "month"
    reg = review._regularity([summary(first)], UTC, first, date(2026, 12, 1))
    assert reg.unit == "quarter" and len(reg.bars) <= review.REPORT_BARS
    assert reg.bars[-1].partial and not reg.bars[0].partial


def test_sessions_get_a_row_each_or_are_summed_up_by_the_finest_unit_that_fits():
    few = [summary(date(2026, 9, 1) + timedelta(days=i)) for i in range(review.REPORT_SESSION_ROWS)]
    assert review._session_groups(few, UTC, date(2026, 9, 1), date(2026, 12, 1)) == ("session", [])
    two_a_day = [summary(date(2026, 9, 1) + timedelta(days=i // 2)) for i in range(180)]
    two_a_day[1] = summary(date(2026, 9, 1), SessionStatus.ABANDONED, rated=2, skipped=1, mean=6.0, before=None, after=None)
    unit, groups = review._session_groups(two_a_day, UTC, date(2026, 9, 1), date(2026, 11, 29))
    assert unit == "day" and len(groups) == 90
    g = groups[0]
    assert (g.sessions, g.finished, g.abandoned, g.unfinished, g.rated, g.skipped) == (2, 1, 1, 0, 12, 1)
    assert g.mean == pytest.approx((3.0 * 10 + 6.0 * 2) / 12)  # weighted by the spots rated
    assert (g.pain_before, g.pain_after) == (5, 3)  # the session that gave none is left out
    daily = [summary(date(2017, 1, 1) + timedelta(days=i)) for i in range(3650)]
    unit, groups = review._session_groups(daily, UTC, date(2017, 1, 1), date(2026, 12, 29))
    assert unit == "month" and len(groups) <= review.REPORT_SUMMARY_ROWS
    assert sum(g.sessions for g in groups) == 3650
    assert groups[0].first == date(2017, 1, 1) and groups[-1].last == date(2026, 12, 29)


def test_referred_pain_is_summed_by_place_with_its_spots():
    flags = [
        FlaggedSpot("a", "left", "A", 0, 0, 0, 5, (("thigh", 3), ("groin", 1))),
        FlaggedSpot("b", "right", "B", 0, 0, 0, 4, (("thigh", 4),)),
    ]
    found = review._referrals(flags)
    assert [(r.place, r.count, r.spots) for r in found] == [
        ("thigh", 7, (("b", "right", 4), ("a", "left", 3))),
        ("groin", 1, (("a", "left", 1),)),
        ("", 1, (("a", "left", 1),)),  # referred once without a place
    ]


def test_trend_charts_shade_the_start_and_latest_windows():
    from zoneinfo import ZoneInfo

    from reportlab.graphics.shapes import Rect, String

    from selftrack.analysis.trends import Point, Subject, series_trend
    from selftrack.exports.pdf_report import palette

    first = date(2026, 9, 1)
    moments = [datetime(2026, 9, 1 + 3 * i, 8, tzinfo=UTC) for i in range(10)]
    trend = series_trend(Subject("spot", "x", "left"), "X", [Point(m, float(i % 4)) for i, m in enumerate(moments)])
    drawing = charts.line_chart([charts.Series("left", trend, "#000000")], first, date(2026, 9, 30), ZoneInfo("UTC"), 300, 100, "X")
    shaded = sorted((r for r in drawing.contents if isinstance(r, Rect) and r.fillColor.hexval() == "0x" + palette.WINDOW[1:]), key=lambda r: r.x)
    assert len(shaded) == 2
    left, right, span = 18.0, 300 - 8.0, 30.0

    def x_of(day: float) -> float:
        return left + (right - left) * day / span

    # the first 3 sessions (days 0, 3, 6) and the last 3 (days 21, 24, 27), a little margin each side
    assert shaded[0].x == pytest.approx(x_of(8 / 24) - 1.5) and shaded[0].x + shaded[0].width == pytest.approx(x_of(6 + 8 / 24) + 1.5)
    assert shaded[1].x == pytest.approx(x_of(21 + 8 / 24) - 1.5) and shaded[1].x + shaded[1].width == pytest.approx(x_of(27 + 8 / 24) + 1.5)
    words = [s.text for s in drawing.contents if isinstance(s, String)]
    assert "start" in words and "latest" in words
    assert {"7 Sep", "14 Sep", "21 Sep", "28 Sep"} <= set(words)  # dates at readable steps


def test_the_regularity_chart_has_an_axis_and_marks_partial_weeks():
    from reportlab.graphics.shapes import Rect, String

    from selftrack.exports.pdf_report.data import Bar, Regularity

    bars = (Bar(date(2026, 8, 31), 2, 5, 7), Bar(date(2026, 9, 7), 6, 7, 7), Bar(date(2026, 9, 14), 1, 2, 7))
    drawing = charts.regularity_chart(Regularity("week", bars, 9, 9, 14, 2), date(2026, 9, 2), date(2026, 9, 15), 200, 90)
    words = [s.text for s in drawing.contents if isinstance(s, String)]
    assert "Sessions per week" in words and "partial week" in words
    assert {"0", "3", "6"} <= set(words)  # the y-axis
    drawn = [r for r in drawing.contents if isinstance(r, Rect) and r.height > 0 and r.y == 13.0]
    dashed = [r for r in drawn if r.strokeDashArray]
    assert len(drawn) == 3 and len(dashed) == 2  # the first and last weeks drawn open, as partial
