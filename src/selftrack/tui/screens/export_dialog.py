"""ExportDialog: choose a format, a period and a file; the export runs in a worker."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from selftrack.domain.text import printable
from selftrack.exports import FORMAT_LABELS, ExportRequest, ExportResult, default_filename, default_folder
from selftrack.tui import core
from selftrack.tui.messages import ExportWritten

# Every export format but NDJSON, which is for loading years of data into a FHIR server
FORMATS = ("pdf", "xlsx", "csv", "json", "fhir")
PERIODS = (("30d", "Last 30 days"), ("90d", "Last 90 days"), ("1y", "Last year"), ("", "Everything"))


class ExportDialog(ModalScreen[ExportResult | None]):
    """Dismisses with the ExportResult once the file is written (None when cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, *, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder or default_folder()
        self.result: ExportResult | None = None
        self._suggested = ""
        self._confirm_replace: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            yield Static("Export for your therapist", classes="field-title")
            with Horizontal(id="export-choices"):
                with Vertical():
                    yield Static("Format", classes="field-title")
                    with RadioSet(id="export-format"):
                        for number, fmt in enumerate(FORMATS):
                            yield RadioButton(FORMAT_LABELS[fmt], value=number == 0, name=fmt)
                with Vertical():
                    yield Static("Sessions from", classes="field-title")
                    with RadioSet(id="export-period"):
                        for number, (word, label) in enumerate(PERIODS):
                            yield RadioButton(label, value=number == 1, name=word)
            yield Static("Name on the report (optional)", classes="field-title")
            yield Input(placeholder="e.g. Alex Example", id="export-name")
            yield Static("Save as", classes="field-title")
            yield Input(id="export-path")
            yield Static("", id="export-status")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")
            yield Static("Files are readable by you only. esc to cancel.", classes="hint")

    def on_mount(self) -> None:
        self._suggest_path()
        self.query_one("#export-format", RadioSet).focus()

    # -- choices ------------------------------------------------------------------------

    @property
    def format(self) -> str:
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return pressed.name if pressed else FORMATS[0]

    @property
    def period(self) -> str:
        pressed = self.query_one("#export-period", RadioSet).pressed_button
        return pressed.name if pressed else ""

    def _suggest_path(self) -> None:
        """Put the default file name in, unless the user has typed their own."""
        field = self.query_one("#export-path", Input)
        if field.value and field.value != self._suggested:
            return
        clock = self.app.tracker.clock
        today = clock.local(clock.now()).date()
        self._suggested = str(self.folder / default_filename(self.format, today))
        field.value = self._suggested

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self) -> None:
        self._suggest_path()
        self._confirm_replace = None

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirm_replace = None

    # -- actions ------------------------------------------------------------------------

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted)
    def _go(self) -> None:
        if self.result is not None:
            self.dismiss(self.result)
            return
        status = self.query_one("#export-status", Static)
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            status.update("Give a file name.")
            return
        path = Path(raw).expanduser()
        if path.exists() and self._confirm_replace != path:
            self._confirm_replace = path
            status.update(f"{path} already exists: press Export again to replace it.")
            return
        clock = self.app.tracker.clock
        request = ExportRequest(
            self.format,
            start=clock.parse_when(self.period) if self.period else None,
            name=self.query_one("#export-name", Input).value.strip(),
        )
        status.update("Writing…")
        self.query_one("#export-go", Button).disabled = True
        core.call(self, self.app.tracker.export, request, path, done=ExportWritten,
                  doing="export", group="export", exclusive=True, quiet=True)  # fmt: skip

    @on(core.CoreFailed)
    def _failed(self, event: core.CoreFailed) -> None:
        self.query_one("#export-status", Static).update(f"Not exported: {printable(event.reason)}")
        self.query_one("#export-go", Button).disabled = False

    @on(ExportWritten)
    def _done(self, event: ExportWritten) -> None:
        result = self.result = event.result
        self.query_one("#export-status", Static).update(
            f"Saved {result.sessions} session(s) with {result.ratings} rating(s) to\n{printable(str(result.path))}"
        )
        button = self.query_one("#export-go", Button)
        button.label = "Close"
        button.disabled = False
        button.focus()
        self.query_one("#export-cancel", Button).display = False

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(self.result)
