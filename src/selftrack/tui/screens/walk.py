"""WalkScreen: the guided session, spot by spot, one key per rating."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from selftrack import safety
from selftrack.textviews import printable
from selftrack.tui.widgets.title_bar import TitleBar
from selftrack.tui.messages import RatingRecorded, RatingUndone
from selftrack.tui.widgets.body_map import BodyMap, MapSpot
from selftrack.tui.widgets.heat import BANDS, colour
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.rating_bar import RatingBar
from selftrack.walk import RatingRequest, Walk

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
        # down (and the app laid out again) while the session is read, not under the first key
        self.run_worker(self._open(), group="walk-open")

    async def _open(self) -> None:
        from selftrack.tui.app import CoreFailed

        try:
            walk = await self.app.run_core(_open_walk, self.app.tracker, self.session_id, doing="open the session")
        except CoreFailed:
            return
        self.walk = walk
        self.refresh_bindings()  # the walk's keys are enabled now (check_action)
        self.query_one(TitleBar).show(walk.session.protocol_name)
        if walk.done:
            self.notify("Every spot is rated: finish the session.")
            self._to_summary()
            return
        if walk.rated_count:
            self.notify(f"Resumed at spot {walk.current + 1}: {walk.rated_count} already rated.")
        self.draw()
        self.app.freeze_heap()  # this screen and the session live as long as the walk

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
            (walk.route_name, "italic"),
        )
        self._put("#walk-progress", progress)
        if self._shown.get("#walk-bar") != walk.rated_count:
            self._shown["#walk-bar"] = walk.rated_count
            self.query_one("#walk-bar", ProgressBar).update(total=walk.total, progress=walk.rated_count)
        self._put("#walk-route", self._route_text())
        title = Text(spot.name, style="bold")
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
            line = Text(f"{marker}{spot.name}{side} ({spot.view}): ")
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
        labels = walk.pending.labels()
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

    # -- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.walk is None and action not in ("pause", "help"):
            return None
        return True

    async def action_rate(self, value: int) -> None:
        if self.walk is not None:
            await self._store(self.walk.request(value))

    async def action_skip(self) -> None:
        if self.walk is not None:
            await self._store(self.walk.request(None, skipped=True))

    async def _store(self, request: RatingRequest, *, advance: bool = True) -> None:
        from selftrack.tui.app import CoreFailed

        walk = self.walk
        assert walk is not None
        try:
            rating = await self.app.run_core(request.store, self.app.tracker, doing="save the rating")
        except CoreFailed:
            return
        walk.accept(rating, advance=advance)
        self.notice = None
        if advance and safety.is_ease_off(rating.tenderness):
            name = walk.spot_of(rating.step_index).name
            self.notice = Text.assemble(
                (f"Rated {rating.tenderness} ({name}). ", "bold"), safety.EASE_OFF
            )
        self.post_message(RatingRecorded(rating))
        if advance and walk.done:
            self._to_summary()
            return
        self.draw()

    def action_back(self) -> None:
        if self.walk is not None and self.walk.back():
            self.notice = None
            self.draw()

    def action_forward(self) -> None:
        if self.walk is not None and self.walk.forward():
            self.notice = None
            self.draw()

    async def action_undo(self) -> None:
        from selftrack.tui.app import CoreFailed

        if self.walk is None:
            return
        try:
            undone = await self.app.run_core(
                self.app.tracker.undo_last, self.session_id, doing="undo the last rating"
            )
        except CoreFailed:
            return
        if undone is None:
            self.notify("Nothing to undo.")
            return
        self.walk.forget(undone)
        self.notice = Text(f"Undone: {self.walk.spot_of(undone.step_index).name}. Rate it again.")
        self.post_message(RatingUndone(undone))
        self.draw()

    async def action_flag(self, flag: str) -> None:
        if self.walk is None:
            return
        flags = self.walk.toggle(flag)
        if flag == "nerve" and flags.nerve:
            self.notice = Text(safety.NERVE, style="bold")
        await self._save_flags()

    async def _save_flags(self) -> None:
        walk = self.walk
        assert walk is not None
        request = walk.flag_request()
        if request is not None:
            await self._store(request, advance=False)
        else:
            self.draw()

    def action_referred(self) -> None:
        from selftrack.tui.screens.text_entry import TextEntryDialog

        walk = self.walk
        if walk is None:
            return
        if walk.pending.referred:
            walk.toggle("referred")
            self.run_worker(self._save_flags(), group="flags")
            return

        def chosen(where: str | None) -> None:
            if where is not None and self.walk is not None:
                self.walk.set_referred(where)
                self.run_worker(self._save_flags(), group="flags")

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
                self.run_worker(self._save_flags(), group="flags")

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

    def action_finish(self) -> None:
        if self.walk is not None:
            self._to_summary()

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


def _open_walk(tracker, session_id: str) -> Walk:
    """Read the session for the walk, and get the database ready for its first rating."""
    walk = Walk.load(tracker, session_id)
    if not walk.done:
        tracker.warm_up(session_id)
    return walk


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
            text.append(" ".join(value.split()) + "\n")
    if spot.tools:
        text.append("Tools: ", style="bold")
        text.append(", ".join(spot.tools) + "\n")
    for caution in spot.cautions:
        text.append("Caution: ", style="bold")
        text.append(" ".join(caution.split()) + "\n")
    text.rstrip()
    return text
