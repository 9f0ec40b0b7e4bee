"""Trends: a spot, a region or the overall pain over time; per-spot sparklines; left/right."""

from __future__ import annotations

import time
from datetime import timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from selftrack.analysis.stats import BASELINE_HELP, TREND_HELP, Verdict
from selftrack.analysis.trends import REGION_NAMES, Trend, asymmetries
from selftrack.charts import change_colour, sparkline
from selftrack.tui.widgets.trend_chart import TrendChart
from selftrack.tui.widgets.title_bar import TitleBar

SPOTS_AFTER = 0.15  # seconds
PERIODS = {"1": ("last 30 days", 30), "2": ("last 90 days", 90), "3": ("last year", 365), "0": ("all history", None)}


class TrendsScreen(Screen):
    """Pick what to chart on the left; the per-spot table below sorts by level or by change."""

    AUTO_FOCUS = "#subjects"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("l", "sort('level')", "Sort by level"),
        Binding("c", "sort('change')", "Sort by change"),
        Binding("1", "period('1')", "30 days", show=False),
        Binding("2", "period('2')", "90 days", show=False),
        Binding("3", "period('3')", "1 year", show=False),
        Binding("0", "period('0')", "All", show=False),
        Binding("question_mark", "explain", "How change is judged"),
    ]
    DEFAULT_CSS = """
    TrendsScreen #subjects { width: 34; height: 1fr; }
    TrendsScreen #right { width: 1fr; }
    TrendsScreen TrendChart { height: 16; }
    TrendsScreen #summary { height: auto; padding: 0 1; }
    TrendsScreen #asymmetry { height: auto; padding: 0 1; color: $text-muted; }
    TrendsScreen #spots { height: 1fr; }
    TrendsScreen #period { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, tracker, *, period: str = "3") -> None:
        super().__init__()
        self.tracker = tracker
        self.period_key = period
        self.trends: dict[str, Trend] = {}
        self.spot_rows: list[Trend] = []
        self.sort_by = "level"

    def compose(self) -> ComposeResult:
        yield TitleBar("trends")
        yield Static("", id="period")
        with Horizontal():
            yield OptionList(id="subjects")
            with Vertical(id="right"):
                yield TrendChart(tz=self.tracker.clock.tz)
                yield Static("Loading…", id="summary")
                yield Static("", id="asymmetry")
                yield DataTable(id="spots", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#spots", DataTable)
        table.add_columns("spot", "side", "over time", "now", "baseline", "change", "verdict")
        self.reload()

    def _range(self):
        days = PERIODS[self.period_key][1]
        if days is None:
            return None, None
        return self.tracker.clock.now() - timedelta(days=days), None

    def reload(self) -> None:
        """Load the region and pain trends first (chart), then every spot (table)."""
        label = PERIODS[self.period_key][0]
        self.query_one("#period", Static).update(
            f"Period: {label}  (1: 30 days · 2: 90 days · 3: a year · 0: all)"
        )
        start, end = self._range()
        self._load_overview(start, end)

    @work(thread=True, exclusive=True, group="trends")
    def _load_overview(self, start, end) -> None:
        trends = self.tracker.trends((), start, end)
        asymmetry = asymmetries([t for t in trends if t.subject.kind == "region"])
        self.app.call_from_thread(self._show_overview, trends, asymmetry)
        # the per-spot table is read once the chart has been painted (its worker holds the
        # interpreter for a while on years of data)
        self.app.call_from_thread(self._load_spots, start, end)

    @work(thread=True, exclusive=True, group="trend-spots")
    def _load_spots(self, start, end) -> None:
        time.sleep(SPOTS_AFTER)  # lets the chart be painted first (this holds the interpreter)
        spots = self.tracker.spot_trends(start, end)
        self.app.call_from_thread(self._show_spots, spots)

    def _show_overview(self, trends: list[Trend], asymmetry) -> None:
        self.trends = {t.subject.id: t for t in trends}
        options = self.query_one("#subjects", OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        groups: list[tuple[str, list[Trend]]] = [
            ("pain", [t for t in trends if t.subject.kind == "pain"]),
        ]
        for key in dict.fromkeys(t.subject.key for t in trends if t.subject.kind == "region"):
            groups.append((key, [t for t in trends if t.subject.key == key and t.subject.kind == "region"]))
        for key, members in groups:
            if not any(t.points for t in members):
                continue
            label = "Overall pain" if key == "pain" else REGION_NAMES.get(key, key)
            options.add_option(Option(label, id=f"group:{key}"))
        for trend in trends:
            if trend.points:
                options.add_option(Option(f"  {trend.name}", id=trend.subject.id))
        self._show_asymmetry(asymmetry)
        if options.option_count:
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            options.highlighted = ids.index(highlighted) if highlighted in ids else 0
            self._chart(ids[options.highlighted])
        else:
            self.query_one(TrendChart).show([])
            self.query_one("#summary", Static).update("No ratings in this period.")

    def _show_asymmetry(self, asymmetry) -> None:
        parts = []
        for item in asymmetry:
            if item.difference is None:
                continue
            name = REGION_NAMES.get(item.region, item.region)
            if item.clear:
                parts.append(f"{name}: {item.worse_side} more tender by {abs(item.difference):.1f}")
            else:
                parts.append(f"{name}: even (within noise, {item.left:.1f} vs {item.right:.1f})")
        self.query_one("#asymmetry", Static).update(
            "Left/right now — " + "; ".join(parts) if parts else ""
        )

    @on(OptionList.OptionHighlighted, "#subjects")
    def _subject_changed(self, event: OptionList.OptionHighlighted) -> None:
        self._chart(event.option.id)

    def _chart(self, option_id: str | None) -> None:
        if option_id is None:
            return
        if option_id.startswith("group:"):
            key = option_id.split(":", 1)[1]
            chosen = [t for t in self.trends.values() if t.subject.key == key and t.points]
        elif option_id in self.trends:
            chosen = [self.trends[option_id]]
        else:
            chosen = [t for t in self.spot_rows if t.subject.id == option_id]
        self.query_one(TrendChart).show(chosen)
        self.query_one("#summary", Static).update("\n".join(_summary_line(t) for t in chosen))

    def _show_spots(self, spots: list[Trend]) -> None:
        self.spot_rows = spots
        self._fill_spots()

    def _fill_spots(self) -> None:
        table = self.query_one("#spots", DataTable)
        table.clear()
        if self.sort_by == "change":
            ordered = sorted(
                self.spot_rows,
                key=lambda t: (t.summary.change is None, t.summary.change or 0.0, t.subject.id),
            )
        else:
            ordered = sorted(self.spot_rows, key=lambda t: (-(t.summary.latest or 0.0), t.subject.id))
        for trend in ordered:
            s = trend.summary
            verdict = s.verdict.value
            table.add_row(
                trend.name.rsplit(",", 1)[0],
                trend.subject.side,
                sparkline(trend.values, 16),
                _num(s.latest),
                _num(s.baseline),
                "–" if s.change is None else f"{s.change:+.1f}",
                f"[{change_colour(verdict)}]{verdict}[/]",
                key=trend.subject.id,
            )

    def action_sort(self, by: str) -> None:
        self.sort_by = by
        self._fill_spots()

    def action_period(self, key: str) -> None:
        self.period_key = key
        self.reload()

    def action_explain(self) -> None:
        self.notify(f"{BASELINE_HELP} {TREND_HELP}", timeout=12)

    @on(DataTable.RowHighlighted, "#spots")
    def _spot_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.query_one("#spots", DataTable).has_focus:
            self._chart(event.row_key.value)


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _summary_line(trend: Trend) -> str:
    s = trend.summary
    verdict = s.verdict
    if verdict is Verdict.NO_DATA:
        return f"{trend.name}: no ratings in this period"
    pct = "" if s.percent_change is None else f" ({s.percent_change:+.0f} %)"
    change = "–" if s.change is None else f"{s.change:+.1f}{pct}"
    slope = "" if trend.per_month is None else f", trend {trend.per_month:+.2f} per month"
    return (
        f"{trend.name}: baseline {_num(s.baseline)} → latest {_num(s.latest)}, change {change}: "
        f"[{change_colour(verdict.value)}]{verdict.value}[/]{slope} ({s.count} sessions)"
    )
