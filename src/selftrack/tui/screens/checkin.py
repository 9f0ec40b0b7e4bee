"""CheckInDialog: the morning check-in, one question at a time, a key per answer.

Back pain now, leg pain now and (when there is leg pain) whether it goes below the knee, the
night, and — the day after a session — soreness from it. Every word is the core's
(selftrack.domain.instruments, selftrack.analysis.care); the core stores and checks the answers.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from selftrack.analysis.care import SORENESS, SORENESS_WORDS
from selftrack.domain.instruments import (
    CHECKIN_BACK,
    CHECKIN_BELOW_KNEE,
    CHECKIN_LEG,
    CHECKIN_NIGHT,
    CHECKIN_SORENESS,
    Question,
)
from selftrack.tui import core
from selftrack.tui.screens.one_at_a_time import OneAtATime
from selftrack.tui.messages import CheckInStored, PromptsLoaded
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.rating_bar import RatingBar

SCALE_KEYS = [
    Binding("0", "answer(0)", "Answer", key_display="0-9"),
    *(Binding(str(n), f"answer({n})", f"Answer {n}", show=False) for n in range(1, 10)),
    Binding("t", "answer(10)", "10"),
]


def scale_text(question: Question) -> Text:
    """A 0–10 question in its own words, and what its two ends mean."""
    text = Text(question.text, style="bold")
    text.append(f"\n0 = {question.low}   …   10 = {question.high}", style="italic")
    return text


class CheckInDialog(OneAtATime["object | None"]):
    """The morning check-in; returns the CheckInSaved, or None when left for later."""

    BINDINGS = [
        *SCALE_KEYS,
        Binding("y", "yes_no(True)", "Yes"),
        Binding("n", "yes_no(False)", "No"),
        Binding("b", "back", "Back"),
        Binding("escape", "later", "Later"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.prompts = None
        self.answers: dict[str, object] = {}

    def _questions_known(self) -> bool:
        return self.prompts is not None

    @property
    def steps(self) -> list[str]:
        """The questions, in order: below the knee only with leg pain, soreness only the day
        after a session."""
        steps = ["back", "leg"]
        if self.answers.get("leg"):
            steps.append("below_knee")
        steps.append("night")
        if self.prompts is not None and self.prompts.soreness_about is not None:
            steps.append("soreness")
        return steps

    def compose(self) -> ComposeResult:
        with Vertical(id="checkin-box", classes="dialog"):
            yield Static(Text("Morning check-in", style="bold"), id="checkin-title")
            yield Static(id="checkin-count", classes="hint")
            yield Static(id="checkin-question")
            yield RatingBar(focusable=False, id="checkin-scale")
            yield Static(id="checkin-choices")
            yield Static(id="checkin-so-far", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        core.call(self, self.app.tracker.outcome_prompts, done=PromptsLoaded, doing="read what is due")

    @on(PromptsLoaded)
    def _prompts(self, event: PromptsLoaded) -> None:
        self.prompts = event.result
        self._show()
        keys_ready(self)

    def _show(self) -> None:
        step, steps = self.step, self.steps
        self.query_one("#checkin-count", Static).update(f"Question {self.index + 1} of {len(steps)}")
        bar = self.query_one("#checkin-scale", RatingBar)
        choices = Text()
        if step in ("back", "leg", "night"):
            question = {"back": CHECKIN_BACK, "leg": CHECKIN_LEG, "night": CHECKIN_NIGHT}[step]
            self.query_one("#checkin-question", Static).update(scale_text(question))
            bar.display = True
            bar.value = self.answers.get(step)  # type: ignore[assignment]
            choices.append("0–9, t for 10: the answer, and on to the next", style="italic")
        elif step == "below_knee":
            self.query_one("#checkin-question", Static).update(Text(CHECKIN_BELOW_KNEE, style="bold"))
            bar.display = False
            for key, words in (("y", "yes"), ("n", "no")):
                choices.append(f" {key} ", style="reverse bold")
                choices.append(f" {words}    ")
        else:
            assert self.prompts is not None and self.prompts.soreness_about is not None
            when = self.app.tracker.clock.local(self.prompts.soreness_about[1]).format("dddd D MMMM")
            question = Text(CHECKIN_SORENESS, style="bold")
            question.append(f"\n(your session on {when})", style="italic")
            self.query_one("#checkin-question", Static).update(question)
            bar.display = False
            for number, answer in enumerate(SORENESS, 1):
                choices.append(f" {number} ", style="reverse bold")
                choices.append(f" {SORENESS_WORDS[answer]}\n")
            choices.rstrip()
        self.query_one("#checkin-choices", Static).update(choices)
        self.query_one("#checkin-so-far", Static).update(self._so_far())
        self.refresh_bindings()

    def _so_far(self) -> str:
        names = {"back": "back", "leg": "leg", "night": "night"}
        parts = [f"{names[k]} {self.answers[k]}" for k in ("back", "leg", "night") if k in self.answers]
        if "below_knee" in self.answers and "below_knee" in self.steps:
            parts.insert(2, "below the knee" if self.answers["below_knee"] else "not below the knee")
        return ("So far: " + ", ".join(parts)) if parts else "b goes back a question · esc leaves it for later"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.prompts is None:
            return action == "later"
        step = self.step
        if action == "answer":
            if step == "soreness":
                return parameters[0] in range(1, len(SORENESS) + 1)
            return step in ("back", "leg", "night")
        if action == "yes_no":
            return step == "below_knee"
        if action == "back":
            return self.index > 0
        return True

    def action_answer(self, value: int) -> None:
        if self._storing or self.prompts is None:
            return
        step = self.step
        if step == "soreness":
            if not 1 <= value <= len(SORENESS):
                return
            self.answers[step] = SORENESS[value - 1]
        elif step in ("back", "leg", "night"):
            self.answers[step] = value
        else:
            return
        self._next()

    def action_yes_no(self, yes: bool) -> None:
        if self._storing or self.prompts is None or self.step != "below_knee":
            return
        self.answers["below_knee"] = yes
        self._next()

    def _store(self) -> None:
        self._storing = True
        answers = self.answers
        leg = int(answers["leg"])  # type: ignore[arg-type]
        core.call(
            self, self.app.tracker.record_checkin,
            back=answers["back"], leg=leg, night=answers["night"],
            below_knee=bool(answers.get("below_knee")) if leg else False,
            soreness=answers.get("soreness") if "soreness" in self.steps else None,
            done=CheckInStored, doing="store the check-in",
        )  # fmt: skip

    @on(CheckInStored)
    def _stored(self, event: CheckInStored) -> None:
        self.dismiss(event.result)

    @on(core.CoreFailed)
    def _failed(self) -> None:
        self._storing = False  # the person has been told why; the answers are still here
        if self.prompts is None:
            self.dismiss(None)
        keys_ready(self)
