"""BodyMap: the braille outline seen from behind, with one dot per spot of the session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
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
    """The body map: rated spots as heat-coloured ●, unrated ○, skipped ×, current ◉.

    The nerves not to lean on are dotted faintly underneath (bodymap.STRUCTURES).
    """

    DEFAULT_CSS = """
    BodyMap {
        width: 46;
        height: 24;
    }
    BodyMap > .body-map--outline { color: $foreground 45%; }
    BodyMap > .body-map--structure { color: #CC79A7 70%; }
    BodyMap > .body-map--unrated { color: $foreground 80%; }
    BodyMap > .body-map--skipped { color: $foreground 60%; }
    BodyMap > .body-map--current { color: $background; background: $accent; text-style: bold; }
    """
    COMPONENT_CLASSES = {
        "body-map--outline",
        "body-map--structure",
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
        self._cached_key: tuple | None = None
        self._cached_rows: list[Strip] = []
        self._strips: dict[tuple, Strip] = {}  # the rows on show, by their cells
        self._styles: dict[object, Style] | None = None  # by style key: outline, 0-10, …

    def show(self, spots: Sequence[MapSpot], current: int | None) -> None:
        """Draw these spots, highlighting the step `current`.

        Only the rows whose cells change are repainted (a rating changes two or three).
        """
        before = self._cached_rows
        self._spots = tuple(spots)
        self._current = current
        after = self._rows()
        if not before or len(before) != len(after):
            self.refresh()
            return
        width = self.size.width
        for y, (old, new) in enumerate(zip(before, after)):
            if old is not new:
                self.refresh(Region(0, y, width, 1))

    def _mark(self, spot: MapSpot) -> bodymap.Mark:
        if spot.step_index == self._current:
            return bodymap.Mark(spot.x, spot.y, "◉", "current")
        if spot.skipped:
            return bodymap.Mark(spot.x, spot.y, "×", "skipped")
        if spot.rated and spot.tenderness is not None:
            return bodymap.Mark(spot.x, spot.y, "●", spot.tenderness)
        return bodymap.Mark(spot.x, spot.y, "○", "unrated")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        rows = self._rows()
        if y >= len(rows):
            return Strip.blank(width, self.rich_style)
        return rows[y]

    def _rows(self) -> list[Strip]:
        """One Strip per row, rebuilt only when the size or the spots change."""
        width, height = self.size.width, self.size.height
        key = (width, height, self._spots, self._current)
        if self._cached_key == key:
            return self._cached_rows
        if width < 4 or height < 4:
            rows: list[Strip] = []
        else:
            # the current spot is drawn last so it always wins its cell
            ordered = sorted(self._spots, key=lambda s: s.step_index == self._current)
            grid = bodymap.render([self._mark(s) for s in ordered], width, height)
            rows = []
            strips: dict[tuple, Strip] = {}
            for chars, keys in zip(grid.chars, grid.keys):
                cells = (tuple(chars), tuple(keys))
                strip = self._strips.get(cells, strips.get(cells))
                if strip is None:
                    strip = self._strip(chars, keys, width)
                strips[cells] = strip
                rows.append(strip)
            self._strips = strips
        self._cached_key, self._cached_rows = key, rows
        return rows

    def _strip(self, chars: list[str], keys: list[object], width: int) -> Strip:
        """One row: a segment for each run of cells with the same style."""
        segments = []
        start = 0
        for col in range(1, width + 1):
            if col == width or keys[col] != keys[start]:
                segments.append(Segment("".join(chars[start:col]), self._style(keys[start])))
                start = col
        return Strip(segments, width)

    def _style(self, key: object) -> Style:
        if self._styles is None:
            base = self.rich_style
            self._styles = {
                None: base + self.get_component_rich_style("body-map--outline"),
                bodymap.STRUCTURE_KEY: base + self.get_component_rich_style("body-map--structure"),
                "unrated": base + self.get_component_rich_style("body-map--unrated"),
                "skipped": base + self.get_component_rich_style("body-map--skipped"),
                "current": base + self.get_component_rich_style("body-map--current"),
            }
            self._styles.update(
                (value, base + Style(color=colour(value), bold=True)) for value in range(11)
            )
        return self._styles.get(key, self._styles[None])

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cached_key = None
        self._cached_rows = []
        self._strips = {}
        self._styles = None

    def on_click(self, event: events.Click) -> None:
        if not self._spots:
            return
        width, height = self.size.width, self.size.height
        x, y = bodymap.to_point(event.x, event.y, width, height)
        found = bodymap.nearest([(s.x, s.y) for s in self._spots], x, y)
        if found is not None:
            self.post_message(self.SpotClicked(self._spots[found].step_index))
