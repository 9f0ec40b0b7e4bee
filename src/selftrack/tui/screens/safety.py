"""SafetyScreen: not medical advice, the red flags, the conditions that change a routine."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from selftrack import safety
from selftrack.tui import core
from selftrack.tui.messages import SafetyNoted
from selftrack.tui.widgets.key_footer import KeyFooter


def safety_text() -> Text:
    """The safety note of selftrack.safety (the README says the same words), as rich text."""
    text = Text()
    text.append("Not medical advice\n", style="bold")
    previous = ""
    for kind, line in safety.safety_blocks():
        if not (kind == "li" and previous == "li"):
            text.append("\n")
        if kind == "li":
            text.append(f"  • {line}\n")
        else:
            text.append(line + "\n", style="bold" if kind == "h" else "")
        previous = kind
    text.rstrip()
    return text


class SafetyScreen(ModalScreen[bool]):
    """Shown once before the first session, and from the help screen at any time."""

    BINDINGS = [
        Binding("enter", "read", "I have read this", priority=True),
        Binding("escape", "read", "Close", show=False),
        Binding("pagedown", "page(1)", "Page down", key_display="pgdn", priority=True),
        Binding("pageup", "page(-1)", "Page up", key_display="pgup", priority=True),
    ]

    def action_page(self, pages: int) -> None:
        body = self.query_one(VerticalScroll)
        if pages > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def __init__(self, *, first_run: bool = False) -> None:
        super().__init__()
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        with Vertical(id="safety-box", classes="dialog"):
            with VerticalScroll():
                yield Static(safety_text(), id="safety-text")
            label = "I have read this (enter)" if self.first_run else "Close (enter)"
            yield Button(label, id="safety-ok", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#safety-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_read()

    def action_read(self) -> None:
        if self.first_run:
            now = self.app.tracker.clock.now()
            core.call(self, safety.acknowledge, now, done=SafetyNoted, doing="remember that the note was read")
        else:
            self.dismiss(True)

    @on(SafetyNoted)
    @on(core.CoreFailed)  # shown again next time; the user has been told
    def _remembered(self) -> None:
        self.dismiss(True)
