"""Reads and writes for the outcomes: morning check-ins (their soreness answer kept in the
`soreness` table the safety rules read), weekly forms with their PSFS activities, the series
trends draw, and the days with sessions that the insights compare.

Every statement is scoped to the profile in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from selftrack.domain.outcomes import CheckIn, Peg, PsfsActivity, PsfsRating, WeeklyForm
from selftrack.domain.terms import SessionStatus
from selftrack.storage.connection import Connection, period, placeholders
from selftrack.storage.store import Scope

_CHECKIN = (
    "SELECT c.day, c.answered_at, c.back_pain, c.leg_pain, c.below_knee, c.night, o.answer, "
    "o.session_id, c.edited_at, c.origin FROM checkins c LEFT JOIN soreness o ON o.id = c.soreness_id "
    "WHERE c.profile_id = :profile"
)


def _checkin(conn: Connection, row: tuple) -> CheckIn:
    day, at, back, leg, below, night, answer, session, edited, origin = row
    return CheckIn(
        date.fromisoformat(day), conn.moment(at), back, leg, bool(below), night, answer, session,
        None if edited is None else conn.moment(edited), origin,
    )  # fmt: skip


# -- morning check-ins -------------------------------------------------------------------------


def checkin_on(scope: Scope, day: date) -> CheckIn | None:
    """This profile's check-in of a local day, or None."""
    row = scope.conn.one(f"{_CHECKIN} AND c.day = :day", {"profile": scope.profile, "day": day.isoformat()})
    return None if row is None else _checkin(scope.conn, row)


def checkins(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> list[CheckIn]:
    """This profile's check-ins answered in [start, end], oldest first."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    sql = f"{_CHECKIN}{period(conn, start, end, params, 'c.answered_at')} ORDER BY c.day"
    return [_checkin(conn, row) for row in conn.rows(sql, params)]


def save_checkin(
    scope: Scope,
    day: date,
    now: datetime,
    values: Mapping[str, int | bool],
    soreness: tuple[str, str] | None = None,
    origin: str = "app",
    edited_at: datetime | None = None,
) -> None:
    """Store the check-in of `day` (back_pain, leg_pain, below_knee, night in `values`),
    replacing one already stored for that day. `soreness` is (session id, answer): stored in
    the soreness table (the earlier answer of this check-in is updated); without it, an
    earlier answer of the same day stays. `edited_at`: when a new check-in (an import's) was
    last edited."""
    conn = scope.conn
    found = conn.one(
        "SELECT id, soreness_id FROM checkins WHERE profile_id = :profile AND day = :day",
        {"profile": scope.profile, "day": day.isoformat()},
    )
    soreness_id = None if found is None else found[1]
    moment = conn.moment_param(now)
    if soreness is not None:
        session_id, answer = soreness
        params = {"profile": scope.profile, "session": session_id, "now": moment, "answer": answer}
        if soreness_id is not None:
            conn.execute(
                "UPDATE soreness SET session_id = :session, answered_at = :now, answer = :answer "
                "WHERE id = :id AND profile_id = :profile",
                {**params, "id": soreness_id},
            )
        else:
            conn.execute(
                "INSERT INTO soreness (profile_id, session_id, answered_at, answer) "
                "VALUES (:profile, :session, :now, :answer)",
                params,
            )
            soreness_id = conn.scalar(
                "SELECT id FROM soreness WHERE profile_id = :profile AND session_id = :session "
                "AND answered_at = :now ORDER BY id DESC LIMIT 1",
                params,
            )
    params = {
        "profile": scope.profile, "day": day.isoformat(), "now": moment, "soreness": soreness_id,
        "origin": origin, **values,
        "edited": (None if edited_at is None else conn.moment_param(edited_at)) if found is None else moment,
    }  # fmt: skip
    conn.execute(
        "INSERT INTO checkins (profile_id, day, answered_at, back_pain, leg_pain, below_knee, night, "
        "soreness_id, origin, edited_at) VALUES (:profile, :day, :now, :back_pain, :leg_pain, "
        ":below_knee, :night, :soreness, :origin, :edited) "
        "ON CONFLICT (profile_id, day) DO UPDATE SET answered_at = excluded.answered_at, "
        "back_pain = excluded.back_pain, leg_pain = excluded.leg_pain, "
        "below_knee = excluded.below_knee, night = excluded.night, soreness_id = excluded.soreness_id, "
        "origin = excluded.origin, edited_at = excluded.answered_at",
        params,
    )


def morning_series(
    scope: Scope, column: str, start: datetime | None = None, end: datetime | None = None
) -> list[tuple[datetime, int]]:
    """(answered at, value) of one check-in question (`back_pain` or `leg_pain`), oldest first."""
    if column not in ("back_pain", "leg_pain", "night"):
        raise ValueError(f"not a check-in question: {column!r}")
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    sql = (
        f"SELECT answered_at, {column} FROM checkins WHERE profile_id = :profile"
        f"{period(conn, start, end, params, 'answered_at')} ORDER BY day"
    )
    return [(conn.moment(at), value) for at, value in conn.rows(sql, params)]


def below_knee_since(scope: Scope, since: datetime) -> tuple[list[bool], bool]:
    """Whether each check-in said the leg feeling goes below the knee: the last one answered
    before `since` (when there is one), then every one from `since` on, oldest first; and
    whether that first one is from before `since`."""
    conn = scope.conn
    params = {"profile": scope.profile, "since": conn.moment_param(since)}
    before = conn.rows(
        "SELECT below_knee FROM checkins WHERE profile_id = :profile AND answered_at < :since "
        "ORDER BY answered_at DESC LIMIT 1",
        params,
    )
    after = conn.rows(
        "SELECT below_knee FROM checkins WHERE profile_id = :profile AND answered_at >= :since "
        "ORDER BY answered_at",
        params,
    )
    return [bool(flag) for (flag,) in before + after], bool(before)


def last_session_before(scope: Scope, before: datetime, since: datetime) -> tuple[str, datetime] | None:
    """(id, start) of the latest session in [since, before) with a spot rated or skipped that
    was not abandoned: the one a morning's soreness answer is about."""
    conn = scope.conn
    row = conn.one(
        "SELECT id, started_at FROM sessions WHERE profile_id = :profile AND started_at >= :since "
        "AND started_at < :before AND status != :abandoned AND rated + skipped > 0 "
        "ORDER BY started_at DESC LIMIT 1",
        {"profile": scope.profile, "since": conn.moment_param(since), "before": conn.moment_param(before),
         "abandoned": SessionStatus.ABANDONED.value},
    )  # fmt: skip
    return None if row is None else (row[0], conn.moment(row[1]))


def soreness_answered(scope: Scope, session_id: str) -> bool:
    """Whether a soreness answer about this session is stored."""
    return bool(
        scope.conn.scalar(
            "SELECT count(*) FROM soreness WHERE profile_id = :profile AND session_id = :session",
            {"profile": scope.profile, "session": session_id},
        )
    )


def first_moment(scope: Scope) -> datetime | None:
    """When this profile started: its first session, check-in or weekly form."""
    conn = scope.conn
    params = {"profile": scope.profile}
    found = [
        conn.scalar(f"SELECT min({column}) FROM {table} WHERE profile_id = :profile", params)
        for table, column in (("sessions", "started_at"), ("checkins", "answered_at"), ("weekly_forms", "answered_at"))
    ]
    moments = [conn.moment(value) for value in found if value is not None]
    return min(moments) if moments else None


# -- the days with sessions (for the insights) -------------------------------------------------


def session_doses(
    scope: Scope, start: datetime | None = None, end: datetime | None = None
) -> list[tuple[datetime, str, str, frozenset[str]]]:
    """(start, routine id, routine name, tools used) of each session in the period that
    counts (not abandoned, something rated), oldest first. The tools are the session's and
    any chosen per spot."""
    conn = scope.conn
    params: dict = {"profile": scope.profile, "abandoned": SessionStatus.ABANDONED.value}
    where = period(conn, start, end, params, "s.started_at")
    rows = conn.rows(
        "SELECT s.id, s.started_at, s.protocol_id, s.protocol_name, s.tool FROM sessions s "
        "WHERE s.profile_id = :profile "
        f"AND s.status != :abandoned AND s.rated > 0{where} ORDER BY s.started_at, s.id",
        params,
    )
    per_spot: dict[str, set[str]] = {}
    for sid, tool in conn.rows(
        "SELECT DISTINCT r.session_id, r.tool FROM ratings r JOIN sessions s ON s.id = r.session_id "
        f"WHERE s.profile_id = :profile AND r.tool IS NOT NULL AND s.status != :abandoned{where}",
        params,
    ):
        per_spot.setdefault(sid, set()).add(tool)
    return [
        (conn.moment(at), protocol, name, frozenset({tool} if tool else set()) | per_spot.get(sid, set()))
        for sid, at, protocol, name, tool in rows
    ]


# -- weekly forms and the PSFS activities ------------------------------------------------------


def psfs_activities(scope: Scope, *, current_only: bool = False) -> list[PsfsActivity]:
    """This profile's PSFS activities (only those in force with `current_only`), in the order
    they were named."""
    conn = scope.conn
    sql = "SELECT id, name, position, since, until FROM psfs_activities WHERE profile_id = :profile"
    if current_only:
        sql += " AND until IS NULL"
    rows = conn.rows(sql + " ORDER BY since, position, id", {"profile": scope.profile})
    return [
        PsfsActivity(aid, name, position, conn.moment(since), None if until is None else conn.moment(until))
        for aid, name, position, since, until in rows
    ]


def set_psfs_activities(scope: Scope, names: Iterable[str], now: datetime) -> None:
    """Put these activities in force from `now`; the ones in force until now are kept, ended."""
    conn = scope.conn
    moment = conn.moment_param(now)
    conn.execute(
        "UPDATE psfs_activities SET until = :now WHERE profile_id = :profile AND until IS NULL",
        {"profile": scope.profile, "now": moment},
    )
    conn.executemany(
        "INSERT INTO psfs_activities (profile_id, name, position, since, until) "
        "VALUES (:profile, :name, :position, :now, NULL)",
        [{"profile": scope.profile, "name": name, "position": n, "now": moment} for n, name in enumerate(names)],
    )


def add_weekly_form(
    scope: Scope,
    now: datetime,
    peg: Peg | None,
    pgic: int | None,
    scores: Mapping[int, int],
    origin: str = "app",
) -> int:
    """Store a weekly form and its PSFS ratings (activity id -> score); returns its id."""
    conn = scope.conn
    params = {
        "profile": scope.profile, "now": conn.moment_param(now), "pgic": pgic, "origin": origin,
        "pain": None if peg is None else peg.pain,
        "enjoyment": None if peg is None else peg.enjoyment,
        "activity": None if peg is None else peg.activity,
    }  # fmt: skip
    conn.execute(
        "INSERT INTO weekly_forms (profile_id, answered_at, peg_pain, peg_enjoyment, peg_activity, "
        "pgic, origin) VALUES (:profile, :now, :pain, :enjoyment, :activity, :pgic, :origin)",
        params,
    )
    form_id = conn.scalar(
        "SELECT id FROM weekly_forms WHERE profile_id = :profile AND answered_at = :now "
        "ORDER BY id DESC LIMIT 1",
        params,
    )
    conn.executemany(
        "INSERT INTO psfs_scores (form_id, activity_id, score) SELECT :form, a.id, :score "
        "FROM psfs_activities a WHERE a.id = :activity AND a.profile_id = :profile",
        [{"form": form_id, "activity": aid, "score": score, "profile": scope.profile} for aid, score in scores.items()],
    )
    return form_id


def weekly_forms(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> list[WeeklyForm]:
    """This profile's weekly forms answered in [start, end], oldest first, with their PSFS
    ratings in the order the activities were named."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    where = period(conn, start, end, params, "f.answered_at")
    rows = conn.rows(
        "SELECT f.id, f.answered_at, f.peg_pain, f.peg_enjoyment, f.peg_activity, f.pgic, f.origin "
        f"FROM weekly_forms f WHERE f.profile_id = :profile{where} ORDER BY f.answered_at, f.id",
        params,
    )
    ratings: dict[int, list[PsfsRating]] = {}
    if rows:
        for form, aid, name, score in conn.rows(
            "SELECT p.form_id, a.id, a.name, p.score FROM psfs_scores p JOIN weekly_forms f ON f.id = p.form_id "
            "JOIN psfs_activities a ON a.id = p.activity_id "
            f"WHERE f.profile_id = :profile{where} ORDER BY p.form_id, a.position, a.id",
            params,
        ):
            ratings.setdefault(form, []).append(PsfsRating(aid, name, score))
    return [
        WeeklyForm(
            fid, conn.moment(at), None if pain is None else Peg(pain, enjoyment, activity),
            tuple(ratings.get(fid, ())), pgic, origin,
        )  # fmt: skip
        for fid, at, pain, enjoyment, activity, pgic, origin in rows
    ]


def last_weekly_form_at(scope: Scope) -> datetime | None:
    """When this profile last answered a weekly form."""
    found = scope.conn.scalar(
        "SELECT max(answered_at) FROM weekly_forms WHERE profile_id = :profile", {"profile": scope.profile}
    )
    return None if found is None else scope.conn.moment(found)


def checkin_days(scope: Scope, days: Iterable[date]) -> set[date]:
    """Which of these local days already have a check-in."""
    params: dict = {"profile": scope.profile}
    names = placeholders("day", [d.isoformat() for d in days], params)
    rows = scope.conn.rows(f"SELECT day FROM checkins WHERE profile_id = :profile AND day IN ({names})", params)
    return {date.fromisoformat(day) for (day,) in rows}
