"""The outcome questions, worded as their instruments publish them, and how each is scored.

Validated questionnaires are asked in their published words (rewording one changes what it
measures); selftrack's own questions (the morning check-in) say what their 0 and 10 mean.
Sources and thresholds: docs/outcomes.md; the change rules: selftrack.analysis.stats.

- Morning check-in: back pain now and leg pain now (0–10 numeric rating, 0 no pain, 10 pain
  as bad as you can imagine), whether the leg feeling goes below the knee, and how the night
  was (0 terrible … 10 excellent, the direction of the single-item Sleep Quality Scale,
  Snyder 2018); the day after a session, soreness from it (the safety rules' question).
- PEG (Krebs 2009, free to use): three items, each 0–10, about the past week; the score is
  their mean.
- PSFS (Stratford 1995): up to three activities the person finds hard because of the
  problem, each rated 0 (unable to do it) … 10 (able to do it as before the problem); the
  same activities every week until changed; the score is their mean.
- PGIC: the usual seven-point patient global impression of change, 1 very much improved …
  7 very much worse, since the person started.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Question:
    """One 0–10 question: its id, its words, and what its two ends mean."""

    id: str
    text: str
    low: str  # what 0 means
    high: str  # what 10 means


# -- the morning check-in ----------------------------------------------------------------------

CHECKIN_BACK = Question(
    "back", "Your low back pain right now", "no pain", "pain as bad as you can imagine"
)
CHECKIN_LEG = Question(
    "leg", "Pain in your leg right now (buttock down to the foot)", "no pain", "pain as bad as you can imagine"
)
CHECKIN_BELOW_KNEE = "Does the leg pain or feeling go below the knee?"
CHECKIN_NIGHT = Question("night", "How was your sleep last night?", "terrible", "excellent")
CHECKIN_SORENESS = "How do you feel after yesterday's session?"
CHECKIN_QUESTIONS: tuple[Question, ...] = (CHECKIN_BACK, CHECKIN_LEG, CHECKIN_NIGHT)

# -- PEG: pain, enjoyment of life, general activity (Krebs 2009) -------------------------------

PEG_QUESTIONS: tuple[Question, ...] = (
    Question(
        "pain",
        "What number best describes your pain on average in the past week?",
        "no pain",
        "pain as bad as you can imagine",
    ),
    Question(
        "enjoyment",
        "What number best describes how, during the past week, pain has interfered with your "
        "enjoyment of life?",
        "does not interfere",
        "completely interferes",
    ),
    Question(
        "activity",
        "What number best describes how, during the past week, pain has interfered with your "
        "general activity?",
        "does not interfere",
        "completely interferes",
    ),
)

# -- PSFS: the Patient-Specific Functional Scale (Stratford 1995) ------------------------------

PSFS_MAX_ACTIVITIES = 3
PSFS_NAME_MAX = 200
PSFS_FIRST = (
    "Name up to three important activities that you are unable to do, or have difficulty "
    "with, because of your back problem."
)
PSFS_AGAIN = (
    "On {since} you named these as activities you had difficulty with because of your back "
    "problem. Today, how able are you to do each of them?"
)
PSFS_SCALE = ("unable to perform the activity", "able to perform the activity at the same level as before the problem")

# -- PGIC: patient global impression of change -------------------------------------------------

PGIC_QUESTION = "Since you started (on {since}), how would you describe your overall condition?"
PGIC_CHOICES: dict[int, str] = {
    1: "very much improved",
    2: "much improved",
    3: "minimally improved",
    4: "no change",
    5: "minimally worse",
    6: "much worse",
    7: "very much worse",
}


def peg_score(pain: int, enjoyment: int, activity: int) -> float:
    """The PEG score: the mean of its three items (Krebs 2009), 0–10."""
    return (pain + enjoyment + activity) / 3


def psfs_score(scores: Sequence[int]) -> float | None:
    """The PSFS score: the mean of the activities' ratings (Stratford 1995); None without any."""
    return sum(scores) / len(scores) if scores else None
