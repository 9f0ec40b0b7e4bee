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

from selftrack.analysis.insights import CAVEAT, METHOD, MIN_DAYS, Finding
from selftrack.domain.text import printable
from selftrack.render.outcomes import FINDING_WORDS, INSIGHTS_HEADERS, INSIGHTS_TITLE, comparison_cells
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


class InsightsBody(VerticalScroll, can_focus=False):
    """The view's text; the screen's keys scroll it (so the footer shows them)."""


class InsightsScreen(Screen):
    """What seems to help: the comparisons, the reason to read them with care, the method."""

    AUTO_FOCUS = None
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("pagedown", "page(1)", "More", key_display="pgdn"),
        Binding("pageup", "page(-1)", "Back up", key_display="pgup", show=False),
        Binding("down", "line(1)", "Down", show=False),
        Binding("up", "line(-1)", "Up", show=False),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.insights = None

    def compose(self) -> ComposeResult:
        yield TitleBar("what seems to help")
        with InsightsBody(id="insights-body"):
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
        # where it is narrow the medians give way (the difference says how far apart they are)
        columns = (0, 1, 3, 4) if narrow else (0, 1, 2, 3, 4)
        table = Table(box=None, padding=(0, 1 if narrow else 2, 0, 0), expand=True, show_edge=False, header_style="bold")
        for column in columns:
            header = INSIGHTS_HEADERS[column]
            if column == 0:
                table.add_column(header, ratio=1 if narrow else None, overflow="fold")
            elif column == 4:
                table.add_column(header, ratio=1)
            else:
                table.add_column(header, no_wrap=True)

        def row(comparison) -> None:
            cells = [printable(cell.strip()) for cell in comparison_cells(comparison, insights)]
            cells[1] = " / ".join(part.strip() for part in cells[1].split("/"))
            # the finding's words; that 'not enough' needs MIN_DAYS a group is said once, below
            cells[4] = FINDING_WORDS[comparison.finding]
            styled = [Text(cells[c], style=FINDING_STYLE[comparison.finding]) if c == 4 else cells[c] for c in columns]
            table.add_row(*styled)

        row(insights.overall)
        for title, group in (("By routine:", insights.by_routine), ("By tool:", insights.by_tool)):
            if group:
                table.add_row("")
                table.add_row(Text(title, style="bold"))
                for comparison in group:
                    row(comparison)
        caveat = Text(CAVEAT)
        short = [c for c in (insights.overall, *insights.by_routine, *insights.by_tool) if c.finding is Finding.NOT_ENOUGH]
        need = Text(
            f"Not enough data yet: each group needs {MIN_DAYS} days with a next-morning check-in." if short else "",
            style="italic",
        )
        method = Text(METHOD, style="dim")
        return Group(head, Text(""), caveat, Text(""), table, need, Text(""), method)

    def action_line(self, lines: int) -> None:
        body = self.query_one("#insights-body", VerticalScroll)
        body.scroll_down(animate=False) if lines > 0 else body.scroll_up(animate=False)

    def action_page(self, pages: int) -> None:
        body = self.query_one("#insights-body", VerticalScroll)
        body.scroll_page_down(animate=False) if pages > 0 else body.scroll_page_up(animate=False)
