"""The selftrack terminal program: one App over a Tracker, built by `build_app`."""

from __future__ import annotations

import contextvars
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding

from selftrack.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from selftrack.tracker import Tracker
    from selftrack.tui.home_view import HomeData, HomeView
    from selftrack.tui.prefetch import Prefetch

QUIT_KEYS = ("ctrl+q", "ctrl+c")


class SelftrackApp(App[int]):
    """Home, start, walk and summary screens over one Tracker.

    Keys are typed ahead: while the screen on top is not ready for them (it is being put up,
    reads what it shows, or stores what was typed), keys wait here in order and go to the
    screen that is ready next. A screen says so with a `ready_for_keys` property and calls
    `keys_ready()` (selftrack.tui.typeahead) when that changes.
    """

    CSS_PATH = "app.tcss"  # the home screen's; the others' come once the first frame is up
    TITLE = "selftrack"
    SUB_TITLE = "tenderness at named spots"
    # the screens lay out by the terminal's size: these classes are set on every screen
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall"), (50, "-very-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("f1", "help", "Help", show=False),
    ]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        tracker: Tracker | Callable[[], Tracker],
        *,
        protocol: str | None = None,
        side: str | None = None,
        command: str = "selftrack",
        prefetch: Prefetch | None = None,
    ) -> None:
        super().__init__()
        self._prefetch = prefetch
        self._making_tracker = threading.Lock()
        self._tracker: Tracker | None = None if callable(tracker) else tracker
        self._make_tracker = tracker if callable(tracker) else None
        self.start_protocol = protocol
        self.start_side = side
        self.command = command
        self.first_frame_shown = False
        self.hold_timer_on = False  # the walk's hold timer, kept from one session to the next
        self._held: deque[events.Key] = deque()
        self._replaying: set[int] = set()
        self._replay_due = False
        self._in_flight: object | None = None  # the key on its way through the widgets
        self._expiring: deque[object] = deque()  # keys in flight, oldest first, for the timer

    @property
    def tracker(self) -> Tracker:
        """The core façade; made on first use when the app was given a factory for it.

        The home screen first asks for it in a worker after the first frame (`read_home`), so
        importing the core delays neither the first paint nor the keys' line.
        """
        if self._tracker is None:
            with self._making_tracker:
                if self._tracker is None:
                    assert self._make_tracker is not None
                    self._tracker = self._make_tracker()
        return self._tracker

    def prefetched_view(self) -> HomeView | None:
        """The home screen's figures drawn by the prefetch, if they came in time for the first
        frame (selftrack.tui.prefetch)."""
        return self._prefetch.view() if self._prefetch is not None else None

    def read_home(self) -> HomeData:
        """The home screen's figures: the first time from the prefetch, if it read them; else
        read here. Run in a worker (core.call); makes the tracker, which the next steps use."""
        from selftrack.tui.home_view import load_home

        prefetch, self._prefetch = self._prefetch, None
        data = prefetch.data() if prefetch is not None else None
        tracker = self.tracker
        return data if data is not None else load_home(tracker, self.command)

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, lambda _screen: self.keys_ready())

    def get_line_filters(self):
        """Textual's filters, then SafeText: no control character from data is ever drawn."""
        from selftrack.tui.safe_output import SAFE_TEXT

        return [*super().get_line_filters(), SAFE_TEXT]

    def on_ready(self) -> None:
        """The first frame is on the terminal: now the other screens' styles, and the database."""
        self.first_frame_shown = True
        self.call_after_refresh(self.add_screen_styles)  # after the frame with the keys' line
        home = self.screen_stack[0]
        if isinstance(home, HomeScreen):
            home.start_reload()

    def push_screen(self, *args, **kwargs):
        self.add_screen_styles()  # read already, unless a screen comes very early
        return super().push_screen(*args, **kwargs)

    def add_screen_styles(self) -> None:
        """Read the styles of every screen but home (screens.tcss), once.

        Parsing them is a good part of what a first frame costs, and the home screen needs none
        of them: they are read once the first frames are up, or before any other screen opens.
        """
        from pathlib import Path

        path = str(Path(__file__).with_name("screens.tcss"))
        if not self.stylesheet.has_source(path):
            self.stylesheet.read(path)
            self.stylesheet.reparse()
            self.stylesheet.update(self)

    def action_help(self) -> None:
        from selftrack.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- type-ahead ---------------------------------------------------------------------

    @property
    def held_keys(self) -> list[str]:
        """The keys waiting for a screen to be ready, oldest first."""
        return [event.key for event in self._held]

    def ready_for_keys(self) -> bool:
        """Whether the screen on top can take a key now."""
        screen = self.screen
        if not screen.is_mounted:
            return False
        return bool(getattr(screen, "ready_for_keys", True))

    def _can_take_key(self) -> bool:
        return self._in_flight is None and self.ready_for_keys()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            replayed = id(event) in self._replaying
            self._replaying.discard(id(event))
            if not replayed and (self._held or not self._can_take_key()):
                if event.key in QUIT_KEYS and not self._busy():
                    await super().on_event(event)  # nothing is being stored: quit now
                    return
                self._held.append(event)
                return
            target = self.focused or self.screen
            await super().on_event(event)
            self._follow(target)
            return
        await super().on_event(event)

    def _follow(self, target) -> None:
        """Let the next key go only once this one has been through the widget it was sent to
        and every widget above it (a key handled there may move the focus or change the
        screen, and the next key must find that done)."""
        token = self._in_flight = object()
        chain = []
        node = target
        while node is not None and node is not self:
            chain.append(node)
            node = node.parent
        # twice: what the key set off on the way (a widget's own message, such as a rating
        # bar's Submitted that moves the focus) is handled by the second time round
        self._follow_step(token, (*chain, *chain), 0)
        # a key whose widget went away on the way does not hold the keys after it
        self._expiring.append(token)
        self.set_timer(0.5, self._follow_expired, name="key in flight")

    def _follow_step(self, token: object, nodes: tuple, index: int) -> None:
        # bound methods, not closures: Textual counts a callback's parameters once per function
        while index < len(nodes):
            if nodes[index].is_attached and nodes[index].call_later(self._follow_step, token, nodes, index + 1):
                return
            index += 1
        self.call_later(self._follow_done, token)

    def _follow_done(self, token: object) -> None:
        if self._in_flight is token:
            self._in_flight = None
            self.keys_ready()

    def _follow_expired(self) -> None:
        if self._expiring:
            self._follow_done(self._expiring.popleft())

    def _busy(self) -> bool:
        return any(not worker.is_finished for worker in self.workers)

    def keys_ready(self) -> None:
        """A screen may have become ready: hand it the next key that waits (one at a time)."""
        if self._held and not self._replay_due:
            self._replay_due = True
            self.call_after_refresh(self._replay_next)

    def _replay_next(self) -> None:
        self._replay_due = False
        if not self._held:
            return
        if not self.screen.is_mounted:
            self.keys_ready()  # being put up: look again after the next frame
            return
        if not self._can_take_key():
            return
        held = self._held.popleft()
        # made outside any message pump's context, like a key from the terminal: a key sent
        # by the app itself would stop bubbling at the screen, before the screen's bindings
        key = contextvars.Context().run(events.Key, held.key, held.character)
        self._replaying.add(id(key))
        self._in_flight = key  # no newer key overtakes it on the way to the queue
        self.post_message(key)


def build_app(
    tracker: Tracker | Callable[[], Tracker],
    *,
    protocol: str | None = None,
    side: str | None = None,
    command: str = "selftrack",
    prefetch: Prefetch | None = None,
) -> SelftrackApp:
    """The app over `tracker` (or a factory that makes it when first needed).

    `protocol`/`side` open the start screen with those choices; `command` is how the person
    runs selftrack (the welcome screen's examples use it); `prefetch` brings the home screen's
    figures read by a second process (selftrack.tui.prefetch).
    """
    return SelftrackApp(tracker, protocol=protocol, side=side, command=command, prefetch=prefetch)


def run_app(
    make_tracker: Callable[[], Tracker],
    protocol: str | None = None,
    side: str | None = None,
    command: str = "selftrack",
    prefetch: Prefetch | None = None,
) -> int:
    """Run the program in the terminal; returns the exit status.

    The tracker is made after the first frame is drawn, off the start-up path.
    """
    app = build_app(make_tracker, protocol=protocol, side=side, command=command, prefetch=prefetch)
    app.run()
    return app.return_code or 0
