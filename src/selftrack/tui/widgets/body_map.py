"""BodyMap: the braille outline seen from behind, with one dot per spot of the session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from selftrack import bodymap
from selftrack.tui.widgets.heat import colour


@dataclass(frozen=True, slots=True)
class MapSpot:
    """One step drawn on the map: where, and what is known about it."""

    step_index: int
    x: float
    y: float
    tenderness: int | None = None
    skipped: bool = False
    rated: bool = False


class BodyMap(Widget):
    """The body map: rated spots as heat-coloured ●, unrated ○, skipped ×, current ◉."""

    DEFAULT_CSS = """
    BodyMap {
        width: 46;
        height: 24;
    }
    BodyMap > .body-map--outline { color: $foreground 45%; }
    BodyMap > .body-map--unrated { color: $foreground 80%; }
    BodyMap > .body-map--skipped { color: $foreground 60%; }
    BodyMap > .body-map--current { color: $background; background: $accent; text-style: bold; }
    """
    COMPONENT_CLASSES = {
        "body-map--outline",
        "body-map--unrated",
        "body-map--skipped",
        "body-map--current",
    }

    class SpotClicked(Message):
        """The user clicked the map; `step_index` is the nearest spot's step."""

        def __init__(self, step_index: int) -> None:
            super().__init__()
            self.step_index = step_index

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._spots: tuple[MapSpot, ...] = ()
        self._current: int | None = None

    def show(self, spots: Sequence[MapSpot], current: int | None) -> None:
        """Draw these spots, highlighting the step `current`."""
        self._spots = tuple(spots)
        self._current = current
        self.refresh()

    def _mark(self, spot: MapSpot) -> bodymap.Mark:
        if spot.step_index == self._current:
            return bodymap.Mark(spot.x, spot.y, "◉", "current")
        if spot.skipped:
            return bodymap.Mark(spot.x, spot.y, "×", "skipped")
        if spot.rated and spot.tenderness is not None:
            return bodymap.Mark(spot.x, spot.y, "●", spot.tenderness)
        return bodymap.Mark(spot.x, spot.y, "○", "unrated")

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        if width < 4 or height < 4:
            return Text("")
        # the current spot is drawn last so it always wins its cell
        ordered = sorted(self._spots, key=lambda s: s.step_index == self._current)
        grid = bodymap.render([self._mark(s) for s in ordered], width, height)
        styles: dict[object, Style] = {
            None: self.get_component_rich_style("body-map--outline"),
            "unrated": self.get_component_rich_style("body-map--unrated"),
            "skipped": self.get_component_rich_style("body-map--skipped"),
            "current": self.get_component_rich_style("body-map--current"),
        }
        text = Text(no_wrap=True, overflow="crop")
        for row_number, (chars, keys) in enumerate(zip(grid.chars, grid.keys)):
            if row_number:
                text.append("\n")
            start = 0
            for col in range(1, width + 1):
                if col == width or keys[col] != keys[start]:
                    text.append("".join(chars[start:col]), self._style(keys[start], styles))
                    start = col
        return text

    @staticmethod
    def _style(key: object, styles: dict[object, Style]) -> Style:
        if isinstance(key, int):
            return Style(color=colour(key), bold=True)
        return styles.get(key, styles[None])

    def on_click(self, event: events.Click) -> None:
        if not self._spots:
            return
        width, height = self.content_size.width, self.content_size.height
        x, y = bodymap.to_point(event.x, event.y, width, height)
        found = bodymap.nearest([(s.x, s.y) for s in self._spots], x, y)
        if found is not None:
            self.post_message(self.SpotClicked(self._spots[found].step_index))
