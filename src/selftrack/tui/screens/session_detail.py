"""One past session: every rating on the body map and in a table; correct, annotate, delete."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from selftrack.domain.text import printable
from selftrack.render.words import flag_words, pain_text, status_word
from selftrack.tui import core
from selftrack.tui.messages import SessionChanged, SessionLoaded
from selftrack.tui.screens.history_dialogs import (
    DeleteSessionDialog,
    RatingCorrection,
    RatingDialog,
    SessionNotesDialog,
)
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.body_map import BodyMap, MapSpot
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.tables import Column, fill, room, shown
from selftrack.tui.widgets.title_bar import TitleBar

# spot, side, tenderness and flags always; the step and the note when there is room
COLUMNS = (
    Column("#", 110),
    Column("spot", shrink=True),
    Column("side"),
    Column("tenderness"),
    Column("flags"),
    Column("note", 90),
)


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
    SessionDetailScreen.-narrow .map { display: none; }
    SessionDetailScreen.-medium .map { width: 38; }
    SessionDetailScreen.-medium BodyMap { width: 36; height: 20; }
    SessionDetailScreen.-medium #off-map { width: 36; }
    """

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.session = None
        self.ratings = []
        self.changed = False
        self._columns: tuple[int, ...] = ()
        self._rows: list = []

    @property
    def ready_for_keys(self) -> bool:
        return self.session is not None

    def compose(self) -> ComposeResult:
        yield TitleBar("a past session")
        yield Static("Loading…", id="summary")
        with Horizontal():
            with Vertical(classes="map"):
                yield BodyMap()
                yield Static("", id="off-map")
            with Vertical():
                yield DataTable(id="ratings", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        self.call_after_refresh(self._refill)

    def _refill(self) -> None:
        if self.session is not None and shown(COLUMNS, room(self.query_one("#ratings", DataTable))) != self._columns:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#ratings", DataTable)
        self._columns = shown(COLUMNS, room(table))
        fill(table, COLUMNS, self._rows, room(table))
        self.call_after_refresh(self._refill)  # the table's own width, once it is laid out

    def load(self) -> None:
        """Read the session and its ratings."""
        core.call(self, _read_session, self.app.tracker, self.session_id, done=SessionLoaded,
                  doing="read the session", group="session-detail", exclusive=True)  # fmt: skip

    @on(SessionLoaded)
    def _show(self, event: SessionLoaded) -> None:
        session, ratings = event.result
        self.session, self.ratings = session, ratings
        tracker = self.app.tracker
        tz = tracker.clock.tz
        local = session.started_at.astimezone(tz)
        lines = [
            f"[b]{escape(printable(session.protocol_name))}[/b]  {local:%A %d %B %Y, %H:%M}  "
            f"({tracker.clock.human(session.started_at)})",
            f"sides: {session.sides}   tool: {escape(printable(session.tool)) or '–'}   status: "
            f"{status_word(session.status)}   overall pain before → after: "
            f"{pain_text(session.pain_before, session.pain_after)}",
            f"notes: {escape(printable(session.notes, multiline=True)) or '–'}",
        ]
        self.query_one("#summary", Static).update("\n".join(lines))
        rows = []
        spots: list[MapSpot] = []
        off_map: list[str] = []
        for rating in ratings:
            spot = session.spots.get(rating.spot_id)
            name = printable(spot.name if spot else rating.spot_id)
            value = "skipped" if rating.skipped else str(rating.tenderness)
            flags = " ".join(flag_words(rating.recognised, rating.referred, "", rating.nerve))
            rows.append((str(rating.step_index), (
                str(rating.step_index + 1), Text(name), rating.side, value, flags,
                Text(printable(rating.note)),
            )))  # fmt: skip
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
        self._rows = rows
        self._fill()
        keys_ready(self)

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
        spot = self.session.spots.get(rating.spot_id) if self.session else None
        name = printable(spot.name) if spot else rating.spot_id
        self.app.push_screen(RatingDialog(rating, name), self._correct)

    def _correct(self, correction: RatingCorrection | None) -> None:
        if correction is not None:
            core.call(
                self, self.app.tracker.correct_rating, self.session_id, correction.step_index,
                correction.tenderness, skipped=correction.skipped, note=correction.note,
                done=lambda _rating: SessionChanged(("corrected", "Rating corrected.")), doing="correct the rating",
            )  # fmt: skip

    def action_edit_notes(self) -> None:
        if self.session is not None:
            self.app.push_screen(SessionNotesDialog(self.session.notes), self._notes)

    def _notes(self, notes: str | None) -> None:
        if notes is not None:
            core.call(
                self, self.app.tracker.set_session_notes, self.session_id, notes,
                done=lambda _session: SessionChanged(("notes", "Notes saved.")), doing="save the notes",
            )  # fmt: skip

    def action_delete(self) -> None:
        if self.session is not None:
            self.app.push_screen(DeleteSessionDialog(printable(self.session.protocol_name)), self._delete)

    def _delete(self, confirmed: bool | None) -> None:
        if confirmed:
            core.call(
                self, self.app.tracker.delete_session, self.session_id,
                done=lambda _none: SessionChanged(("deleted", "Session deleted.")), doing="delete the session",
            )  # fmt: skip

    @on(SessionChanged)
    def _changed(self, event: SessionChanged) -> None:
        what, words = event.result
        self.changed = True
        self.notify(words)
        if what == "deleted":
            self.dismiss(True)
        else:
            self.load()

    @on(DataTable.RowSelected, "#ratings")
    def _row_chosen(self) -> None:
        self.action_edit_rating()


def _read_session(tracker, session_id: str):
    """(the session, its ratings)."""
    return tracker.session(session_id), tracker.ratings(session_id)
