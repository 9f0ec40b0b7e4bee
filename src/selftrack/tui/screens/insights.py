"""InsightsScreen: "What seems to help" — what the person's own record says.

Next-morning back pain after days with a session against days without, overall, by routine
and by tool, with counts and an interval; "not enough data yet" until each group has its days.
The figures are the core's (selftrack.analysis.insights) and every word is the one the command
line prints (selftrack.render.outcomes); this screen lays them out.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from selftrack.analysis.insights import CAVEAT, METHOD, Finding
from selftrack.domain.text import printable
from selftrack.render.outcomes import INSIGHTS_HEADERS, INSIGHTS_TITLE, comparison_cells
from selftrack.tui import core
from selftrack.tui.messages import InsightsLoaded
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.title_bar import TitleBar

FINDING_STYLE = {
    Finding.NOT_ENOUGH: "italic",
    Finding.NO_CLEAR_DIFFERENCE: "",
    Finding.LOWER: "bold",
    Finding.HIGHER: "bold",
}


class InsightsScreen(Screen):
    """What seems to help: the comparisons, the reason to read them with care, the method."""

    AUTO_FOCUS = "#insights-body"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("pagedown", "page(1)", "More", key_display="pgdn"),
        Binding("pageup", "page(-1)", "Back up", key_display="pgup", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.insights = None

    def compose(self) -> ComposeResult:
        yield TitleBar("what seems to help")
        with VerticalScroll(id="insights-body"):
            yield Static("Reading your check-ins…", id="insights-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        core.call(self, self.app.tracker.insights, done=InsightsLoaded, doing="read what your record says")

    @on(InsightsLoaded)
    def _loaded(self, event: InsightsLoaded) -> None:
        self.insights = event.result
        self._draw()

    def on_resize(self) -> None:
        if self.insights is not None:
            self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        self.query_one("#insights-text", Static).update(self.render_insights())

    def render_insights(self) -> Group:
        insights = self.insights
        assert insights is not None
        narrow = self.has_class("-narrow")
        head = Text(INSIGHTS_TITLE, style="bold")
        if insights.days:
            head.append(
                f"\n{insights.days} mornings with a check-in, {insights.first:%-d %b %Y} to {insights.last:%-d %b %Y}.",
                style="italic",
            )
        else:
            head.append("\nNo morning check-ins yet: answer one each morning (k on the home screen).", style="italic")
        table = Table(box=None, padding=(0, 1, 0, 0), expand=True, show_edge=False, header_style="bold")
        label, counts, medians, interval, words = INSIGHTS_HEADERS
        table.add_column(label, ratio=2, overflow="fold")
        table.add_column(counts, no_wrap=True)
        table.add_column(medians, no_wrap=True)
        table.add_column(interval, no_wrap=not narrow)
        table.add_column(words, ratio=3)

        def row(comparison) -> None:
            cells = [printable(cell.strip()) for cell in comparison_cells(comparison, insights)]
            cells[1] = " / ".join(part.strip() for part in cells[1].split("/"))
            table.add_row(*cells[:4], Text(cells[4], style=FINDING_STYLE[comparison.finding]))

        row(insights.overall)
        for title, group in (("By routine:", insights.by_routine), ("By tool:", insights.by_tool)):
            if group:
                table.add_row("")
                table.add_row(Text(title, style="bold"))
                for comparison in group:
                    row(comparison)
        caveat = Text(CAVEAT)
        method = Text(METHOD, style="dim")
        return Group(head, Text(""), caveat, Text(""), table, Text(""), method)

    def action_page(self, pages: int) -> None:
        body = self.query_one("#insights-body", VerticalScroll)
        body.scroll_page_down(animate=False) if pages > 0 else body.scroll_page_up(animate=False)
