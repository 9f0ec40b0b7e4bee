"""ResumeDialog: an unfinished session was found; resume, finish or abandon it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from selftrack.clock import Clock
from selftrack.domain.model import Session
from selftrack.domain.text import printable
from selftrack.tui.widgets.key_footer import KeyFooter


class ResumeDialog(ModalScreen[str | None]):
    """Returns "resume", "finish", "abandon", or None for later."""

    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("f", "choose('finish')", "Finish"),
        Binding("a", "choose('abandon')", "Abandon"),
        Binding("escape", "choose('')", "Later"),
    ]

    def __init__(self, session: Session, clock: Clock) -> None:
        super().__init__()
        self.session = session
        self.clock = clock

    def compose(self) -> ComposeResult:
        session = self.session
        when = self.clock.human(session.started_at)
        with Vertical(id="resume-box", classes="dialog"):
            yield Static(
                f"An unfinished session: {printable(session.protocol_name)}, started {when}.\n"
                "Its ratings are saved. Resume at the first spot without a rating, finish it "
                "as it is, or abandon it (its ratings are kept in your history).",
                id="resume-text",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Resume (r)", id="resume", variant="primary")
                yield Button("Finish (f)", id="finish")
                yield Button("Abandon (a)", id="abandon", variant="error")
                yield Button("Later (esc)", id="later")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose("" if event.button.id == "later" else str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
