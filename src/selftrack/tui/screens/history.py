"""History: sessions newest first, filtered by dates and routine; Enter opens one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static

from selftrack.clock import human_age
from selftrack.domain.terms import SessionStatus
from selftrack.domain.text import printable
from selftrack.render.words import counted, pain_text, status_word
from selftrack.tui import core
from selftrack.tui.messages import HistoryLoaded
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.tables import Column, fill, room, shown
from selftrack.tui.widgets.title_bar import TitleBar

PAGE = 100
# date, routine, rated, mean and pain before → after always; the rest when there is room
COLUMNS = (
    Column("started"),
    Column("when", 104),
    Column("routine", shrink=True),
    Column("sides", 96),
    Column("rated"),
    Column("mean"),
    Column("max", 90),
    Column("pain before → after"),
)
NARROW_ROUTINE = 22  # characters of the routine's name kept at 80 columns


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
    HistoryScreen.-narrow #filters Input { width: 1fr; }
    HistoryScreen.-narrow #filters Select { width: 2fr; }
    HistoryScreen.-narrow #filters Label { padding: 1 0 0 1; }
    HistoryScreen #sessions { height: 1fr; }
    HistoryScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows = []
        self.limit = PAGE
        self._loaded = False
        self._columns: tuple[int, ...] = ()

    @property
    def ready_for_keys(self) -> bool:
        return self._loaded

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
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        self.call_after_refresh(self._refill)

    def _refill(self) -> None:
        if self._loaded and shown(COLUMNS, room(self.query_one("#sessions", DataTable))) != self._columns:
            self._fill()

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
        rows, routines, total, finished = event.result
        self.rows = rows
        self._fill()
        if routines is not None:
            select = self.query_one("#routine", Select)
            with select.prevent(Select.Changed):
                select.set_options([(printable(name), pid) for name, pid in routines])
        more = f" (newest {len(rows)} shown; o shows older ones)" if total > len(rows) else ""
        others = f", {finished} finished" if finished != total else ""
        self.query_one("#status", Static).update(
            f"{counted(total, 'session')}{others}{more}. Enter opens a session; f filters by date."
        )
        self._loaded = True
        keys_ready(self)

    def _fill(self) -> None:
        """Lay the table out for the width there is (again after a resize)."""
        clock = self.app.tracker.clock
        now, tz = clock.now(), clock.tz
        width = room(self.query_one("#sessions", DataTable))
        narrow = width < 96
        self._columns = shown(COLUMNS, width)
        cells = []
        for row in self.rows:
            status = "" if row.status is SessionStatus.FINISHED else f" ({status_word(row.status)})"
            name = printable(row.protocol_name)
            if narrow and len(name) > NARROW_ROUTINE:
                name = name[: NARROW_ROUTINE - 1].rstrip() + "…"
            skipped = (f" +{row.skipped} s" if narrow else f" +{row.skipped} skipped") if row.skipped else ""
            cells.append((row.id, (
                f"{row.started_at.astimezone(tz):%Y-%m-%d %H:%M}",
                human_age(row.started_at, now, tz),
                name + status,
                row.sides,
                f"{row.rated}{skipped}",
                "–" if row.mean is None else f"{row.mean:.1f}",
                "–" if row.highest is None else str(row.highest),
                pain_text(row.pain_before, row.pain_after),
            )))  # fmt: skip
        fill(self.query_one("#sessions", DataTable), COLUMNS, cells, width)
        self.call_after_refresh(self._refill)  # the table's own width, once it is laid out

    @on(DataTable.RowSelected, "#sessions")
    def _open(self, event: DataTable.RowSelected) -> None:
        from selftrack.tui.screens.session_detail import SessionDetailScreen

        self.app.push_screen(SessionDetailScreen(event.row_key.value), self._after_detail)

    def _after_detail(self, changed: bool | None) -> None:
        if changed:
            self.load()


def _read_page(tracker, start, end, protocol: str | None, limit: int):
    """(rows, routines for the filter or None, how many sessions in all, how many finished)."""
    rows = tracker.session_summaries(start, end, protocol_id=protocol, limit=limit)
    total = tracker.count_sessions(start, end, protocol_id=protocol)
    finished = tracker.count_sessions(start, end, protocol_id=protocol, statuses=[SessionStatus.FINISHED])
    routines = sorted({(r.protocol_name, r.protocol_id) for r in rows}) if protocol is None else None
    return rows, routines, total, finished
