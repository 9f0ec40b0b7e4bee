"""TitleBar: one line naming the program and what the screen is about (lighter than Header)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    """selftrack — a subtitle, docked at the top of a screen."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-align: center;
    }
    """

    def __init__(self, subtitle: str = "tenderness at named spots", *, id: str | None = None) -> None:
        super().__init__(self._title(subtitle), id=id)

    @staticmethod
    def _title(subtitle: str) -> Text:
        text = Text("selftrack", style="bold")
        if subtitle:
            text.append(f" — {subtitle}")
        return text

    def show(self, subtitle: str) -> None:
        """Change the subtitle."""
        self.update(self._title(subtitle))
