"""The home screen's figures: last session, regularity, pain lately, the most tender spots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from selftrack.analysis.adherence import streak
from selftrack.analysis.trends import Trend
from selftrack.domain.model import Session
from selftrack.domain.terms import SessionStatus
from selftrack.storage import history, queries
from selftrack.storage.store import Store
from selftrack.tracker.review import levels_trends

LATELY_DAYS = 90
PAIN_SESSIONS = 30
TOP_SPOTS = 5


@dataclass(frozen=True)
class Overview:
    """What the home screen shows.

    Abandoned sessions are not counted: `total_sessions` and `last_session` are finished or
    in progress, and the week's count and the streak take only sessions with a rating.
    `top_spots` are the spots most tender lately (the median of their last 3 sessions in the
    last 90 days), each with its verdict over those 90 days by the one change rule.
    """

    total_sessions: int = 0
    last_session: Session | None = None
    unfinished: Session | None = None
    sessions_this_week: int = 0
    streak_days: int = 0
    pain_series: list[tuple[datetime, int]] = field(default_factory=list)
    top_spots: list[Trend] = field(default_factory=list)


def build_overview(store: Store) -> Overview:
    """Read the home screen's figures for the store's profile in one transaction."""
    clock = store.clock
    tz = clock.tz
    now = clock.now()
    today = now.astimezone(tz).date()
    monday = datetime.combine(today - timedelta(days=today.weekday()), time(), tzinfo=tz)
    week_start = monday.astimezone(timezone.utc)
    # abandoned sessions (and those closed with nothing rated) count nowhere on this screen
    counted = [SessionStatus.FINISHED.value, SessionStatus.IN_PROGRESS.value]
    with store.reading() as scope:
        total = queries.count_sessions(scope, statuses=counted)
        if not total:
            return Overview()
        last = queries.latest_session(scope, statuses=counted)
        unfinished = queries.latest_session(scope, statuses=[SessionStatus.IN_PROGRESS.value])
        starts = history.session_starts(scope, now - timedelta(days=400))
        pain = [(at, before) for at, before, _after in history.pain_series(scope, now - timedelta(days=365)) if before is not None]
        spots = levels_trends(scope, now - timedelta(days=LATELY_DAYS), None)
    days = {moment.astimezone(tz).date() for moment in starts}
    return Overview(
        total_sessions=total,
        last_session=last,
        unfinished=unfinished,
        sessions_this_week=sum(1 for moment in starts if moment >= week_start),
        streak_days=streak(days, today),
        pain_series=pain[-PAIN_SESSIONS:],
        top_spots=spots[:TOP_SPOTS],
    )
