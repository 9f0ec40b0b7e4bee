"""The body map with a coloured mark per spot and side: heat, change, or one session's ratings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from selftrack import bodymap

STRUCTURE_STYLE = "dim #cc79a7"  # nerves, faintly under the marks (a hue the heat bands do not use)


@dataclass(frozen=True, slots=True)
class MapMark:
    """One mark: where (map coordinates), which character, which colour, and what it is."""

    x: float
    y: float
    char: str
    colour: str
    label: str = ""


class HeatBodyMap(Widget):
    """The braille outline of the back with coloured marks; spots off this view listed below."""

    DEFAULT_CSS = """
    HeatBodyMap {
        width: 48;
        height: auto;
        min-height: 24;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._marks: tuple[MapMark, ...] = ()
        self._off_map: tuple[tuple[str, str, str], ...] = ()

    def show(self, marks: Sequence[MapMark], off_map: Sequence[tuple[str, str, str]] = ()) -> None:
        """Draw these marks; `off_map` lists (label, mark, colour) for spots on other views."""
        self._marks = tuple(marks)
        self._off_map = tuple(off_map)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return 22 + (1 + len(self._off_map) if self._off_map else 0)

    def render(self) -> Text:
        grid = bodymap.render(
            [bodymap.Mark(m.x, m.y, m.char, m.colour) for m in self._marks], 44, 22
        )
        text = Text(no_wrap=True)
        for row_chars, row_keys in zip(grid.chars, grid.keys):
            for char, key in zip(row_chars, row_keys):
                if key == bodymap.STRUCTURE_KEY:
                    style = STRUCTURE_STYLE
                else:
                    style = f"bold {key}" if key else "dim"
                text.append(char, style=style)
            text.append("\n")
        if self._off_map:
            text.append("Not on this view:\n", style="dim")
            for label, char, colour in self._off_map:
                text.append(f" {char} ", style=f"bold {colour}")
                text.append(f"{label}\n")
        text.rstrip()
        return text
