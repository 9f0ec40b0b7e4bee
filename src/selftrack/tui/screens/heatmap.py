"""Heat map: mean tenderness per spot over a period, or the change between two periods."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from selftrack.analysis.heatmap import HeatMap
from selftrack.analysis.stats import Verdict
from selftrack.analysis.trends import Trend
from selftrack.domain.records import SpotInfo
from selftrack.domain.text import printable
from selftrack.render.charts import verdict_colour, verdict_mark
from selftrack.render.words import VERDICT_WORDS, counted, number, signed, spot_label, verdict_words
from selftrack.tui import core
from selftrack.tui.messages import HeatLoaded
from selftrack.tui.widgets.heat import BANDS
from selftrack.tui.widgets.heat import colour as tenderness_colour
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.heat_body_map import HeatBodyMap, MapMark
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.tables import Column, fill, room, shown
from selftrack.tui.widgets.title_bar import TitleBar

# spot and mean (or change) always; the rest when there is room
MEAN_COLUMNS = (Column("spot", shrink=True), Column("side", 66), Column("mean"), Column("ratings", 60))
CHANGE_COLUMNS = (
    Column("spot", shrink=True),
    Column("side", 96),
    Column("first", 104),
    Column("latest", 104),
    Column("change"),
    Column("verdict", 72),
)

PERIODS = {"1": ("last 30 days", 30), "2": ("last 90 days", 90), "3": ("last year", 365), "0": ("all history", None)}


class HeatMapScreen(Screen):
    """`m` switches between the period's mean and each spot's change over the period."""

    AUTO_FOCUS = "#cells"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("m", "toggle_mode", "Mean / change"),
        Binding("1", "period('1')", "30 days"),
        Binding("2", "period('2')", "90 days"),
        Binding("3", "period('3')", "Year"),
        Binding("0", "period('0')", "All"),
        Binding("v", "toggle_view", "Map / table"),
    ]
    FOOTER_KEEP = ("app.pop_screen", "toggle_mode", "toggle_view", "period('1')", "period('2')", "period('3')", "period('0')")
    DEFAULT_CSS = """
    HeatMapScreen #title { height: auto; padding: 0 1; }
    HeatMapScreen #legend { height: auto; padding: 0 1; }
    HeatMapScreen .map { width: 50; }
    HeatMapScreen #cells { width: 1fr; height: 1fr; }
    HeatMapScreen HeatBodyMap { margin: 0 1; }
    HeatMapScreen.-narrow .map { display: none; }
    HeatMapScreen.-narrow.-show-map .map { display: block; width: 1fr; }
    HeatMapScreen.-narrow.-show-map #cells { display: none; }
    """

    def __init__(self, *, mode: str = "mean", period: str = "1") -> None:
        super().__init__()
        self.mode = mode
        self.period_key = period
        self._rows: list = []
        self._columns_of: tuple = MEAN_COLUMNS
        self._shown: tuple[int, ...] = ()
        self._loaded = False

    @property
    def ready_for_keys(self) -> bool:
        return self._loaded

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_view":  # only where the map is not beside the table
            return self.has_class("-narrow")
        return True

    def action_toggle_view(self) -> None:
        self.toggle_class("-show-map")

    def on_resize(self) -> None:
        self.call_after_refresh(self._refill)

    def _refill(self) -> None:
        if self._loaded and shown(self._columns_of, room(self.query_one("#cells", DataTable))) != self._shown:
            self._fill()

    def _fill(self) -> None:
        width = room(self.query_one("#cells", DataTable))
        self._shown = shown(self._columns_of, width)
        no_side = 1 not in self._shown  # the side goes with the name
        rows = [(key, (_with_side(cells[0], cells[1]) if no_side else cells[0], *cells[1:])) for key, cells in self._rows]
        fill(self.query_one("#cells", DataTable), self._columns_of, rows, width)
        self.call_after_refresh(self._refill)  # the table's own width, once it is laid out

    def compose(self) -> ComposeResult:
        yield TitleBar("heat map")
        yield Static("Loading…", id="title")
        with Horizontal():
            with Vertical(classes="map"):
                yield HeatBodyMap()
                yield Static("", id="legend")
            yield DataTable(id="cells", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    def action_toggle_mode(self) -> None:
        self.mode = "change" if self.mode == "mean" else "mean"
        self.reload()

    def action_period(self, key: str) -> None:
        self.period_key = key
        self.reload()

    def _range(self):
        days = PERIODS[self.period_key][1]
        return (None, None) if days is None else (self.app.tracker.clock.now() - timedelta(days=days), None)

    def reload(self) -> None:
        start, end = self._range()
        core.call(self, _read_heat, self.app.tracker, self.mode, start, end, done=HeatLoaded,
                  doing="read the heat map", group="heatmap", exclusive=True)  # fmt: skip

    @on(HeatLoaded)
    def _loaded(self, event: HeatLoaded) -> None:
        mode, figures = event.result
        if mode == "mean":
            self._show_mean(figures)
        else:
            self._show_changes(*figures)
        self._loaded = True
        keys_ready(self)

    def _show_mean(self, heat: HeatMap) -> None:
        label = PERIODS[self.period_key][0]
        self.query_one("#title", Static).update(
            f"[b]Mean tenderness per spot[/b], {label}: {counted(heat.sessions, 'session')}.  "
            "m: each spot's change over the period"
        )
        marks, off_map = [], []
        for cell in heat.cells:
            _place(cell, cell.side, "●", heat_colour(cell.mean), f"{printable(cell.name)} ({cell.side}) {cell.mean:.1f}", marks, off_map)
        self.query_one(HeatBodyMap).show(marks, off_map)
        legend = "  ".join(f"[{hue}]●[/] {words}" for _low, hue, words in BANDS)
        self.query_one("#legend", Static).update(f"mean tenderness: {legend}")
        self._columns_of = MEAN_COLUMNS
        self._rows = [
            (f"{cell.spot_id}:{cell.side}", (
                printable(cell.name),
                cell.side,
                Text.assemble(("● ", heat_colour(cell.mean)), f"{cell.mean:.1f}"),
                str(cell.count),
            ))  # fmt: skip
            for cell in heat.cells
        ]
        self._fill()

    def _show_changes(self, trends: list[Trend], places: dict[str, SpotInfo]) -> None:
        label = PERIODS[self.period_key][0]
        if not trends:
            self.query_one("#title", Static).update(f"No ratings in this period ({label}).")
            self.query_one(HeatBodyMap).show([])
            self._columns_of, self._rows = CHANGE_COLUMNS, []
            self._fill()
            return
        self.query_one("#title", Static).update(
            f"[b]Change per spot[/b], {label}: the median of its last 3 sessions against its first 3 "
            "(6 sessions or more for a verdict).  m: mean per spot"
        )
        marks, off_map = [], []
        for trend in trends:
            place = places.get(trend.subject.key)
            if place is None:
                continue
            s = trend.summary
            _place(place, trend.subject.side, verdict_mark(s.verdict), verdict_colour(s.verdict),
                   f"{printable(trend.name)} {signed(s.change)}", marks, off_map)  # fmt: skip
        self.query_one(HeatBodyMap).show(marks, off_map)
        self.query_one("#legend", Static).update(
            f"[{verdict_colour(Verdict.LESS_TENDER)}]▼ {VERDICT_WORDS[Verdict.LESS_TENDER]}[/]  "
            f"[{verdict_colour(Verdict.MORE_TENDER)}]▲ {VERDICT_WORDS[Verdict.MORE_TENDER]}[/]  "
            f"● no clear change or too few sessions (press ? on Trends for the rule)"
        )
        ordered = sorted(trends, key=lambda t: (t.summary.change is None, t.summary.change or 0.0, t.subject.id))
        self._columns_of = CHANGE_COLUMNS
        self._rows = []
        for trend in ordered:
            s = trend.summary
            self._rows.append((trend.subject.id, (
                printable(trend.name.rsplit(",", 1)[0]),
                trend.subject.side,
                number(s.baseline),
                number(s.latest),
                Text(f"{verdict_mark(s.verdict)} {signed(s.change)}", style=verdict_colour(s.verdict)),
                Text(verdict_words(s), style=verdict_colour(s.verdict)),
            )))  # fmt: skip
        self._fill()


def heat_colour(mean: float) -> str:
    """The tenderness colour of a mean, rounded to the nearest whole point."""
    return tenderness_colour(round(mean))


def _read_heat(tracker, mode: str, start, end):
    """("mean", HeatMap), or ("change", (spot trends, their places on the map))."""
    if mode == "mean":
        return mode, tracker.heat_map(start, end)
    trends = tracker.spot_trends(start, end)
    return mode, (trends, tracker.spot_places({t.subject.key for t in trends}))


def _place(where, side: str, char: str, colour: str, label: str, marks: list, off_map: list) -> None:
    if where.view != "back":
        off_map.append((label, char, colour))
        return
    x, y = where.position(side)
    marks.append(MapMark(x, y, char, colour, label))


def _with_side(name, side: str):
    """The spot's name with its side, where the side column is left out."""
    return spot_label(name, side) if isinstance(name, str) else name
