"""Heat map: mean tenderness per spot over a period, or the change between two periods."""

from __future__ import annotations

from datetime import timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from selftrack.analysis.heatmap import HeatCell, HeatChange, HeatMap
from selftrack.charts import CHANGE_MARKS, change_colour
from selftrack.tui.widgets.heat import BANDS
from selftrack.tui.widgets.heat import colour as tenderness_colour
from selftrack.tui.widgets.heat_body_map import HeatBodyMap, MapMark
from selftrack.tui.widgets.title_bar import TitleBar

PERIODS = {"1": ("last 30 days", 30), "2": ("last 90 days", 90), "3": ("last year", 365), "0": ("all history", None)}


class HeatMapScreen(Screen):
    """`m` switches between the period's mean and the change from its first to its last month."""

    AUTO_FOCUS = "#cells"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "toggle_mode", "Mean / change"),
        Binding("1", "period('1')", "30 days"),
        Binding("2", "period('2')", "90 days"),
        Binding("3", "period('3')", "Year"),
        Binding("0", "period('0')", "All"),
    ]
    DEFAULT_CSS = """
    HeatMapScreen #title { height: auto; padding: 0 1; }
    HeatMapScreen #legend { height: auto; padding: 0 1; }
    HeatMapScreen .map { width: 50; }
    HeatMapScreen #cells { width: 1fr; height: 1fr; }
    HeatMapScreen HeatBodyMap { margin: 0 1; }
    """

    def __init__(self, tracker, *, mode: str = "mean", period: str = "1") -> None:
        super().__init__()
        self.tracker = tracker
        self.mode = mode
        self.period_key = period

    def compose(self) -> ComposeResult:
        yield TitleBar("heat map")
        yield Static("Loading…", id="title")
        with Horizontal():
            with Vertical(classes="map"):
                yield HeatBodyMap()
                yield Static("", id="legend")
            yield DataTable(id="cells", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def action_toggle_mode(self) -> None:
        self.mode = "change" if self.mode == "mean" else "mean"
        if self.mode == "change" and self.period_key == "1":
            self.period_key = "0"  # first month against last month needs more than a month
        self.reload()

    def action_period(self, key: str) -> None:
        self.period_key = key
        self.reload()

    def _range(self):
        days = PERIODS[self.period_key][1]
        return (None, None) if days is None else (self.tracker.clock.now() - timedelta(days=days), None)

    def reload(self) -> None:
        start, end = self._range()
        self._load(self.mode, start, end)

    @work(thread=True, exclusive=True, group="heatmap")
    def _load(self, mode: str, start, end) -> None:
        if mode == "mean":
            heat = self.tracker.heat_map(start, end)
            self.app.call_from_thread(self._show_mean, heat)
            return
        periods = self.tracker.first_and_last_month(start, end)
        if periods is None:
            self.app.call_from_thread(self._show_changes, None, None, [])
            return
        first, second, changes = self.tracker.heat_change(*periods)
        self.app.call_from_thread(self._show_changes, first, second, changes)

    def _show_mean(self, heat: HeatMap) -> None:
        label = PERIODS[self.period_key][0]
        self.query_one("#title", Static).update(
            f"[b]Mean tenderness per spot[/b], {label}: {heat.sessions} sessions.  "
            "m: change between the first and the last month"
        )
        marks, off_map = [], []
        for cell in heat.cells:
            colour = heat_colour(cell.mean)
            _place(cell, "●", colour, f"{cell.name} ({cell.side}) {cell.mean:.1f}", marks, off_map)
        self.query_one(HeatBodyMap).show(marks, off_map)
        legend = "  ".join(f"[{hue}]●[/] {words}" for _low, hue, words in BANDS)
        self.query_one("#legend", Static).update(f"mean tenderness: {legend}")
        table = self.query_one("#cells", DataTable)
        table.clear(columns=True)
        table.add_columns("spot", "side", "mean", "ratings")
        for cell in heat.cells:
            table.add_row(
                cell.name,
                cell.side,
                f"[{heat_colour(cell.mean)}]●[/] {cell.mean:.1f}",
                str(cell.count),
                key=f"{cell.spot_id}:{cell.side}",
            )

    def _show_changes(self, first: HeatMap | None, second: HeatMap | None, changes: list[HeatChange]) -> None:
        tz = self.tracker.clock.tz
        if first is None or second is None:
            self.query_one("#title", Static).update("No sessions in this period.")
            self.query_one(HeatBodyMap).show([])
            self.query_one("#cells", DataTable).clear(columns=True)
            return

        def span(heat: HeatMap) -> str:
            return f"{heat.start.astimezone(tz):%d %b %Y}–{heat.end.astimezone(tz):%d %b %Y}"

        self.query_one("#title", Static).update(
            f"[b]Change per spot[/b]: {span(first)} ({first.sessions} sessions) against "
            f"{span(second)} ({second.sessions} sessions).  m: mean per spot"
        )
        marks, off_map = [], []
        for change in changes:
            verdict = change.verdict.value
            mark = CHANGE_MARKS.get(verdict, "●")
            _place(
                change.second, mark, change_colour(verdict),
                f"{change.second.name} ({change.second.side}) {change.change:+.1f}", marks, off_map,
            )
        self.query_one(HeatBodyMap).show(marks, off_map)
        self.query_one("#legend", Static).update(
            f"[{change_colour('improved')}]▼ improved[/]  [{change_colour('worsened')}]▲ worsened[/]  "
            f"[{change_colour('within noise')}]● within noise[/]  (2+ points and 30 %+ counts)"
        )
        table = self.query_one("#cells", DataTable)
        table.clear(columns=True)
        table.add_columns("spot", "side", "first", "last", "change", "verdict")
        for change in changes:
            verdict = change.verdict.value
            colour = change_colour(verdict)
            table.add_row(
                change.first.name,
                change.first.side,
                f"{change.first.mean:.1f}",
                f"{change.second.mean:.1f}",
                f"{change.change:+.1f}",
                f"[{colour}]{CHANGE_MARKS.get(verdict, '●')} {verdict}[/]",
                key=f"{change.first.spot_id}:{change.first.side}",
            )


def heat_colour(mean: float) -> str:
    """The tenderness colour of a mean, rounded to the nearest whole point."""
    return tenderness_colour(round(mean))


def _place(cell: HeatCell, char: str, colour: str, label: str, marks: list, off_map: list) -> None:
    if cell.view != "back":
        off_map.append((label, char, colour))
        return
    x, y = cell.position()
    marks.append(MapMark(0.0 if cell.side == "mid" else x, y, char, colour, label))
