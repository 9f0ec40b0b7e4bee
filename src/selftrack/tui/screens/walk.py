"""WalkScreen: the guided session, spot by spot, one key per rating.

What is always on screen, at every size: the spot's name, side and progress; how to find it;
every caution (pinned above the rest of the description, never scrolled away); the whole
rating bar; and the keys to pause, finish and get help. The body map sits beside the text
when there is room and is one key away (m) when there is not; the rest of the description
is in a scrolling box, or one key away (i) on a small screen.
"""

from __future__ import annotations

from collections import deque

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from selftrack import safety
from selftrack.domain.text import printable
from selftrack.render.words import flag_words
from selftrack.session.hold import HOLD_SECONDS, HoldTimer
from selftrack.session.walk import Walk
from selftrack.tui import core
from selftrack.tui.messages import RatingSaved, RatingUndone, WalkOpened
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.body_map import BodyMap, MapSpot
from selftrack.tui.widgets.heat import BANDS, colour
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.rating_bar import RatingBar
from selftrack.tui.widgets.title_bar import TitleBar

__all__ = ["HOLD_SECONDS", "WalkScreen"]



class InfoScroll(VerticalScroll):
    """The scrolling part of the spot's description; the screen's hint follows its size."""

    def on_resize(self) -> None:
        hint = getattr(self.screen, "_hint_more", None)
        if hint is not None:
            self.call_after_refresh(hint)


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
        Binding("o", "dose('tool')", "Tool"),
        Binding("d", "dose('pressure')", "Pressure"),
        Binding("i", "about", "About the spot"),
        Binding("m", "toggle_map", "Map"),
        Binding("h", "timer", "Timer"),
        Binding("pagedown", "scroll_info(1)", "More", show=False),
        Binding("pageup", "scroll_info(-1)", "Back up", show=False),
        Binding("p,escape", "pause", "Pause"),
        Binding("x", "finish", "Finish"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    # what the footer keeps when the terminal is narrow, most needed first
    FOOTER_KEEP = (
        "app.help", "pause", "finish", "rate(0)", "rate(10)", "skip", "about", "toggle_map", "back", "undo",
        "dose('tool')", "dose('pressure')",
    )  # fmt: skip

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.walk: Walk | None = None
        self.notice: Text | None = None
        self.hold = HoldTimer()
        self._open_failed = False
        self._leaving = False
        self._paused = False
        self._shown: dict[str, object] = {}
        self._lines: dict[str, int | None] = {}  # lines each Static took at its width
        # keys wait here, in order, while the walk is read or the save before them runs
        self._queue: deque[tuple[str, tuple]] = deque()
        self._saving = False
        self._advance = True

    @property
    def timer_on(self) -> bool:
        return bool(getattr(self.app, "hold_timer_on", False))

    @property
    def ready_for_keys(self) -> bool:
        """Keys wait (in the app) while the walk is read, a rating is stored or a dialog is up."""
        if self._leaving or self._paused or self._saving:
            return False
        return self.walk is not None or self._open_failed

    def compose(self) -> ComposeResult:
        yield TitleBar("guided session")
        yield Static("Opening the session…", id="walk-progress")
        with Horizontal(id="walk-main"):
            with Vertical(id="walk-left"):
                yield BodyMap(id="walk-map")
                yield Static(_legend(), id="walk-legend")
                yield Static(id="walk-offview")
            with Vertical(id="walk-right"):
                yield Static(id="walk-route")
                with Vertical(id="walk-spot-box"):
                    yield Static(id="walk-spot")
                    yield Static(id="walk-cautions")
                    with InfoScroll(id="walk-more"):
                        yield Static(id="walk-find")
                        yield Static(id="walk-info")
                    yield Static(id="walk-more-hint")
        with Vertical(id="walk-bottom"):
            yield Static(id="walk-status")
            yield Static(id="walk-notice")
            yield Static(id="walk-timer")
            with Horizontal(id="walk-rating-row"):
                yield Static("Rate: ", id="walk-rate-label")
                yield RatingBar(focusable=False, id="walk-rating")
                yield Static("  t = 10   s = skip", id="walk-rate-keys")
                yield Static(id="walk-dose")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick, name="hold timer")
        more = self.query_one("#walk-more", VerticalScroll)
        # the hint under the description follows what fits (new text, a resize, a scroll)
        self.watch(more, "virtual_size", lambda _size: self._hint_more(), init=False)
        self.watch(more, "scroll_y", lambda _y: self._hint_more(), init=False)
        # read in a worker, so the mount completes now: the screen this one replaces is taken
        # down while the session is read; keys typed meanwhile wait their turn
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
        if walk.answered_count:
            self.notify(f"Resumed at spot {walk.current + 1}: {_counts(walk)} so far.")
        resting = [index for index in walk.resting if index not in walk.ratings]
        if resting:
            from selftrack.clock import counted

            self.notify(
                f"{counted(len(resting), 'spot')} {'rests' if len(resting) == 1 else 'rest'} today and "
                f"{'is' if len(resting) == 1 else 'are'} passed over (– on the route line); b and → "
                "reach them, and each says why.",
                title="Resting today",
                timeout=8,
            )
        self.draw()
        self._next()
        keys_ready(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_map":  # only where the map is not beside the text
            return self.has_class("-narrow") or self.has_class("-short")
        return True

    def on_resize(self) -> None:
        self._shown.pop("#walk-more-hint", None)
        self._lines.clear()  # new widths: every line count is to be found again
        self.call_after_refresh(self.draw)  # some words follow the size (narrow or not)

    # -- drawing ----------------------------------------------------------------------

    def draw(self) -> None:
        """Show the current spot and everything around it."""
        walk = self.walk
        if walk is None:
            return
        step, spot = walk.step, walk.spot
        if self._shown.get("step") != walk.current:
            self._shown["step"] = walk.current
            self.hold.restart()
            more = self.query_one("#walk-more", VerticalScroll)
            if more.scroll_y:
                more.scroll_home(animate=False)
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
        self._put("#walk-progress", self._progress_text())
        self._put("#walk-route", self._route_text())
        title = Text(printable(spot.name), style="bold")
        title.append(f"  ({step.side})" if step.side != "mid" else "  (middle)")
        if spot.view != "back":
            title.append(f"  · {spot.view} view, off the map", style="italic")
        self._put("#walk-spot", title)
        warning = _cautions(spot, walk.resting.get(walk.current), walk.lighter.get(walk.current))
        self._put("#walk-cautions", warning)
        cautions = self.query_one("#walk-cautions")
        if cautions.display != bool(warning.plain):  # only a change costs a new layout
            cautions.display = bool(warning.plain)
        self._put("#walk-find", _find(spot))
        self._put("#walk-info", _more(spot))
        narrow = self.has_class("-narrow")
        status = (self._last_text(), self._flags_text(), *((self._dose_text(short=True),) if narrow else ()))
        self._put("#walk-status", Text("    ").join(status))
        self._put("#walk-dose", Text() if narrow else self._dose_text())
        self._put("#walk-notice", self.notice or "")
        self.query_one("#walk-notice").set_class(self.notice is not None, "-shown")
        rating = walk.ratings.get(walk.current)
        self.query_one("#walk-rating", RatingBar).value = rating.tenderness if rating else None
        self._tick()
        self.call_after_refresh(self._hint_more)

    def _put(self, selector: str, content) -> None:
        """Update a Static only when what it shows changes (each update costs a repaint), and
        lay the screen out again only when its number of lines changes (that costs more)."""
        if self._shown.get(selector) == content:
            return
        self._shown[selector] = content
        widget = self.query_one(selector, Static)
        if widget.styles.height is not None and widget.styles.height.is_cells:
            widget.update(content, layout=False)  # a fixed number of rows: no new layout
            return
        width = widget.content_size.width
        lines = None
        if width and isinstance(content, Text):
            lines = len(content.wrap(self.app.console, width)) if content.plain else 0
        elif width and content == "":
            lines = 0
        layout = lines is None or self._lines.get(selector) != lines
        self._lines[selector] = lines
        widget.update(content, layout=layout)

    def _hint_more(self) -> None:
        """Say which key shows the rest of the description when it is hidden or cut."""
        if self.walk is None:
            return
        more = self.query_one("#walk-more", VerticalScroll)
        info_hidden = not self.query_one("#walk-info").display
        cut = more.max_scroll_y > 0 and more.scroll_y < more.max_scroll_y
        spot = self.walk.spot
        has_more = any((spot.feel, spot.refers, spot.pressure, spot.tools, spot.muscles))
        hint = Text()
        if cut:
            hint.append(" pgdn ", style="reverse bold")
            hint.append(" more below   ")
        if info_hidden and has_more:
            hint.append(" i ", style="reverse bold")
            hint.append(" how it feels, spreads, pressure, tools" if cut else " more: how it may feel, where it spreads, pressure, tools")
        elif cut:
            hint.append(" i ", style="reverse bold")
            hint.append(" all of it")
        self._put("#walk-more-hint", hint)  # one line, kept even when empty: no new layout

    def _progress_text(self) -> Text:
        walk = self.walk
        assert walk is not None
        step = walk.step
        side = "middle" if step.side == "mid" else f"{step.side} side"
        width = 20
        filled = walk.answered_count * width // max(walk.total, 1)
        text = Text.assemble(
            ("Spot ", "bold"),
            (f"{walk.current + 1} of {walk.total}", "bold"),
            f"  ·  {side}  ·  {_counts(walk)}  ",
        )
        text.append("█" * filled, style="bold")
        text.append("░" * (width - filled), style="dim")
        return text

    def _route_text(self) -> Text:
        walk = self.walk
        assert walk is not None
        narrow = self.has_class("-narrow")
        # two rows where there is room (the name, then the route's ratings), cut with …
        text = Text(printable(walk.route_name), style="italic", no_wrap=not narrow, overflow="ellipsis")
        text.append(":  " if narrow else "\nThis route: ", style="")
        for step in walk.route_steps():
            rating = walk.ratings.get(step.index)
            if rating is None:
                cell, style = ("–", "dim") if step.index in walk.resting else ("·", "")
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
        text.append("Not on this map:\n", style="bold")
        for index in others:
            step = walk.session.steps[index]
            spot = walk.spot_of(index)
            rating = walk.ratings.get(index)
            value = "·" if rating is None else "s" if rating.skipped else str(rating.tenderness)
            current = index == walk.current
            side = "" if step.side == "mid" else f" {step.side}"
            line = Text("▸ " if current else "  ", style="bold" if current else "")
            line.append(f"{printable(spot.name)}{side}: ", style="bold" if current else "")
            style = f"bold {colour(rating.tenderness)}" if rating and rating.tenderness is not None else ""
            line.append("?" if current and rating is None else value, style=style)
            text.append_text(line)
            text.append("\n")
        text.rstrip()
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

    def _dose_text(self, *, short: bool = False) -> Text:
        """The tool and pressure on this spot (stored with the rating): beside the rating bar
        where there is room, `short` in the status line where it is narrow."""
        walk = self.walk
        assert walk is not None
        pending = walk.pending
        tool = printable(walk.tool or "tool not given")
        if short:
            text = Text("Dose (o d): ")
            text.append(tool, style="bold" if pending.tool else "")
            if pending.pressure:
                text.append(f" · {pending.pressure}", style="bold")
            return text
        text = Text("   │ ", style="dim")
        text.append("Tool: ")
        text.append(tool, style="bold" if pending.tool else "")
        if pending.tool:
            text.append(" (this spot)", style="italic")
        text.append("   Pressure: ")
        text.append(pending.pressure or "–", style="bold" if pending.pressure else "")
        return text

    def _flags_text(self) -> Text:
        walk = self.walk
        assert walk is not None
        pending = walk.pending
        labels = flag_words(pending.recognised, pending.referred, pending.referred_to, pending.nerve)
        if pending.note:
            labels.append("note")
        if not labels:
            if self.has_class("-narrow"):
                return Text("Marks (r f n c): none", style="italic")
            return Text("Marks: none (r recognised · f refers · n nerve · c note)", style="italic")
        rated = walk.current in walk.ratings
        text = Text("Marks: ")
        text.append(printable(" · ".join(labels)), style="bold")
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
        seconds = self.hold.seconds
        line = self.hold.bar()
        timer.update(Text(line, style="bold") if seconds >= HOLD_SECONDS else line)

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

    def action_dose(self, which: str) -> None:
        """o: the next tool on this spot; d: the next pressure (saved at once on a rated spot)."""
        self._enqueue("dose", which)

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
        elif kind == "dose":
            walk.next_tool() if args[0] == "tool" else walk.next_pressure()
            self._save_flags()
        elif kind == "finish":
            self._to_summary()

    def _save(self, index: int, tenderness: int | None, *, skipped: bool, advance: bool) -> None:
        walk = self.walk
        assert walk is not None
        self._saving, self._advance = True, advance
        # a new rating takes the hold timer's seconds on this spot (when the timer is on)
        held = self.hold.seconds if advance and self.timer_on else None
        core.call(
            self, self.app.tracker.record_rating, walk.session.id, index, tenderness,
            skipped=skipped, **walk.rating_values(held, skipped=skipped), done=RatingSaved,
            doing="save the rating",
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
                name = printable(walk.spot_of(rating.step_index).name)
                words = safety.EASE_OFF
                if self.has_class("-narrow"):  # one line: the advice's first sentence
                    words = words.split(". ", 1)[0] + "."
                self.notice = Text.assemble((f"Rated {rating.tenderness} at {name}. ", "bold"), words)
        if advance and walk.done:
            self._to_summary()
            return
        self.draw()
        self._next()
        keys_ready(self)

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
            self.notice = Text(f"Undone: {printable(walk.spot_of(undone.step_index).name)}. Rate it again.")
            self.draw()
        self._next()
        keys_ready(self)

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
            self._open_failed = True
            self.app.pop_screen()
        else:
            self._open_failed = True
        keys_ready(self)

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
                f"Where does the feeling from {printable(walk.spot.name)} spread to? "
                "(optional: enter leaves it blank)",
                placeholder="e.g. the left buttock, the back of the thigh",
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
            TextEntryDialog(f"A note on {printable(walk.spot.name)}:", value=walk.pending.note), chosen
        )

    def action_about(self) -> None:
        """Everything about the current spot, in a dialog that scrolls."""
        from selftrack.tui.screens.spot_info import SpotInfoDialog

        walk = self.walk
        if walk is None:
            return
        step = walk.step
        title = Text(printable(walk.spot.name), style="bold")
        title.append(f"  ({'middle' if step.side == 'mid' else step.side})")
        body = Text()
        for part in (_cautions(walk.spot), _find(walk.spot), _more(walk.spot, muscles=True)):
            if part.plain:
                body.append_text(part)
                body.append("\n\n")
        body.rstrip()
        self.app.push_screen(SpotInfoDialog(title, body))

    def action_toggle_map(self) -> None:
        """On a small screen: the map in place of the text, and back."""
        self.toggle_class("-show-map")
        self.call_after_refresh(self._hint_more)

    def action_scroll_info(self, pages: int) -> None:
        more = self.query_one("#walk-more", VerticalScroll)
        if pages > 0:
            more.scroll_page_down(animate=False)
        else:
            more.scroll_page_up(animate=False)
        self.call_after_refresh(self._hint_more)

    def action_timer(self) -> None:
        self.app.hold_timer_on = not self.timer_on
        self.hold.restart()
        self._tick()

    def action_pause(self) -> None:
        from selftrack.tui.screens.pause import PauseDialog

        walk = self.walk
        rated, skipped, total = (walk.rated_count, walk.skipped_count, walk.total) if walk else (0, 0, 0)
        self._paused = True
        self.hold.pause()
        self._tick()

        def chosen(carry_on: bool | None) -> None:
            self._paused = False
            if carry_on is False:
                self._leaving = True
                self.app.pop_screen()
                return
            self.hold.resume()
            self._tick()
            keys_ready(self)

        self.app.push_screen(PauseDialog(rated, total, skipped=skipped), chosen)

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


def _counts(walk: Walk) -> str:
    """'3 rated', '3 rated, 1 skipped, 2 resting': a skip is never counted as a rating."""
    text = f"{walk.rated_count} rated"
    if walk.skipped_count:
        text += f", {walk.skipped_count} skipped"
    resting = sum(1 for index in walk.resting if index not in walk.ratings)
    if resting:
        text += f", {resting} resting"
    return text


def _legend() -> Text:
    text = Text()
    for _low, hue, words in BANDS:
        text.append("● ", style=f"bold {hue}")
        text.append(words.split(" ")[0] + " ")
    text.append("(8+ ease off)\n○ not yet  × skipped  ")
    text.append("◉", style="reverse bold")
    text.append(" this spot")
    return text


def _clean(value: str) -> str:
    return printable(" ".join(value.split()))


def _cautions(spot, resting: str | None = None, lighter: str | None = None) -> Text:
    """Why the spot rests or is pressed lightly today, then every caution of the spot, each on
    its own line (they are never scrolled away)."""
    text = Text()
    if resting:
        text.append("Resting today: ", style="bold")
        text.append(f"{resting}. It is passed over; rate it only if you choose.\n")
    elif lighter:
        text.append("Lighter today: ", style="bold")
        text.append(f"{lighter}.\n")
    for caution in spot.cautions:
        text.append("⚠ ", style="bold")
        text.append(_clean(caution) + "\n")
    text.rstrip()
    return text


def _find(spot) -> Text:
    text = Text()
    if spot.find:
        text.append("Find it: ", style="bold")
        text.append(_clean(spot.find))
    return text


def _more(spot, *, muscles: bool = True) -> Text:
    """The rest of the description: what it may feel like, where it spreads, pressure, tools."""
    text = Text()
    if muscles and spot.muscles:
        text.append("Muscles: ", style="bold")
        text.append(printable(", ".join(spot.muscles)) + "\n", style="italic")
    for label, value in (
        ("What it may feel like", spot.feel),
        ("May spread to", spot.refers),
        ("Pressure", spot.pressure),
    ):
        if value:
            text.append(f"{label}: ", style="bold")
            text.append(_clean(value) + "\n")
    if spot.tools:
        text.append("Tools: ", style="bold")
        text.append(printable(", ".join(spot.tools)) + "\n")
    text.rstrip()
    return text
