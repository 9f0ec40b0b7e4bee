"""A braille line chart of one or more trends, with a date axis, sized to the widget."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from selftrack.analysis.trends import Trend
from selftrack.render.charts import trend_chart


class TrendChart(Widget):
    """Draws trends with selftrack.render.charts.trend_chart; redraws when resized."""

    DEFAULT_CSS = """
    TrendChart {
        height: 14;
        min-height: 8;
    }
    """

    def __init__(self, *, tz=None, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.tz = tz
        self._trends: tuple[Trend, ...] = ()
        self._empty = "Choose something to chart."

    def show(self, trends: Sequence[Trend], *, empty: str = "Choose something to chart.") -> None:
        """Chart these trends (an empty sequence clears the chart and says `empty`)."""
        self._trends = tuple(trends)
        self._empty = empty
        self.refresh()

    @property
    def trends(self) -> tuple[Trend, ...]:
        return self._trends

    def render(self) -> Text:
        if not self._trends:
            return Text(self._empty, style="dim")
        # plotille adds ~13 columns of y axis and ~10 after the x axis, 2 rows above the plot
        # (the scale and its top value) and 2 below (the axis and the dates); its legend
        # (a blank row, a heading of 2 rows and a row per entry) is put on one row here
        width = max(20, self.size.width - 24)
        height = max(3, self.size.height - 4 - 2)
        text = trend_chart(self._trends, width=width, height=height, tz=self.tz, colour=True)
        return Text.from_ansi(_one_line_legend(text), no_wrap=True)


def _one_line_legend(chart: str) -> str:
    """The chart with plotille's legend (heading, rule, one entry a row) on a single row."""
    lines = chart.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == "Legend:":
            entries = [entry.strip() for entry in lines[index + 2 :] if entry.strip()]
            body = lines[:index]
            while body and not body[-1].strip():
                body.pop()
            return "\n".join([*body, "   ".join(entries)])
    return chart
