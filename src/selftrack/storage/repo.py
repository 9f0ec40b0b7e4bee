"""Queries and writes: functions that take a SQLAlchemy session and return domain objects."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session as DBSession

from selftrack.domain import ProfileSummary, Rating, Session, SessionStatus, SpotSpec, Step
from selftrack.storage.models import ProfileRow, RatingRow, SessionRow, SpotDefinitionRow


def profile_id(db: DBSession, name: str, now: datetime, *, create: bool = True) -> int | None:
    """The id of profile `name`, created on first use when `create`."""
    found = db.scalar(select(ProfileRow.id).where(ProfileRow.name == name))
    if found is not None or not create:
        return found
    row = ProfileRow(name=name, display_name="", created_at=now)
    db.add(row)
    db.flush()
    return row.id


def store_spot_definitions(db: DBSession, spots: Iterable[SpotSpec]) -> dict[str, int]:
    """Row ids for these spot definitions by spot id, inserting each version not stored yet."""
    by_digest = {spot.digest: spot for spot in spots}
    known = store_spot_definitions_by_digest(db, by_digest.values())
    return {spot.id: known[digest] for digest, spot in by_digest.items()}


def store_spot_definitions_by_digest(db: DBSession, spots: Iterable[SpotSpec]) -> dict[str, int]:
    """Row ids for these spot definitions by digest, inserting each version not stored yet."""
    by_digest = {spot.digest: spot for spot in spots}
    known = dict(
        db.execute(
            select(SpotDefinitionRow.digest, SpotDefinitionRow.id).where(
                SpotDefinitionRow.digest.in_(list(by_digest))
            )
        ).all()
    )
    for digest, spot in by_digest.items():
        if digest in known:
            continue
        row = SpotDefinitionRow(
            spot_id=spot.id,
            digest=digest,
            name=spot.name,
            region=spot.region,
            view=spot.view,
            x=spot.x,
            y=spot.y,
            definition=json.dumps(spot.to_dict(), sort_keys=True),
        )
        db.add(row)
        db.flush()
        known[digest] = row.id
    return known


def encode_plan(steps: Sequence[Step], route_names: dict[str, str], def_ids: dict[str, int]) -> str:
    """The JSON kept in sessions.plan: route names and [route, spot, side, definition] steps."""
    return json.dumps(
        {
            "routes": route_names,
            "steps": [[s.route_id, s.spot_id, s.side, def_ids[s.spot_id]] for s in steps],
        },
        separators=(",", ":"),
    )


def insert_session(db: DBSession, row: SessionRow) -> None:
    db.add(row)
    db.flush()


def _spots_by_definition(db: DBSession, def_ids: Iterable[int]) -> dict[int, SpotSpec]:
    rows = db.execute(
        select(SpotDefinitionRow.id, SpotDefinitionRow.definition).where(
            SpotDefinitionRow.id.in_(set(def_ids))
        )
    ).all()
    return {rid: SpotSpec.from_dict(json.loads(text)) for rid, text in rows}


def to_session(row: SessionRow, db: DBSession | None = None, *, with_plan: bool = True) -> Session:
    """A domain Session from its row; with the plan and spot definitions when `with_plan`."""
    steps: tuple[Step, ...] = ()
    spots: dict[str, SpotSpec] = {}
    route_names: dict[str, str] = {}
    if with_plan and db is not None:
        plan = json.loads(row.plan)
        route_names = plan["routes"]
        raw = plan["steps"]
        steps = tuple(Step(i, r, s, side) for i, (r, s, side, _d) in enumerate(raw))
        defs = _spots_by_definition(db, (d for *_rest, d in raw))
        spots = {spot.id: spot for spot in defs.values()}
    return Session(
        id=row.id,
        protocol_id=row.protocol_id,
        protocol_version=row.protocol_version,
        protocol_hash=row.protocol_hash,
        protocol_name=row.protocol_name,
        sides=row.sides,
        started_at=row.started_at,
        status=SessionStatus(row.status),
        steps=steps,
        spots=spots,
        route_names=route_names,
        tool=row.tool,
        pain_before=row.pain_before,
        pain_after=row.pain_after,
        notes=row.notes,
        ended_at=row.ended_at,
        origin=row.origin,
    )


def to_rating(row: RatingRow) -> Rating:
    return Rating(
        session_id=row.session_id,
        step_index=row.step_index,
        route_id=row.route_id,
        spot_id=row.spot_id,
        side=row.side,
        tenderness=row.tenderness,
        skipped=row.skipped,
        rated_at=row.rated_at,
        recognised=row.recognised,
        referred=row.referred,
        referred_to=row.referred_to,
        nerve=row.nerve,
        note=row.note,
    )


def session_row(db: DBSession, session_id: str, profile: int) -> SessionRow | None:
    return db.scalar(
        select(SessionRow).where(SessionRow.id == session_id, SessionRow.profile_id == profile)
    )


def session_ratings(db: DBSession, session_id: str) -> list[Rating]:
    rows = db.scalars(
        select(RatingRow).where(RatingRow.session_id == session_id).order_by(RatingRow.step_index)
    )
    return [to_rating(r) for r in rows]


def upsert_rating(db: DBSession, values: dict) -> None:
    """Insert a rating, or replace the one already at that session and step."""
    existing = db.scalar(
        select(RatingRow).where(
            RatingRow.session_id == values["session_id"],
            RatingRow.step_index == values["step_index"],
        )
    )
    if existing is None:
        db.add(RatingRow(**values))
    else:
        for key, value in values.items():
            setattr(existing, key, value)
    db.flush()


def delete_last_rating(db: DBSession, session_id: str) -> Rating | None:
    """Remove the rating entered last in a session and return it."""
    row = db.scalar(
        select(RatingRow)
        .where(RatingRow.session_id == session_id)
        .order_by(RatingRow.rated_at.desc(), RatingRow.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    rating = to_rating(row)
    db.execute(delete(RatingRow).where(RatingRow.id == row.id))
    return rating


def set_session_fields(db: DBSession, session_id: str, **values) -> None:
    db.execute(update(SessionRow).where(SessionRow.id == session_id).values(**values))


def list_sessions(
    db: DBSession,
    profile: int,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    statuses: Sequence[str] | None = None,
    protocol_id: str | None = None,
    newest_first: bool = True,
    limit: int | None = None,
) -> list[SessionRow]:
    query = select(SessionRow).where(SessionRow.profile_id == profile)
    if start is not None:
        query = query.where(SessionRow.started_at >= start)
    if end is not None:
        query = query.where(SessionRow.started_at <= end)
    if statuses:
        query = query.where(SessionRow.status.in_(list(statuses)))
    if protocol_id:
        query = query.where(SessionRow.protocol_id == protocol_id)
    order = SessionRow.started_at.desc() if newest_first else SessionRow.started_at
    query = query.order_by(order)
    if limit:
        query = query.limit(limit)
    return list(db.scalars(query))


def latest_ratings(
    db: DBSession, profile: int, pairs: Iterable[tuple[str, str]], before_session: str
) -> dict[tuple[str, str], Rating]:
    """For each (spot, side), its most recent rating in an earlier session of this profile."""
    wanted = set(pairs)
    spot_ids = {spot for spot, _side in wanted}
    started = select(SessionRow.started_at).where(SessionRow.id == before_session).scalar_subquery()
    ranked = (
        select(
            RatingRow.id,
            func.row_number()
            .over(
                partition_by=(RatingRow.spot_id, RatingRow.side),
                order_by=(SessionRow.started_at.desc(), RatingRow.id.desc()),
            )
            .label("rank"),
        )
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(
            SessionRow.profile_id == profile,
            SessionRow.id != before_session,
            SessionRow.started_at < started,
            RatingRow.spot_id.in_(spot_ids),
        )
        .subquery()
    )
    rows = db.scalars(
        select(RatingRow).where(RatingRow.id.in_(select(ranked.c.id).where(ranked.c.rank == 1)))
    )
    ratings = (to_rating(row) for row in rows)
    return {(r.spot_id, r.side): r for r in ratings if (r.spot_id, r.side) in wanted}


def ratings_between(
    db: DBSession, profile: int, start: datetime | None, end: datetime | None
) -> list[Rating]:
    """Ratings of this profile entered in [start, end], oldest first."""
    query = (
        select(RatingRow)
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(SessionRow.profile_id == profile)
    )
    if start is not None:
        query = query.where(RatingRow.rated_at >= start)
    if end is not None:
        query = query.where(RatingRow.rated_at <= end)
    rows = db.scalars(query.order_by(RatingRow.rated_at, RatingRow.id))
    return [to_rating(row) for row in rows]


def count_sessions(db: DBSession, profile: int, statuses: Sequence[str] | None = None) -> int:
    query = select(func.count()).select_from(SessionRow).where(SessionRow.profile_id == profile)
    if statuses:
        query = query.where(SessionRow.status.in_(list(statuses)))
    return db.scalar(query) or 0


def update_rating(db: DBSession, session_id: str, step_index: int, values: dict) -> None:
    """Change stored fields of one rating (its time and spot stay as they were)."""
    db.execute(
        update(RatingRow)
        .where(RatingRow.session_id == session_id, RatingRow.step_index == step_index)
        .values(**values)
    )


def session_ratings_at(db: DBSession, session_id: str, step_index: int) -> Rating:
    """The rating at one step of a session."""
    row = db.scalar(
        select(RatingRow).where(RatingRow.session_id == session_id, RatingRow.step_index == step_index)
    )
    return to_rating(row)


def delete_session(db: DBSession, session_id: str) -> None:
    """Remove a session and its ratings."""
    db.execute(delete(RatingRow).where(RatingRow.session_id == session_id))
    db.execute(delete(SessionRow).where(SessionRow.id == session_id))


def nerve_flags(
    db: DBSession, profile: int, pairs: Iterable[tuple[str, str]], before_session: str
) -> dict[tuple[str, str], datetime]:
    """For each (spot, side), when a nerve feeling was last flagged there in an earlier session."""
    wanted = set(pairs)
    started = select(SessionRow.started_at).where(SessionRow.id == before_session).scalar_subquery()
    rows = db.execute(
        select(RatingRow.spot_id, RatingRow.side, func.max(RatingRow.rated_at))
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(
            SessionRow.profile_id == profile,
            SessionRow.id != before_session,
            SessionRow.started_at < started,
            RatingRow.nerve.is_(True),
            RatingRow.spot_id.in_({spot for spot, _side in wanted}),
        )
        .group_by(RatingRow.spot_id, RatingRow.side)
    ).all()
    return {(spot, side): when for spot, side, when in rows if (spot, side) in wanted}


def profile_summaries(db: DBSession) -> list[ProfileSummary]:
    """Every profile with its session count and latest session start, by name."""
    counts = (
        select(
            SessionRow.profile_id,
            func.count().label("sessions"),
            func.max(SessionRow.started_at).label("last"),
        )
        .group_by(SessionRow.profile_id)
        .subquery()
    )
    rows = db.execute(
        select(ProfileRow.name, counts.c.sessions, ProfileRow.created_at, counts.c.last)
        .outerjoin(counts, counts.c.profile_id == ProfileRow.id)
        .order_by(ProfileRow.name)
    ).all()
    return [
        ProfileSummary(name, sessions or 0, created, last)
        for name, sessions, created, last in rows
    ]

