"""HelpScreen: every key, what the program is, and the safety note."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.title_bar import TitleBar
from selftrack.tui.screens.safety import safety_text

# every key of every screen, by screen (tests/tui check these against the bindings)
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Home", (
        ("s", "start a session (offers the unfinished one first)"),
        ("r", "resume the unfinished session"),
        ("b", "bad day: a quick check of a few key spots"),
        ("h / t / m / a", "history / trends / heat map / regularity"),
        ("e", "export for your therapist (PDF, CSV, JSON, FHIR)"),
        ("k", "morning check-in: back and leg pain, the night, soreness the day after a session (offered until noon)"),
        ("w", "weekly form: PEG, your activities (PSFS), change since starting (offered once a week)"),
        ("i", "what seems to help: next-morning back pain after days with a session and without"),
        ("c", "safety: your last answers to the safety questions (answer again) and your conditions"),
        ("q", "quit (everything is already saved)"),
    )),
    ("Safety questions (before the first session, every 4 weeks, and when something changes)", (
        ("y / n", "yes / no to the question shown"),
        ("c", "yes, and a clinician has said self-massage is fine (not for the signs that mean an emergency)"),
        ("b", "back to the question before"),
        ("esc", "later: no session starts until they are answered"),
    )),
    ("Your conditions", (
        ("↑ ↓  space", "move, and tick or untick a condition"),
        ("ctrl+s", "save: the routines follow them from now on"),
        ("a", "answer the safety questions again (after seeing a clinician, say)"),
        ("esc", "close"),
    )),
    ("After a hard session", (
        ("1 2 3 4", "not sore / a little sore / sore for more than two days / bruised"),
        ("esc", "ask me next time"),
    )),
    ("Morning check-in and weekly form", (
        ("0 … 9, t", "answer the question shown (t for 10) and go on to the next"),
        ("y / n", "below the knee: yes / no"),
        ("1 … 4 / 1 … 7", "soreness after yesterday's session / change since starting"),
        ("e  enter", "weekly form: name the activities again; enter goes to the next name, and on"),
        ("b", "back a question"),
        ("esc", "later: nothing is stored"),
    )),
    ("What seems to help", (("pgdn / pgup  ↑ ↓", "scroll"), ("esc", "back"))),
    ("Start a session", (
        ("tab / shift+tab", "next / previous field"),
        ("↑ ↓", "choose the routine"),
        ("← → and enter or space", "move along a row of choices and choose one (the chosen one is bold and green; the bar is only where the cursor is)"),
        ("0 … 9, t", "pain now, wherever the focus is (t for 10)"),
        ("ctrl+b", "begin (or enter on Begin)"),
        ("esc", "back home"),
    )),
    ("In a session", (
        ("0 … 9", "rate the spot 0–9 and go to the next one"),
        ("t", "rate the spot 10 (one key too)"),
        ("s", "skip the spot (kept apart from 0: not rated this time)"),
        ("b  ←", "back to the spot before (rate it again to change it)"),
        ("→", "on to the next spot without rating"),
        ("u", "undo the last rating and go back to that spot"),
        ("r", "recognised: this is my familiar pain"),
        ("f", "refers: the feeling spreads elsewhere (you may say where)"),
        ("n", "nerve: electric, shooting or tingling — move off the spot"),
        ("c", "a note on this spot"),
        ("o", "the tool on this spot: the next one the spot offers (no body weight where the routine or your conditions rule it out; round the list back to the session's); stored with the rating"),
        ("d", "the pressure on this spot: light, medium, firm, or not said; stored with the rating"),
        ("i", "everything about this spot (how it may feel, where it spreads, pressure, tools)"),
        ("pgdn / pgup", "scroll the spot's description when it does not fit"),
        ("m", "on a small screen: the body map in place of the text, and back"),
        ("h", "hold timer on or off (30 s per spot; it stops while paused); while it is on, the seconds on a spot are stored with its rating"),
        ("p  esc", "pause: your ratings are saved; carry on or go home"),
        ("x", "finish now (unrated spots stay unrated)"),
        ("click", "click a spot on the body map to jump to it"),
    )),
    ("Pause", (("enter  p  esc", "carry on"), ("h", "home: the session is offered to resume next time"))),
    ("How the session went", (
        ("0 … 9, t", "pain now"),
        ("enter", "from pain to the notes; in the notes, save and finish"),
        ("ctrl+s", "save and finish"),
        ("ctrl+d / ctrl+k", "nothing rated: discard the session / keep it as abandoned"),
        ("esc", "back to the spots"),
    )),
    ("History", (
        ("↑ ↓  pgdn pgup", "move through the sessions"),
        ("enter", "open a session"),
        ("f", "filter by date (from, to) and routine"),
        ("o", "older sessions"),
        ("r", "reload"),
        ("esc", "back"),
    )),
    ("A past session", (
        ("e  enter", "correct the rating under the cursor (a number, or s for skipped)"),
        ("n", "edit the session's notes (ctrl+s saves)"),
        ("d", "delete the session (asks first; y deletes)"),
        ("esc", "back"),
    )),
    ("Trends", (
        ("↑ ↓", "choose a region, the overall pain or a spot to chart"),
        ("tab", "to the table of spots (moving there charts the spot)"),
        ("l / c", "sort the spots by level / by change"),
        ("1 2 3 0", "period: 30 days, 90 days, a year, everything"),
        ("?", "how change is judged"),
        ("esc", "back"),
    )),
    ("Heat map", (
        ("m", "mean per spot, or each spot's change over the period"),
        ("1 2 3 0", "period: 30 days, 90 days, a year, everything"),
        ("v", "on a small screen: the map in place of the table, and back"),
        ("esc", "back"),
    )),
    ("Regularity", (("↑ ↓", "move through the weeks"), ("esc", "back"))),
    ("Export", (
        ("tab", "next field"),
        ("← → ↑ ↓ and enter or space", "choose a format and a period"),
        ("ctrl+e  enter", "export"),
        ("esc", "cancel (or close once written)"),
    )),
    ("Anywhere", (
        ("? / f1", "this help (pgdn, pgup and the arrows scroll it)"),
        ("ctrl+q / ctrl+c", "quit (everything is already saved)"),
    )),
)
# kept for callers that list the walk's keys alone
WALK_KEYS: tuple[tuple[str, str], ...] = dict(KEYS)["In a session"]


def _reading_trends() -> Text:
    """How change is judged: the core's words (the README and the trends screen say the same)."""
    from selftrack.analysis.stats import READING_TRENDS
    from selftrack.render.history import plain

    text = Text("How change is judged", style="bold")
    for paragraph in READING_TRENDS:
        text.append("\n\n" + plain(paragraph))
    return text


def _keys_table(title: str, keys: tuple[tuple[str, str], ...]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold", max_width=24)
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
        Binding("pagedown", "page(1)", "Page down", key_display="pgdn", priority=True),
        Binding("pageup", "page(-1)", "Page up", key_display="pgup", priority=True),
    ]

    def action_page(self, pages: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if pages > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

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
            for title, keys in KEYS:
                yield Static(_keys_table(title, keys), classes="card")
            yield Static(safety_text(), classes="card", id="help-safety")
            yield Static(_reading_trends(), classes="card", id="help-trends")
        yield KeyFooter()
