"""What every export reads: the profile's sessions in a range, oldest first, in small batches.

Sessions come with their plan and the spot definitions it used; ratings come as light rows
(on SQLite their moments stay the stored UTC text and their flags 0/1, which the writers
format without converting), so ten years of data never sit in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from selftrack.domain.model import SpotSpec
from selftrack.domain.records import RatingRecord, SessionRecord, SpotDefinition
from selftrack.storage.connection import Connection, period, placeholders
from selftrack.storage.store import Scope

BATCH_SESSIONS = 200
Progress = Callable[[int, int], None]

_SESSION = (
    "SELECT id, protocol_id, protocol_version, protocol_hash, protocol_name, sides, tool, status, "
    "started_at, ended_at, pain_before, pain_after, notes, edited_at, plan, hold_guidance FROM sessions "
    "WHERE id IN ({ids})"
)
_RATINGS = (
    "SELECT session_id, step_index, route_id, spot_id, side, tenderness, skipped, recognised, "
    "referred, referred_to, nerve, note, rated_at, edited_at, hold_seconds, tool, pressure FROM ratings "
    "WHERE session_id IN ({ids}) ORDER BY session_id, step_index"
)


def session_ids(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> list[str]:
    """Ids of the profile's sessions that started in [start, end], oldest first (ties by id)."""
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT id FROM sessions WHERE profile_id = :profile"
        f"{period(scope.conn, start, end, params, 'started_at')} ORDER BY started_at, id"
    )
    return [sid for (sid,) in scope.conn.rows(sql, params)]


def count_ratings(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> int:
    """How many ratings the profile's sessions in [start, end] hold (from their totals)."""
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT coalesce(sum(rated + skipped), 0) FROM sessions WHERE profile_id = :profile"
        f"{period(scope.conn, start, end, params, 'started_at')}"
    )
    return int(scope.conn.scalar(sql, params) or 0)


class DefinitionCache:
    """Spot definitions by row id, read from the database once each."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._by_id: dict[int, SpotDefinition] = {}

    def load(self, def_ids: Iterable[int]) -> None:
        missing = set(def_ids) - self._by_id.keys()
        if not missing:
            return
        params: dict = {}
        sql = f"SELECT id, definition FROM spot_definitions WHERE id IN ({placeholders('def', missing, params)})"
        for def_id, text in self._conn.rows(sql, params):
            spec = SpotSpec.from_dict(json.loads(text))
            self._by_id[def_id] = SpotDefinition(spec, spec.digest)

    def __getitem__(self, def_id: int) -> SpotDefinition:
        return self._by_id[def_id]


def iter_sessions(
    conn: Connection,
    ids: list[str],
    *,
    with_ratings: bool = True,
    progress: Progress | None = None,
) -> Iterator[SessionRecord]:
    """The sessions `ids` in that order, read BATCH_SESSIONS at a time."""
    definitions = DefinitionCache(conn)
    total = len(ids)
    make = RatingRecord._make
    for first in range(0, total, BATCH_SESSIONS):
        chunk = ids[first : first + BATCH_SESSIONS]
        params: dict = {}
        names = placeholders("id", chunk, params)
        rows = {row[0]: row for row in conn.rows(_SESSION.format(ids=names), params)}
        plans = {sid: json.loads(row[14]) for sid, row in rows.items()}
        definitions.load(step[3] for plan in plans.values() for step in plan["steps"])
        grouped: dict[str, list[RatingRecord]] = {sid: [] for sid in chunk}
        if with_ratings:
            for row in conn.rows(_RATINGS.format(ids=names), params):
                grouped[row[0]].append(make(row[1:]))
        for sid in chunk:
            row, plan = rows[sid], plans[sid]
            yield SessionRecord(
                id=row[0],
                protocol_id=row[1],
                protocol_version=row[2],
                protocol_hash=row[3],
                protocol_name=row[4],
                sides=row[5],
                tool=row[6],
                status=row[7],
                started_at=row[8],
                ended_at=row[9],
                pain_before=row[10],
                pain_after=row[11],
                notes=row[12],
                edited_at=row[13],
                routes=plan["routes"],
                steps=[(r, s, side) for r, s, side, _d in plan["steps"]],
                spots={s: definitions[d] for _r, s, _side, d in plan["steps"]},
                ratings=grouped[sid],
                hold_guidance=row[15],
            )
        if progress:
            progress(min(first + BATCH_SESSIONS, total), total)


def used_definitions(conn: Connection, ids: list[str]) -> dict[str, SpotDefinition]:
    """Every spot definition the sessions `ids` used, by digest, in first-use order."""
    cache = DefinitionCache(conn)
    order: dict[int, None] = {}
    for first in range(0, len(ids), BATCH_SESSIONS):
        chunk = ids[first : first + BATCH_SESSIONS]
        params: dict = {}
        sql = f"SELECT id, plan FROM sessions WHERE id IN ({placeholders('id', chunk, params)})"
        plans = dict(conn.rows(sql, params))
        for sid in chunk:
            for step in json.loads(plans[sid])["steps"]:
                order.setdefault(step[3], None)
    cache.load(order)
    found: dict[str, SpotDefinition] = {}
    for def_id in order:
        found.setdefault(cache[def_id].digest, cache[def_id])
    return found


def csv_sessions(scope: Scope, start: datetime | None, end: datetime | None) -> list[tuple]:
    """(id, started_at, protocol, version, tool, pain before, pain after, status, notes) per session."""
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT id, started_at, protocol_id, protocol_version, tool, pain_before, pain_after, "
        "status, notes FROM sessions WHERE profile_id = :profile"
        f"{period(scope.conn, start, end, params, 'started_at')}"
    )
    return scope.conn.rows(sql, params)


def csv_definitions(conn: Connection) -> list[tuple[int, str, str]]:
    """(id, name, region) of every stored spot definition."""
    return conn.rows("SELECT id, name, region FROM spot_definitions")


def csv_ratings(scope: Scope, start: datetime | None, end: datetime | None) -> Iterator[list[tuple]]:
    """(session, route, spot, definition, side, tenderness, skipped, recognised, referred,
    nerve, note, rated_at, referred_to, hold_seconds, tool, pressure) of every rating, in session then walk order, in batches."""
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT r.session_id, r.route_id, r.spot_id, r.spot_def_id, r.side, r.tenderness, "
        "r.skipped, r.recognised, r.referred, r.nerve, r.note, r.rated_at, r.referred_to, "
        "r.hold_seconds, r.tool, r.pressure "
        "FROM ratings r JOIN sessions s ON s.id = r.session_id WHERE s.profile_id = :profile"
        f"{period(scope.conn, start, end, params, 's.started_at')} "
        "ORDER BY s.started_at, s.id, r.step_index"
    )
    return scope.conn.stream(sql, params, size=5000)


def owners(conn: Connection, ids: Iterable[str]) -> dict[str, int]:
    """The profile id of each of these sessions that exists."""
    params: dict = {}
    sql = f"SELECT id, profile_id FROM sessions WHERE id IN ({placeholders('id', ids, params)})"
    return dict(conn.rows(sql, params))
