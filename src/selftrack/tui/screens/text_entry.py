"""TextEntryDialog: one line of text (a note, or where the pain spreads)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from selftrack.tui.widgets.key_footer import KeyFooter


class TextEntryDialog(ModalScreen[str | None]):
    """Returns the text on enter, or None on escape."""

    BINDINGS = [Binding("enter", "keep", "Keep"), Binding("escape", "cancel", "Cancel")]

    def action_keep(self) -> None:
        self.dismiss(self.query_one(Input).value)

    def __init__(self, prompt: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="entry-box", classes="dialog"):
            yield Static(self.prompt, markup=False)
            yield Input(self.value, placeholder=self.placeholder, max_length=200, id="entry")
            yield Static("enter to keep · esc to cancel", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
