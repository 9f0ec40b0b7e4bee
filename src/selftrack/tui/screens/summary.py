"""SummaryScreen: what the session found, then pain now and notes to finish it.

A session with nothing rated is not finished: the screen offers to discard it, or to keep it
as abandoned (it then counts nowhere).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from selftrack.analysis.summary import SessionReport
from selftrack.domain.text import printable
from selftrack.render.words import counted, flag_words, spot_label
from selftrack.tui import core
from selftrack.tui.messages import ReportLoaded, SessionDiscarded, SessionFinished
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.heat import colour
from selftrack.tui.widgets.rating_bar import RatingBar
from selftrack.tui.widgets.title_bar import TitleBar


class SummaryScreen(Screen):
    """The end of a session: hottest spots, change against last time, flags, pain after."""

    BINDINGS = [
        Binding("escape", "back_to_walk", "Back to the spots"),
        Binding("ctrl+s", "save", "Save and finish"),
        Binding("ctrl+d", "discard", "Discard it"),
        Binding("ctrl+k", "keep", "Keep it as abandoned"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    FOOTER_KEEP = ("app.help", "save", "discard", "keep", "back_to_walk")

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.summary: SessionReport | None = None
        self._saving = False
        self._failed_load = False

    @property
    def ready_for_keys(self) -> bool:
        """Keys wait while the session is added up and while it is being saved."""
        return not self._saving and (self.summary is not None or self._failed_load)

    @property
    def empty(self) -> bool:
        """Nothing was rated: the session cannot be finished, only discarded or kept as abandoned."""
        return self.summary is not None and not self.summary.rated

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return not self.empty
        if action in ("discard", "keep"):
            return self.empty
        return True

    def compose(self) -> ComposeResult:
        yield TitleBar("how the session went")
        with VerticalScroll(id="summary-body"):
            yield Static("Adding up the session…", id="summary-head")
            with Vertical(id="summary-form", classes="card"):
                with Horizontal(classes="form-row"):
                    yield Label("Pain now, overall (0–9, t for 10): ", classes="form-label")
                    yield RatingBar(id="summary-pain")
                with Horizontal(classes="form-row"):
                    yield Input(
                        placeholder="notes (optional): how it went, what helped",
                        max_length=2000,
                        id="summary-notes",
                    )
                    yield Button("Save and finish", id="summary-save", variant="primary")
                with Horizontal(classes="form-row", id="summary-empty"):
                    yield Button("Discard it (ctrl+d)", id="summary-discard", variant="error")
                    yield Button("Keep it as abandoned (ctrl+k)", id="summary-keep")
            with Horizontal(id="summary-figures"):
                yield Static(id="summary-hottest", classes="card")
                yield Static(id="summary-change", classes="card")
            yield Static(id="summary-flags", classes="card")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#summary-empty").display = False
        self.query_one("#summary-pain", RatingBar).focus()
        core.call(self, self.app.tracker.report, self.session_id, done=ReportLoaded, doing="add up the session")

    @on(ReportLoaded)
    def _loaded(self, event: ReportLoaded) -> None:
        self.summary = event.result
        self.show(self.summary)
        self.refresh_bindings()
        keys_ready(self)

    def show(self, summary: SessionReport) -> None:
        session = summary.session
        clock = self.app.tracker.clock
        head = Text(printable(session.protocol_name), style="bold")
        head.append(f" · started {clock.day_and_time(session.started_at)}")
        if not summary.rated:
            head.append("\nNothing was rated", style="bold")
            if summary.skipped:
                head.append(f" ({counted(len(summary.skipped), 'spot')} skipped)")
            head.append(
                ": this is not a finished session. Discard it (ctrl+d), keep it as abandoned "
                "(ctrl+k: it is not counted in your week, streak or history's finished sessions), "
                "or go back to the spots (escape)."
            )
            self.query_one("#summary-save").display = False
            self.query_one("#summary-empty").display = True
        else:
            head.append(f"\n{counted(len(summary.rated), 'spot')} rated, {len(summary.skipped)} skipped")
        if summary.unrated_count:
            head.append(f", {summary.unrated_count} not reached (escape goes back to them)")
        if summary.mean is not None:
            head.append(f" · mean tenderness {summary.mean:.1f}")
        if session.pain_before is not None:
            head.append(f"\nPain before: {session.pain_before}")
        self.query_one("#summary-head", Static).update(head)
        self.query_one("#summary-hottest", Static).update(_hottest(summary))
        self.query_one("#summary-change", Static).update(_changes(summary, clock))
        self.query_one("#summary-flags", Static).update(_flags(summary))
        if session.notes:
            self.query_one("#summary-notes", Input).value = session.notes

    def on_rating_bar_submitted(self, event: RatingBar.Submitted) -> None:
        event.stop()
        self.query_one("#summary-notes", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.empty:
            self.action_keep()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "summary-discard":
            self.action_discard()
        elif event.button.id == "summary-keep":
            self.action_keep()
        else:
            self.action_save()

    def action_discard(self) -> None:
        """Delete the session with nothing rated (its skips go too)."""
        if self._saving or not self.empty:
            return
        self._saving = True
        core.call(self, self.app.tracker.discard, self.session_id, done=SessionDiscarded,
                  doing="discard the session")  # fmt: skip

    @on(SessionDiscarded)
    def _discarded(self) -> None:
        self.notify("The session with nothing rated was discarded.")
        self.app.pop_screen()

    def action_keep(self) -> None:
        """Keep the session with nothing rated: it is closed as abandoned."""
        if self.empty:
            self._finish()

    def action_save(self) -> None:
        if self.empty:
            return  # nothing rated: discard or keep, never "finished"
        self._finish()

    def _finish(self) -> None:
        if self._saving or self.summary is None:
            return
        self._saving = True
        pain = self.query_one("#summary-pain", RatingBar).value
        notes = self.query_one("#summary-notes", Input).value.strip()
        core.call(
            self, self.app.tracker.finish, self.session_id, pain_after=pain, notes=notes,
            done=SessionFinished, doing="finish the session",
        )  # fmt: skip

    @on(core.CoreFailed)
    def _failed(self) -> None:
        self._saving = False
        if self.summary is None:
            self._failed_load = True
        keys_ready(self)

    @on(SessionFinished)
    def _finished(self, event: SessionFinished) -> None:
        from selftrack.domain.terms import SessionStatus

        if event.result.status is SessionStatus.ABANDONED:
            self.notify("Kept as abandoned: nothing was rated, so it is not counted.")
        else:
            self.notify("Session saved. Well done.")
        self.app.pop_screen()

    def action_back_to_walk(self) -> None:
        from selftrack.tui.screens.walk import WalkScreen

        self.app.switch_screen(WalkScreen(self.session_id))


def _hottest(summary: SessionReport) -> Table | Text:
    hottest = summary.hottest()
    if not hottest:
        return Text("Hottest spots\nNothing tender today.", style="bold")
    table = Table(
        title="Hottest spots", title_justify="left", title_style="bold", box=None,
        show_header=False, padding=(0, 1, 0, 0), expand=True,
    )
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    for result in hottest:
        table.add_row(
            printable(spot_label(result.name, result.side)),
            Text(f"● {result.tenderness}", style=f"bold {colour(result.tenderness or 0)}"),
        )
    return table


def _changes(summary: SessionReport, clock) -> Table | Text:
    """This session beside the last one of the same routine, as plain numbers."""
    if summary.previous is None:
        return Text("Beside last time\nThe first session of this routine: nothing to set beside it yet.")
    both = summary.beside_last_time()
    when = clock.human(summary.previous.started_at)
    if not both:
        return Text(f"Beside last time ({when})\nNo spot was rated both times.")
    table = Table(
        title=f"Beside last time ({when})", title_justify="left", title_style="bold",
        box=None, padding=(0, 1, 0, 0), expand=True, caption_justify="left",
    )
    table.add_column("spot", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("then", justify="right", no_wrap=True)
    table.add_column("now", justify="right", no_wrap=True)
    table.add_column("difference", justify="right", no_wrap=True)
    for result in both[:6]:
        difference = result.difference or 0
        table.add_row(
            printable(spot_label(result.name, result.side)), str(result.before), str(result.tenderness),
            f"{difference:+d}" if difference else "0",
        )
    means = summary.means_of_the_same_spots
    if means is not None:
        before, now = means
        table.caption = (
            f"Mean over these spots: {before:.1f} then, {now:.1f} now. One session is too little "
            "to judge: trends (t on the home screen) say what has changed."
        )
    return table


def _flags(summary: SessionReport) -> Text:
    flagged = summary.flagged()
    text = Text("Flagged\n", style="bold")
    if not flagged:
        text.append("Nothing flagged (nerve, recognised, refers, notes).")
        return text
    for result in flagged:
        r = result.rating
        marker = "⚠ " if r.nerve else "• "
        text.append(marker + printable(spot_label(result.name, result.side)) + ": ", style="bold" if r.nerve else "")
        text.append(printable(", ".join(flag_words(r.recognised, r.referred, r.referred_to, r.nerve, r.note))) + "\n")
    if any(r.rating.nerve for r in flagged):
        text.append("Spots flagged nerve carry a warning in your next sessions.", style="italic")
    return text
