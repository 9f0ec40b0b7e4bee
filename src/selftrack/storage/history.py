"""Reads for history and trends: sessions with their totals, the spots' names and places,
spot levels and series, the regions' lines, heat, flags, notes, the pain series and session
starts. None of them needs the routines' model (selftrack.domain.model), so `history` and
`trend` do not import it.

The summing happens in SQL over the right index, so no read builds an object per rating:
history reads one row per session from the sessions' index alone (their totals are kept up to
date), a spot's series is one range of `ix_ratings_profile_spot`, each spot's count of
sessions is kept in `spot_counts`, and what the ratings add up to per spot or per region comes
back as a few rows. With a period, the period's sessions are walked and their ratings read
through the session index; over all history the spot index is read in its own order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from selftrack.domain.records import (
    FlaggedSpot,
    HeatCell,
    Note,
    RecentRating,
    SessionSummary,
    SpotInfo,
    SpotLevels,
    SpotValue,
)
from selftrack.domain.terms import SessionStatus
from selftrack.storage.connection import Connection, period, placeholders
from selftrack.storage.indexes import MARKED
from selftrack.storage.store import Scope

LEVEL_SESSIONS = 3  # how many first and last sessions of a spot `spot_levels` gives


def _rated(conn: Connection, scope: Scope, start, end, params: dict) -> str:
    """FROM/WHERE for the profile's non-skipped ratings of sessions that started in [start,
    end], as rows `r` (read through the session index when there is a start)."""
    params["profile"] = scope.profile
    if start is None:
        return f"FROM ratings r WHERE r.profile_id = :profile AND r.tenderness IS NOT NULL{period(conn, start, end, params, 'r.started_at')}"
    return (
        "FROM sessions s JOIN ratings r ON r.session_id = s.id "
        f"WHERE s.profile_id = :profile AND r.tenderness IS NOT NULL{period(conn, start, end, params, 's.started_at')}"
    )


# -- spots' names and places -----------------------------------------------------------------

# the ids of the spots' latest definitions (a spot's definition is stored again when it changes)
LATEST_DEFINITIONS = "SELECT max(id) FROM spot_definitions{where} GROUP BY spot_id"


def spot_infos(conn: Connection, spot_ids: Iterable[str] | None = None) -> dict[str, SpotInfo]:
    """Name, region, view and place of each stored spot, from its latest definition."""
    params: dict = {}
    where = ""
    if spot_ids is not None:
        where = f" WHERE spot_id IN ({placeholders('spot', set(spot_ids), params)})"
    sql = (
        "SELECT spot_id, name, region, view, x, y, definition FROM spot_definitions "
        f"WHERE id IN ({LATEST_DEFINITIONS.format(where=where)})"
    )
    out = {}
    for spot, name, region, view, x, y, text in conn.rows(sql, params):
        sided = json.loads(text).get("sided", True)
        out[spot] = SpotInfo(spot, name, region, view, x, y, sided)
    return out


# -- sessions ----------------------------------------------------------------------------------

# read from ix_sessions_profile_history alone, in its order (newest first)
_SUMMARY = (
    "SELECT id, started_at, protocol_id, protocol_name, status, sides, tool, pain_before, "
    "pain_after, rated, skipped, tenderness_sum, tenderness_max FROM sessions "
    "WHERE profile_id = :profile{where} ORDER BY started_at DESC, id DESC"
)
_STATUSES = {status.value: status for status in SessionStatus}


def session_summaries(
    scope: Scope,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    protocol_id: str | None = None,
    limit: int | None = None,
) -> Iterator[SessionSummary]:
    """Sessions newest first (the newest `limit`, if given) with their counts, mean and highest
    tenderness, read as they are needed."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    where = period(conn, start, end, params, "started_at")
    if protocol_id:
        params["protocol"] = protocol_id
        where += " AND protocol_id = :protocol"
    sql = _SUMMARY.format(where=where)
    if limit is not None:
        params["limit"] = limit
        sql += " LIMIT :limit"
    moment = conn.moment
    for batch in conn.stream(sql, params):
        for sid, at, pid, name, status, sides, tool, before, after, rated, skipped, total, top in batch:
            mean = total / rated if rated else None
            yield SessionSummary(
                sid, moment(at), pid, name, _STATUSES[status], sides, tool, before, after,
                rated, skipped, mean, top,
            )  # fmt: skip


def pain_series(
    scope: Scope, start: datetime | None = None, end: datetime | None = None
) -> list[tuple[datetime, int | None, int | None]]:
    """(start, pain before, pain after) of every session in the period, oldest first."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT started_at, pain_before, pain_after FROM sessions WHERE profile_id = :profile"
        f"{period(conn, start, end, params, 'started_at')} "
        "AND (pain_before IS NOT NULL OR pain_after IS NOT NULL) ORDER BY started_at, id"
    )
    return [(conn.moment(at), before, after) for at, before, after in conn.rows(sql, params)]


def session_starts(
    scope: Scope, start: datetime | None = None, end: datetime | None = None
) -> list[datetime]:
    """Start times of the sessions that count (finished or in progress, with a rating), oldest first."""
    conn = scope.conn
    params: dict = {"profile": scope.profile, "abandoned": SessionStatus.ABANDONED.value}
    sql = (
        "SELECT started_at FROM sessions WHERE profile_id = :profile AND status != :abandoned "
        f"AND rated + skipped > 0{period(conn, start, end, params, 'started_at')} ORDER BY started_at"
    )
    return [conn.moment(at) for (at,) in conn.rows(sql, params)]


# -- spots -------------------------------------------------------------------------------------


def spot_levels(
    scope: Scope,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    slices: int = 0,
    spot_ids: Iterable[str] | None = None,
) -> dict[tuple[str, str], SpotLevels]:
    """Every spot and side rated in the period: its sessions, its first and last values (up to
    LEVEL_SESSIONS each), and with `slices` its mean in each of that many equal parts of the
    period. Without slices the counts are one pass over the spot index; the slices need a
    mean per session and a day number per rating, several times as long (0.8 s against
    0.12 s on ten years), so only a sparkline asks for them. Over all history the counts are
    read from `spot_counts` (kept with the ratings), not counted.

    A session's value is the mean of the spot's ratings in it (a routine may list a spot
    twice); skipped ratings are left out.
    """
    conn = scope.conn
    params: dict = {}
    source = _rated(conn, scope, start, end, params)
    spot_ids = None if spot_ids is None else list(spot_ids)
    if spot_ids is not None:
        source += f" AND r.spot_id IN ({placeholders('spot', spot_ids, params)})"
    counts: dict[tuple[str, str], int] = {}
    means: dict[tuple[str, str], list[float | None]] = {}
    if slices:
        first_day, span = _span(conn, scope, start, end)
        if first_day is None:
            return {}
        params.update(origin=first_day, span=span, slices=slices)
        day = conn.day_number("r.started_at")
        slice_of = conn.floor(f"(({day} - :origin) * :slices / :span)")
        sql = f"""
            SELECT spot_id, side, slice, count(*), avg(value) FROM (
                SELECT r.spot_id AS spot_id, r.side AS side, avg(r.tenderness) AS value,
                       {slice_of} AS slice
                {source}
                GROUP BY r.spot_id, r.side, r.started_at
            ) per_session
            GROUP BY spot_id, side, slice
        """
        for spot, side, number, count, mean in conn.rows(sql, params):
            key = (spot, side)
            counts[key] = counts.get(key, 0) + count
            row = means.setdefault(key, [None] * slices)
            row[max(0, min(slices - 1, int(number)))] = float(mean)
    elif start is None and end is None:
        # all history: the counts kept with the ratings (storage.writes.count_spots)
        count_params: dict = {"profile": scope.profile}
        sql = "SELECT spot_id, side, sessions FROM spot_counts WHERE profile_id = :profile"
        if spot_ids is not None:
            sql += f" AND spot_id IN ({placeholders('spot', spot_ids, count_params)})"
        counts = {(spot, side): count for spot, side, count in conn.rows(sql, count_params)}
    else:
        sql = f"SELECT r.spot_id, r.side, count(DISTINCT r.session_id) {source} GROUP BY r.spot_id, r.side"
        counts = {(spot, side): count for spot, side, count in conn.rows(sql, params)}
    ends_params: dict = {"profile": scope.profile}
    ends_period = period(conn, start, end, ends_params, "started_at")
    out = {}
    for key in sorted(counts):
        first = _end_values(conn, ends_params, ends_period, key, "ASC")
        last = _end_values(conn, ends_params, ends_period, key, "DESC")
        out[key] = SpotLevels(key[0], key[1], counts[key], first, tuple(reversed(last)), tuple(means.get(key, ())))
    return out


def _end_values(conn: Connection, params: dict, where: str, key: tuple[str, str], order: str) -> tuple[float, ...]:
    """A spot's values in its first (ASC) or last (DESC) LEVEL_SESSIONS sessions."""
    sql = (
        "SELECT started_at, avg(tenderness) FROM ratings WHERE profile_id = :profile "
        f"AND spot_id = :spot AND side = :side AND tenderness IS NOT NULL{where} "
        f"GROUP BY started_at ORDER BY started_at {order} LIMIT {LEVEL_SESSIONS}"
    )
    rows = conn.rows(sql, {**params, "spot": key[0], "side": key[1]})
    return tuple(float(value) for _at, value in rows)


def _span(conn: Connection, scope: Scope, start, end) -> tuple[float | None, float]:
    """(day number of the period's first moment, its length in days) for slicing it."""
    params: dict = {"profile": scope.profile}
    day = conn.day_number("started_at")
    row = conn.one(
        f"SELECT min({day}), max({day}) FROM sessions WHERE profile_id = :profile"
        f"{period(conn, start, end, params, 'started_at')}",
        params,
    )
    if row is None or row[0] is None:
        return None, 1.0
    first, last = float(row[0]), float(row[1])
    if start is not None:
        first = min(first, start.timestamp() / 86400)
    return first, max(last - first, 1e-6) * (1 + 1e-9)


def spot_series(
    scope: Scope,
    spot_ids: Iterable[str],
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[tuple[str, str], list[SpotValue]]:
    """{(spot, side): the spot's value in each session, oldest first}."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT spot_id, side, started_at, avg(tenderness) FROM ratings "
        f"WHERE profile_id = :profile AND spot_id IN ({placeholders('spot', spot_ids, params)}) "
        f"AND tenderness IS NOT NULL{period(conn, start, end, params, 'started_at')} "
        "GROUP BY spot_id, side, started_at ORDER BY spot_id, side, started_at"
    )
    out: dict[tuple[str, str], list[SpotValue]] = {}
    moment = conn.moment
    for batch in conn.stream(sql, params):
        for spot, side, at, value in batch:
            out.setdefault((spot, side), []).append(SpotValue(moment(at), float(value)))
    return out


def fixed_set_lines(
    scope: Scope,
    sets: Sequence[Sequence[tuple[str, str]]],
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[list[SpotValue]]:
    """For each set of (spot, side) pairs, its line: in each session that rated every spot of
    the set, the mean of their values (a spot's value in a session being the mean of its
    ratings there), oldest first. This is how a region is charted (selftrack.analysis.trends).

    One statement for all the sets, summed in SQL over the spot index: on ten years the
    all-region trend gets ~36,000 points instead of reading 72,000 spot values to average
    them here.
    """
    out: list[list[SpotValue]] = [[] for _ in sets]
    if not any(sets):
        return out
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    members = []
    for number, pairs in enumerate(sets):
        for spot, side in pairs:
            at = len(members)
            params.update({f"spot{at}": spot, f"side{at}": side})
            members.append(f"({number}, {len(pairs)}, :spot{at}, :side{at})")
    sql = f"""
        WITH member(line, spots, spot_id, side) AS (VALUES {", ".join(members)})
        SELECT line, started_at, avg(value) FROM (
            SELECT m.line AS line, m.spots AS spots, r.started_at AS started_at,
                   avg(r.tenderness) AS value
            FROM member m JOIN ratings r
              ON r.profile_id = :profile AND r.spot_id = m.spot_id AND r.side = m.side
            WHERE r.tenderness IS NOT NULL{period(conn, start, end, params, 'r.started_at')}
            GROUP BY m.line, m.spots, r.spot_id, r.side, r.started_at
        ) per_spot
        GROUP BY line, started_at
        HAVING count(*) = max(spots)
        ORDER BY line, started_at
    """
    moments: dict = {}  # the lines share their sessions: each start is read once
    for batch in conn.stream(sql, params):
        for line, at, value in batch:
            moment = moments.get(at)
            if moment is None:
                moment = moments[at] = conn.moment(at)
            out[line].append(SpotValue(moment, float(value)))
    return out


def heat_cells(
    scope: Scope, start: datetime | None = None, end: datetime | None = None
) -> tuple[list[HeatCell], int]:
    """Mean tenderness and rating count per (spot, side) in a period, and its sessions."""
    conn = scope.conn
    params: dict = {}
    sql = (
        "SELECT r.spot_id, r.side, sum(r.tenderness), count(r.tenderness) "
        f"{_rated(conn, scope, start, end, params)} GROUP BY r.spot_id, r.side"
    )
    sums = conn.rows(sql, params)
    infos = spot_infos(conn, {spot for spot, *_rest in sums})
    cells = [
        HeatCell(spot, side, infos[spot].name, infos[spot].region, infos[spot].view, infos[spot].x,
                 infos[spot].y, float(total) / count, count)
        for spot, side, total, count in sums
        if spot in infos
    ]  # fmt: skip
    count_params: dict = {"profile": scope.profile}
    sessions = conn.scalar(
        f"SELECT count(*) FROM sessions WHERE profile_id = :profile{period(conn, start, end, count_params, 'started_at')}",
        count_params,
    )
    return cells, sessions or 0


# -- flags and notes ---------------------------------------------------------------------------


def flagged_spots(
    scope: Scope, start: datetime | None = None, end: datetime | None = None
) -> list[FlaggedSpot]:
    """Spots whose ratings in the period carried a flag, with how often and where pain spread;
    most nerve flags first."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT spot_id, side, nerve, recognised, referred, referred_to, count(*) FROM ratings "
        f"WHERE profile_id = :profile AND {MARKED}{period(conn, start, end, params, 'started_at')} "
        "AND (nerve OR recognised OR referred) "
        "GROUP BY spot_id, side, nerve, recognised, referred, referred_to"
    )
    counts: dict[tuple[str, str], list] = {}
    for spot, side, nerve, recognised, referred, to, count in conn.rows(sql, params):
        entry = counts.setdefault((spot, side), [0, 0, 0, {}])
        entry[0] += count if nerve else 0
        entry[1] += count if recognised else 0
        entry[2] += count if referred else 0
        if referred and to.strip():
            entry[3][to.strip()] = entry[3].get(to.strip(), 0) + count
    infos = spot_infos(conn, {spot for spot, _side in counts})
    found = [
        FlaggedSpot(
            spot, side, infos[spot].name if spot in infos else spot, 0, nerve, recognised, referred,
            tuple(sorted(places.items(), key=lambda item: (-item[1], item[0]))),
        )
        for (spot, side), (nerve, recognised, referred, places) in counts.items()
    ]
    return sorted(found, key=lambda f: (-f.nerve, -f.recognised, -f.referred, f.spot_id, f.side))


def notes(
    scope: Scope, start: datetime | None = None, end: datetime | None = None
) -> list[Note]:
    """Session notes and notes on ratings in the period, oldest first."""
    conn = scope.conn
    params: dict = {"profile": scope.profile}
    where = period(conn, start, end, params, "started_at")
    session_rows = conn.rows(
        f"SELECT started_at, notes FROM sessions WHERE profile_id = :profile AND notes != ''{where}",
        params,
    )
    rating_rows = conn.rows(
        f"SELECT rated_at, note, spot_id, side FROM ratings WHERE profile_id = :profile AND {MARKED} "
        f"AND note != ''{where}",
        params,
    )
    infos = spot_infos(conn, {spot for _at, _note, spot, _side in rating_rows})
    found = [Note(conn.moment(at), text) for at, text in session_rows if text.strip()]
    found += [
        Note(conn.moment(at), text, infos[spot].name if spot in infos else spot, side)
        for at, text, spot, side in rating_rows
        if text.strip()
    ]
    return sorted(found, key=lambda n: n.moment)


# -- the focus routine -------------------------------------------------------------------------


def focus_history(
    scope: Scope, since: datetime, lookback: datetime, last: int, level: int
) -> dict[tuple[str, str], list[RecentRating]]:
    """Latest ratings, newest first, of each (spot, side) that stood out since `since`.

    A pair stands out when a rating since `since` was `level` or more or recognised. For each:
    every rating since `since` and at least its `last` latest ones (looking back no further
    than `lookback`). Skipped ratings are left out.
    """
    conn = scope.conn
    params = {"profile": scope.profile, "since": conn.moment_param(since), "level": level}
    standouts = conn.rows(
        "SELECT DISTINCT r.spot_id, r.side FROM sessions s JOIN ratings r ON r.session_id = s.id "
        "WHERE s.profile_id = :profile AND s.started_at >= :since AND r.tenderness IS NOT NULL "
        "AND (r.tenderness >= :level OR r.recognised)",
        params,
    )
    sql = (
        "SELECT started_at, tenderness, recognised, nerve FROM ratings WHERE profile_id = :profile "
        "AND spot_id = :spot AND side = :side AND tenderness IS NOT NULL AND started_at >= :lookback "
        "ORDER BY started_at DESC, id DESC"
    )
    history: dict[tuple[str, str], list[RecentRating]] = {}
    lookback_param = conn.moment_param(lookback)
    for spot, side in sorted(standouts):
        found: list[RecentRating] = []
        rows = conn.stream(sql, {"profile": scope.profile, "spot": spot, "side": side, "lookback": lookback_param}, size=16)
        for batch in rows:
            for at, tenderness, recognised, nerve in batch:
                moment = conn.moment(at)
                if len(found) >= last and moment < since:
                    break
                found.append(RecentRating(moment, tenderness, bool(recognised), bool(nerve)))
            else:
                continue
            break
        history[(spot, side)] = found
    return history


def both_sides_values(
    scope: Scope, start: datetime | None, end: datetime | None, sessions: int
) -> list[tuple[datetime, str, str, int]]:
    """(session start, spot, side, tenderness) of the ratings of the last `sessions` sessions
    in the period that covered both sides."""
    conn = scope.conn
    params: dict = {"profile": scope.profile, "limit": sessions, "both": "both"}
    where = period(conn, start, end, params, "started_at")
    sql = (
        "SELECT s.started_at, r.spot_id, r.side, r.tenderness FROM ratings r JOIN ("
        f"SELECT id, started_at FROM sessions WHERE profile_id = :profile AND sides = :both{where} "
        "ORDER BY started_at DESC LIMIT :limit) s ON r.session_id = s.id WHERE r.tenderness IS NOT NULL"
    )
    return [(conn.moment(at), spot, side, value) for at, spot, side, value in conn.rows(sql, params)]


def recent_days(scope: Scope, days: int, now: datetime) -> list[tuple[datetime, str, str, int | None, bool]]:
    """(session start, spot, side, tenderness, nerve) of every rating in the last `days` days."""
    conn = scope.conn
    rows = conn.rows(
        "SELECT s.started_at, r.spot_id, r.side, r.tenderness, r.nerve FROM sessions s "
        "JOIN ratings r ON r.session_id = s.id WHERE s.profile_id = :profile AND s.started_at >= :since",
        {"profile": scope.profile, "since": conn.moment_param(now - timedelta(days=days))},
    )
    return [(conn.moment(at), spot, side, value, bool(nerve)) for at, spot, side, value, nerve in rows]
