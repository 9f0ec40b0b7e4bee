"""Reads and writes for safety over time: red-flag screens, conditions, soreness after sessions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from selftrack.storage.connection import period
from selftrack.storage.indexes import MARKED
from selftrack.storage.store import Scope

HARD = 8


def latest_screening(scope: Scope) -> tuple[datetime, str, dict, str] | None:
    """(answered at, trigger, answers, outcome) of this profile's latest screen, or None."""
    conn = scope.conn
    row = conn.one(
        "SELECT answered_at, trigger, answers, outcome FROM screenings WHERE profile_id = :profile "
        "ORDER BY answered_at DESC, id DESC LIMIT 1",
        {"profile": scope.profile},
    )
    if row is None:
        return None
    return conn.moment(row[0]), row[1], json.loads(row[2]), row[3]


def screenings(scope: Scope) -> list[tuple[datetime, str, dict, str]]:
    """Every screen of this profile, oldest first."""
    conn = scope.conn
    rows = conn.rows(
        "SELECT answered_at, trigger, answers, outcome FROM screenings WHERE profile_id = :profile "
        "ORDER BY answered_at, id",
        {"profile": scope.profile},
    )
    return [(conn.moment(at), trigger, json.loads(answers), outcome) for at, trigger, answers, outcome in rows]


def add_screening(scope: Scope, now: datetime, trigger: str, answers: dict, outcome: str) -> None:
    conn = scope.conn
    conn.execute(
        "INSERT INTO screenings (profile_id, answered_at, trigger, answers, outcome) "
        "VALUES (:profile, :now, :trigger, :answers, :outcome)",
        {"profile": scope.profile, "now": conn.moment_param(now), "trigger": trigger,
         "answers": json.dumps(answers, sort_keys=True), "outcome": outcome},
    )  # fmt: skip


def latest_conditions(scope: Scope) -> tuple[datetime, list[str], int | None] | None:
    """(updated at, condition ids, pregnancy weeks then) in force for this profile, or None."""
    conn = scope.conn
    row = conn.one(
        "SELECT updated_at, conditions, pregnancy_weeks FROM condition_profiles WHERE profile_id = :profile "
        "ORDER BY updated_at DESC, id DESC LIMIT 1",
        {"profile": scope.profile},
    )
    return None if row is None else (conn.moment(row[0]), json.loads(row[1]), row[2])


def condition_profiles(scope: Scope) -> list[tuple[datetime, list[str], int | None]]:
    """Every condition profile of this profile (updated at, condition ids, pregnancy weeks), oldest first."""
    conn = scope.conn
    rows = conn.rows(
        "SELECT updated_at, conditions, pregnancy_weeks FROM condition_profiles WHERE profile_id = :profile "
        "ORDER BY updated_at, id",
        {"profile": scope.profile},
    )
    return [(conn.moment(at), json.loads(conditions), weeks) for at, conditions, weeks in rows]


def set_conditions(scope: Scope, now: datetime, conditions: Iterable[str], pregnancy_weeks: int | None) -> None:
    conn = scope.conn
    conn.execute(
        "INSERT INTO condition_profiles (profile_id, updated_at, conditions, pregnancy_weeks) "
        "VALUES (:profile, :now, :conditions, :weeks)",
        {"profile": scope.profile, "now": conn.moment_param(now),
         "conditions": json.dumps(sorted(conditions)), "weeks": pregnancy_weeks},
    )  # fmt: skip


def latest_soreness(scope: Scope) -> tuple[str, datetime, datetime, str] | None:
    """(session id, session start, answered at, answer) of the latest soreness answer, or None."""
    conn = scope.conn
    row = conn.one(
        "SELECT o.session_id, s.started_at, o.answered_at, o.answer FROM soreness o "
        "JOIN sessions s ON s.id = o.session_id WHERE o.profile_id = :profile "
        "ORDER BY o.answered_at DESC, o.id DESC LIMIT 1",
        {"profile": scope.profile},
    )
    return None if row is None else (row[0], conn.moment(row[1]), conn.moment(row[2]), row[3])


def add_soreness(scope: Scope, session_id: str, now: datetime, answer: str) -> None:
    conn = scope.conn
    conn.execute(
        "INSERT INTO soreness (profile_id, session_id, answered_at, answer) "
        "VALUES (:profile, :session, :now, :answer)",
        {"profile": scope.profile, "session": session_id, "now": conn.moment_param(now), "answer": answer},
    )


def soreness_answers(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> list[tuple]:
    """(session id, answered at, answer) of the soreness answers about the sessions that started
    in [start, end], oldest first, leaving out those given in a morning check-in (they are read
    with it)."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    rows = conn.rows(
        "SELECT o.session_id, o.answered_at, o.answer FROM soreness o JOIN sessions s ON s.id = o.session_id "
        "WHERE o.profile_id = :profile AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.soreness_id = o.id)"
        f"{period(conn, start, end, params, 's.started_at')} ORDER BY o.answered_at, o.id",
        params,
    )
    return [(session, conn.moment(at), answer) for session, at, answer in rows]


def session_doses(scope: Scope, since: datetime) -> list[tuple[str, datetime, int | None, int | None, int | None]]:
    """(id, start, highest tenderness, hold-timer total, hold guidance) of each session since
    `since`, newest first (selftrack.analysis.care decides which were hard)."""
    conn = scope.conn
    rows = conn.rows(
        "SELECT s.id, s.started_at, s.tenderness_max, "
        "(SELECT sum(r.hold_seconds) FROM ratings r WHERE r.session_id = s.id), s.hold_guidance "
        "FROM sessions s WHERE s.profile_id = :profile AND s.started_at >= :since "
        "ORDER BY s.started_at DESC",
        {"profile": scope.profile, "since": conn.moment_param(since)},
    )
    return [(sid, conn.moment(at), top, held, guidance) for sid, at, top, held, guidance in rows]


def session_hold(scope: Scope, session_id: str) -> tuple[int | None, int | None, int]:
    """(hold guidance, hold-timer total, steps planned) of one of this profile's sessions."""
    row = scope.conn.one(
        "SELECT s.hold_guidance, (SELECT sum(r.hold_seconds) FROM ratings r WHERE r.session_id = s.id), s.plan "
        "FROM sessions s WHERE s.id = :id AND s.profile_id = :profile",
        {"id": session_id, "profile": scope.profile},
    )
    if row is None:
        return None, None, 0
    return row[0], row[1], len(json.loads(row[2])["steps"])


def hard_spots(scope: Scope, session_id: str, held_over: int | None = None) -> frozenset[tuple[str, str]]:
    """The (spot, side) pairs of a session rated 8 or more, or held longer than `held_over`
    seconds (when given)."""
    rows = scope.conn.rows(
        "SELECT spot_id, side FROM ratings WHERE session_id = :id AND profile_id = :profile "
        "AND (tenderness >= :hard OR hold_seconds > :held_over)",
        {"id": session_id, "profile": scope.profile, "hard": HARD, "held_over": held_over},
    )
    return frozenset((spot, side) for spot, side in rows)


def hard_pairs_since(scope: Scope, since: datetime) -> set[tuple[str, str]]:
    """The (spot, side) pairs rated 8 or more in sessions since `since` (found through the
    sessions' highest rating, so only those sessions' ratings are read)."""
    rows = scope.conn.rows(
        "SELECT DISTINCT r.spot_id, r.side FROM sessions s JOIN ratings r ON r.session_id = s.id "
        "WHERE s.profile_id = :profile AND s.started_at >= :since AND s.tenderness_max >= :hard "
        "AND r.tenderness >= :hard",
        {"profile": scope.profile, "since": scope.conn.moment_param(since), "hard": HARD},
    )
    return {(spot, side) for spot, side in rows}


def nerve_by_session(scope: Scope, since: datetime, sessions: int = 2) -> list[bool]:
    """For the latest `sessions` sessions since `since` with ratings, newest first: whether
    any rating in it flagged a nerve feeling."""
    conn = scope.conn
    rows = conn.rows(
        "SELECT s.id, (SELECT count(*) FROM ratings r WHERE r.session_id = s.id AND r.nerve) "
        "FROM sessions s WHERE s.profile_id = :profile AND s.started_at >= :since "
        "AND s.rated > 0 ORDER BY s.started_at DESC LIMIT :limit",
        {"profile": scope.profile, "since": conn.moment_param(since), "limit": sessions},
    )
    return [bool(count) for _sid, count in rows]


def texts_since(scope: Scope, since: datetime) -> list[str]:
    """Notes and "refers to" words written on ratings since `since`, and session notes."""
    conn = scope.conn
    params = {"profile": scope.profile, "since": conn.moment_param(since)}
    rows = conn.rows(
        f"SELECT note, referred_to FROM ratings WHERE profile_id = :profile AND {MARKED} "
        "AND started_at >= :since AND (note != '' OR referred_to != '')",
        params,
    )
    notes = conn.rows(
        "SELECT notes FROM sessions WHERE profile_id = :profile AND started_at >= :since AND notes != ''",
        params,
    )
    return [text for row in rows for text in row if text] + [text for (text,) in notes]
