"""Trends: a spot, a region or the overall pain over time; per-spot sparklines; left/right."""

from __future__ import annotations

from datetime import timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option
from rich.text import Text

from selftrack.analysis.stats import READING_TRENDS
from selftrack.analysis.trends import Subject, Trend
from selftrack.domain.terms import region_name
from selftrack.domain.text import printable
from selftrack.render.charts import sparkline, verdict_colour
from selftrack.render.history import plain
from selftrack.render.words import number, signed, verdict_words
from selftrack.tui import core
from selftrack.tui.messages import SpotChartLoaded, SpotTrendsLoaded, TrendsLoaded
from selftrack.tui.widgets.title_bar import TitleBar
from selftrack.tui.widgets.trend_chart import TrendChart

SPARK_WIDTH = 16  # a sparkline of the spot's mean in 16 equal parts of the period
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

    def __init__(self, *, period: str = "3") -> None:
        super().__init__()
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
                yield TrendChart(tz=self.app.tracker.clock.tz)
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
        return self.app.tracker.clock.now() - timedelta(days=days), None

    def reload(self) -> None:
        """Load the region and pain trends first (chart), then every spot (table)."""
        label = PERIODS[self.period_key][0]
        self.query_one("#period", Static).update(
            f"Period: {label}  (1: 30 days · 2: 90 days · 3: a year · 0: all)"
        )
        start, end = self._range()
        core.call(self, _read_overview, self.app.tracker, start, end, done=TrendsLoaded,
                  doing="read the trends", group="trends", exclusive=True)  # fmt: skip

    @on(TrendsLoaded)
    def _show_overview(self, event: TrendsLoaded) -> None:
        trends, asymmetry = event.result
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
            label = "Overall pain" if key == "pain" else region_name(key)
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
        # the per-spot table is read once the chart is on the screen
        start, end = self._range()
        self.call_after_refresh(
            core.call, self, self.app.tracker.spot_trends, start, end, slices=SPARK_WIDTH, done=SpotTrendsLoaded,
            doing="read the spots' trends", group="trend-spots", exclusive=True,
        )

    def _show_asymmetry(self, asymmetry) -> None:
        parts = []
        for item in asymmetry:
            if item.difference is None:
                continue
            name = region_name(item.region)
            count = len(item.differences)
            if item.notable:
                parts.append(
                    f"{name}: {item.more_tender_side} more tender by {abs(item.difference):.1f} "
                    f"({item.holds} of the last {count} sessions)"
                )
            else:
                parts.append(f"{name}: no notable difference (median {item.difference:+.1f}, {count} sessions)")
        self.query_one("#asymmetry", Static).update(
            "Left/right lately — " + "; ".join(parts) if parts else ""
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
            spot, _, side = option_id.partition(":")
            start, end = self._range()
            core.call(self, self.app.tracker.trends, [Subject("spot", spot, side)], start, end,
                      done=SpotChartLoaded, doing="read the spot's trend", group="spot-chart",
                      exclusive=True)  # fmt: skip
            return
        self._show_chart(chosen)

    @on(SpotChartLoaded)
    def _spot_chart(self, event: SpotChartLoaded) -> None:
        self._show_chart(event.result)

    def _show_chart(self, chosen: list[Trend]) -> None:
        self.query_one(TrendChart).show(chosen)
        self.query_one("#summary", Static).update(Text("\n").join(_summary_line(t) for t in chosen))

    @on(SpotTrendsLoaded)
    def _show_spots(self, event: SpotTrendsLoaded) -> None:
        self.spot_rows = event.result
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
            table.add_row(
                printable(trend.name.rsplit(",", 1)[0]),
                trend.subject.side,
                sparkline(trend.slices, SPARK_WIDTH),
                number(s.latest),
                number(s.baseline),
                signed(s.change),
                Text(verdict_words(s), style=verdict_colour(s.verdict)),
                key=trend.subject.id,
            )

    def action_sort(self, by: str) -> None:
        self.sort_by = by
        self._fill_spots()

    def action_period(self, key: str) -> None:
        self.period_key = key
        self.reload()

    def action_explain(self) -> None:
        self.notify("\n".join(plain(p) for p in READING_TRENDS[1:5]), timeout=30, markup=False)

    @on(DataTable.RowHighlighted, "#spots")
    def _spot_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.query_one("#spots", DataTable).has_focus:
            self._chart(event.row_key.value)


def _read_overview(tracker, start, end):
    """(region and pain trends, left/right per region) for the period."""
    return tracker.trends((), start, end), tracker.asymmetries(start, end)


def _summary_line(trend: Trend) -> Text:
    s = trend.summary
    pct = "" if s.percent_change is None else f" ({s.percent_change:+.0f} %)"
    text = Text(
        f"{printable(trend.name)}: baseline {number(s.baseline)} → latest {number(s.latest)}, "
        f"change {signed(s.change)}{pct}: "
    )
    text.append(verdict_words(s), style=verdict_colour(s.verdict))
    if trend.per_month is not None:
        text.append(f", trend {trend.per_month:+.2f} per month")
    if trend.drawn_from:
        text.append(f"\n  chart: mean of {printable(', '.join(trend.drawn_from))}", style="italic")
    return text
