"""RatingBar: the 0–10 scale, showing a value and (when focused) taking one with one key."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from selftrack.tui.widgets.heat import colour

TEN_KEY = "t"


class RatingBar(Widget):
    """0 1 2 … 10 in heat colours; the chosen value is marked, never by colour alone."""

    DEFAULT_CSS = """
    RatingBar {
        height: 1;
        width: auto;
    }
    RatingBar:focus { background: $boost; text-style: bold; }
    """
    BINDINGS = [
        Binding("left", "step(-1)", "Less", show=False),
        Binding("right", "step(1)", "More", show=False),
        Binding("enter", "submit", "OK", show=False),
    ]

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        """The user set a value on the bar."""

        def __init__(self, bar: RatingBar, value: int | None) -> None:
            super().__init__()
            self.bar = bar
            self.value = value

        @property
        def control(self) -> RatingBar:
            return self.bar

    class Submitted(Changed):
        """The user confirmed the value (a digit key or enter)."""

    def __init__(
        self,
        value: int | None = None,
        *,
        focusable: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.can_focus = focusable
        self.set_reactive(RatingBar.value, value)

    def render(self) -> Text:
        text = Text(no_wrap=True)
        for number in range(11):
            label = f" {number} "
            if number == self.value:
                text.append(f"[{number}]", Style(color="black", bgcolor=colour(number), bold=True))
            else:
                text.append(label, Style(color=colour(number)))
        return text

    @staticmethod
    def number_for(event: events.Key) -> int | None:
        """The rating a key stands for: a digit, or t for 10; None for any other key."""
        if event.character and event.character.isdigit():
            return int(event.character)
        return 10 if event.key == TEN_KEY else None

    def on_key(self, event: events.Key) -> None:
        if not self.can_focus:
            return
        number = self.number_for(event)
        if number is not None:
            self.choose(number)
            event.stop()

    def choose(self, number: int) -> None:
        """Set `number` as if its key had been pressed here."""
        self.value = number
        self.post_message(self.Submitted(self, number))

    def action_step(self, delta: int) -> None:
        start = self.value if self.value is not None else (0 if delta > 0 else 11)
        self.value = max(0, min(10, start + delta))
        self.post_message(self.Changed(self, self.value))

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.value))

    def on_click(self, event: events.Click) -> None:
        if not self.can_focus:
            return
        cells = 0
        for number in range(11):
            width = len(f" {number} ")
            if cells <= event.x < cells + width:
                self.choose(number)
                return
            cells += width
