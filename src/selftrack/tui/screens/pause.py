"""PauseDialog: the walk is paused (and its hold timer stopped); carry on, or go home."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from selftrack.render.words import counted
from selftrack.tui.widgets.key_footer import KeyFooter


class PauseDialog(ModalScreen[bool]):
    """Returns True to carry on, False to leave for the home screen."""

    BINDINGS = [
        Binding("enter,p,escape", "carry_on", "Carry on", key_display="enter"),
        Binding("h", "leave", "Home (resume later)"),
    ]

    def __init__(self, rated: int, total: int, *, skipped: int = 0) -> None:
        super().__init__()
        self.rated = rated
        self.total = total
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        done = f"{self.rated} of {counted(self.total, 'spot')} rated"
        if self.skipped:
            done += f", {self.skipped} skipped"
        with Vertical(id="pause-box", classes="dialog"):
            yield Static(
                f"Paused: {done}, all saved. The hold timer is stopped.\n"
                "Carry on when you are ready, or go home: the session is offered to resume "
                "next time.",
            )
            with Horizontal(classes="buttons"):
                yield Button("Carry on (enter)", id="carry-on", variant="primary")
                yield Button("Home (h)", id="leave")
        yield KeyFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "carry-on")

    def action_carry_on(self) -> None:
        self.dismiss(True)

    def action_leave(self) -> None:
        self.dismiss(False)
