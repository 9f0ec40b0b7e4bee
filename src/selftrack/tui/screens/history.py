"""History: sessions newest first, filtered by dates and routine; Enter opens one."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from selftrack.clock import human_age
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

    def __init__(self, tracker) -> None:
        super().__init__()
        self.tracker = tracker
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

        clock = self.tracker.clock
        since = self.query_one("#since", Input).value.strip()
        until = self.query_one("#until", Input).value.strip()
        routine = self.query_one("#routine", Select).value
        try:
            start = clock.parse_when(since) if since else None
            end = clock.parse_when(until, end=True) if until else None
        except SelftrackError as exc:
            self.notify(str(exc), severity="error")
            return
        self._load(start, end, routine if isinstance(routine, str) else None)

    @work(thread=True, exclusive=True, group="history")
    def _load(self, start, end, protocol: str | None) -> None:
        from selftrack.errors import SelftrackError

        try:
            rows = self.tracker.session_summaries(start, end, protocol_id=protocol, limit=self.limit)
            total = self.tracker.count_sessions_between(start, end, protocol_id=protocol)
        except SelftrackError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        routines = sorted({(r.protocol_name, r.protocol_id) for r in rows}) if protocol is None else None
        self.app.call_from_thread(self._show, rows, routines, total)

    def _show(self, rows, routines, total: int) -> None:
        self.rows = rows
        clock = self.tracker.clock
        now, tz = clock.now(), clock.tz
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for row in rows:
            pain = f"{_pain(row.pain_before)} → {_pain(row.pain_after)}"
            if row.pain_change:
                pain += f" ({row.pain_change:+d})"
            status = "" if row.status.value == "finished" else f" ({row.status.value.replace('_', ' ')})"
            table.add_row(
                human_age(row.started_at, now, tz),
                f"{row.started_at.astimezone(tz):%Y-%m-%d %H:%M}",
                row.protocol_name + status,
                row.sides,
                f"{row.rated}" + (f" +{row.skipped} skipped" if row.skipped else ""),
                "–" if row.mean is None else f"{row.mean:.1f}",
                "–" if row.highest is None else str(row.highest),
                pain,
                key=row.id,
            )
        if routines is not None:
            select = self.query_one("#routine", Select)
            with select.prevent(Select.Changed):
                select.set_options(routines)
        more = f" (newest {len(rows)} shown; o shows older ones)" if total > len(rows) else ""
        self.query_one("#status", Static).update(
            f"{total} sessions{more}. Enter opens a session; f filters by date."
        )

    @on(DataTable.RowSelected, "#sessions")
    def _open(self, event: DataTable.RowSelected) -> None:
        from selftrack.tui.screens.session_detail import SessionDetailScreen

        self.app.push_screen(SessionDetailScreen(self.tracker, event.row_key.value), self._after_detail)

    def _after_detail(self, changed: bool | None) -> None:
        if changed:
            self.load()


def _pain(value: int | None) -> str:
    return "–" if value is None else str(value)
