"""ExportDialog in a minimal app: choose, export, see where the file went, get the result."""

from __future__ import annotations

import stat

from textual.app import App
from textual.widgets import Input, RadioSet

from selftrack.exports import ExportResult
from selftrack.tui.screens.export_dialog import ExportDialog
from tui_support import settle, text_of

SIZE = (100, 44)


async def press_go(pilot) -> None:
    """Press the Export (later Close) button from the keyboard, as a user would.

    The button ignores a second press during its 0.2 s press animation; turned off here.
    """
    button = pilot.app.screen.query_one("#export-go")
    button.active_effect_duration = 0
    button.focus()
    await pilot.pause()
    await pilot.press("enter")


class DialogApp(App):
    """Opens the dialog at once and keeps what it returns."""

    def __init__(self, tracker, folder) -> None:
        super().__init__()
        self.tracker = tracker
        self.folder = folder
        self.returned = "not yet"

    def on_mount(self) -> None:
        self.push_screen(ExportDialog(folder=self.folder), self._keep)

    def _keep(self, result) -> None:
        self.returned = result


def _log_one(tracker):
    session = tracker.start_session("test-mini", "left", tool="ball", pain_before=5)
    for step, value in enumerate((6, 3, 1)):
        tracker.record_rating(session.id, step, value)
    tracker.finish(session.id, pain_after=3)


async def test_export_csv_and_close_with_the_result(tracker, tmp_path):
    _log_one(tracker)
    app = DialogApp(tracker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-path", Input).value == str(tmp_path / "selftrack-2026-11-20.pdf")
        await pilot.press("down", "down", "enter")  # format: CSV (after PDF and Excel)
        await settle(pilot)
        assert dialog.format == "csv"
        assert dialog.query_one("#export-path", Input).value.endswith("selftrack-2026-11-20.csv")
        await press_go(pilot)
        await settle(pilot)
        target = tmp_path / "selftrack-2026-11-20.csv"
        assert "Saved 1 session(s) with 3 rating(s) to" in text_of(app, "#export-status")
        assert str(target) in text_of(app, "#export-status").replace("\n", "")
        assert target.read_text().startswith("session_id,")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        await press_go(pilot)  # now "Close"
        await settle(pilot)
    assert isinstance(app.returned, ExportResult)
    assert app.returned.path == target and app.returned.format == "csv"


async def test_an_existing_file_needs_a_second_press_and_escape_cancels(tracker, tmp_path):
    _log_one(tracker)
    target = tmp_path / "selftrack-2026-11-20.pdf"
    target.write_bytes(b"old")
    app = DialogApp(tracker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press_go(pilot)
        await settle(pilot)
        assert "already exists" in text_of(app, "#export-status")
        assert target.read_bytes() == b"old"
        await press_go(pilot)
        await settle(pilot)
        assert target.read_bytes().startswith(b"%PDF"), text_of(app, "#export-status")
        assert "Saved 1 session(s)" in text_of(app, "#export-status")
        await pilot.press("escape")
        await settle(pilot)
    assert isinstance(app.returned, ExportResult)  # escape after success still returns it


async def test_a_problem_is_shown_and_nothing_returned_on_cancel(tracker, tmp_path):
    app = DialogApp(tracker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#export-path", Input)
        field.value = str(tmp_path / "no-such-folder" / "x.json")
        app.screen.query_one("#export-format", RadioSet).focus()
        await press_go(pilot)
        await settle(pilot)
        assert "Not exported:" in text_of(app, "#export-status")
        assert "does not exist" in text_of(app, "#export-status")
        await pilot.press("escape")
        await settle(pilot)
    assert app.returned is None


async def test_e_on_the_home_screen_opens_the_dialog(tracker, acknowledged, tmp_path):
    from selftrack.tui.app import build_app
    from selftrack.tui.screens.home import HomeScreen

    _log_one(tracker)
    app = build_app(tracker)
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_export_an_excel_workbook(tracker, tmp_path):
    import openpyxl

    _log_one(tracker)
    app = DialogApp(tracker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = app.screen
        await pilot.press("down", "enter")  # format: Excel, second after PDF
        await settle(pilot)
        assert dialog.format == "xlsx"
        assert dialog.query_one("#export-path", Input).value.endswith("selftrack-2026-11-20.xlsx")
        await press_go(pilot)
        await settle(pilot)
        assert "Saved 1 session(s) with 3 rating(s) to" in text_of(app, "#export-status")
    target = tmp_path / "selftrack-2026-11-20.xlsx"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    ratings = openpyxl.load_workbook(target)["Ratings"]
    assert [row[9] for row in ratings.iter_rows(min_row=2, values_only=True)] == [6, 3, 1]
