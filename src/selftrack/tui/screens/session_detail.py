"""One past session: every rating on the body map and in a table; correct, annotate, delete."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from selftrack.textviews import printable
from selftrack.tui.screens.history_dialogs import (
    DeleteSessionDialog,
    RatingCorrection,
    RatingDialog,
    SessionNotesDialog,
)
from selftrack.tui.widgets.body_map import BodyMap, MapSpot
from selftrack.tui.widgets.title_bar import TitleBar


class SessionDetailScreen(Screen[bool]):
    """A finished (or interrupted) session; dismisses with True when something changed."""

    AUTO_FOCUS = "#ratings"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("e", "edit_rating", "Correct rating"),
        Binding("n", "edit_notes", "Notes"),
        Binding("d", "delete", "Delete session"),
    ]
    DEFAULT_CSS = """
    SessionDetailScreen #summary { height: auto; padding: 0 1; }
    SessionDetailScreen #ratings { width: 1fr; height: 1fr; }
    SessionDetailScreen BodyMap { margin: 0 1; }
    SessionDetailScreen #off-map { width: 46; height: auto; margin: 0 1; color: $text-muted; }
    """

    def __init__(self, tracker, session_id: str) -> None:
        super().__init__()
        self.tracker = tracker
        self.session_id = session_id
        self.session = None
        self.ratings = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield TitleBar("a past session")
        yield Static("Loading…", id="summary")
        with Horizontal():
            with Vertical(classes="map"):
                yield BodyMap()
                yield Static("", id="off-map")
            with Vertical():
                yield DataTable(id="ratings", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#ratings", DataTable)
        table.add_columns("#", "spot", "side", "tenderness", "flags", "note")
        self.load()

    @work(thread=True, exclusive=True, group="session-detail")
    def load(self) -> None:
        """Read the session and its ratings in a thread."""
        from selftrack.errors import SelftrackError

        try:
            session = self.tracker.session(self.session_id)
            ratings = self.tracker.ratings(self.session_id)
        except SelftrackError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._show, session, ratings)

    def _show(self, session, ratings) -> None:
        self.session, self.ratings = session, ratings
        tz = self.tracker.clock.tz
        local = session.started_at.astimezone(tz)
        pain = f"{_text(session.pain_before)} → {_text(session.pain_after)}"
        lines = [
            f"[b]{escape(session.protocol_name)}[/b]  {local:%A %d %B %Y, %H:%M}  "
            f"({self.tracker.clock.human(session.started_at)})",
            f"sides: {session.sides}   tool: {session.tool or '–'}   status: "
            f"{session.status.value.replace('_', ' ')}   overall pain before → after: {pain}",
            f"notes: {escape(printable(session.notes, multiline=True)) or '–'}",
        ]
        self.query_one("#summary", Static).update("\n".join(lines))
        table = self.query_one("#ratings", DataTable)
        cursor = table.cursor_row
        table.clear()
        spots: list[MapSpot] = []
        off_map: list[str] = []
        for rating in ratings:
            spot = session.spots.get(rating.spot_id)
            name = spot.name if spot else rating.spot_id
            value = "skipped" if rating.skipped else str(rating.tenderness)
            flags = " ".join(
                word
                for word, on_ in (
                    ("recognised", rating.recognised),
                    ("referred", rating.referred),
                    ("nerve", rating.nerve),
                )
                if on_
            )
            table.add_row(
                str(rating.step_index + 1), Text(name), rating.side, value, flags,
                Text(printable(rating.note)),
                key=str(rating.step_index),
            )
            if spot is None:
                continue
            if spot.view != "back":
                off_map.append(f"{name} ({rating.side}): {value}")
                continue
            x, y = (0.0, spot.y) if rating.side == "mid" else spot.position(rating.side)
            spots.append(
                MapSpot(rating.step_index, x, y, rating.tenderness, rating.skipped, rated=True)
            )
        self.query_one(BodyMap).show(spots, None)
        self.query_one("#off-map", Static).update(
            "Not on this view: " + "; ".join(off_map) if off_map else ""
        )
        if ratings:
            table.move_cursor(row=min(cursor, len(ratings) - 1))

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def _selected(self):
        table = self.query_one("#ratings", DataTable)
        if not self.ratings or table.cursor_row is None:
            return None
        return self.ratings[table.cursor_row]

    def action_edit_rating(self) -> None:
        rating = self._selected()
        if rating is None:
            return
        self.app.push_screen(RatingDialog(rating), self._correct)

    def _correct(self, correction: RatingCorrection | None) -> None:
        if correction is not None:
            self._save_correction(correction)

    @work(thread=True, group="session-detail-write")
    def _save_correction(self, correction: RatingCorrection) -> None:
        from selftrack.errors import SelftrackError

        try:
            self.tracker.correct_rating(
                self.session_id,
                correction.step_index,
                correction.tenderness,
                skipped=correction.skipped,
                note=correction.note,
            )
        except SelftrackError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.changed = True
        self.app.call_from_thread(self.notify, "Rating corrected.")
        self.app.call_from_thread(self.load)

    def action_edit_notes(self) -> None:
        if self.session is not None:
            self.app.push_screen(SessionNotesDialog(self.session.notes), self._notes)

    def _notes(self, notes: str | None) -> None:
        if notes is not None:
            self._save_notes(notes)

    @work(thread=True, group="session-detail-write")
    def _save_notes(self, notes: str) -> None:
        self.tracker.set_session_notes(self.session_id, notes)
        self.changed = True
        self.app.call_from_thread(self.load)

    def action_delete(self) -> None:
        if self.session is not None:
            self.app.push_screen(DeleteSessionDialog(self.session.protocol_name), self._delete)

    def _delete(self, confirmed: bool | None) -> None:
        if confirmed:
            self._delete_session()

    @work(thread=True, group="session-detail-write")
    def _delete_session(self) -> None:
        self.tracker.delete_session(self.session_id)
        self.app.call_from_thread(self.notify, "Session deleted.")
        self.app.call_from_thread(self.dismiss, True)

    @on(DataTable.RowSelected, "#ratings")
    def _row_chosen(self) -> None:
        self.action_edit_rating()


def _text(value: int | None) -> str:
    return "–" if value is None else str(value)
