"""Small dialogs of the history screens: correct a rating, edit notes, confirm a deletion."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from selftrack.domain.model import Rating
from selftrack.render.words import spot_label
from selftrack.tui.widgets.key_footer import KeyFooter

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; height: auto; padding: 1 2;
    border: thick $accent; background: $surface;
}}
{name} Horizontal {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} Button {{ margin-left: 1; }}
{name} #problem {{ color: $error; height: auto; }}
"""


@dataclass(frozen=True)
class RatingCorrection:
    """What the user wants a rating to be: a tenderness or skipped, and its note."""

    step_index: int
    tenderness: int | None
    skipped: bool
    note: str


class RatingDialog(ModalScreen[RatingCorrection | None]):
    """Asks for the corrected tenderness (0–10, or s to mark it skipped) and the note."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="RatingDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("enter", "save", "Save", show=True, priority=False)]

    def __init__(self, rating: Rating, name: str = "") -> None:
        super().__init__()
        self.rating = rating
        self.name_shown = name or rating.spot_id

    def compose(self) -> ComposeResult:
        current = "s" if self.rating.skipped else str(self.rating.tenderness)
        with Vertical():
            yield Label(f"Correct the rating of {spot_label(self.name_shown, self.rating.side)}")
            yield Label("Tenderness 0–10, or s for skipped:")
            yield Input(current, id="value")
            yield Label("Note:")
            yield Input(self.rating.note, id="note")
            yield Label("", id="problem")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", variant="primary", id="save")
        yield KeyFooter()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self._save()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        text = self.query_one("#value", Input).value.strip().lower()
        note = self.query_one("#note", Input).value
        if text in ("s", "skip", "skipped"):
            self.dismiss(RatingCorrection(self.rating.step_index, None, True, note))
            return
        if not text.isdigit() or not 0 <= int(text) <= 10:
            self.query_one("#problem", Label).update("Give a whole number from 0 to 10, or s.")
            return
        self.dismiss(RatingCorrection(self.rating.step_index, int(text), False, note))


class SessionNotesDialog(ModalScreen[str | None]):
    """Edits a session's notes."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="SessionNotesDialog") + "SessionNotesDialog TextArea { height: 8; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def action_save(self) -> None:
        self._save()

    def __init__(self, notes: str) -> None:
        super().__init__()
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Notes for this session:")
            yield TextArea(self.notes, id="notes")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", variant="primary", id="save")
        yield KeyFooter()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.dismiss(self.query_one("#notes", TextArea).text)


class DeleteSessionDialog(ModalScreen[bool]):
    """Asks before a session and all its ratings are deleted for good."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="DeleteSessionDialog")
    BINDINGS = [Binding("escape", "cancel", "Keep"), Binding("y", "confirm", "Delete")]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Delete this {self.what} session and all its ratings?")
            yield Label("This cannot be undone.")
            with Horizontal():
                yield Button("Keep it", id="cancel")
                yield Button("Delete (y)", variant="error", id="delete")
        yield KeyFooter()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#delete")
    def action_confirm(self) -> None:
        self.dismiss(True)
