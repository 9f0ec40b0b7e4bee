"""HelpScreen: every key, what the program is, and the safety note."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from selftrack.tui.widgets.title_bar import TitleBar
from selftrack.tui.screens.safety import safety_text

WALK_KEYS: tuple[tuple[str, str], ...] = (
    ("0 … 9", "rate the spot 0–9 and go to the next one"),
    ("t", "rate the spot 10 (one key too)"),
    ("s", "skip the spot (kept apart from 0: not rated this time)"),
    ("b  ←", "back to the spot before (rate it again to change it)"),
    ("→", "on to the next spot without rating"),
    ("u", "undo the last rating and go back to that spot"),
    ("r", "recognised: this is my familiar pain"),
    ("f", "refers: the pain spreads elsewhere (you may say where)"),
    ("n", "nerve: electric, shooting or tingling — move off the spot"),
    ("c", "a note on this spot"),
    ("h", "hold timer on or off (counts the seconds on each spot)"),
    ("p  esc", "pause: your ratings are saved; carry on or go home"),
    ("x", "finish now (unrated spots stay unrated)"),
    ("click", "click a spot on the body map to jump to it"),
)
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("s", "home: start a session"),
    ("r", "home: resume the unfinished session"),
    ("b", "home: a quick check of a few key spots, for bad days"),
    ("e", "home: export for your therapist (PDF, CSV, JSON, FHIR)"),
    ("h, t, m, a", "home: history, trends, heat map, regularity"),
    ("l, c / 1 2 3 0", "trends: sort spots by level or change / period: 30 days, 90, a year, all"),
    ("m", "heat map: mean per spot, or change from the first to the last month"),
    ("e, n, d", "a past session: correct a rating, edit notes, delete (asks first)"),
    ("tab", "start and summary: next field"),
    ("0 … 9, t", "pain now: set it (on the start and summary screens)"),
    ("enter", "choose, or go on"),
    ("? / f1", "this help"),
    ("q / ctrl+q", "quit (everything is already saved)"),
)


def _keys_table(title: str, keys: tuple[tuple[str, str], ...]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, what in keys:
        table.add_row(key, what)
    return table


class HelpScreen(Screen):
    """Keys, in the session and elsewhere, then the safety note."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("question_mark", "app.pop_screen", "Back", show=False),
        Binding("q", "app.pop_screen", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar("keys and safety")
        with VerticalScroll(id="help-body"):
            yield Static(
                Text(
                    "selftrack guides self-massage of the low back and buttocks spot by spot and "
                    "records how tender each spot is (0 to 10). It records what you feel: "
                    "tenderness at named spots, nothing more.",
                ),
                classes="card",
            )
            yield Static(_keys_table("In a session", WALK_KEYS), classes="card")
            yield Static(_keys_table("Elsewhere", OTHER_KEYS), classes="card")
            yield Static(safety_text(), classes="card", id="help-safety")
        yield Footer()
