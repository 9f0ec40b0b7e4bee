"""Reads for the walk and the core: sessions, their plans and ratings, profiles, spots.

Every function takes the `Scope` of one transaction (selftrack.storage.store) and returns
domain values; every statement is scoped to the profile in SQL. The SQL is plain text that
SQLite and PostgreSQL both run (selftrack.storage.connection).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from selftrack.domain.model import ProfileSummary, Rating, Session, SpotSpec, Step
from selftrack.domain.terms import SessionStatus
from selftrack.storage.connection import Connection, period, placeholders
from selftrack.storage.history import LATEST_DEFINITIONS
from selftrack.storage.store import Scope

PlanStep = tuple[str, str, str, int]  # route, spot, side, stored definition id

SESSION_COLUMNS = (
    "s.id, s.protocol_id, s.protocol_version, s.protocol_hash, s.protocol_name, s.sides, "
    "s.started_at, s.status, s.tool, s.pain_before, s.pain_after, s.notes, s.ended_at, s.origin"
)
RATING_COLUMNS = (
    "r.session_id, r.step_index, r.route_id, r.spot_id, r.side, r.tenderness, r.skipped, "
    "r.rated_at, r.recognised, r.referred, r.referred_to, r.nerve, r.note, r.hold_seconds, "
    "r.tool, r.pressure"
)


# -- sessions ----------------------------------------------------------------------------------


def session_row(scope: Scope, session_id: str) -> tuple | None:
    """The session's columns (SESSION_COLUMNS) and its plan, if it is this profile's."""
    return scope.conn.one(
        f"SELECT {SESSION_COLUMNS}, s.plan FROM sessions s WHERE s.id = :id AND s.profile_id = :profile",
        {"id": session_id, "profile": scope.profile},
    )


def session_status(scope: Scope, session_id: str) -> str | None:
    """The status of this profile's session, or None when there is no such session."""
    return scope.conn.scalar(
        "SELECT status FROM sessions WHERE id = :id AND profile_id = :profile",
        {"id": session_id, "profile": scope.profile},
    )


def to_session(conn: Connection, row: tuple, *, with_plan: bool = True) -> Session:
    """A domain Session from SESSION_COLUMNS (and the plan, read when `with_plan`)."""
    sid, pid, version, digest, name, sides, started, status, tool, before, after, notes, ended, origin = row[:14]
    steps: tuple[Step, ...] = ()
    spots: dict[str, SpotSpec] = {}
    route_names: dict[str, str] = {}
    if with_plan:
        plan = json.loads(row[14])
        route_names = plan["routes"]
        raw = plan["steps"]
        steps = tuple(Step(i, r, s, side) for i, (r, s, side, _d) in enumerate(raw))
        spots = {spec.id: spec for spec in definitions(conn, {d for *_rest, d in raw}).values()}
    return Session(
        id=sid,
        protocol_id=pid,
        protocol_version=version,
        protocol_hash=digest,
        protocol_name=name,
        sides=sides,
        started_at=conn.moment(started),
        status=SessionStatus(status),
        steps=steps,
        spots=spots,
        route_names=route_names,
        tool=tool,
        pain_before=before,
        pain_after=after,
        notes=notes,
        ended_at=None if ended is None else conn.moment(ended),
        origin=origin,
    )


def plan_steps(plan_json: str) -> list[PlanStep]:
    """A session's stored plan as (route, spot, side, definition id) per step."""
    return [tuple(step) for step in json.loads(plan_json)["steps"]]


def session(scope: Scope, session_id: str, *, with_plan: bool = True) -> Session | None:
    """One session of this profile, or None."""
    row = session_row(scope, session_id)
    return None if row is None else to_session(scope.conn, row, with_plan=with_plan)


def sessions(
    scope: Scope,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    statuses: Sequence[str] = (),
    protocol_id: str | None = None,
    limit: int | None = None,
    with_plan: bool = False,
) -> list[Session]:
    """This profile's sessions that started in [start, end], newest first."""
    params: dict = {"profile": scope.profile}
    where = period(scope.conn, start, end, params, "s.started_at")
    if statuses:
        where += f" AND s.status IN ({placeholders('status', statuses, params)})"
    if protocol_id:
        params["protocol"] = protocol_id
        where += " AND s.protocol_id = :protocol"
    sql = (
        f"SELECT {SESSION_COLUMNS}, s.plan FROM sessions s WHERE s.profile_id = :profile{where} "
        "ORDER BY s.started_at DESC, s.id"
    )
    if limit:
        params["limit"] = limit
        sql += " LIMIT :limit"
    conn = scope.conn
    return [to_session(conn, row, with_plan=with_plan) for row in conn.rows(sql, params)]


def latest_session(scope: Scope, statuses: Sequence[str] = ()) -> Session | None:
    """The most recent session (of these statuses), with its plan."""
    found = sessions(scope, statuses=statuses, limit=1, with_plan=True)
    return found[0] if found else None


def count_sessions(
    scope: Scope,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    protocol_id: str | None = None,
    statuses: Sequence[str] = (),
) -> int:
    """How many of this profile's sessions started in [start, end]."""
    params: dict = {"profile": scope.profile}
    where = period(scope.conn, start, end, params, "started_at")
    if protocol_id:
        params["protocol"] = protocol_id
        where += " AND protocol_id = :protocol"
    if statuses:
        where += f" AND status IN ({placeholders('status', statuses, params)})"
    sql = f"SELECT count(*) FROM sessions WHERE profile_id = :profile{where}"
    return scope.conn.scalar(sql, params) or 0


def previous_session(scope: Scope, session: Session) -> Session | None:
    """The latest earlier session of the same routine that was not abandoned, with its plan."""
    params = {
        "profile": scope.profile,
        "protocol": session.protocol_id,
        "id": session.id,
        "started": scope.conn.moment_param(session.started_at),
        "abandoned": SessionStatus.ABANDONED.value,
    }
    row = scope.conn.one(
        f"SELECT {SESSION_COLUMNS}, s.plan FROM sessions s WHERE s.profile_id = :profile "
        "AND s.protocol_id = :protocol AND s.id != :id AND s.started_at < :started "
        "AND s.status != :abandoned ORDER BY s.started_at DESC LIMIT 1",
        params,
    )
    return None if row is None else to_session(scope.conn, row)


# -- ratings -----------------------------------------------------------------------------------


def to_rating(conn: Connection, row: tuple) -> Rating:
    """A domain Rating from RATING_COLUMNS."""
    sid, step, route, spot, side, tenderness, skipped, at, recognised, referred, to, nerve, note, *dose = row
    hold, tool, pressure = dose or (None, None, None)
    return Rating(
        session_id=sid,
        step_index=step,
        route_id=route,
        spot_id=spot,
        side=side,
        tenderness=tenderness,
        skipped=bool(skipped),
        rated_at=conn.moment(at),
        recognised=bool(recognised),
        referred=bool(referred),
        referred_to=to,
        nerve=bool(nerve),
        note=note,
        hold_seconds=hold,
        tool=tool,
        pressure=pressure,
    )


def session_ratings(scope: Scope, session_id: str) -> list[Rating]:
    """A session's ratings in walk order (the caller has checked the session is the profile's)."""
    conn = scope.conn
    rows = conn.rows(
        f"SELECT {RATING_COLUMNS} FROM ratings r WHERE r.session_id = :id "
        "AND r.profile_id = :profile ORDER BY r.step_index",
        {"id": session_id, "profile": scope.profile},
    )
    return [to_rating(conn, row) for row in rows]


def rating_at(scope: Scope, session_id: str, step_index: int) -> Rating | None:
    """The rating at one step of a session."""
    row = scope.conn.one(
        f"SELECT {RATING_COLUMNS} FROM ratings r WHERE r.session_id = :id AND r.step_index = :step "
        "AND r.profile_id = :profile",
        {"id": session_id, "step": step_index, "profile": scope.profile},
    )
    return None if row is None else to_rating(scope.conn, row)


def last_entered(scope: Scope, session_id: str) -> Rating | None:
    """The rating entered last in a session (the one undo removes)."""
    row = scope.conn.one(
        f"SELECT {RATING_COLUMNS} FROM ratings r WHERE r.session_id = :id AND r.profile_id = :profile "
        "ORDER BY r.rated_at DESC, r.id DESC LIMIT 1",
        {"id": session_id, "profile": scope.profile},
    )
    return None if row is None else to_rating(scope.conn, row)


def latest_ratings(
    scope: Scope, pairs: Iterable[tuple[str, str]], before: datetime
) -> dict[tuple[str, str], Rating]:
    """For each (spot, side), its latest rating in a session that started before `before`.

    One index probe per pair: as quick on ten years of history as on one week.
    """
    conn = scope.conn
    sql = (
        f"SELECT {RATING_COLUMNS} FROM ratings r WHERE r.profile_id = :profile "
        "AND r.spot_id = :spot AND r.side = :side AND r.started_at < :before "
        "ORDER BY r.started_at DESC, r.id DESC LIMIT 1"
    )
    params = {"profile": scope.profile, "before": conn.moment_param(before)}
    found: dict[tuple[str, str], Rating] = {}
    for spot, side in sorted(set(pairs)):
        row = conn.one(sql, {**params, "spot": spot, "side": side})
        if row is not None:
            found[(spot, side)] = to_rating(conn, row)
    return found


def nerve_flags(
    scope: Scope, pairs: Iterable[tuple[str, str]], before: datetime
) -> dict[tuple[str, str], datetime]:
    """For each (spot, side), when a nerve feeling was last flagged there before `before`."""
    conn = scope.conn
    sql = (
        "SELECT max(r.rated_at) FROM ratings r WHERE r.profile_id = :profile AND r.spot_id = :spot "
        "AND r.side = :side AND r.nerve AND r.started_at < :before"
    )
    params = {"profile": scope.profile, "before": conn.moment_param(before)}
    found: dict[tuple[str, str], datetime] = {}
    for spot, side in sorted(set(pairs)):
        when = conn.scalar(sql, {**params, "spot": spot, "side": side})
        if when is not None:
            found[(spot, side)] = conn.moment(when)
    return found


def recent_values(
    scope: Scope, spot_id: str, side: str, before: datetime, count: int
) -> list[tuple[datetime, int]]:
    """A spot's latest `count` tenderness values on a side before `before`, newest first."""
    conn = scope.conn
    rows = conn.rows(
        "SELECT r.started_at, r.tenderness FROM ratings r WHERE r.profile_id = :profile "
        "AND r.spot_id = :spot AND r.side = :side AND r.tenderness IS NOT NULL "
        "AND r.started_at < :before ORDER BY r.started_at DESC LIMIT :count",
        {"profile": scope.profile, "spot": spot_id, "side": side, "count": count,
         "before": conn.moment_param(before)},
    )  # fmt: skip
    return [(conn.moment(at), value) for at, value in rows]


# -- spot definitions --------------------------------------------------------------------------


def definitions(conn: Connection, def_ids: Iterable[int]) -> dict[int, SpotSpec]:
    """Stored spot definitions by row id."""
    params: dict = {}
    sql = f"SELECT id, definition FROM spot_definitions WHERE id IN ({placeholders('def', set(def_ids), params)})"
    return {def_id: SpotSpec.from_dict(json.loads(text)) for def_id, text in conn.rows(sql, params)}


def definitions_by_digest(conn: Connection, digests: Iterable[str]) -> dict[str, int]:
    """Row ids of the stored definitions with these digests."""
    params: dict = {}
    sql = f"SELECT digest, id FROM spot_definitions WHERE digest IN ({placeholders('d', set(digests), params)})"
    return dict(conn.rows(sql, params))


def latest_specs(conn: Connection, spot_ids: Iterable[str]) -> dict[str, SpotSpec]:
    """Each spot's latest stored definition."""
    params: dict = {}
    where = f" WHERE spot_id IN ({placeholders('spot', set(spot_ids), params)})"
    sql = f"SELECT definition FROM spot_definitions WHERE id IN ({LATEST_DEFINITIONS.format(where=where)})"
    specs = (SpotSpec.from_dict(json.loads(text)) for (text,) in conn.rows(sql, params))
    return {spec.id: spec for spec in specs}


# -- profiles ----------------------------------------------------------------------------------


def profile_summaries(conn: Connection) -> list[ProfileSummary]:
    """Every profile with its session count and latest session start, by name."""
    rows = conn.rows(
        "SELECT p.name, count(s.id), p.created_at, max(s.started_at) FROM profiles p "
        "LEFT JOIN sessions s ON s.profile_id = p.id GROUP BY p.id, p.name, p.created_at ORDER BY p.name"
    )
    return [
        ProfileSummary(name, sessions, conn.moment(created), None if last is None else conn.moment(last))
        for name, sessions, created, last in rows
    ]


def count_other_origins(scope: Scope, origin: str) -> int:
    """How many of this profile's sessions did not come from `origin` (e.g. real, not demo)."""
    return scope.conn.scalar(
        "SELECT count(*) FROM sessions WHERE profile_id = :profile AND origin != :origin",
        {"profile": scope.profile, "origin": origin},
    ) or 0
