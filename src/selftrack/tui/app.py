"""The selftrack terminal program: one App over a Tracker, built by `build_app`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from selftrack.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from selftrack.tracker import Tracker


class SelftrackApp(App[int]):
    """Home, start, walk and summary screens over one Tracker."""

    CSS_PATH = "app.tcss"
    TITLE = "selftrack"
    SUB_TITLE = "tenderness at named spots"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("f1", "help", "Help", show=False),
    ]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        tracker: Tracker | Callable[[], Tracker],
        *,
        protocol: str | None = None,
        side: str | None = None,
    ) -> None:
        super().__init__()
        self._tracker: Tracker | None = None if callable(tracker) else tracker
        self._make_tracker = tracker if callable(tracker) else None
        self.start_protocol = protocol
        self.start_side = side
        self.first_frame_shown = False

    @property
    def tracker(self) -> Tracker:
        """The core façade; made on first use when the app was given a factory for it.

        The home screen first asks for it after the first frame, so importing the core
        does not delay the first paint.
        """
        if self._tracker is None:
            assert self._make_tracker is not None
            self._tracker = self._make_tracker()
        return self._tracker

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def get_line_filters(self):
        """Textual's filters, then SafeText: no control character from data is ever drawn."""
        from selftrack.tui.safe_output import SAFE_TEXT

        return [*super().get_line_filters(), SAFE_TEXT]

    def on_ready(self) -> None:
        """The first frame is on the terminal: now open the database."""
        self.first_frame_shown = True
        home = self.screen_stack[0]
        if isinstance(home, HomeScreen):
            home.start_reload()

    def action_help(self) -> None:
        from selftrack.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def build_app(
    tracker: Tracker | Callable[[], Tracker],
    *,
    protocol: str | None = None,
    side: str | None = None,
) -> SelftrackApp:
    """The app over `tracker` (or a factory that makes it when first needed).

    `protocol`/`side` open the start screen with those choices.
    """
    return SelftrackApp(tracker, protocol=protocol, side=side)


def run_app(
    make_tracker: Callable[[], Tracker], protocol: str | None = None, side: str | None = None
) -> int:
    """Run the program in the terminal; returns the exit status.

    The tracker is made after the first frame is drawn, off the start-up path.
    """
    app = build_app(make_tracker, protocol=protocol, side=side)
    app.run()
    return app.return_code or 0
