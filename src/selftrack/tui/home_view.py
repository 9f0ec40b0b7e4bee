"""What the home screen shows, read and drawn in plain Python (Textual is not imported here).

`load_home` reads the figures and draws them into Rich renderables (`HomeView`) in one go, off
the screen's thread; the screen only puts them up. Because nothing here imports Textual, a
second process can do the same while the program imports Textual (selftrack.tui.prefetch), and
the first frame then carries the person's figures.

The cards are one renderable (`HomeFigures`) that lays itself out by the width it is given:
beside one another where they fit, one under another where not. One widget instead of a
dozen keeps the first frame cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.table import Table

    from selftrack.clock import Clock
    from selftrack.domain.model import ProtocolSpec, Session
    from selftrack.domain.outcomes import OutcomePrompts
    from selftrack.tracker.care import CareState, RestingSpot
    from selftrack.tracker.overview import Overview

QUICK_CHECK = "quick-check"
WIDE = 96  # the cards' width from which they stand side by side (a 100-column terminal)
LEFT = 45  # the left column of cards, when side by side
TENDER_TITLE = "Most tender lately (median of the last 3 sessions, last 90 days)"


@dataclass
class HomeFigures:
    """The figure cards: last session, regularity, pain lately, the most tender spots.

    The screen sets `compact` (a short terminal: no gaps, a lower sparkline) and the colours
    from its theme before it draws them.
    """

    last: Text
    regular: Text
    pain_title: Text
    pain_values: list[int]
    pain_range: Text
    spots: RenderableType
    compact: bool = False
    border: str = "blue"
    spark_low: str = "blue"
    spark_high: str = "bright_blue"
    # lines drawn, by width and look: Textual asks for the same drawing several times a frame
    _drawn: dict[tuple, list[list[Segment]]] = field(default_factory=dict, repr=False, compare=False)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        look = (options.max_width, self.compact, self.border, self.spark_low, self.spark_high)
        lines = self._drawn.get(look)
        if lines is None:
            lines = self._drawn[look] = self._lines(console, options)
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line

    def _lines(self, console: Console, options: ConsoleOptions) -> list[list[Segment]]:
        width = options.max_width
        gap = [] if self.compact else [[]]
        if width >= WIDE:
            left: list[list[Segment]] = []
            for card in (self.last, self.regular, self._pain()):
                left += self._card(console, options, card, LEFT) + gap
            right = self._card(console, options, self.spots, width - LEFT - 2)  # a column's margin each
            return _beside(left, LEFT + 1, right)
        half = width // 2
        last = self._card(console, options, self.last, half)
        regular = self._card(console, options, self.regular, width - half)
        if len(last) != len(regular):  # side by side, as tall as each other
            height = max(len(last), len(regular))
            last = self._card(console, options, self.last, half, height)
            regular = self._card(console, options, self.regular, width - half, height)
        return [
            *_beside(last, half, regular),
            *self._card(console, options, self._pain(), width),
            *self._card(console, options, self.spots, width),
        ]

    def _pain(self) -> RenderableType:
        from rich.console import Group

        gap = () if self.compact else (Text(""),)
        if len(self.pain_values) < 2:
            return Group(self.pain_title, *gap, self.pain_range)
        from rich.color import Color
        from textual.renderables.sparkline import Sparkline  # drawn in the program only

        spark = Sparkline(
            self.pain_values, width=None, height=2 if self.compact else 3,
            min_color=Color.parse(self.spark_low), max_color=Color.parse(self.spark_high),
        )  # fmt: skip
        return Group(self.pain_title, *gap, _EndsLine(spark), self.pain_range)

    def _card(
        self, console: Console, options: ConsoleOptions, body, width: int, height: int | None = None
    ) -> list[list[Segment]]:
        from rich import box
        from rich.panel import Panel

        panel = Panel(body, box=box.ROUNDED, border_style=self.border, padding=(0, 1), height=height)
        return console.render_lines(panel, options.update(width=width, height=None), pad=True)


class _EndsLine:
    """A renderable whose last line is ended (Textual's sparkline leaves it open)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.renderable
        yield Segment.line()


def _beside(left: list[list[Segment]], left_width: int, right: list[list[Segment]]) -> list[list[Segment]]:
    """Two columns of lines side by side; the shorter one is padded with blank lines."""
    blank_left = [Segment(" " * left_width)]
    lines = []
    for row in range(max(len(left), len(right))):
        first = left[row] if row < len(left) else blank_left
        pad = left_width - Segment.get_line_length(first)
        line = [*first, Segment(" " * pad)] if pad > 0 else list(first)
        if row < len(right):
            line += right[row]
        lines.append(line)
    return lines


@dataclass(frozen=True)
class HomeView:
    """The home screen drawn: the figures (or the welcome, with no session yet), what is due
    and the next steps."""

    due: Text
    next: Text
    figures: HomeFigures | None = None
    welcome: Text | None = None


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows, read in one worker, and `view`, its drawing."""

    overview: Overview
    protocols: list[ProtocolSpec] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    acknowledged: bool = True
    database: str = ""
    command: str = "selftrack"
    care: CareState | None = None
    resting: list[RestingSpot] = field(default_factory=list)
    prompts: OutcomePrompts | None = None
    view: HomeView | None = None


def load_home(tracker, command: str = "selftrack") -> HomeData:
    """Open the database (the first time), read the home screen's figures and draw them."""
    from dataclasses import replace

    from selftrack import safety

    overview = tracker.overview()
    loaded = tracker.load()
    data = HomeData(
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
    return replace(data, view=home_view(data, tracker.clock))


def home_view(data: HomeData, clock: Clock) -> HomeView:
    """Draw what `data` holds, its moments told by `clock`."""
    view = data.overview
    due, next_steps = _due_text(data), _next_text(data, clock)
    if not view.total_sessions:
        return HomeView(due=due, next=next_steps, welcome=_welcome(data))
    values = [value for _when, value in view.pain_series]
    if len(values) < 2:
        pain_title = Text("Pain before each session", style="bold")
        pain_range = Text("Two sessions with pain noted are needed for a trend.")
    else:
        pain_title = Text(f"Pain before each session (last {len(values)})", style="bold")
        since = clock.human(view.pain_series[0][0])
        pain_range = Text(
            f"{since}: {values[0]}  →  now: {values[-1]}   (lowest {min(values)}, highest {max(values)})"
        )
    figures = HomeFigures(
        last=_last_text(view.last_session, clock),
        regular=_regular_text(view),
        pain_title=pain_title,
        pain_values=values,
        pain_range=pain_range,
        spots=_spots_text(view, data.resting),
    )
    return HomeView(due=due, next=next_steps, figures=figures)


def _last_text(session: Session | None, clock: Clock) -> Text:
    from selftrack.domain.terms import SessionStatus
    from selftrack.domain.text import printable
    from selftrack.render.words import status_word

    text = Text("Last session\n", style="bold")
    if session is None:
        return text
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


def _regular_text(view: Overview) -> Text:
    from selftrack.clock import counted

    text = Text("Regularity\n", style="bold")
    text.append(f"{counted(view.sessions_this_week, 'session')} this week")
    text.append(f" · streak {counted(view.streak_days, 'day')}")
    text.append(f"\n{counted(view.total_sessions, 'session')} in all")
    return text


def _spots_text(view: Overview, resting: Sequence[RestingSpot] = ()) -> RenderableType:
    from rich.console import Group

    from selftrack.domain.text import printable

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

    from selftrack.domain.text import printable
    from selftrack.render.words import verdict_words
    from selftrack.tui.widgets.heat import colour

    if not view.top_spots:
        return Text(f"{TENDER_TITLE}\nNo ratings in the last 90 days.")
    table = Table(
        title=TENDER_TITLE,
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


def _next_text(data: HomeData, clock: Clock) -> Text:
    """The safety line, if any, and the keys for what to do next."""
    from selftrack.domain.text import printable

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
