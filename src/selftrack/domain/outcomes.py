"""Outcome records: morning check-ins, weekly forms (PEG, PSFS, PGIC) and what is due.

Plain frozen values that storage returns and the front ends and exports show; the questions'
words and the scoring are in selftrack.domain.instruments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from selftrack.domain.instruments import peg_score, psfs_score

PRESSURES: tuple[str, ...] = ("light", "medium", "firm")
HOLD_SECONDS_MAX = 3600  # an hour on one spot is a mistake, not a dose


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A morning check-in: the local day it is for, when it was answered, back and leg pain
    now (0–10), whether the leg feeling goes below the knee, the night (0 terrible … 10
    excellent) and, the day after a session, the soreness answered about that session."""

    day: date
    answered_at: datetime
    back_pain: int
    leg_pain: int
    below_knee: bool
    night: int
    soreness: str | None = None
    soreness_session: str | None = None
    edited_at: datetime | None = None  # set when it replaced an earlier check-in of its day
    origin: str = "app"


@dataclass(frozen=True, slots=True)
class SorenessAnswer:
    """How a session left the person (none, mild, sore-48h, bruised), answered before the next
    session; one answered in a morning check-in is kept with that check-in instead."""

    session_id: str
    answered_at: datetime
    answer: str


@dataclass(frozen=True, slots=True)
class CheckInSaved:
    """A stored check-in, and the earlier one of the same day it replaced (if any)."""

    checkin: CheckIn
    replaced: CheckIn | None = None


@dataclass(frozen=True, slots=True)
class Peg:
    """The PEG's three items: average pain, interference with enjoyment of life and with
    general activity, each 0–10, over the past week."""

    pain: int
    enjoyment: int
    activity: int

    @property
    def score(self) -> float:
        """The mean of the three items."""
        return peg_score(self.pain, self.enjoyment, self.activity)


@dataclass(frozen=True, slots=True)
class PsfsActivity:
    """An activity named for the PSFS, rated every week from `since` until it was changed."""

    id: int
    name: str
    position: int
    since: datetime
    until: datetime | None = None

    @property
    def current(self) -> bool:
        return self.until is None


@dataclass(frozen=True, slots=True)
class PsfsRating:
    """One activity's rating in one weekly form: 0 unable … 10 able as before the problem."""

    activity_id: int
    name: str
    score: int


@dataclass(frozen=True, slots=True)
class WeeklyForm:
    """A weekly function form: the PEG, the PSFS ratings and the global impression of change
    (1 very much improved … 7 very much worse); any part may be missing."""

    id: int
    answered_at: datetime
    peg: Peg | None = None
    psfs: tuple[PsfsRating, ...] = ()
    pgic: int | None = None
    origin: str = "app"

    @property
    def peg_score(self) -> float | None:
        return None if self.peg is None else self.peg.score

    @property
    def psfs_score(self) -> float | None:
        return psfs_score([rating.score for rating in self.psfs])

    @property
    def psfs_activities(self) -> frozenset[int]:
        """The activities this form rated (a PSFS score compares like with like)."""
        return frozenset(rating.activity_id for rating in self.psfs)


@dataclass(frozen=True)
class OutcomePrompts:
    """What the home screen offers: the morning check-in (once a day, until noon local time)
    with the soreness question the day after a session, and the weekly form once a week."""

    checkin_due: bool
    today: CheckIn | None  # today's check-in, once answered
    soreness_about: tuple[str, datetime] | None  # (session id, start) to ask soreness about
    weekly_due: bool
    last_weekly: datetime | None
    psfs_activities: tuple[PsfsActivity, ...]  # the activities in force, in order
    ask_pgic: bool  # only once there is a start to compare with
    started_on: date | None  # the day the PGIC asks about ("since you started")


@dataclass(frozen=True, slots=True)
class Screening:
    """A red-flag screen as stored: when, why it was asked, the answers, the outcome."""

    answered_at: datetime
    trigger: str
    answers: dict
    outcome: str


@dataclass(frozen=True, slots=True)
class ConditionsSet:
    """The conditions that adapt the routines, in force from `updated_at`."""

    updated_at: datetime
    conditions: tuple[str, ...]
    pregnancy_weeks: int | None = None


@dataclass(frozen=True, slots=True)
class OutcomeRecords:
    """What the data exports carry beside the sessions: the outcomes of a period, the
    profile's PSFS activities, red-flag screens and condition profiles, and the soreness
    answers given before a session about the period's sessions (oldest first)."""

    checkins: tuple[CheckIn, ...] = ()
    activities: tuple[PsfsActivity, ...] = ()
    forms: tuple[WeeklyForm, ...] = ()
    screenings: tuple[Screening, ...] = ()
    conditions: tuple[ConditionsSet, ...] = ()
    soreness: tuple[SorenessAnswer, ...] = ()
