"""Writes: every change to the records, as SQL texts run inside a `Store.writing()` scope.

Each change to a session's ratings refreshes that session's totals in the same transaction
(`refresh_totals`), so history reads one row per session and the totals always equal what
the ratings add up to. It also keeps `spot_counts` (in how many sessions each person rated
each spot on each side): a change adds or takes away the sessions that gain or lose a
tenderness at a spot (`count_spots`), so the trends over all history never count 400,000
ratings to find them. Both are checked by `selftrack db check`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from selftrack.domain.model import SpotSpec, Step
from selftrack.domain.terms import SessionStatus
from selftrack.storage.connection import Connection, columns_sql, placeholders
from selftrack.storage.store import Scope

SESSION_FIELDS = (
    "id", "profile_id", "protocol_id", "protocol_version", "protocol_hash", "protocol_name",
    "sides", "tool", "pain_before", "pain_after", "notes", "started_at", "ended_at", "status",
    "plan", "origin", "edited_at",
)  # fmt: skip
RATING_FIELDS = (
    "session_id", "profile_id", "started_at", "step_index", "route_id", "spot_id", "spot_def_id",
    "side", "tenderness", "skipped", "recognised", "referred", "referred_to", "nerve", "note",
    "rated_at", "edited_at",
)  # fmt: skip
# optional fields: left out of a row, they are stored empty (older files and the demo have none)
SESSION_OPTIONAL = ("hold_guidance",)
RATING_OPTIONAL = ("hold_seconds", "tool", "pressure")
_MOMENTS = frozenset({"started_at", "ended_at", "rated_at", "edited_at", "created_at"})


def add_profile(conn: Connection, name: str, now: datetime) -> int:
    """Create a profile; returns its id."""
    conn.execute(
        "INSERT INTO profiles (name, display_name, created_at) VALUES (:name, '', :now)",
        {"name": name, "now": conn.moment_param(now)},
    )
    return conn.scalar("SELECT id FROM profiles WHERE name = :name", {"name": name})


def store_definitions(conn: Connection, spots: Iterable[SpotSpec]) -> dict[str, int]:
    """Row ids of these spot definitions, by digest, inserting each version not stored yet."""
    from selftrack.storage.queries import definitions_by_digest

    by_digest = {spot.digest: spot for spot in spots}
    known = definitions_by_digest(conn, by_digest)
    missing = [spot for digest, spot in by_digest.items() if digest not in known]
    conn.executemany(
        "INSERT INTO spot_definitions (spot_id, digest, name, region, view, x, y, definition) "
        "VALUES (:spot_id, :digest, :name, :region, :view, :x, :y, :definition)",
        [
            dict(
                spot_id=spot.id, digest=spot.digest, name=spot.name, region=spot.region,
                view=spot.view, x=spot.x, y=spot.y,
                definition=json.dumps(spot.to_dict(), sort_keys=True),
            )  # fmt: skip
            for spot in missing
        ],
    )
    if missing:
        known |= definitions_by_digest(conn, [spot.digest for spot in missing])
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


def rating_row(
    session_id: str, profile_id: int, started_at: datetime, step: tuple[int, str, str, str, int], **values
) -> dict:
    """A whole rating as `insert_sessions` takes it: its session, person and start, its step
    (index, route, spot, side, stored definition id), and its values (RATING_FIELDS' rest and
    the dose, RATING_OPTIONAL)."""
    index, route, spot, side, definition = step
    row = dict(
        session_id=session_id, profile_id=profile_id, started_at=started_at, step_index=index,
        route_id=route, spot_id=spot, spot_def_id=definition, side=side, tenderness=None,
        skipped=False, recognised=False, referred=False, referred_to="", nerve=False, note="",
        rated_at=started_at, edited_at=None, **dict.fromkeys(RATING_OPTIONAL),
    )  # fmt: skip
    unknown = set(values) - set(row)
    if unknown:
        raise ValueError(f"not rating fields: {', '.join(sorted(unknown))}")
    row.update(values)
    return row


def _stored(conn: Connection, values: dict) -> dict:
    """`values` with its moments in the form the database stores."""
    return {
        key: conn.moment_param(value) if key in _MOMENTS and value is not None else value
        for key, value in values.items()
    }


def insert_sessions(conn: Connection, sessions: Sequence[dict], ratings: Sequence[dict] = ()) -> None:
    """Add whole sessions (SESSION_FIELDS, and SESSION_OPTIONAL if given) and their ratings
    (RATING_FIELDS, and RATING_OPTIONAL if given), then their totals."""
    if not sessions:
        return
    empty_session = dict.fromkeys(SESSION_OPTIONAL)
    empty_rating = dict.fromkeys(RATING_OPTIONAL)
    conn.executemany(
        _insert("sessions", SESSION_FIELDS + SESSION_OPTIONAL),
        [_stored(conn, {**empty_session, **s}) for s in sessions],
    )
    conn.executemany(
        _insert("ratings", RATING_FIELDS + RATING_OPTIONAL),
        [_stored(conn, {**empty_rating, **r}) for r in ratings],
    )
    refresh_totals(conn, [s["id"] for s in sessions])
    params: dict = {}
    count_new_sessions(conn, placeholders("id", [s["id"] for s in sessions], params), params)


_COUNT_NEW = (
    "SELECT profile_id, spot_id, side, count(DISTINCT session_id) FROM ratings "
    "WHERE tenderness IS NOT NULL AND session_id IN ({ids}) GROUP BY profile_id, spot_id, side"
)


def count_new_sessions(conn: Connection, ids: str, params: dict | None = None) -> None:
    """Add to the spot counts the spots of sessions just stored, none of them counted yet;
    `ids` is the SQL of their ids (placeholders, or a SELECT)."""
    add_spot_counts(conn, conn.rows(_COUNT_NEW.format(ids=ids), params or {}))


_ADD_SPOT_COUNT = """
    INSERT INTO spot_counts (profile_id, spot_id, side, sessions) VALUES (:profile, :spot, :side, :sessions)
    ON CONFLICT (profile_id, spot_id, side) DO UPDATE SET sessions = spot_counts.sessions + excluded.sessions
"""


def add_spot_counts(conn: Connection, changes: Iterable[tuple[int, str, str, int]]) -> None:
    """Add (profile, spot, side, sessions) to the spot counts (sessions < 0 takes away); a
    count that reaches 0 goes."""
    rows = [dict(profile=p, spot=spot, side=side, sessions=n) for p, spot, side, n in changes if n]
    conn.executemany(_ADD_SPOT_COUNT, rows)
    if any(row["sessions"] < 0 for row in rows):
        conn.execute("DELETE FROM spot_counts WHERE sessions <= 0")


def rated_spots(conn: Connection, session_id: str, spot: tuple[str, str] | None = None) -> set[tuple[str, str]]:
    """The (spot, side) pairs a session holds a tenderness for (only `spot`, if given)."""
    params: dict = {"id": session_id}
    where = ""
    if spot is not None:
        params.update(spot=spot[0], side=spot[1])
        where = " AND spot_id = :spot AND side = :side"
    sql = f"SELECT DISTINCT spot_id, side FROM ratings WHERE session_id = :id AND tenderness IS NOT NULL{where}"
    return set(conn.rows(sql, params))


@contextmanager
def count_spots(scope: Scope, session_id: str, spot: tuple[str, str] | None = None) -> Iterator[None]:
    """Keep the spot counts right across a change to one session's ratings (of `spot` only,
    if given): the pairs it rated before and after are compared, a few rows of one session
    whatever the length of the history.

    The session's row is locked first: PostgreSQL lets writers run side by side, and two
    programs changing one session's ratings at once must count one after the other (each
    then sees what the other did). SQLite has one writer at a time anyway."""
    scope.conn.execute("UPDATE sessions SET edited_at = edited_at WHERE id = :id", {"id": session_id})
    before = rated_spots(scope.conn, session_id, spot)
    yield
    after = rated_spots(scope.conn, session_id, spot)
    add_spot_counts(
        scope.conn,
        [(scope.profile, *pair, 1) for pair in after - before] + [(scope.profile, *pair, -1) for pair in before - after],
    )


def _insert(table: str, fields: Sequence[str]) -> str:
    names = columns_sql(fields)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + f for f in fields)})"


_TOTALS = """
    UPDATE sessions SET (rated, skipped, tenderness_sum, tenderness_max) = (
        SELECT count(r.tenderness), count(*) - count(r.tenderness),
               coalesce(sum(r.tenderness), 0), max(r.tenderness)
        FROM ratings r WHERE r.session_id = sessions.id
    ) WHERE id IN ({ids})
"""


def refresh_totals(conn: Connection, session_ids: Iterable[str]) -> None:
    """Work out these sessions' totals again from their ratings."""
    params: dict = {}
    conn.execute(_TOTALS.format(ids=placeholders("id", session_ids, params)), params)


_UPSERT = """
    INSERT INTO ratings (session_id, profile_id, started_at, step_index, route_id, spot_id,
                         spot_def_id, side, tenderness, skipped, recognised, referred,
                         referred_to, nerve, note, rated_at, hold_seconds, tool, pressure)
    SELECT s.id, s.profile_id, s.started_at, :step, :route, :spot, :definition, :side,
           :tenderness, :skipped, :recognised, :referred, :referred_to, :nerve, :note, :rated_at,
           :hold_seconds, :tool, :pressure
    FROM sessions s
    WHERE s.id = :session AND s.profile_id = :profile AND s.status = :in_progress
    ON CONFLICT (session_id, step_index) DO UPDATE SET
        tenderness = excluded.tenderness, skipped = excluded.skipped,
        recognised = excluded.recognised, referred = excluded.referred,
        referred_to = excluded.referred_to, nerve = excluded.nerve, note = excluded.note,
        rated_at = excluded.rated_at, hold_seconds = excluded.hold_seconds,
        tool = excluded.tool, pressure = excluded.pressure
"""


def record_rating(scope: Scope, session_id: str, step: tuple[int, str, str, str, int], values: dict) -> bool:
    """Store one step's rating (or replace it) if the session is this profile's and in
    progress; False when it is not. `step` is (index, route, spot, side, definition id)."""
    index, route, spot, side, definition = step
    conn = scope.conn
    with count_spots(scope, session_id, (spot, side)):
        changed = conn.execute(
            _UPSERT,
            {
                "session": session_id, "profile": scope.profile, "step": index, "route": route,
                "spot": spot, "definition": definition, "side": side,
                "in_progress": SessionStatus.IN_PROGRESS.value, **dict.fromkeys(RATING_OPTIONAL),
                **values, "rated_at": conn.moment_param(values["rated_at"]),
            },
        )  # fmt: skip
    if changed:
        refresh_totals(conn, [session_id])
    return bool(changed)


def delete_rating(scope: Scope, session_id: str, step_index: int) -> None:
    """Remove one rating of a session."""
    with count_spots(scope, session_id, _step_spot(scope, session_id, step_index)):
        scope.conn.execute(
            "DELETE FROM ratings WHERE session_id = :id AND step_index = :step AND profile_id = :profile",
            {"id": session_id, "step": step_index, "profile": scope.profile},
        )
    refresh_totals(scope.conn, [session_id])


def _step_spot(scope: Scope, session_id: str, step_index: int) -> tuple[str, str] | None:
    row = scope.conn.one(
        "SELECT spot_id, side FROM ratings WHERE session_id = :id AND step_index = :step",
        {"id": session_id, "step": step_index},
    )
    return None if row is None else (row[0], row[1])


def update_rating(scope: Scope, session_id: str, step_index: int, values: dict) -> None:
    """Change stored fields of one rating (its time and spot stay as they were)."""
    conn = scope.conn
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    columns_sql(values)  # names come from the caller's code: check them anyway
    with count_spots(scope, session_id, _step_spot(scope, session_id, step_index)):
        conn.execute(
            f"UPDATE ratings SET {assignments} WHERE session_id = :id AND step_index = :step "
            "AND profile_id = :profile",
            {**_stored(conn, values), "id": session_id, "step": step_index, "profile": scope.profile},
        )
    refresh_totals(conn, [session_id])


def set_session_fields(scope: Scope, session_id: str, **values) -> None:
    """Change stored fields of one session (status, end, pain after, notes, …)."""
    conn = scope.conn
    columns_sql(values)
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    conn.execute(
        f"UPDATE sessions SET {assignments} WHERE id = :id AND profile_id = :profile",
        {**_stored(conn, values), "id": session_id, "profile": scope.profile},
    )


def delete_session(scope: Scope, session_id: str) -> None:
    """Remove a session and its ratings."""
    params = {"id": session_id, "profile": scope.profile}
    with count_spots(scope, session_id):
        scope.conn.execute("DELETE FROM ratings WHERE session_id = :id AND profile_id = :profile", params)
    scope.conn.execute("DELETE FROM sessions WHERE id = :id AND profile_id = :profile", params)
