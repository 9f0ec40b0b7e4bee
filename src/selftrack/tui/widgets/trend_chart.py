"""A braille line chart of one or more trends, with a date axis, sized to the widget."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from selftrack.analysis.trends import Trend
from selftrack.charts import trend_chart


class TrendChart(Widget):
    """Draws trends with selftrack.charts.trend_chart; redraws when resized."""

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

    def show(self, trends: Sequence[Trend]) -> None:
        """Chart these trends (an empty sequence clears the chart)."""
        self._trends = tuple(trends)
        self.refresh()

    @property
    def trends(self) -> tuple[Trend, ...]:
        return self._trends

    def render(self) -> Text:
        if not self._trends:
            return Text("Choose something to chart.", style="dim")
        # plotille adds ~13 columns of y axis and ~10 after the x axis; 3 rows of axes, and
        # a legend of 3 rows plus one per line drawn
        lines = 2 if len(self._trends) == 1 else len(self._trends)
        width = max(20, self.size.width - 24)
        height = max(3, self.size.height - 3 - (3 + lines))
        text = trend_chart(self._trends, width=width, height=height, tz=self.tz, colour=True)
        return Text.from_ansi(text, no_wrap=True)
