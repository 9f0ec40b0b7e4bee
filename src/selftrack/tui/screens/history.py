"""History: sessions newest first, filtered by dates and routine; Enter opens one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from selftrack.clock import human_age
from selftrack.domain.terms import SessionStatus
from selftrack.domain.text import printable
from selftrack.render.words import pain_text, status_word
from selftrack.tui import core
from selftrack.tui.messages import HistoryLoaded
from selftrack.tui.widgets.title_bar import TitleBar

PAGE = 100


class HistoryScreen(Screen):
    """Every session in a period, with its counts, tenderness and pain before → after."""

    AUTO_FOCUS = "#sessions"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f", "focus_filter", "Filter"),
        Binding("o", "older", "Older sessions"),
        Binding("r", "reload", "Reload"),
    ]
    DEFAULT_CSS = """
    HistoryScreen #filters { height: 3; }
    HistoryScreen #filters Input { width: 18; }
    HistoryScreen #filters Select { width: 32; }
    HistoryScreen #filters Label { padding: 1 1 0 1; }
    HistoryScreen #sessions { height: 1fr; }
    HistoryScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows = []
        self.limit = PAGE

    def compose(self) -> ComposeResult:
        yield TitleBar("your sessions")
        with Horizontal(id="filters"):
            yield Label("From")
            yield Input(placeholder="e.g. 30d, 2026-10-01", id="since")
            yield Label("to")
            yield Input(placeholder="today", id="until")
            yield Label("routine")
            yield Select([], prompt="any routine", id="routine")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("Loading sessions…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("when", "started", "routine", "sides", "rated", "mean", "max", "pain before → after")
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_older(self) -> None:
        """Show another page of older sessions."""
        self.limit += PAGE
        self.load()

    def action_focus_filter(self) -> None:
        self.query_one("#since", Input).focus()

    @on(Input.Submitted)
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.limit = PAGE
        self.load()

    def load(self) -> None:
        """Read the filters and load the sessions in a thread worker."""
        from selftrack.errors import SelftrackError

        clock = self.app.tracker.clock
        since = self.query_one("#since", Input).value.strip()
        until = self.query_one("#until", Input).value.strip()
        routine = self.query_one("#routine", Select).value
        try:
            start = clock.parse_when(since) if since else None
            end = clock.parse_when(until, end=True) if until else None
        except SelftrackError as exc:
            self.notify(str(exc), severity="error")
            return
        protocol = routine if isinstance(routine, str) else None
        core.call(self, _read_page, self.app.tracker, start, end, protocol, self.limit,
                  done=HistoryLoaded, doing="read your sessions", group="history", exclusive=True)  # fmt: skip

    @on(HistoryLoaded)
    def _show(self, event: HistoryLoaded) -> None:
        rows, routines, total = event.result
        self.rows = rows
        clock = self.app.tracker.clock
        now, tz = clock.now(), clock.tz
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for row in rows:
            status = "" if row.status is SessionStatus.FINISHED else f" ({status_word(row.status)})"
            table.add_row(
                human_age(row.started_at, now, tz),
                f"{row.started_at.astimezone(tz):%Y-%m-%d %H:%M}",
                printable(row.protocol_name) + status,
                row.sides,
                f"{row.rated}" + (f" +{row.skipped} skipped" if row.skipped else ""),
                "–" if row.mean is None else f"{row.mean:.1f}",
                "–" if row.highest is None else str(row.highest),
                pain_text(row.pain_before, row.pain_after),
                key=row.id,
            )
        if routines is not None:
            select = self.query_one("#routine", Select)
            with select.prevent(Select.Changed):
                select.set_options([(printable(name), pid) for name, pid in routines])
        more = f" (newest {len(rows)} shown; o shows older ones)" if total > len(rows) else ""
        self.query_one("#status", Static).update(
            f"{total} sessions{more}. Enter opens a session; f filters by date."
        )

    @on(DataTable.RowSelected, "#sessions")
    def _open(self, event: DataTable.RowSelected) -> None:
        from selftrack.tui.screens.session_detail import SessionDetailScreen

        self.app.push_screen(SessionDetailScreen(event.row_key.value), self._after_detail)

    def _after_detail(self, changed: bool | None) -> None:
        if changed:
            self.load()


def _read_page(tracker, start, end, protocol: str | None, limit: int):
    """(rows, routines for the filter or None, how many sessions in all) for one page."""
    rows = tracker.session_summaries(start, end, protocol_id=protocol, limit=limit)
    total = tracker.count_sessions(start, end, protocol_id=protocol)
    routines = sorted({(r.protocol_name, r.protocol_id) for r in rows}) if protocol is None else None
    return rows, routines, total
