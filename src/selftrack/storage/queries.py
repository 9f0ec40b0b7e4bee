"""Aggregating queries for history and trends: the summing happens in SQL, not in Python.

Every function takes a SQLAlchemy session and the profile id, and an optional [start, end]
on the session start time; skipped ratings never enter a mean.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, and_, func, literal, select
from sqlalchemy.orm import Session as DBSession

from selftrack.analysis.focus import RecentRating
from selftrack.analysis.heatmap import HeatCell
from selftrack.analysis.history import SessionSummary
from selftrack.domain import SessionStatus, SpotSpec
from selftrack.storage.models import RatingRow, SessionRow, SpotDefinitionRow

ABANDONED = SessionStatus.ABANDONED.value


def _in_range(query: Select, profile: int, start: datetime | None, end: datetime | None) -> Select:
    query = query.where(SessionRow.profile_id == profile)
    if start is not None:
        query = query.where(SessionRow.started_at >= start)
    if end is not None:
        query = query.where(SessionRow.started_at <= end)
    return query


def session_summaries(
    db: DBSession,
    profile: int,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    protocol_id: str | None = None,
) -> list[SessionSummary]:
    """Sessions newest first, each with its rated/skipped counts, mean and highest tenderness."""
    query = (
        select(
            SessionRow.id,
            SessionRow.started_at,
            SessionRow.protocol_id,
            SessionRow.protocol_name,
            SessionRow.status,
            SessionRow.sides,
            SessionRow.tool,
            SessionRow.pain_before,
            SessionRow.pain_after,
            func.count(RatingRow.tenderness),
            func.count(RatingRow.id) - func.count(RatingRow.tenderness),
            func.avg(RatingRow.tenderness),
            func.max(RatingRow.tenderness),
            SessionRow.notes,
        )
        .select_from(SessionRow)
        .outerjoin(RatingRow, RatingRow.session_id == SessionRow.id)
        .group_by(SessionRow.id)
        .order_by(SessionRow.started_at.desc(), SessionRow.id)
    )
    query = _in_range(query, profile, start, end)
    if protocol_id:
        query = query.where(SessionRow.protocol_id == protocol_id)
    return [
        SessionSummary(
            id=sid,
            started_at=started,
            protocol_id=pid,
            protocol_name=pname,
            status=SessionStatus(status),
            sides=sides,
            tool=tool,
            pain_before=before,
            pain_after=after,
            rated=rated,
            skipped=skipped,
            mean=None if mean is None else float(mean),
            highest=highest,
            notes=notes,
        )
        for sid, started, pid, pname, status, sides, tool, before, after, rated, skipped, mean, highest, notes in db.execute(query)
    ]


def spot_values(
    db: DBSession,
    profile: int,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    spot_ids: Sequence[str] | None = None,
) -> list[tuple[datetime, str, str, float]]:
    """(session start, spot, side, mean tenderness in that session), oldest first."""
    query = (
        select(SessionRow.started_at, RatingRow.spot_id, RatingRow.side, func.avg(RatingRow.tenderness))
        .select_from(RatingRow)
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(RatingRow.tenderness.is_not(None))
        .group_by(SessionRow.id, RatingRow.spot_id, RatingRow.side)
        .order_by(SessionRow.started_at)
    )
    if spot_ids is not None:
        query = query.where(RatingRow.spot_id.in_(list(spot_ids)))
    query = _in_range(query, profile, start, end)
    return [(m, s, side, float(v)) for m, s, side, v in db.execute(query)]


def region_values(
    db: DBSession,
    profile: int,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    pool_sides: bool = False,
) -> list[tuple[datetime, str, str, float]]:
    """(session start, region, side, mean tenderness of that region's rated spots), oldest first.

    With `pool_sides` every side of a region goes into one mean and side reads 'both'.
    """
    side = literal("both") if pool_sides else RatingRow.side
    groups = (SessionRow.id, SpotDefinitionRow.region)
    if not pool_sides:
        groups += (RatingRow.side,)
    query = (
        select(SessionRow.started_at, SpotDefinitionRow.region, side, func.avg(RatingRow.tenderness))
        .select_from(RatingRow)
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .join(SpotDefinitionRow, SpotDefinitionRow.id == RatingRow.spot_def_id)
        .where(RatingRow.tenderness.is_not(None))
        .group_by(*groups)
        .order_by(SessionRow.started_at)
    )
    query = _in_range(query, profile, start, end)
    return [(m, r, s, float(v)) for m, r, s, v in db.execute(query)]


def pain_values(
    db: DBSession, profile: int, start: datetime | None = None, end: datetime | None = None
) -> list[tuple[datetime, int | None, int | None]]:
    """(session start, pain before, pain after) for sessions that recorded either, oldest first."""
    query = (
        select(SessionRow.started_at, SessionRow.pain_before, SessionRow.pain_after)
        .where(SessionRow.pain_before.is_not(None) | SessionRow.pain_after.is_not(None))
        .order_by(SessionRow.started_at)
    )
    return [tuple(row) for row in db.execute(_in_range(query, profile, start, end))]


def spot_names(db: DBSession, spot_ids: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """(name, region) of each spot, from its latest stored definition."""
    latest = select(func.max(SpotDefinitionRow.id)).group_by(SpotDefinitionRow.spot_id)
    if spot_ids is not None:
        latest = latest.where(SpotDefinitionRow.spot_id.in_(list(spot_ids)))
    rows = db.execute(
        select(SpotDefinitionRow.spot_id, SpotDefinitionRow.name, SpotDefinitionRow.region).where(
            SpotDefinitionRow.id.in_(latest)
        )
    )
    return {spot: (name, region) for spot, name, region in rows}


def spot_specs(db: DBSession, spot_ids: Iterable[str]) -> dict[str, SpotSpec]:
    """Each spot's latest stored definition."""
    latest = (
        select(func.max(SpotDefinitionRow.id))
        .where(SpotDefinitionRow.spot_id.in_(list(spot_ids)))
        .group_by(SpotDefinitionRow.spot_id)
    )
    rows = db.scalars(select(SpotDefinitionRow.definition).where(SpotDefinitionRow.id.in_(latest)))
    specs = (SpotSpec.from_dict(json.loads(text)) for text in rows)
    return {spec.id: spec for spec in specs}


def rated_sides(db: DBSession, profile: int) -> dict[str, set[str]]:
    """Every spot this profile has rated, with the sides it was rated on."""
    rows = db.execute(
        select(RatingRow.spot_id, RatingRow.side)
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(SessionRow.profile_id == profile)
        .distinct()
    )
    out: dict[str, set[str]] = {}
    for spot, side in rows:
        out.setdefault(spot, set()).add(side)
    return out


def heat_cells(
    db: DBSession, profile: int, start: datetime | None = None, end: datetime | None = None
) -> tuple[list[HeatCell], int]:
    """Mean tenderness and rating count per (spot, side) in a period, and the sessions in it."""
    query = (
        select(
            RatingRow.spot_id,
            RatingRow.side,
            func.avg(RatingRow.tenderness),
            func.count(RatingRow.tenderness),
            func.max(RatingRow.spot_def_id),
        )
        .select_from(RatingRow)
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(RatingRow.tenderness.is_not(None))
        .group_by(RatingRow.spot_id, RatingRow.side)
    )
    rows = db.execute(_in_range(query, profile, start, end)).all()
    defs = {
        rid: (name, region, view, x, y)
        for rid, name, region, view, x, y in db.execute(
            select(
                SpotDefinitionRow.id,
                SpotDefinitionRow.name,
                SpotDefinitionRow.region,
                SpotDefinitionRow.view,
                SpotDefinitionRow.x,
                SpotDefinitionRow.y,
            ).where(SpotDefinitionRow.id.in_({row[4] for row in rows}))
        )
    }
    sessions = db.scalar(_in_range(select(func.count()).select_from(SessionRow), profile, start, end))
    cells = [
        HeatCell(spot, side, *defs[def_id][:3], defs[def_id][3], defs[def_id][4], float(mean), count)
        for spot, side, mean, count, def_id in rows
    ]
    return cells, sessions or 0


def session_starts(
    db: DBSession, profile: int, start: datetime | None = None, end: datetime | None = None
) -> list[datetime]:
    """Start times of the sessions that were not abandoned, oldest first."""
    query = (
        select(SessionRow.started_at)
        .where(SessionRow.status != ABANDONED)
        .order_by(SessionRow.started_at)
    )
    return list(db.scalars(_in_range(query, profile, start, end)))


def first_session_start(db: DBSession, profile: int) -> datetime | None:
    """When this profile's first session began."""
    return db.scalar(select(func.min(SessionRow.started_at)).where(SessionRow.profile_id == profile))


def focus_history(
    db: DBSession, profile: int, since: datetime, lookback: datetime, last: int
) -> dict[tuple[str, str], list[RecentRating]]:
    """Latest ratings, newest first, of each (spot, side) that stood out since `since`.

    For each such pair: every rating since `since` and at least its `last` latest ones
    (looking back no further than `lookback`). Skipped ratings are left out.
    """
    rated = and_(SessionRow.profile_id == profile, RatingRow.tenderness.is_not(None))
    standouts = db.execute(
        select(RatingRow.spot_id, RatingRow.side)
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(
            rated,
            SessionRow.started_at >= since,
            (RatingRow.tenderness >= 4) | RatingRow.recognised,
        )
        .distinct()
    ).all()
    if not standouts:
        return {}
    wanted = {(spot, side) for spot, side in standouts}
    rank = (
        func.row_number()
        .over(
            partition_by=(RatingRow.spot_id, RatingRow.side),
            order_by=(SessionRow.started_at.desc(), RatingRow.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(
            RatingRow.spot_id,
            RatingRow.side,
            SessionRow.started_at.label("moment"),
            RatingRow.tenderness,
            RatingRow.recognised,
            RatingRow.nerve,
            rank,
        )
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(
            rated,
            SessionRow.started_at >= lookback,
            RatingRow.spot_id.in_({spot for spot, _ in wanted}),
        )
        .subquery()
    )
    rows = db.execute(
        select(ranked)
        .where((ranked.c.rank <= last) | (ranked.c.moment >= since))
        .order_by(ranked.c.spot_id, ranked.c.side, ranked.c.rank)
    )
    history: dict[tuple[str, str], list[RecentRating]] = {}
    for spot, side, moment, tenderness, recognised, nerve, _rank in rows:
        if (spot, side) in wanted:
            history.setdefault((spot, side), []).append(
                RecentRating(moment, tenderness, bool(recognised), bool(nerve))
            )
    return history

