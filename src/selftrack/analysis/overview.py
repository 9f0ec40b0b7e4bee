"""The home screen's numbers: last session, regularity, pain lately, the most tender spots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from selftrack.domain import Session

RECENT_DAYS = 14


@dataclass(frozen=True, slots=True)
class SpotLevel:
    """A spot on one side: its mean tenderness lately and the change from the weeks before."""

    spot_id: str
    side: str
    name: str
    region: str
    recent: float
    earlier: float | None

    @property
    def change(self) -> float | None:
        return None if self.earlier is None else self.recent - self.earlier


@dataclass(frozen=True)
class Overview:
    """What the home screen shows."""

    total_sessions: int = 0
    last_session: Session | None = None
    unfinished: Session | None = None
    sessions_this_week: int = 0
    streak_days: int = 0
    pain_series: list[tuple[datetime, int]] = field(default_factory=list)
    top_spots: list[SpotLevel] = field(default_factory=list)


def streak(days_with_sessions: set[date], today: date) -> int:
    """Consecutive days with a session, ending today (or yesterday, if today has none yet)."""
    day = today if today in days_with_sessions else today - timedelta(days=1)
    count = 0
    while day in days_with_sessions:
        count += 1
        day -= timedelta(days=1)
    return count


def build_overview(tracker, *, top: int = 5, series: int = 30) -> Overview:
    """Compute the home screen's figures for the tracker's profile."""
    from sqlalchemy import case, func, select

    from selftrack.storage import repo
    from selftrack.storage.models import RatingRow, SessionRow, SpotDefinitionRow

    clock = tracker.clock
    now = clock.now()
    today_local = clock.local(now)
    week_start = today_local.start_of("week").in_timezone("UTC")
    recent_start = now - timedelta(days=RECENT_DAYS)
    earlier_start = now - timedelta(days=RECENT_DAYS * 3)
    with tracker.database.reading() as db:
        profile = tracker._profile(db)
        total = repo.count_sessions(db, profile)
        if not total:
            return Overview()
        latest_rows = repo.list_sessions(db, profile, limit=1)
        last = repo.to_session(latest_rows[0], db, with_plan=False)
        open_rows = repo.list_sessions(db, profile, statuses=["in_progress"], limit=1)
        unfinished = repo.to_session(open_rows[0], db) if open_rows else None
        starts = db.scalars(
            select(SessionRow.started_at).where(
                SessionRow.profile_id == profile,
                SessionRow.started_at >= now - timedelta(days=400),
                SessionRow.status != "abandoned",
            )
        ).all()
        pain = db.execute(
            select(SessionRow.started_at, SessionRow.pain_before)
            .where(SessionRow.profile_id == profile, SessionRow.pain_before.is_not(None))
            .order_by(SessionRow.started_at.desc())
            .limit(series)
        ).all()
        recent_mean = func.avg(case((RatingRow.rated_at >= recent_start, RatingRow.tenderness)))
        earlier_mean = func.avg(case((RatingRow.rated_at < recent_start, RatingRow.tenderness)))
        spot_rows = db.execute(
            select(
                RatingRow.spot_id,
                RatingRow.side,
                func.max(SpotDefinitionRow.name),
                func.max(SpotDefinitionRow.region),
                recent_mean,
                earlier_mean,
            )
            .join(SessionRow, SessionRow.id == RatingRow.session_id)
            .join(SpotDefinitionRow, SpotDefinitionRow.id == RatingRow.spot_def_id)
            .where(
                SessionRow.profile_id == profile,
                RatingRow.rated_at >= earlier_start,
                RatingRow.skipped.is_(False),
            )
            .group_by(RatingRow.spot_id, RatingRow.side)
            .having(recent_mean.is_not(None))
            .order_by(recent_mean.desc(), RatingRow.spot_id, RatingRow.side)
            .limit(top)
        ).all()
    days = {clock.local(moment).date() for moment in starts}
    return Overview(
        total_sessions=total,
        last_session=last,
        unfinished=unfinished,
        sessions_this_week=sum(1 for moment in starts if moment >= week_start),
        streak_days=streak(days, today_local.date()),
        pain_series=[(moment, value) for moment, value in reversed(pain)],
        top_spots=[
            SpotLevel(spot, side, name, region, float(recent), None if earlier is None else float(earlier))
            for spot, side, name, region, recent, earlier in spot_rows
        ],
    )
