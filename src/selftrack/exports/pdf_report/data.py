"""What the report shows, as plain values gathered by the Tracker (selftrack.tracker.review)
before anything is drawn. Nothing here reads the database or decides a figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Referral:
    """Where pressing spots sent the feeling: a place as the person wrote it ("" when they gave
    none), how many ratings said so, and from which spots (id, side, count), most first."""

    place: str
    count: int
    spots: tuple[tuple[str, str, int], ...]


@dataclass(frozen=True, slots=True)
class ScreenAnswer:
    """One question of the latest red-flag screen: its sign in a few words, its urgency
    (safety.EMERGENCY or safety.CLINICIAN) and the answer (no, yes, cleared)."""

    sign: str
    urgency: str
    answer: str


@dataclass(frozen=True, slots=True)
class CareSummary:
    """The latest red-flag screen and the conditions that adapt the routines."""

    screened_at: datetime | None = None  # None: never answered
    trigger: str = ""  # why it was asked, in words
    answers: tuple[ScreenAnswer, ...] = ()
    outcome: str = ""  # care.CLEAR, safety.CLINICIAN or safety.EMERGENCY
    due: str = ""  # why it must be asked again now, in words ("" when it need not be)
    conditions: tuple[tuple[str, str], ...] = ()  # (name, what it changes), derived ones included
    pregnancy_weeks: int | None = None
    conditions_given: datetime | None = None  # None: never asked


@dataclass(frozen=True, slots=True)
class SessionGroup:
    """The sessions of one stretch of days (a day, week, month, ...), summed up."""

    first: date  # the stretch's days inside the period
    last: date
    sessions: int
    finished: int
    unfinished: int  # still in progress
    abandoned: int  # stopped early
    rated: int  # spots given a tenderness
    skipped: int
    mean: float | None  # mean tenderness over the rated spots
    highest: int | None
    pain_before: float | None  # mean over the sessions that gave one
    pain_after: float | None


@dataclass(frozen=True, slots=True)
class Bar:
    """Regularity in one stretch of days: its sessions (those that count: not stopped early,
    with a rating), how many of its days fall in the period, and how many it has in all."""

    first: date
    sessions: int
    days: int
    full_days: int

    @property
    def partial(self) -> bool:
        return self.days < self.full_days

    @property
    def per_week(self) -> float:
        return self.sessions / self.days * 7 if self.days else 0.0


@dataclass(frozen=True, slots=True)
class Regularity:
    """Sessions per week over the period, in bars of a week (or a month or a quarter, when the
    period is long); `counted` sessions on `active_days` days; the longest break in days."""

    unit: str  # week, month or quarter
    bars: tuple[Bar, ...]
    counted: int
    active_days: int
    days: int  # in the period
    longest_break: int  # days without a session between two session days

    @property
    def per_week(self) -> float:
        return self.counted / self.days * 7 if self.days else 0.0


@dataclass
class ReportData:
    """Everything the report shows, gathered before any drawing."""

    name: str
    first_day: date
    last_day: date
    generated: datetime  # local, aware: the report's date and its time zone
    summaries: list = field(default_factory=list)  # SessionSummary, oldest first
    zone: str = ""  # the time zone's name (Europe/London)
    regularity: Regularity | None = None
    groups: list[SessionGroup] = field(default_factory=list)  # empty: one row per session
    group_unit: str = "session"  # session, day, week, month, quarter or year
    pain: dict = field(default_factory=dict)  # "before"/"after" -> Trend
    outcomes: list = field(default_factory=list)  # Trend per outcome series with values (pain:morning, leg:morning, peg, psfs)
    regions: list = field(default_factory=list)  # Trend per region and side
    spots: list = field(default_factory=list)  # Trend per spot and side
    heat: object = None  # HeatMap of the period
    flags: list = field(default_factory=list)  # FlaggedSpot
    referrals: list[Referral] = field(default_factory=list)
    notes: list = field(default_factory=list)  # Note, oldest first
    care: CareSummary = field(default_factory=CareSummary)

    @property
    def ratings(self) -> int:
        """Spots given a tenderness (skips are not ratings)."""
        return sum(s.rated for s in self.summaries)

    @property
    def skipped(self) -> int:
        return sum(s.skipped for s in self.summaries)

    @property
    def statuses(self) -> dict[str, int]:
        """Sessions by status: finished, in_progress (unfinished), abandoned (stopped early)."""
        counts = {"finished": 0, "in_progress": 0, "abandoned": 0}
        for s in self.summaries:
            counts[s.status.value] += 1
        return counts

    @property
    def pain_drop(self) -> float | None:
        """How much overall pain fell within a session, on average over those that gave both."""
        drops = [s.pain_before - s.pain_after for s in self.summaries if s.pain_before is not None and s.pain_after is not None]
        return sum(drops) / len(drops) if drops else None
