"""Adherence: sessions per week over time and the current streak."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Sparkline, Static

from selftrack.analysis.adherence import Adherence
from selftrack.render.words import counted
from selftrack.tui import core
from selftrack.tui.messages import AdherenceLoaded
from selftrack.tui.widgets.key_footer import KeyFooter
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

    def compose(self) -> ComposeResult:
        yield TitleBar("regularity")
        yield Static("Loading…", id="figures")
        yield Sparkline([], summary_function=max)
        yield DataTable(id="weeks", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#weeks", DataTable).add_columns("week of", "sessions", "")
        core.call(self, self.app.tracker.adherence, done=AdherenceLoaded, doing="read how regular you have been")

    @on(AdherenceLoaded)
    def _show(self, event: AdherenceLoaded) -> None:
        result: Adherence = event.result
        if not result.sessions:
            self.query_one("#figures", Static).update(
                "No finished sessions yet: sessions per week and the streak appear here once "
                "there are some (abandoned sessions are not counted)."
            )
            self.query_one(Sparkline).display = False
            self.query_one("#weeks", DataTable).display = False
            return
        self.query_one("#figures", Static).update(
            f"[b]Current streak:[/b] {counted(result.streak_days, 'day')} in a row.   "
            f"[b]Sessions:[/b] {counted(result.sessions, 'session')} on {counted(result.active_days, 'day')}, "
            f"{result.per_week:.1f} a week on average over {counted(len(result.weeks), 'week')}.\n"
            "Sessions per week, oldest on the left:"
        )
        self.query_one(Sparkline).data = [count for _week, count in result.weeks]
        table = self.query_one("#weeks", DataTable)
        table.clear()
        for week, count in reversed(result.weeks[-RECENT_WEEKS:]):
            table.add_row(f"{week:%d %b %Y}", str(count), "■" * count)
