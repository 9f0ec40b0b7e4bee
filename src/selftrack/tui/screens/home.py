"""HomeScreen: how things stand, and the obvious next step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from selftrack.domain.terms import SessionStatus
from selftrack.domain.text import printable
from selftrack.render.words import status_word, verdict_words
from selftrack.tui import core
from selftrack.tui.messages import CareLoaded, HomeLoaded, SessionAbandoned
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.heat import colour
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import RenderableType
    from rich.table import Table

    from selftrack.domain.model import ProtocolSpec, Session
    from selftrack.domain.outcomes import OutcomePrompts
    from selftrack.tracker.care import CareState, RestingSpot
    from selftrack.tracker.overview import Overview

QUICK_CHECK = "quick-check"


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows, read in one worker."""

    overview: Overview
    protocols: list[ProtocolSpec] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    acknowledged: bool = True
    database: str = ""
    command: str = "selftrack"
    care: CareState | None = None
    resting: list[RestingSpot] = field(default_factory=list)
    prompts: OutcomePrompts | None = None


def load_home(tracker, command: str = "selftrack") -> HomeData:
    """Open the database (the first time) and read the home screen's figures."""
    from selftrack import safety

    overview = tracker.overview()
    loaded = tracker.load()
    return HomeData(
        overview=overview,
        protocols=list(loaded.specs.values()),
        problems=[str(p) for p in loaded.problems],
        acknowledged=safety.is_acknowledged(),
        database=tracker.database.display,
        command=command,
        care=tracker.care_state(),
        resting=tracker.resting_now() if overview.total_sessions else [],
        prompts=tracker.outcome_prompts(),
    )


class HomeScreen(Screen):
    """The first screen: last session, regularity, pain lately, the most tender spots."""

    BINDINGS = [
        Binding("s", "start", "Start a session"),
        Binding("r", "resume", "Resume"),
        Binding("b", "quick", "Bad day"),
        Binding("h", "review('history')", "History"),
        Binding("t", "review('trends')", "Trends"),
        Binding("m", "review('heatmap')", "Heat map"),
        Binding("a", "review('adherence')", "Regularity"),
        Binding("e", "export", "Export"),
        Binding("k", "checkin", "Check-in"),
        Binding("w", "weekly", "Weekly form"),
        Binding("i", "insights", "What helps"),
        Binding("c", "safety", "Safety"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]
    FOOTER_SHORT = {"start": "Start", "review('adherence')": "Regular", "weekly": "Weekly", "review('heatmap')": "Map"}
    FOOTER_KEEP = (
        "start", "resume", "quick", "app.help", "app.quit", "safety", "review('history')", "review('trends')",
        "export", "checkin", "insights", "weekly", "review('heatmap')", "review('adherence')",
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.data: HomeData | None = None
        self._started = False
        self._then_start = False
        self._load_failed = False
        # the routine asked for on the command line, opened once nothing is unfinished
        self._start_asked: tuple[str | None, str | None] | None = None
        # what opens once the safety checks before a session are done: ("start", protocol,
        # side) or ("walk", session id)
        self._after_checks: tuple | None = None
        self._checking = False

    @property
    def ready_for_keys(self) -> bool:
        """Keys typed before the figures are read wait for them (s, b, r need to know), and
        so do keys typed while the checks before a session are read (they belong to the
        screen those checks open)."""
        return (self.data is not None or self._load_failed) and not self._checking

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="home-body"):
            yield Static(id="home-due")
            yield Static("Opening your records…", id="home-status")
            yield Static(id="home-next")
        yield KeyFooter()

    def _figures(self) -> Horizontal:
        """The figure cards, built once there is something to show (keeps first paint light)."""
        from textual.widgets import Sparkline

        return Horizontal(
            Vertical(
                Static(id="home-last", classes="card"),
                Static(id="home-regular", classes="card"),
                Vertical(
                    Static(id="home-pain-title"),
                    Sparkline([], id="home-sparkline"),
                    Static(id="home-pain-range"),
                    id="home-pain",
                    classes="card",
                ),
                id="home-left",
            ),
            Static(id="home-spots", classes="card"),
            id="home-figures",
        )

    def on_screen_resume(self) -> None:
        # the first load waits for the first frame (the app calls it when Ready): importing
        # the database layer competes for the GIL with painting
        if self.app.first_frame_shown:
            self.start_reload()

    def start_reload(self) -> None:
        """Read the figures again; a newer reload replaces one still running."""
        core.call(
            self, load_home, self.app.tracker, getattr(self.app, "command", "selftrack"),
            done=HomeLoaded, doing="open your records",
            group="home-load", exclusive=True,
        )  # fmt: skip

    @on(core.CoreFailed)
    def _failed(self, event: core.CoreFailed) -> None:
        self._load_failed = True
        self._checking = False
        keys_ready(self)
        if self.data is None:
            self.query_one("#home-status", Static).update(
                Text(f"Could not open your records: {event.reason}", style="bold")
            )

    @on(HomeLoaded)
    async def _loaded(self, event: HomeLoaded) -> None:
        self.data = event.result
        await self.show(self.data)
        self.refresh_bindings()
        if not self._started:
            self._started = True
            app = self.app
            if getattr(app, "start_protocol", None) or getattr(app, "start_side", None):
                self._start_asked = (app.start_protocol, app.start_side)
            self.first_steps()
        elif self._start_asked is not None and self.data.overview.unfinished is None and self.is_current:
            self._open_start_if_asked()  # the unfinished session was dealt with: now the one asked for
        keys_ready(self)

    # -- drawing ----------------------------------------------------------------------

    async def show(self, data: HomeData) -> None:
        view = data.overview
        status = self.query_one("#home-status", Static)
        found = self.query("#home-figures")
        if not view.total_sessions:
            if found:
                found.first().display = False
            status.display = True
            status.update(_welcome(data))
            status.add_class("welcome")
        else:
            if not found:
                await self.query_one("#home-body").mount(self._figures(), after=status)
            self.query_one("#home-figures").display = True
            status.remove_class("welcome")
            status.update("")
            status.display = False
            self.query_one("#home-last", Static).update(self._last_text(view.last_session))
            self.query_one("#home-regular", Static).update(_regular_text(view))
            self._show_pain(view)
            self.query_one("#home-spots", Static).update(_spots_text(view, data.resting))
        self.query_one("#home-next", Static).update(self._next_text(data))
        due = _due_text(data)
        self.query_one("#home-due", Static).update(due)
        self.query_one("#home-due").display = bool(due.plain)
        for problem in data.problems:
            self.notify(
                printable(problem), title="A protocol file has a problem", severity="warning", markup=False
            )

    def _last_text(self, session: Session | None) -> Text:
        text = Text("Last session\n", style="bold")
        if session is None:
            return text
        clock = self.app.tracker.clock
        text.append(f"{clock.human(session.started_at)} ({clock.day_and_time(session.started_at)})\n")
        text.append(printable(session.protocol_name), style="italic")
        text.append(f" · {session.sides} side{'s' if session.sides == 'both' else ''}")
        if session.tool:
            text.append(f" · {printable(session.tool)}")
        text.append("\n")
        if session.pain_before is not None or session.pain_after is not None:
            before = "–" if session.pain_before is None else str(session.pain_before)
            after = "–" if session.pain_after is None else str(session.pain_after)
            text.append(f"Pain before {before} → after {after}")
            if session.pain_before is not None and session.pain_after is not None:
                change = session.pain_after - session.pain_before
                word = "better" if change < 0 else "worse" if change > 0 else "the same"
                text.append(f"  ({word})", style="italic")
        if session.status is not SessionStatus.FINISHED:
            text.append(f"\nStatus: {status_word(session.status)}")
        return text

    def _show_pain(self, view: Overview) -> None:
        values = [value for _when, value in view.pain_series]
        title = self.query_one("#home-pain-title", Static)
        spark = self.query_one("#home-sparkline")
        span = self.query_one("#home-pain-range", Static)
        if len(values) < 2:
            title.update(Text("Pain before each session\n", style="bold"))
            spark.display = False
            span.update("Two sessions with pain noted are needed for a trend.")
            return
        spark.display = True
        title.update(Text(f"Pain before each session (last {len(values)})", style="bold"))
        spark.data = values
        first, last = values[0], values[-1]
        clock = self.app.tracker.clock
        since = clock.human(view.pain_series[0][0])
        span.update(
            f"{since}: {first}  →  now: {last}   (lowest {min(values)}, highest {max(values)})"
        )

    def _next_text(self, data: HomeData) -> Text:
        view = data.overview
        text = Text()
        care = data.care
        if care is not None and care.blocked:
            advice = (
                "go to an emergency department today"
                if care.screening.outcome == "emergency"
                else "see a clinician before the next session"
            )
            text.append(f"Sessions are paused by your safety answers: {advice}. ", style="bold")
            text.append(" c ", style="reverse bold")
            text.append(" what to do, and answer again after seeing a clinician\n")
        elif care is not None and care.due and view.total_sessions:
            from selftrack.analysis.care import TRIGGER_WORDS

            text.append(f"The safety questions come first next time ({TRIGGER_WORDS.get(care.due, care.due)}).\n",
                        style="italic")  # fmt: skip
        if view.unfinished is not None:
            clock = self.app.tracker.clock
            text.append(" r ", style="reverse bold")
            text.append(
                f" resume the unfinished {printable(view.unfinished.protocol_name)} "
                f"({clock.human(view.unfinished.started_at)})    "
            )
        text.append(" s ", style="reverse bold")
        text.append(" start a session    ")
        if any(p.id == QUICK_CHECK for p in data.protocols):
            text.append(" b ", style="reverse bold")
            text.append(" bad day? a quick check of a few key spots    ")
        if view.total_sessions:
            text.append(" i ", style="reverse bold")
            text.append(" what helps    ")
        text.append(" ? ", style="reverse bold")
        text.append(" keys and safety")
        return text

    # -- what happens first ------------------------------------------------------------

    def first_steps(self) -> None:
        """After the first load: the safety note once, then an unfinished session, then start."""
        assert self.data is not None
        if not self.data.acknowledged:
            from selftrack.tui.screens.safety import SafetyScreen

            self.app.push_screen(SafetyScreen(first_run=True), lambda _ok: self._after_safety())
        else:
            self._after_safety()

    def _after_safety(self) -> None:
        assert self.data is not None
        unfinished = self.data.overview.unfinished
        if unfinished is not None:
            self.offer_resume(unfinished, then_start=True)
        else:
            self._open_start_if_asked()

    def _open_start_if_asked(self) -> None:
        """Open the start screen with the routine asked for on the command line (once)."""
        if self._start_asked is not None:
            protocol, side = self._start_asked
            self._start_asked = None
            self.open_start(protocol, side)

    def offer_resume(self, session: Session, *, then_start: bool = False) -> None:
        from selftrack.tui.screens.resume import ResumeDialog

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self.open_walk(session.id)
            elif choice == "finish":
                from selftrack.tui.screens.summary import SummaryScreen

                self.app.push_screen(SummaryScreen(session.id))
            elif choice == "abandon":
                self._then_start = then_start
                core.call(self, self.app.tracker.abandon, session.id, done=SessionAbandoned,
                          doing="abandon the session")  # fmt: skip
            elif then_start:
                self._open_start_if_asked()
            # after "resume" or "finish", the routine asked for is opened once home is back
            # with nothing unfinished (see _loaded)

        self.app.push_screen(ResumeDialog(session, self.app.tracker.clock), chosen)

    @on(SessionAbandoned)
    def _abandoned(self) -> None:
        self.notify("The unfinished session was closed; its ratings are kept.")
        self.start_reload()
        if self._then_start:
            self._open_start_if_asked()

    def open_walk(self, session_id: str) -> None:
        """Resume a session, once the safety checks allow it."""
        self._check_then(("walk", session_id))

    def open_start(self, protocol: str | None = None, side: str | None = None) -> None:
        """Open the start screen, once the safety checks allow it."""
        self._check_then(("start", protocol, side))

    # -- the safety checks before a session (selftrack.tracker.care) ------------------------

    def _check_then(self, then: tuple) -> None:
        """Read what must happen before a session; `then` opens when nothing stands in the way."""
        self._after_checks = then
        self._checking = True
        core.call(self, self.app.tracker.care_state, done=CareLoaded,
                  doing="check what comes before a session")  # fmt: skip

    @on(CareLoaded)
    def _care_read(self, event: CareLoaded) -> None:
        """One check at a time, then read again: a stored answer changes what is due next."""
        from selftrack.tui.screens import care as screens

        self._checking = False
        keys_ready(self)  # whatever opens next takes the keys typed meanwhile
        state = event.result
        then = self._after_checks
        if then is None:
            return
        if state.blocked:
            self._after_checks = None
            self.app.push_screen(screens.CareAdviceScreen(state.screening))
        elif state.due:
            first = state.due == "first"

            def answered(screening) -> None:
                if screening is None:
                    self._after_checks = None
                    self.notify("No session without the safety questions: they come first next time.")
                elif screening.blocks:
                    self._after_checks = None
                    self.start_reload()
                    self.app.push_screen(screens.CareAdviceScreen(screening))
                elif first and state.conditions_updated is None:
                    self.app.push_screen(screens.SafetyConditionsScreen(state, first=True), lambda _saved: self._check_again())
                else:
                    self._check_again()

            self.app.push_screen(screens.ScreeningScreen(state.due), answered)
        elif state.soreness_about is not None and then[0] == "start":
            session_id, started = state.soreness_about
            self.app.push_screen(screens.SorenessDialog(session_id, started), lambda _answer: self._go(then))
        else:
            self._go(then)

    def _check_again(self) -> None:
        if self._after_checks is not None:
            self._check_then(self._after_checks)

    def _go(self, then: tuple) -> None:
        self._after_checks = None
        if then[0] == "walk":
            from selftrack.tui.screens.walk import WalkScreen

            self.app.push_screen(WalkScreen(then[1]))
            return
        from selftrack.tui.screens.start import StartScreen

        _kind, protocol, side = then
        last = self.data.overview.last_session if self.data else None
        self.app.push_screen(StartScreen(protocol=protocol, side=side, last=last))

    # -- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "quick", "resume", "safety", "checkin", "weekly", "insights") and self.data is None:
            return None
        if action == "resume":
            return bool(self.data and self.data.overview.unfinished)
        if action == "quick":
            return bool(self.data and any(p.id == QUICK_CHECK for p in self.data.protocols))
        return True

    def action_start(self) -> None:
        if self.data and self.data.overview.unfinished is not None:
            self.offer_resume(self.data.overview.unfinished)
            return
        self.open_start()

    def action_resume(self) -> None:
        if self.data and self.data.overview.unfinished is not None:
            self.open_walk(self.data.overview.unfinished.id)

    def action_quick(self) -> None:
        if self.data and self.data.overview.unfinished is not None:
            self.offer_resume(self.data.overview.unfinished)
            return
        self.open_start(QUICK_CHECK, "both")

    def action_safety(self) -> None:
        """The safety questions' latest answer and the conditions (and what a yes means)."""
        from selftrack.tui.screens import care as screens

        state = self.data.care if self.data else None
        if state is None:
            return
        if state.blocked:
            self.app.push_screen(screens.CareAdviceScreen(state.screening),
                                 lambda _closed: self._open_conditions(state))  # fmt: skip
        else:
            self._open_conditions(state)

    def _open_conditions(self, state) -> None:
        from selftrack.tui.screens.care import SafetyConditionsScreen

        self.app.push_screen(SafetyConditionsScreen(state), lambda changed: changed and self.start_reload())

    # -- outcomes: the morning check-in, the weekly form, what seems to help ---------------

    def action_checkin(self) -> None:
        from selftrack.tui.screens.checkin import CheckInDialog

        self.app.push_screen(CheckInDialog(), self._checked_in)

    def _checked_in(self, saved) -> None:
        if saved is None:
            return
        from selftrack.render.outcomes import checkin_summary

        words = f"Saved: {checkin_summary(saved.checkin)}."
        if saved.replaced is not None:
            words += " It replaces this morning's earlier one."
        if saved.checkin.below_knee:
            words += " A feeling below the knee: the safety questions come first at your next session."
        self.notify(printable(words), title="Morning check-in", markup=False, timeout=8)
        self.start_reload()

    def action_weekly(self) -> None:
        from selftrack.tui.screens.weekly import WeeklyFormDialog

        self.app.push_screen(WeeklyFormDialog(), self._weekly_done)

    def _weekly_done(self, form) -> None:
        if form is None:
            return
        from selftrack.render.outcomes import weekly_summary

        self.notify(printable(f"Saved: {weekly_summary(form)}."), title="Weekly form", markup=False, timeout=8)
        self.start_reload()

    def action_insights(self) -> None:
        from selftrack.tui.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen())

    def action_export(self) -> None:
        from selftrack.tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(), self._exported)

    def _exported(self, result) -> None:
        if result is not None:
            self.notify(f"Saved to {result.path}", title="Exported", markup=False)

    def action_review(self, which: str) -> None:
        """Open one of the history screens (History, Trends, Heat map, Regularity)."""
        from selftrack.tui.screens.adherence import AdherenceScreen
        from selftrack.tui.screens.heatmap import HeatMapScreen
        from selftrack.tui.screens.history import HistoryScreen
        from selftrack.tui.screens.trends import TrendsScreen

        screens = {
            "history": HistoryScreen,
            "trends": TrendsScreen,
            "heatmap": HeatMapScreen,
            "adherence": AdherenceScreen,
        }
        self.app.push_screen(screens[which]())


def _due_text(data: HomeData) -> Text:
    """The outcome questions due now, each with its key (the first lines of the home screen)."""
    prompts = data.prompts
    text = Text()
    if prompts is None:
        return text
    if prompts.checkin_due:
        text.append(" k ", style="reverse bold")
        if prompts.soreness_about is not None:
            text.append(" morning check-in: pain, the night, how yesterday's session left you\n")
        else:
            text.append(" morning check-in: back and leg pain, the night (a key each, until noon)\n")
    if prompts.weekly_due:
        text.append(" w ", style="reverse bold")
        pgic = ", change since starting" if prompts.ask_pgic else ""
        text.append(f" weekly form: pain this week, your activities{pgic} (about a minute)\n")
    text.rstrip()
    return text


def _regular_text(view: Overview) -> Text:
    from selftrack.clock import counted

    text = Text("Regularity\n", style="bold")
    text.append(f"{counted(view.sessions_this_week, 'session')} this week")
    text.append(f" · streak {counted(view.streak_days, 'day')}")
    text.append(f"\n{counted(view.total_sessions, 'session')} in all")
    return text

def _spots_text(view: Overview, resting: Sequence[RestingSpot] = ()) -> RenderableType:
    from rich.console import Group

    table = _tender_table(view)
    if not resting:
        return table
    text = Text("\nResting today", style="bold")
    text.append(" (passed over in the walk; you can still rate them)")
    for spot in resting:
        side = "" if spot.side == "mid" else f" ({spot.side})"
        text.append(f"\n• {printable(spot.name)}{side}: ", style="bold")
        text.append(spot.reason)
    return Group(table, text)


def _tender_table(view: Overview) -> Table | Text:
    from rich.table import Table

    title = "Most tender lately (median of the last 3 sessions, last 90 days)"
    if not view.top_spots:
        return Text(f"{title}\nNo ratings in the last 90 days.")
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        show_header=False,
        padding=(0, 1, 0, 0),
        caption="Over the last 90 days, by the rule in help (?).",
        caption_justify="left",
    )
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True)
    for trend in view.top_spots:
        latest = trend.summary.latest or 0.0
        table.add_row(
            Text(f"● {latest:4.1f}", style=f"bold {colour(round(latest))}"),
            printable(trend.name),
            Text(verdict_words(trend.summary), style="italic"),
        )
    return table


def _welcome(data: HomeData) -> Text:
    text = Text()
    text.append("Welcome to selftrack\n\n", style="bold")
    text.append(
        "selftrack guides a self-massage session for low back and buttock pain spot by spot, "
        "and keeps a record of how tender each spot is (0 to 10), so you can see what gets "
        "better over weeks and show your therapist.\n\n"
    )
    text.append("To begin: ", style="bold")
    text.append("press ")
    text.append(" s ", style="reverse bold")
    text.append(" to choose a routine, which sides and your pain now. Each spot is then shown "
                "on a body map with how to find it; press one key (0–9, t for 10) to rate it "
                "and the next one comes up. Every rating is saved at once.\n\n")
    text.append("To look around first: ", style="bold")
    text.append("quit with q and load months of sample history into a separate database:\n")
    command = data.command or "selftrack"
    text.append(f"    {command} --db /tmp/try.db demo && {command} --db /tmp/try.db\n\n", style="bold")
    text.append(f"There are {len(data.protocols)} routines. Your records are kept in {data.database}.\n")
    text.append("Press ? for the keys and the safety note (when to see a clinician first).")
    return text
