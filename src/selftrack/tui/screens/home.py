"""HomeScreen: how things stand, and the obvious next step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from selftrack.domain.text import printable
from selftrack.tui import core
from selftrack.tui.home_view import QUICK_CHECK, HomeData, HomeFigures, HomeView
from selftrack.tui.messages import CareLoaded, HomeLoaded, SessionAbandoned
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from selftrack.domain.model import Session


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
        self._view: HomeView | None = None  # what is shown (its cards drawn again on a new height)

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
            yield Static(id="home-figures")
            yield Static(id="home-next")
        yield KeyFooter()

    def on_screen_resume(self) -> None:
        # the first load waits for the first frame (the app calls it when Ready): importing
        # the database layer competes for the GIL with painting
        if self.app.first_frame_shown:
            self.start_reload()

    def on_mount(self) -> None:
        # figures read while the program started (selftrack.tui.prefetch) go in the first frame
        view = self.app.prefetched_view()
        if view is not None:
            self.show_view(view)

    def start_reload(self) -> None:
        """Read the figures again; a newer reload replaces one still running."""
        core.call(
            self, self.app.read_home,
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
    def _loaded(self, event: HomeLoaded) -> None:
        self.data = event.result
        self.show(self.data)
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

    def show(self, data: HomeData) -> None:
        assert data.view is not None
        self.show_view(data.view)
        for problem in data.problems:
            self.notify(
                printable(problem), title="A protocol file has a problem", severity="warning", markup=False
            )

    def show_view(self, view: HomeView) -> None:
        if view is self._view:
            return  # the prefetch's drawing, shown in the first frame and handed on with its data
        status = self.query_one("#home-status", Static)
        figures = self.query_one("#home-figures", Static)
        if view.figures is None:
            figures.display = False
            status.display = True
            status.update(view.welcome or "")
            status.add_class("welcome")
        else:
            status.remove_class("welcome")
            status.display = False
            figures.display = True
            figures.update(self._coloured(view.figures))
        self._view = view
        self.query_one("#home-next", Static).update(view.next)
        due = self.query_one("#home-due", Static)
        due.update(view.due)
        due.display = bool(view.due.plain)

    def _coloured(self, figures: HomeFigures) -> HomeFigures:
        """The cards in this theme's colours, laid out for this terminal's height."""
        from textual.color import Color

        colours = self.app.theme_variables
        primary, background = Color.parse(colours["primary"]), Color.parse(colours["background"])
        figures.border = background.blend(primary, 0.6).hex
        figures.spark_low = background.blend(primary, 0.3).hex
        figures.spark_high = primary.hex
        figures.compact = self.has_class("-short")
        return figures

    def on_resize(self) -> None:
        figures = self._view.figures if self._view is not None else None
        if figures is not None and figures.compact != self.has_class("-short"):
            self.query_one("#home-figures", Static).update(self._coloured(figures))

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
