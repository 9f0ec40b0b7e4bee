"""How regular the sessions have been: sessions per week over time and the current streak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta



@dataclass(frozen=True)
class Adherence:
    """Sessions per local week (Monday first, empty weeks included) and the streak in days."""

    weeks: tuple[tuple[date, int], ...]
    streak_days: int
    sessions: int
    active_days: int

    @property
    def per_week(self) -> float:
        """Mean sessions per week over the weeks shown."""
        return self.sessions / len(self.weeks) if self.weeks else 0.0

    @property
    def longest_gap_days(self) -> int:
        """The longest run of weeks without a session, in days."""
        run = best = 0
        for _week, count in self.weeks:
            run = run + 7 if count == 0 else 0
            best = max(best, run)
        return best


def streak(days_with_sessions: set[date], today: date) -> int:
    """Consecutive days with a session, ending today (or yesterday, if today has none yet)."""
    day = today if today in days_with_sessions else today - timedelta(days=1)
    count = 0
    while day in days_with_sessions:
        count += 1
        day -= timedelta(days=1)
    return count


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def build_adherence(
    session_days: Iterable[date], today: date, first: date | None = None, last: date | None = None
) -> Adherence:
    """Adherence from the local day of each session (one entry per session).

    Weeks run from the week of `first` (default: the first session) to the week of `last`
    (default: today); the streak always ends today or yesterday.
    """
    days = list(session_days)
    per_week = Counter(week_start(day) for day in days)
    start = week_start(first or (min(days) if days else today))
    stop = week_start(last or today)
    weeks: list[tuple[date, int]] = []
    week = start
    while week <= stop:
        weeks.append((week, per_week.get(week, 0)))
        week += timedelta(days=7)
    distinct = set(days)
    return Adherence(tuple(weeks), streak(distinct, today), len(days), len(distinct))
