"""The rules that keep self-treatment safe over time: when the red-flag screen is asked again,
what its answers mean, which spots rest, which get lighter pressure, and which sessions were
hard enough (a spot at 8 or more, or more holding than the routine's guidance) to ask about
soreness the next day.

Pure: it is given what was stored (screenings, recent ratings, soreness answers) and the
moment, and says what applies; selftrack.tracker asks the storage and acts on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from selftrack import safety

SCREEN_EVERY_DAYS = 28
HARD = 8  # a rating at or above this is pressing hard (safety.EASE_OFF_AT)
HARD_RUN = 3  # sessions in a row rated HARD or more: stop pressing the spot, have it assessed
ANSWERS = ("no", "yes", "cleared")  # "cleared": yes, and a clinician has said self-massage is fine
SORENESS = ("none", "mild", "sore-48h", "bruised")
SORENESS_WORDS = {
    "none": "not sore",
    "mild": "a little sore",
    "sore-48h": "sore for more than two days",
    "bruised": "bruised",
}
TRIGGER_WORDS = {
    "first": "before your first session",
    "four-weeks": "it has been four weeks since you last answered",
    "pain-worse": "your overall pain before sessions has clearly got worse",
    "nerve-repeats": "a nerve feeling was flagged in two sessions in a row",
    "below-knee": "you noted a feeling that goes below the knee (in a note or a morning check-in)",
    "asked": "you asked to answer it again",
}
# words in a note or "refers to" that put a feeling below the knee
_BELOW_KNEE = re.compile(r"\b(below the knee|knee|shin|calf|calves|ankle|foot|feet|toe|toes|heel|sole)\b", re.I)

CLEAR, CLINICIAN, EMERGENCY = "clear", safety.CLINICIAN, safety.EMERGENCY


@dataclass(frozen=True, slots=True)
class Screening:
    """One answered red-flag screen."""

    answered_at: datetime
    trigger: str
    answers: Mapping[str, str]
    outcome: str

    @property
    def blocks(self) -> bool:
        """Whether this screen's answers stop sessions from starting."""
        return self.outcome != CLEAR

    def advice(self) -> list[str]:
        """What to do, for each question answered yes (emergencies first)."""
        found = [safety.screen_question(qid) for qid, answer in self.answers.items() if answer == "yes"]
        found.sort(key=lambda q: q.urgency != EMERGENCY)
        return [q.advice for q in found]


def screening_outcome(answers: Mapping[str, str]) -> str:
    """'emergency' when any emergency sign is present, 'clinician' when another red flag is and
    a clinician has not cleared it, 'clear' otherwise. Every question must be answered."""
    missing = [q.id for q in safety.RED_FLAG_SCREEN if q.id not in answers]
    if missing:
        raise ValueError(f"unanswered: {', '.join(missing)}")
    unknown = sorted(set(answers) - {q.id for q in safety.RED_FLAG_SCREEN})
    if unknown:
        raise ValueError(f"no such question: {', '.join(unknown)}")
    bad = sorted(qid for qid, answer in answers.items() if answer not in ANSWERS)
    if bad:
        raise ValueError(f"answer {', '.join(bad)} with no, yes or cleared")
    outcome = CLEAR
    for question in safety.RED_FLAG_SCREEN:
        answer = answers[question.id]
        if question.urgency == EMERGENCY and answer != "no":
            return EMERGENCY  # an emergency sign is never "cleared" in advance
        if answer == "yes":
            outcome = CLINICIAN
    return outcome


def screening_due(
    last: Screening | None,
    now: datetime,
    *,
    pain_worse: bool = False,
    nerve_repeats: bool = False,
    below_knee: bool = False,
) -> str | None:
    """Why the screen must be answered (again) now, or None. The triggers are about what
    happened since the last screen."""
    if last is None:
        return "first"
    if now - last.answered_at >= timedelta(days=SCREEN_EVERY_DAYS):
        return "four-weeks"
    if pain_worse:
        return "pain-worse"
    if nerve_repeats:
        return "nerve-repeats"
    if below_knee:
        return "below-knee"
    return None


def mentions_below_knee(texts: Iterable[str]) -> bool:
    """Whether any note or "refers to" text puts a feeling below the knee."""
    return any(_BELOW_KNEE.search(text) for text in texts if text)


def below_knee_began(flags: Sequence[bool], *, first_is_before: bool) -> bool:
    """Whether morning check-ins show a feeling below the knee that began since the last
    screen: one after the screen says so and the check-in before it did not (or there was
    none). `flags` are oldest first; `first_is_before`: the first one was answered before
    the screen. A feeling already there at the last screen does not ask it again every
    morning (the four-weekly screen still comes)."""
    previous = None
    for index, flag in enumerate(flags):
        after = index > 0 or not first_is_before
        if after and flag and not previous:
            return True
        previous = flag
    return False


def nerve_in_a_row(flags_by_session: Sequence[bool]) -> bool:
    """Whether the two most recent sessions (newest first) each flagged a nerve feeling."""
    return len(flags_by_session) >= 2 and flags_by_session[0] and flags_by_session[1]


# -- dose: which spots rest, which get lighter pressure ----------------------------------------

Key = tuple[str, str]  # (spot, side)


LASTING = ("sore-48h", "bruised")  # answers whose effect lasts until a later answer ends it


@dataclass(frozen=True, slots=True)
class Soreness:
    """How a person felt after a session, and which spots were pressed hard in it."""

    session_id: str
    session_started: datetime
    answered_at: datetime
    answer: str
    hard_spots: frozenset[Key]


@dataclass(frozen=True, slots=True)
class Dose:
    """For a new session: spots that rest (and why), spots to press lightly (and why)."""

    resting: Mapping[Key, str]
    lighter: Mapping[Key, str]


def dose(
    latest: Mapping[Key, Sequence[tuple[datetime, int]]],
    soreness: Soreness | None,
    now: datetime,
    tz: tzinfo,
) -> Dose:
    """What the next session must do differently.

    `latest` gives each spot's latest ratings, newest first (at least HARD_RUN of them);
    `soreness` is the latest answer about a session, when its effect may still last.
    """
    resting: dict[Key, str] = {}
    lighter: dict[Key, str] = {}
    today = now.astimezone(tz).date()
    for key, values in latest.items():
        last = values[:HARD_RUN]
        if len(last) == HARD_RUN and all(value >= HARD for _at, value in last):
            resting[key] = (
                f"rated {HARD} or more in {HARD_RUN} sessions in a row: stop pressing it and have "
                "it assessed by a clinician (you can still rate it if you choose)"
            )
        elif any(value >= HARD and _pressed_since_yesterday(at, today, tz) for at, value in last):
            resting[key] = "pressed hard (8 or more) since yesterday: let it rest today"
    if soreness is not None and soreness.answer == "bruised":
        for key in soreness.hard_spots:
            resting.setdefault(key, "bruised after pressing it hard: let it rest until the bruise has faded")
    elif soreness is not None and soreness.answer == "sore-48h":
        for key in soreness.hard_spots:
            if key not in resting:
                lighter[key] = "sore for more than two days after pressing it hard: much lighter pressure"
    return Dose(resting, lighter)


def hold_guidance(minutes: int | None) -> int | None:
    """The most holding, in seconds, a routine suggests in all: its minutes, as if every one
    of them were spent holding a spot (a routine's minutes also cover finding the spots, so
    a hold-timer total above them is more pressing than the routine means). None when the
    routine gives no minutes."""
    return minutes * 60 if minutes else None


def over_hold_guidance(held_seconds: int | None, guidance: int | None) -> bool:
    """Whether a session's hold-timer total went over its routine's guidance."""
    return guidance is not None and held_seconds is not None and held_seconds > guidance


def spot_hold_share(guidance: int | None, steps: int) -> int | None:
    """A spot's share of the routine's hold guidance (seconds): holding one spot longer than
    this in a session that went over the guidance counts as pressing it hard."""
    if guidance is None or steps <= 0:
        return None
    return guidance // steps


@dataclass(frozen=True, slots=True)
class SessionDose:
    """What a session pressed: its highest tenderness, its hold-timer total and its routine's
    hold guidance (seconds; None when not known)."""

    session_id: str
    started: datetime
    highest: int | None
    held: int | None = None
    guidance: int | None = None

    @property
    def hard(self) -> bool:
        """A spot rated 8 or more, or more holding than the routine's guidance."""
        return (self.highest is not None and self.highest >= HARD) or over_hold_guidance(self.held, self.guidance)


def latest_hard(doses: Sequence[SessionDose]) -> SessionDose | None:
    """The newest hard session (see SessionDose.hard) among these, or None."""
    hard = [dose for dose in doses if dose.hard]
    return max(hard, key=lambda dose: dose.started) if hard else None


def _pressed_since_yesterday(at: datetime, today: date, tz: tzinfo) -> bool:
    return (today - at.astimezone(tz).date()).days <= 1


def soreness_question_due(
    hard_session_started: datetime | None, latest_answer: Soreness | None, now: datetime, tz: tzinfo
) -> bool:
    """Whether to ask about soreness before this session.

    Asked the first time a session starts on a later day than a hard session (a spot pressed
    at 8 or more, or more holding than the routine's guidance), and again at every start
    while the last answer says bruised or still sore. An answer given at the morning
    check-in counts: it is the same answer.
    """
    if latest_answer is not None and latest_answer.answer in LASTING:
        return latest_answer.answered_at.astimezone(tz).date() < now.astimezone(tz).date()
    if hard_session_started is None:
        return False
    if latest_answer is not None and latest_answer.session_started >= hard_session_started:
        return False
    return hard_session_started.astimezone(tz).date() < now.astimezone(tz).date()
