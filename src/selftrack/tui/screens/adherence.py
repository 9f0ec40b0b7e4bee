"""Adherence: sessions per week over time and the current streak."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

from selftrack.analysis.adherence import Adherence
from selftrack.tui.widgets.title_bar import TitleBar

RECENT_WEEKS = 12


class AdherenceScreen(Screen):
    """How regular the sessions have been (abandoned sessions are not counted)."""

    AUTO_FOCUS = "#weeks"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    AdherenceScreen #figures { height: auto; padding: 1 1 0 1; }
    AdherenceScreen Sparkline { height: 4; margin: 1 1; }
    AdherenceScreen #weeks { height: 1fr; }
    """

    def __init__(self, tracker) -> None:
        super().__init__()
        self.tracker = tracker

    def compose(self) -> ComposeResult:
        yield TitleBar("regularity")
        yield Static("Loading…", id="figures")
        yield Sparkline([], summary_function=max)
        yield DataTable(id="weeks", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#weeks", DataTable).add_columns("week of", "sessions", "")
        self._load()

    @work(thread=True, exclusive=True, group="adherence")
    def _load(self) -> None:
        result = self.tracker.adherence()
        self.app.call_from_thread(self._show, result)

    def _show(self, result: Adherence) -> None:
        days = "day" if result.streak_days == 1 else "days"
        self.query_one("#figures", Static).update(
            f"[b]Current streak:[/b] {result.streak_days} {days} in a row.   "
            f"[b]Sessions:[/b] {result.sessions} on {result.active_days} days, "
            f"{result.per_week:.1f} a week on average over {len(result.weeks)} weeks.\n"
            "Sessions per week, oldest on the left:"
        )
        self.query_one(Sparkline).data = [count for _week, count in result.weeks]
        table = self.query_one("#weeks", DataTable)
        table.clear()
        for week, count in reversed(result.weeks[-RECENT_WEEKS:]):
            table.add_row(f"{week:%d %b %Y}", str(count), "■" * count)
