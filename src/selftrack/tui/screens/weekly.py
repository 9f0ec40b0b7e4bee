"""WeeklyFormDialog: the weekly function form, one question at a time.

The PEG's three questions (0–10 each), the Patient-Specific Functional Scale (the activities
named the first time, or changed with e, then each rated 0–10) and the global impression of
change since starting (1–7, once there is a start to compare with). The published wording is
the core's (selftrack.domain.instruments); the core stores and checks the answers.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from selftrack.domain.instruments import (
    PEG_QUESTIONS,
    PGIC_CHOICES,
    PGIC_QUESTION,
    PSFS_AGAIN,
    PSFS_FIRST,
    PSFS_MAX_ACTIVITIES,
    PSFS_NAME_MAX,
    PSFS_SCALE,
)
from selftrack.domain.text import printable
from selftrack.tui import core
from selftrack.tui.screens.one_at_a_time import OneAtATime
from selftrack.tui.messages import PromptsLoaded, WeeklyFormStored
from selftrack.tui.screens.checkin import SCALE_KEYS, scale_text
from selftrack.tui.typeahead import keys_ready
from selftrack.tui.widgets.key_footer import KeyFooter
from selftrack.tui.widgets.rating_bar import RatingBar

NAMES = "names"
PGIC = "pgic"


class WeeklyFormDialog(OneAtATime["object | None"]):
    """The weekly form; returns the stored WeeklyForm, or None when left for later."""

    BINDINGS = [
        *SCALE_KEYS,
        Binding("e", "change_activities", "Change activities"),
        Binding("ctrl+n", "names_done", "Next", show=False),
        Binding("b", "back", "Back"),
        Binding("escape", "later", "Later"),
    ]
    FOOTER_SHORT = {"change_activities": "Activities"}

    def __init__(self) -> None:
        super().__init__()
        self.prompts = None
        self.names: list[str] = []  # the activities rated this time
        self.new_names = False  # named here: stored with the form
        self.answers: dict[str, int] = {}

    def _questions_known(self) -> bool:
        return self.prompts is not None

    @property
    def steps(self) -> list[str]:
        steps = [q.id for q in PEG_QUESTIONS]
        if not self.names:
            steps.append(NAMES)
        steps += [f"psfs:{n}" for n in range(len(self.names))]
        if self.prompts is not None and self.prompts.ask_pgic:
            steps.append(PGIC)
        return steps

    def compose(self) -> ComposeResult:
        with Vertical(id="weekly-box", classes="dialog"):
            yield Static(Text("Weekly form: pain, your activities, change since starting", style="bold"))
            yield Static(id="weekly-count", classes="hint")
            yield Static(id="weekly-question")
            yield RatingBar(focusable=False, id="weekly-scale")
            with Vertical(id="weekly-names"):
                for n in range(PSFS_MAX_ACTIVITIES):
                    yield Input(placeholder=f"activity {n + 1}" + (" (optional)" if n else ""),
                                max_length=PSFS_NAME_MAX, id=f"weekly-name-{n}")  # fmt: skip
            yield Static(id="weekly-choices")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#weekly-names").display = False
        core.call(self, self.app.tracker.outcome_prompts, done=PromptsLoaded, doing="read what is due")

    @on(PromptsLoaded)
    def _prompts(self, event: PromptsLoaded) -> None:
        self.prompts = event.result
        self.names = [a.name for a in self.prompts.psfs_activities]
        self._show()
        keys_ready(self)

    # -- drawing ----------------------------------------------------------------------

    def _show(self) -> None:
        step, steps = self.step, self.steps
        part = "PEG" if self.index < len(PEG_QUESTIONS) else "change since starting" if step == PGIC else "activities"
        self.query_one("#weekly-count", Static).update(f"Question {self.index + 1} of {len(steps)} · {part}")
        question = self.query_one("#weekly-question", Static)
        bar = self.query_one("#weekly-scale", RatingBar)
        names_box = self.query_one("#weekly-names")
        choices = Text()
        bar.display = False
        names_box.display = step == NAMES
        if step == NAMES:
            question.update(Text(PSFS_FIRST, style="bold"))
            for n, field in enumerate(self.query(Input)):
                field.value = self.names[n] if n < len(self.names) else field.value
            self.query_one("#weekly-name-0", Input).focus()
            choices.append(" enter ", style="reverse bold")
            choices.append(" next field, and on from the last   ")
            choices.append(" esc ", style="reverse bold")
            choices.append(" later")
        elif step == PGIC:
            question.update(Text(PGIC_QUESTION.format(since=self._since_started()), style="bold"))
            for number, words in PGIC_CHOICES.items():
                choices.append(f" {number} ", style="reverse bold")
                choices.append(f" {words}\n")
            choices.rstrip()
        elif step.startswith("psfs:"):
            which = int(step.removeprefix("psfs:"))
            question.update(self._psfs_text(which))
            bar.display = True
            bar.value = self.answers.get(step)
            choices.append("0–9, t for 10: the answer, and on   ", style="italic")
            choices.append(" e ", style="reverse bold")
            choices.append(" change the activities")
        else:
            peg = next(q for q in PEG_QUESTIONS if q.id == step)
            question.update(scale_text(peg))
            bar.display = True
            bar.value = self.answers.get(step)
            choices.append("0–9, t for 10: the answer, and on to the next", style="italic")
        self.query_one("#weekly-choices", Static).update(choices)
        if step != NAMES:
            self.set_focus(None)
        self.refresh_bindings()

    def _since_started(self) -> str:
        started = self.prompts.started_on if self.prompts is not None else None
        return "the start" if started is None else started.strftime("%-d %B %Y")

    def _psfs_text(self, which: int) -> Text:
        activities = self.prompts.psfs_activities if self.prompts is not None else ()
        if self.new_names or not activities:
            since = self.app.tracker.clock.now().astimezone(self.app.tracker.clock.tz).date()
        else:
            since = activities[0].since.astimezone(self.app.tracker.clock.tz).date()
        text = Text(PSFS_AGAIN.format(since=since.strftime("%-d %B %Y")), style="bold")
        low, high = PSFS_SCALE
        text.append(f"\n0 = {low}   …   10 = {high}\n", style="italic")
        for n, name in enumerate(self.names):
            answer = self.answers.get(f"psfs:{n}")
            current = n == which
            text.append("▸ " if current else "  ", style="bold")
            text.append(f"{printable(name)}", style="bold reverse" if current else "")
            text.append(f"  {'?' if answer is None else answer}\n" if not current else "\n")
        text.rstrip()
        return text

    # -- keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.prompts is None:
            return action == "later"
        step = self.step
        if action == "answer":
            if step == PGIC:
                return parameters[0] in PGIC_CHOICES
            return step != NAMES
        if action == "change_activities":
            return step.startswith("psfs:")
        if action == "names_done":
            return step == NAMES
        if action == "back":
            return self.index > 0 and step != NAMES
        return True

    def action_answer(self, value: int) -> None:
        if self._storing or self.prompts is None or self.step == NAMES:
            return
        if self.step == PGIC and value not in PGIC_CHOICES:
            return
        self.answers[self.step] = value
        self._next()

    def action_change_activities(self) -> None:
        """Name the activities again (from now on these are rated every week)."""
        if self._storing or not self.step.startswith("psfs:"):
            return
        for n, field in enumerate(self.query(Input)):
            field.value = self.names[n] if n < len(self.names) else ""
        self.names = []
        self.answers = {k: v for k, v in self.answers.items() if not k.startswith("psfs:")}
        self.index = self.steps.index(NAMES)
        self._show()

    @on(Input.Submitted)
    def _name_entered(self, event: Input.Submitted) -> None:
        event.stop()
        fields = list(self.query(Input))
        position = fields.index(event.input)
        if position < len(fields) - 1 and event.value.strip():
            fields[position + 1].focus()
            return
        self.action_names_done()

    def action_names_done(self) -> None:
        if self.step != NAMES:
            return
        names = [" ".join(f.value.split()) for f in self.query(Input)]
        names = [n for n in names if n]
        if not names:
            self.notify("Name at least one activity (or esc to leave the form for later).", severity="warning")
            return
        self.names, self.new_names = names, True
        self.index = self.steps.index("psfs:0")
        self._show()

    def _store(self) -> None:
        self._storing = True
        peg = tuple(self.answers[q.id] for q in PEG_QUESTIONS)
        psfs = {name: self.answers[f"psfs:{n}"] for n, name in enumerate(self.names)}
        core.call(
            self, self.app.tracker.record_weekly_form,
            peg=peg, psfs=psfs or None, pgic=self.answers.get(PGIC),
            activities=self.names if self.new_names else None,
            done=WeeklyFormStored, doing="store the weekly form",
        )  # fmt: skip

    @on(WeeklyFormStored)
    def _stored(self, event: WeeklyFormStored) -> None:
        self.dismiss(event.result)

    @on(core.CoreFailed)
    def _failed(self) -> None:
        self._storing = False
        if self.prompts is None:
            self.dismiss(None)
        keys_ready(self)
