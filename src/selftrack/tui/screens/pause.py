"""PauseDialog: the walk is paused; carry on, or go home and resume later."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class PauseDialog(ModalScreen[bool]):
    """Returns True to carry on, False to leave for the home screen."""

    BINDINGS = [
        Binding("enter,p,escape", "carry_on", "Carry on"),
        Binding("h", "leave", "Home (resume later)"),
    ]

    def __init__(self, rated: int, total: int) -> None:
        super().__init__()
        self.rated = rated
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(id="pause-box", classes="dialog"):
            yield Static(
                f"Paused. {self.rated} of {self.total} spots are rated and saved.\n"
                "Carry on when you are ready, or go home: the session is offered to resume "
                "next time.",
            )
            with Horizontal(classes="buttons"):
                yield Button("Carry on (enter)", id="carry-on", variant="primary")
                yield Button("Home (h)", id="leave")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "carry-on")

    def action_carry_on(self) -> None:
        self.dismiss(True)

    def action_leave(self) -> None:
        self.dismiss(False)
