"""Safety before a session: the red-flag questions, what a yes means, the conditions that adapt
the routines, and the soreness question after a hard session.

The rules and every word a person reads are the core's (selftrack.safety,
selftrack.analysis.care, selftrack.domain.conditions); these screens ask and show.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, SelectionList, Static

from selftrack import safety
from selftrack.analysis.care import SORENESS, SORENESS_WORDS, TRIGGER_WORDS, Screening
from selftrack.domain.conditions import ASKED_CONDITIONS, ConditionProfile
from selftrack.tui import core
from selftrack.tui.screens.one_at_a_time import OneAtATime
from selftrack.tui.messages import ConditionsSaved, ScreeningAnswered, SorenessAnswered
from selftrack.tui.widgets.key_footer import KeyFooter

CLEARED_WORDS = "Yes, and a clinician has said self-massage is fine"


class ScreeningScreen(OneAtATime["Screening | None"]):
    """The red-flag questions one at a time; returns the stored Screening, or None for later.

    A yes to an emergency sign ends the questions at once: the answers so far are stored and
    the advice is shown by whoever opened this screen.
    """

    BINDINGS = [
        Binding("y", "answer('yes')", "Yes"),
        Binding("n", "answer('no')", "No"),
        Binding("c", "answer('cleared')", "Yes, cleared by a clinician"),
        Binding("b", "back", "Back"),
        Binding("escape", "later", "Later"),
    ]
    FOOTER_SHORT = {"answer('cleared')": "Cleared"}

    def __init__(self, trigger: str) -> None:
        super().__init__()
        self.trigger = trigger
        self.answers: dict[str, str] = {}

    @property
    def question(self) -> safety.ScreenQuestion:
        return safety.RED_FLAG_SCREEN[self.index]

    def compose(self) -> ComposeResult:
        why = TRIGGER_WORDS.get(self.trigger, self.trigger)
        with Vertical(id="screening-box", classes="dialog"):
            yield Static(Text.assemble(("Safety questions", "bold"), f": {why}"), id="screening-title")
            yield Static(
                "Answer each question about how you are now. They check for the signs that mean "
                "someone should not treat themselves; most people answer no to all of them.",
                classes="hint",
                id="screening-intro",
            )
            yield Static(id="screening-count")
            yield Static(id="screening-question")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes")
                yield Button("No (n)", id="no", variant="primary")
                yield Button(f"{CLEARED_WORDS} (c)", id="cleared")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == ("cleared",):
            return self.question.urgency == safety.CLINICIAN
        if action == "back":
            return self.index > 0
        return True

    def _show(self) -> None:
        question = self.question
        total = len(safety.RED_FLAG_SCREEN)
        self.query_one("#screening-count", Static).update(
            Text(f"Question {self.index + 1} of {total}", style="italic")
        )
        self.query_one("#screening-question", Static).update(Text(question.question, style="bold"))
        cleared = self.query_one("#cleared", Button)
        cleared.display = question.urgency == safety.CLINICIAN
        self.query_one("#no", Button).focus()
        self.refresh_bindings()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(str(event.button.id))

    def action_answer(self, answer: str) -> None:
        if self._storing:
            return
        question = self.question
        if answer == "cleared" and question.urgency != safety.CLINICIAN:
            return
        self.answers[question.id] = answer
        emergency = question.urgency == safety.EMERGENCY and answer != "no"
        if emergency:
            self._store()
        else:
            self._next()

    def question_count(self) -> int:
        return len(safety.RED_FLAG_SCREEN)

    def _went_back(self) -> None:
        self.answers.pop(self.question.id, None)

    def _store(self) -> None:
        self._storing = True
        answers = {q.id: self.answers[q.id] for q in safety.RED_FLAG_SCREEN if q.id in self.answers}
        core.call(self, self.app.tracker.answer_screening, answers, self.trigger,
                  done=ScreeningAnswered, doing="store your answers")  # fmt: skip

    @on(ScreeningAnswered)
    def _stored(self, event: ScreeningAnswered) -> None:
        self.dismiss(event.result)

    @on(core.CoreFailed)
    def _failed(self) -> None:
        self._storing = False  # the person has been told; the answers are still on screen


def advice_text(screening: Screening) -> Text:
    """What a screen that stops sessions says, from the core's words."""
    emergency = screening.outcome == safety.EMERGENCY
    text = Text()
    if emergency:
        text.append("Stop: get help today\n\n", style="bold red")
    else:
        text.append("See a clinician before treating yourself\n\n", style="bold")
    for advice in screening.advice():
        text.append(advice + "\n\n", style="bold" if emergency else "")
    text.append(
        "No session starts while this answer stands. You can still look at your history, and "
        "export it (e on the home screen) to show the clinician. When a clinician has seen you, "
        "answer the questions again (c on the home screen, then a)."
    )
    return text


class CareAdviceScreen(ModalScreen[None]):
    """What to do after a yes: an emergency department today, or a clinician first."""

    BINDINGS = [
        Binding("enter,escape", "close", "Close"),
        Binding("pagedown", "page(1)", "Page down", key_display="pgdn", show=False),
        Binding("pageup", "page(-1)", "Page up", key_display="pgup", show=False),
    ]

    def __init__(self, screening: Screening) -> None:
        super().__init__()
        self.screening = screening

    def compose(self) -> ComposeResult:
        with Vertical(id="advice-box", classes="dialog"):
            with VerticalScroll():
                yield Static(advice_text(self.screening), id="advice-text")
            with Horizontal(classes="buttons"):
                yield Button("Close (enter)", id="close", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.screening.outcome == safety.EMERGENCY:
            self.query_one("#advice-box").add_class("-emergency")
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_page(self, pages: int) -> None:
        body = self.query_one(VerticalScroll)
        body.scroll_page_down(animate=False) if pages > 0 else body.scroll_page_up(animate=False)


class SorenessDialog(ModalScreen["str | None"]):
    """After a session that pressed spots hard: how it left the person (stored), or None."""

    BINDINGS = [
        *(Binding(str(n), f"answer({n})", SORENESS_WORDS[answer], show=False) for n, answer in enumerate(SORENESS, 1)),
        Binding("escape", "later", "Ask me next time"),
    ]

    def __init__(self, session_id: str, started: datetime) -> None:
        super().__init__()
        self.session_id = session_id
        self.started = started
        self._storing = False
        self._answer: str | None = None

    @property
    def ready_for_keys(self) -> bool:
        return not self._storing

    def compose(self) -> ComposeResult:
        clock = self.app.tracker.clock
        when = clock.local(self.started).format("dddd D MMMM")
        with Vertical(id="soreness-box", classes="dialog"):
            yield Static(
                Text.assemble(
                    ("How did your last hard session leave you?\n\n", "bold"),
                    f"On {when} some spots were pressed hard (8 or more, or held longer than the "
                    "routine suggests). Soreness for a day or two is common; soreness that lasts "
                    "longer, or a bruise, means those spots need a rest or lighter pressure.",
                ),
                id="soreness-text",
            )
            with Vertical(classes="buttons"):
                for number, answer in enumerate(SORENESS, 1):
                    yield Button(f"{number}  {SORENESS_WORDS[answer].capitalize()}", id=f"sore-{number}")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#sore-1", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(int(str(event.button.id).removeprefix("sore-")))

    def action_answer(self, number: int) -> None:
        if self._storing:
            return
        self._storing = True
        self._answer = SORENESS[number - 1]
        core.call(self, self.app.tracker.answer_soreness, self.session_id, self._answer,
                  done=SorenessAnswered, doing="store how you felt")  # fmt: skip

    @on(SorenessAnswered)
    def _stored(self) -> None:
        self.dismiss(self._answer)

    @on(core.CoreFailed)
    def _failed(self) -> None:
        self._storing = False

    def action_later(self) -> None:
        if not self._storing:
            self.dismiss(None)


class SafetyConditionsScreen(ModalScreen[bool]):
    """The red-flag questions' latest answer, and the conditions that adapt the routines.

    With `first`, shown right after the first answers: does any condition apply? Returns True
    when the conditions were saved (or the questions answered), False when closed.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("a", "screen_again", "Answer the questions"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, state, *, first: bool = False) -> None:
        super().__init__()
        self.state = state
        self.first = first
        self._saving = False

    def compose(self) -> ComposeResult:
        profile: ConditionProfile = self.state.conditions
        with Vertical(id="conditions-box", classes="dialog"):
            with VerticalScroll():
                if not self.first:
                    yield Static(self._screening_text(), id="conditions-screening")
                yield Static(
                    Text.assemble(
                        ("Does any of these apply to you?" if self.first else "Your conditions", "bold"),
                        "\nThey change the routines: spots left out, tools not offered, gentler "
                        "pressure. Tick each that applies (space), then save.",
                    ),
                    id="conditions-intro",
                )
                yield SelectionList[str](
                    *((c.name, c.id, c.id in profile.conditions) for c in ASKED_CONDITIONS),
                    id="conditions-list",
                )
                yield Static(id="conditions-why", classes="hint")
                yield Static("Weeks pregnant (if you know):", classes="field-title", id="weeks-title")
                yield Input(
                    value="" if profile.pregnancy_weeks is None else str(profile.pregnancy_weeks),
                    placeholder="e.g. 22",
                    type="integer",
                    id="conditions-weeks",
                )
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                if not self.first:
                    yield Button("Answer the safety questions (a)", id="again")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        self._follow_pregnancy()

    def _screening_text(self) -> Text:
        screening = self.state.screening
        clock = self.app.tracker.clock
        text = Text("Safety questions\n", style="bold")
        if screening is None:
            text.append("Not answered yet: they are asked before your first session.")
            return text
        when = clock.local(screening.answered_at).format("D MMM YYYY")
        words = {"clear": "no red flags", "clinician": "see a clinician first", "emergency": "get help today"}
        text.append(f"Last answered {when}: {words.get(screening.outcome, screening.outcome)}.")
        if self.state.due:
            text.append(f" Asked again at your next start: {TRIGGER_WORDS.get(self.state.due, self.state.due)}.")
        text.append("\n")
        return text

    @on(SelectionList.SelectionHighlighted)
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        chosen = ASKED_CONDITIONS[event.selection_index]
        self.query_one("#conditions-why", Static).update(chosen.why)

    @on(SelectionList.SelectedChanged)
    def _follow_pregnancy(self) -> None:
        pregnant = "pregnancy" in self.query_one(SelectionList).selected
        self.query_one("#weeks-title").display = pregnant
        self.query_one("#conditions-weeks").display = pregnant

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "screen_again":
            return not self.first
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "again":
            self.action_screen_again()

    def action_save(self) -> None:
        if self._saving:
            return
        chosen = list(self.query_one(SelectionList).selected)
        weeks_text = self.query_one("#conditions-weeks", Input).value.strip()
        weeks = None
        if "pregnancy" in chosen and weeks_text:
            weeks = int(weeks_text)
            if not 0 <= weeks <= 45:
                self.notify("Weeks pregnant is a number from 0 to 45.", severity="warning")
                return
        self._saving = True
        profile = ConditionProfile.of(*chosen, pregnancy_weeks=weeks)
        core.call(self, self.app.tracker.set_conditions, profile, done=ConditionsSaved,
                  doing="save your conditions")  # fmt: skip

    @on(ConditionsSaved)
    def _saved(self) -> None:
        self.notify("Saved: the routines follow these from now on.")
        self.dismiss(True)

    @on(core.CoreFailed)
    def _failed(self) -> None:
        self._saving = False

    def action_screen_again(self) -> None:
        if self.first:
            return

        def answered(screening: Screening | None) -> None:
            if screening is None:
                return
            self.dismiss(True)
            if screening.blocks:
                self.app.push_screen(CareAdviceScreen(screening))

        self.app.push_screen(ScreeningScreen("asked"), answered)

    def action_close(self) -> None:
        self.dismiss(False)
