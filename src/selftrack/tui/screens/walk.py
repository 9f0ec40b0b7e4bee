"""WalkScreen: the guided session, spot by spot, one key per rating."""

from __future__ import annotations

import time
from collections import deque

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from selftrack import safety
from selftrack.domain.text import printable
from selftrack.render.words import flag_words
from selftrack.session.walk import Walk
from selftrack.tui import core
from selftrack.tui.messages import RatingSaved, RatingUndone, WalkOpened
from selftrack.tui.widgets.body_map import BodyMap, MapSpot
from selftrack.tui.widgets.heat import BANDS, colour
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.rating_bar import RatingBar
from selftrack.tui.widgets.title_bar import TitleBar

HOLD_SECONDS = 30


class WalkScreen(Screen):
    """One session's walk: body map, the spot's instructions, and the rating keys."""

    BINDINGS = [
        Binding("0", "rate(0)", "Rate", key_display="0-9"),
        *(Binding(str(n), f"rate({n})", f"Rate {n}", show=False) for n in range(1, 10)),
        Binding("t", "rate(10)", "10"),
        Binding("s", "skip", "Skip"),
        Binding("b", "back", "Back"),
        Binding("left", "back", "Back", show=False),
        Binding("right", "forward", "Next", show=False),
        Binding("u", "undo", "Undo"),
        Binding("r", "flag('recognised')", "Recognised"),
        Binding("f", "referred", "Refers"),
        Binding("n", "flag('nerve')", "Nerve"),
        Binding("c", "note", "Note"),
        Binding("h", "timer", "Timer"),
        Binding("p,escape", "pause", "Pause"),
        Binding("x", "finish", "Finish"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.walk: Walk | None = None
        self.notice: Text | None = None
        self.timer_on = False
        self._spot_since = time.monotonic()
        self._leaving = False
        self._shown: dict[str, object] = {}
        # keys wait here, in order, while the walk is read or the save before them runs
        self._queue: deque[tuple[str, tuple]] = deque()
        self._saving = False
        self._advance = True

    def compose(self) -> ComposeResult:
        yield TitleBar("guided session")
        with Horizontal(id="walk-main"):
            with Vertical(id="walk-left"):
                yield BodyMap(id="walk-map")
                yield Static(_legend(), id="walk-legend")
                yield Static(id="walk-offview")
            with Vertical(id="walk-right"):
                yield Static("Opening the session…", id="walk-progress")
                yield ProgressBar(show_eta=False, show_percentage=False, id="walk-bar")
                yield Static(id="walk-route")
                with VerticalScroll(id="walk-info-box"):
                    yield Static(id="walk-spot")
                    yield Static(id="walk-info")
                yield Static(id="walk-last")
                yield Static(id="walk-flags")
                yield Static(id="walk-notice")
                yield Static(id="walk-timer")
                with Horizontal(id="walk-rating-row"):
                    yield Static("Rate: ", id="walk-rate-label")
                    yield RatingBar(focusable=False, id="walk-rating")
                    yield Static("  t = 10   s = skip", id="walk-rate-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick, name="hold timer")
        # read in a worker, so the mount completes now: the screen this one replaces is taken
        # down while the session is read; keys typed meanwhile wait in the queue
        core.call(self, self.app.tracker.open_walk, self.session_id, done=WalkOpened,
                  doing="open the session")  # fmt: skip

    @on(WalkOpened)
    def _opened(self, event: WalkOpened) -> None:
        walk = self.walk = event.result
        self.query_one(TitleBar).show(printable(walk.session.protocol_name))
        if walk.done:
            self.notify("Every spot is rated: finish the session.")
            self._to_summary()
            return
        if walk.rated_count:
            self.notify(f"Resumed at spot {walk.current + 1}: {walk.rated_count} already rated.")
        self.draw()
        self._next()

    # -- drawing ----------------------------------------------------------------------

    def draw(self) -> None:
        """Show the current spot and everything around it."""
        walk = self.walk
        if walk is None:
            return
        step, spot = walk.step, walk.spot
        self._spot_since = time.monotonic()
        spots = []
        for index, point in enumerate(walk.positions()):
            if point is None:
                continue
            rating = walk.ratings.get(index)
            spots.append(
                MapSpot(
                    index,
                    point[0],
                    point[1],
                    tenderness=rating.tenderness if rating else None,
                    skipped=bool(rating and rating.skipped),
                    rated=rating is not None,
                )
            )
        self.query_one(BodyMap).show(spots, walk.current)
        self._put("#walk-offview", self._offview_text())
        side = "middle" if step.side == "mid" else f"{step.side} side"
        progress = Text.assemble(
            ("Spot ", "bold"),
            (f"{walk.current + 1} of {walk.total}", "bold"),
            f"  ·  {side}  ·  {walk.rated_count} rated\n",
            (printable(walk.route_name), "italic"),
        )
        self._put("#walk-progress", progress)
        if self._shown.get("#walk-bar") != walk.rated_count:
            self._shown["#walk-bar"] = walk.rated_count
            self.query_one("#walk-bar", ProgressBar).update(total=walk.total, progress=walk.rated_count)
        self._put("#walk-route", self._route_text())
        title = Text(printable(spot.name), style="bold")
        title.append(f"  ({step.side})" if step.side != "mid" else "  (middle)")
        if spot.muscles:
            title.append("\n" + ", ".join(spot.muscles), style="italic")
        self._put("#walk-spot", title)
        self._put("#walk-info", _instructions(spot))
        self._put("#walk-last", self._last_text())
        self._put("#walk-flags", self._flags_text())
        self._put("#walk-notice", self.notice or "")
        self.query_one("#walk-notice").set_class(self.notice is not None, "-shown")
        rating = walk.ratings.get(walk.current)
        self.query_one("#walk-rating", RatingBar).value = rating.tenderness if rating else None
        self._tick()

    def _put(self, selector: str, content) -> None:
        """Update a Static only when what it shows changes (each update costs a repaint)."""
        if self._shown.get(selector) != content:
            self._shown[selector] = content
            self.query_one(selector, Static).update(content)

    def _route_text(self) -> Text:
        walk = self.walk
        assert walk is not None
        text = Text("This route: ")
        for step in walk.route_steps():
            rating = walk.ratings.get(step.index)
            if rating is None:
                cell, style = "·", ""
            elif rating.skipped:
                cell, style = "s", "italic"
            else:
                cell, style = str(rating.tenderness), f"bold {colour(rating.tenderness or 0)}"
            if step.index == walk.current:
                text.append(f"[{cell if rating else '?'}]", style="reverse bold")
            else:
                text.append(f" {cell} ", style=style)
        return text

    def _offview_text(self) -> Text:
        walk = self.walk
        assert walk is not None
        text = Text()
        positions = walk.positions()
        others = [i for i, point in enumerate(positions) if point is None]
        if not others:
            return text
        text.append("Not on this view:\n", style="bold")
        for index in others:
            step = walk.session.steps[index]
            spot = walk.spot_of(index)
            rating = walk.ratings.get(index)
            value = "·" if rating is None else "s" if rating.skipped else str(rating.tenderness)
            marker = "▸ " if index == walk.current else "  "
            side = "" if step.side == "mid" else f" {step.side}"
            line = Text(f"{marker}{printable(spot.name)}{side} ({spot.view}): ")
            line.append(value, style=f"bold {colour(rating.tenderness)}" if rating and rating.tenderness is not None else "")
            text.append_text(line)
            text.append("\n")
        return text

    def _last_text(self) -> Text:
        walk = self.walk
        assert walk is not None
        clock = self.app.tracker.clock
        text = Text()
        last = walk.last_time()
        if last is None:
            text.append("Last time: not rated before on this side.")
        elif last.skipped:
            text.append(f"Last time: skipped ({clock.human(last.rated_at)}).")
        else:
            text.append("Last time: ")
            text.append(str(last.tenderness), style=f"bold {colour(last.tenderness or 0)}")
            text.append(f" ({clock.human(last.rated_at)})")
        warned = walk.nerve_warning()
        if warned is not None:
            text.append("\n⚠ Nerve feeling flagged here ", style="bold")
            text.append(f"{clock.human(warned)}: go gently or leave this spot out (s).")
        return text

    def _flags_text(self) -> Text:
        walk = self.walk
        assert walk is not None
        pending = walk.pending
        labels = flag_words(pending.recognised, pending.referred, pending.referred_to, pending.nerve)
        if pending.note:
            labels.append("note")
        if not labels:
            return Text("Marks: none (r recognised · f refers · n nerve · c note)", style="italic")
        rated = walk.current in walk.ratings
        text = Text("Marks: ")
        text.append(" · ".join(labels), style="bold")
        if not rated:
            text.append("  (saved with the rating)", style="italic")
        if walk.pending.note:
            text.append(f"\nNote: {printable(walk.pending.note)}")
        return text

    def _tick(self) -> None:
        timer = self.query_one("#walk-timer", Static)
        if not self.timer_on or self.walk is None:
            if timer.display:
                timer.display = False
            return
        if not timer.display:
            timer.display = True
        seconds = int(time.monotonic() - self._spot_since)
        if seconds >= HOLD_SECONDS:
            timer.update(Text(f"Hold: {seconds} s — {HOLD_SECONDS} s done, rate when ready", style="bold"))
        else:
            filled = seconds * 20 // HOLD_SECONDS
            timer.update(f"Hold: {seconds:2d} s  {'█' * filled}{'░' * (20 - filled)}  {HOLD_SECONDS} s")

    # -- actions: every key that changes the walk waits its turn in the queue ------------

    def action_rate(self, value: int) -> None:
        self._enqueue("rate", value)

    def action_skip(self) -> None:
        self._enqueue("skip")

    def action_back(self) -> None:
        self._enqueue("back")

    def action_forward(self) -> None:
        self._enqueue("forward")

    def action_undo(self) -> None:
        self._enqueue("undo")

    def action_flag(self, flag: str) -> None:
        self._enqueue("flag", flag)

    def action_finish(self) -> None:
        self._enqueue("finish")

    def _enqueue(self, kind: str, *args) -> None:
        self._queue.append((kind, args))
        self._next()

    def _next(self) -> None:
        """Carry out queued keys in order until one starts a save (or none are left)."""
        while self.walk is not None and not self._saving and self._queue and not self._leaving:
            kind, args = self._queue.popleft()
            self._carry_out(kind, *args)

    def _carry_out(self, kind: str, *args) -> None:
        walk = self.walk
        assert walk is not None
        tracker = self.app.tracker
        if kind in ("rate", "skip"):
            value = args[0] if kind == "rate" else None
            self._save(walk.current, value, skipped=kind == "skip", advance=True)
        elif kind == "back" and walk.back() or kind == "forward" and walk.forward():
            self.notice = None
            self.draw()
        elif kind == "undo":
            self._saving = True
            core.call(self, tracker.undo_last, self.session_id, done=RatingUndone, doing="undo the last rating")
        elif kind == "flag":
            flags = walk.toggle(args[0])
            if args[0] == "nerve" and flags.nerve:
                self.notice = Text(safety.NERVE, style="bold")
            self._save_flags()
        elif kind == "flags":
            self._save_flags()
        elif kind == "finish":
            self._to_summary()

    def _save(self, index: int, tenderness: int | None, *, skipped: bool, advance: bool) -> None:
        walk = self.walk
        assert walk is not None
        self._saving, self._advance = True, advance
        core.call(
            self, self.app.tracker.record_rating, walk.session.id, index, tenderness,
            skipped=skipped, **walk.pending.values(), done=RatingSaved, doing="save the rating",
        )  # fmt: skip

    def _save_flags(self) -> None:
        """Save the current spot's flags at once when it is rated (else they go with its rating)."""
        walk = self.walk
        assert walk is not None
        if walk.flags_to_save() is None:
            self.draw()
            return
        rating = walk.ratings[walk.current]
        self._save(walk.current, rating.tenderness, skipped=rating.skipped, advance=False)

    @on(RatingSaved)
    def _saved(self, event: RatingSaved) -> None:
        walk = self.walk
        assert walk is not None
        rating, advance = event.result, self._advance
        self._saving = False
        walk.accept(rating, advance=advance)
        if advance:
            self.notice = None
            if safety.is_ease_off(rating.tenderness):
                name = walk.spot_of(rating.step_index).name
                self.notice = Text.assemble((f"Rated {rating.tenderness} ({name}). ", "bold"), safety.EASE_OFF)
        if advance and walk.done:
            self._to_summary()
            return
        self.draw()
        self._next()

    @on(RatingUndone)
    def _undone(self, event: RatingUndone) -> None:
        walk = self.walk
        assert walk is not None
        self._saving = False
        undone = event.result
        if undone is None:
            self.notify("Nothing to undo.")
        else:
            walk.forget(undone)
            self.notice = Text(f"Undone: {walk.spot_of(undone.step_index).name}. Rate it again.")
            self.draw()
        self._next()

    @on(core.CoreFailed)
    def _failed(self) -> None:
        # the user has been told; keys typed after the one that failed are not carried out
        self._saving = False
        self._queue.clear()
        if self.walk is not None:
            self.draw()
        elif not self._leaving and len(self.app.screen_stack) > 1:
            # the session could not be opened (the core tried again first): go back to where
            # it can be resumed, never stay on a screen whose keys do nothing
            self._leaving = True
            self.app.pop_screen()

    def action_referred(self) -> None:
        from selftrack.tui.screens.text_entry import TextEntryDialog

        walk = self.walk
        if walk is None:
            return
        if walk.pending.referred:
            walk.toggle("referred")
            self._enqueue("flags")
            return

        def chosen(where: str | None) -> None:
            if where is not None and self.walk is not None:
                self.walk.set_referred(where)
                self._enqueue("flags")

        self.app.push_screen(
            TextEntryDialog(
                "The pain spreads: where to? (optional, enter to leave it blank)",
                placeholder="e.g. down the back of the thigh",
            ),
            chosen,
        )

    def action_note(self) -> None:
        from selftrack.tui.screens.text_entry import TextEntryDialog

        walk = self.walk
        if walk is None:
            return

        def chosen(note: str | None) -> None:
            if note is not None and self.walk is not None:
                self.walk.set_note(note)
                self._enqueue("flags")

        self.app.push_screen(
            TextEntryDialog(f"A note on {walk.spot.name}:", value=walk.pending.note), chosen
        )

    def action_timer(self) -> None:
        self.timer_on = not self.timer_on
        self._spot_since = time.monotonic()
        self._tick()

    def action_pause(self) -> None:
        from selftrack.tui.screens.pause import PauseDialog

        walk = self.walk
        rated, total = (walk.rated_count, walk.total) if walk else (0, 0)

        def chosen(carry_on: bool | None) -> None:
            if carry_on is False:
                self.app.pop_screen()

        self.app.push_screen(PauseDialog(rated, total), chosen)

    def on_body_map_spot_clicked(self, event: BodyMap.SpotClicked) -> None:
        if self.walk is not None:
            self.walk.go(event.step_index)
            self.notice = None
            self.draw()

    def _to_summary(self) -> None:
        from selftrack.tui.screens.summary import SummaryScreen

        if not self._leaving:
            self._leaving = True
            self.app.switch_screen(SummaryScreen(self.session_id))


def _legend() -> Text:
    text = Text()
    for _low, hue, words in BANDS:
        text.append("● ", style=f"bold {hue}")
        text.append(words.split(" ")[0] + " ")
    text.append("(8+ ease off)\n○ not yet  × skipped  ")
    text.append("◉", style="reverse bold")
    text.append(" this spot")
    return text


def _instructions(spot) -> Text:
    text = Text()
    for label, value in (
        ("Find it", spot.find),
        ("What it may feel like", spot.feel),
        ("May spread to", spot.refers),
        ("Pressure", spot.pressure),
    ):
        if value:
            text.append(f"{label}: ", style="bold")
            text.append(printable(" ".join(value.split())) + "\n")
    if spot.tools:
        text.append("Tools: ", style="bold")
        text.append(", ".join(spot.tools) + "\n")
    for caution in spot.cautions:
        text.append("Caution: ", style="bold")
        text.append(printable(" ".join(caution.split())) + "\n")
    text.rstrip()
    return text
