"""Aggregating queries for history and trends: the summing happens in SQL, not in Python.

Each function takes a RowReader (selftrack.storage.reader), the profile id and an optional
[start, end] on the session start time. The SQL is plain text that SQLite and PostgreSQL both
run. Skipped ratings have no tenderness, so they never enter a mean or a count of rated spots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from selftrack.storage.reader import RowReader, as_float, placeholders
from selftrack.terms import SessionStatus, pressed_sides

if TYPE_CHECKING:
    from selftrack.analysis.focus import RecentRating
    from selftrack.analysis.heatmap import HeatCell
    from selftrack.analysis.history import FlaggedSpot, SessionSummary
    from selftrack.domain import SpotSpec

P = TypeVar("P", bound=tuple)  # a point type of two fields (session start, value)

# region_series packs two regions into each integer sum, one 32-bit field each: a field's
# low 12 bits count the region's ratings in one session and side, the bits above add up
# their tenderness
_REGIONS_PER_SUM = 2
_FIELD_BITS = 32
_COUNT_BITS = 12


def _range(reader: RowReader, profile: int, start, end, params: dict, alias: str = "s") -> str:
    params["profile"] = profile
    where = [f"{alias}.profile_id = :profile"]
    if start is not None:
        params["start"] = reader.moment_param(start)
        where.append(f"{alias}.started_at >= :start")
    if end is not None:
        params["end"] = reader.moment_param(end)
        where.append(f"{alias}.started_at <= :end")
    return " AND ".join(where)


def _only_sessions_in(where: str, start, end) -> str:
    """A condition keeping ratings of the period's sessions; TRUE for all of history.

    With a period the database walks its sessions and reads their ratings through the
    index (a year of ten: ~50 ms instead of ~200 ms); over all history a plain scan is faster.
    """
    if start is None and end is None:
        return "TRUE"
    return f"r.session_id IN (SELECT s.id FROM sessions s WHERE {where})"


def session_summaries(
    reader: RowReader,
    profile: int,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    protocol_id: str | None = None,
    limit: int | None = None,
) -> list[SessionSummary]:
    """Sessions newest first (the newest `limit` only, if given), each with its rated/skipped
    counts, mean and highest tenderness."""
    from selftrack.analysis.history import SessionSummary

    params: dict = {}
    where = _range(reader, profile, start, end, params)
    if protocol_id:
        params["protocol"] = protocol_id
        where += " AND s.protocol_id = :protocol"
    columns = """s.id, s.started_at, s.protocol_id, s.protocol_name, s.status, s.sides, s.tool,
               s.pain_before, s.pain_after"""
    if limit is not None:
        # a page of sessions: their ratings are found through the index, session by session
        params["limit"] = limit
        sql = f"""
            SELECT {columns}, count(r.tenderness), count(r.session_id) - count(r.tenderness),
                   avg(r.tenderness), max(r.tenderness), s.notes
            FROM (SELECT * FROM sessions s WHERE {where}
                  ORDER BY s.started_at DESC, s.id LIMIT :limit) s
            LEFT JOIN ratings r ON r.session_id = s.id
            GROUP BY {columns}, s.notes
            ORDER BY s.started_at DESC, s.id
        """
    else:
        # every rating summed per session in index order first, then joined: no sort
        sql = f"""
            SELECT {columns}, a.rated, a.skipped, a.mean, a.highest, s.notes
            FROM sessions s
            LEFT JOIN (
                SELECT session_id, count(tenderness) AS rated,
                       count(*) - count(tenderness) AS skipped,
                       avg(tenderness) AS mean, max(tenderness) AS highest
                FROM ratings r WHERE {_only_sessions_in(where, start, end)} GROUP BY session_id
            ) a ON a.session_id = s.id
            WHERE {where}
            ORDER BY s.started_at DESC, s.id
        """
    moment, new = reader.moment, tuple.__new__
    statuses = {status.value: status for status in SessionStatus}
    # fields in SessionSummary's order, made by tuple.__new__ (its own __new__ with keywords
    # takes several times as long, on thousands of sessions)
    return [
        new(
            SessionSummary,
            (
                sid, moment(started), pid, pname, statuses[status], sides, tool, before, after,
                rated or 0, skipped or 0, as_float(mean), highest, notes,
            ),
        )
        for sid, started, pid, pname, status, sides, tool, before, after, rated, skipped, mean, highest, notes in reader.rows(sql, params)
    ]


def count_sessions(
    reader: RowReader,
    profile: int,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    protocol_id: str | None = None,
) -> int:
    """How many sessions started in the period (of one routine, if given)."""
    params: dict = {}
    where = _range(reader, profile, start, end, params)
    if protocol_id:
        params["protocol"] = protocol_id
        where += " AND s.protocol_id = :protocol"
    return reader.scalar(f"SELECT count(*) FROM sessions s WHERE {where}", params) or 0


def spot_series(
    reader: RowReader,
    profile: int,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    spot_ids: Iterable[str] | None = None,
    point: type[P],
) -> dict[tuple[str, str], list[P]]:
    """{(spot, side): its tenderness in each session, oldest first, as `point`s (session start,
    value)}; a spot that came up twice in one session has the mean of both. `point` as in
    `region_series`."""
    params: dict = {}
    where = _range(reader, profile, start, end, params)
    if spot_ids is None:
        return _all_spot_series(reader, where, params, point)
    where += f" AND r.spot_id IN ({placeholders('spot', spot_ids, params)})"
    sql = f"""
        SELECT s.started_at, r.spot_id, r.side, avg(r.tenderness)
        FROM ratings r JOIN sessions s ON s.id = r.session_id
        WHERE {where} AND r.tenderness IS NOT NULL
        GROUP BY s.started_at, s.id, r.spot_id, r.side
        ORDER BY s.started_at
    """
    moment, new = reader.moment, tuple.__new__
    out: dict[tuple[str, str], list[P]] = {}
    last = when = None
    for started, spot, side, value in reader.rows(sql, params):
        if started != last:  # a session's sides come one after the other: read its time once
            last, when = started, moment(started)
        series = out.get((spot, side))
        if series is None:
            series = out[(spot, side)] = []
        series.append(new(point, (when, float(value))))
    return out


def _all_spot_series(reader: RowReader, where: str, params: dict, point: type[P]) -> dict[tuple[str, str], list[P]]:
    # every rating in session order straight from the covering index (no sort); a spot that
    # came up twice in one session is averaged here
    sql = f"""
        SELECT s.started_at, s.id, r.spot_def_id, r.side, r.tenderness
        FROM sessions s JOIN ratings r ON r.session_id = s.id
        WHERE {where} AND r.tenderness IS NOT NULL
        ORDER BY s.started_at, s.id
    """
    spot_of = dict(reader.rows("SELECT id, spot_id FROM spot_definitions"))
    moment, new = reader.moment, tuple.__new__
    out: dict[tuple[str, str], list[P]] = {}
    session = when = None
    values: dict[tuple[str, str], list[int]] = {}

    def flush() -> None:
        for key, found in values.items():
            value = found[0] if len(found) == 1 else sum(found) / len(found)
            out.setdefault(key, []).append(new(point, (when, value)))
        values.clear()

    for started, session_id, def_id, side, tenderness in reader.rows(sql, params):
        if session_id != session:
            flush()
            session, when = session_id, moment(started)
        values.setdefault((spot_of[def_id], side), []).append(tenderness)
    flush()
    return out


def regions(reader: RowReader) -> list[str]:
    """Every region a stored spot definition names, sorted."""
    return sorted(row[0] for row in reader.rows("SELECT DISTINCT region FROM spot_definitions"))


def period_sessions(
    reader: RowReader, profile: int, start: datetime | None = None, end: datetime | None = None
) -> list[tuple[str, datetime, int | None, int | None]]:
    """(id, start, pain before, pain after) of every session in the period, oldest first."""
    params: dict = {}
    where = _range(reader, profile, start, end, params)
    sql = f"""
        SELECT s.id, s.started_at, s.pain_before, s.pain_after FROM sessions s
        WHERE {where} ORDER BY s.started_at, s.id
    """
    moment = reader.moment
    return [(id_, moment(m), before, after) for id_, m, before, after in reader.rows(sql, params)]


def region_series(
    reader: RowReader,
    profile: int,
    sessions: Sequence[tuple[str, datetime, int | None, int | None]],
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    pool_sides: bool = False,
    point: type[P],
) -> dict[tuple[str, str], list[P]]:
    """{(region, side): the mean tenderness of the region's rated spots in each session, oldest
    first, as `point`s (session start, mean)}.

    `sessions` are the period's sessions as `period_sessions` gives them (for their order and
    start). With `pool_sides` every side of a region goes into one mean and side reads 'both'.
    `point` is a tuple type of two fields, such as a NamedTuple. The points are made by
    `tuple.__new__`: a NamedTuple's own `__new__` is Python code and would double the time
    spent making the tens of thousands of them ten years hold.

    The database adds up every rating in index order (session, side) without sorting them or
    joining them to their sessions: each rating adds `tenderness * 4096 + 1` to its region's
    32-bit field of an integer sum (two regions to a sum), so the field holds the count of
    the region's ratings in its low 12 bits and their sum above, and the means come out of
    the fields. When a field cannot hold a session's ratings (4096 or more of one region on
    one side carry into its sum; tens of thousands overflow the integer) every session is
    counted again region by region, slowly but exactly.
    """
    names = regions(reader)
    if not names or not sessions:
        return {}
    params: dict = {}
    where = _range(reader, profile, start, end, params)
    condition = f"r.tenderness IS NOT NULL AND {_only_sessions_in(where, start, end)}"
    rows = _packed_region_rows(reader, names, condition, params, pool_sides)
    if rows is None or any(row[2] for row in rows):
        rows = _exact_region_rows(reader, names, condition, params, pool_sides)
    order = {session[0]: number for number, session in enumerate(sessions)}
    sides: dict[str, list[tuple[int, tuple]]] = {}
    for row in rows:
        number = order.get(row[0])  # None: another profile's session
        if number is not None:
            sides.setdefault(row[1], []).append((number, row))
    out: dict[tuple[str, str], list[P]] = {}
    new = tuple.__new__
    for side in sorted(sides):
        found = sorted(sides[side])  # in session order (numbers are unique: rows never compared)
        whens = [sessions[number][1] for number, _row in found]
        columns = list(zip(*(row for _number, row in found)))
        for region, means in zip(names, columns[3:]):
            series = [new(point, pair) for pair in zip(whens, means) if pair[1] is not None]
            if series:
                out[(region, side)] = series
    return out


def _packed_region_rows(
    reader: RowReader, names: list[str], condition: str, params: dict, pool_sides: bool
) -> list[tuple] | None:
    """(session id, side, ratings the fields miss, mean of each region in `names` or None) per
    session and side, from packed sums (see region_series); None if a sum overflowed."""
    params = dict(params)  # the region names are this query's own
    value = f"CAST(r.tenderness * {1 << _COUNT_BITS} + 1 AS BIGINT)"
    largest = (1 << 63) - 1
    sums, counts, means = [], [], []
    for number in range(0, len(names), _REGIONS_PER_SUM):
        shifts = []
        for slot, region in enumerate(names[number : number + _REGIONS_PER_SUM]):
            params[f"region{number + slot}"] = region
            shifts.append(f"WHEN :region{number + slot} THEN {slot * _FIELD_BITS}")
            field = f"(p{number} >> {slot * _FIELD_BITS})"
            count = f"({field} & {(1 << _COUNT_BITS) - 1})"
            total = f"(({field} >> {_COUNT_BITS}) & {(1 << (_FIELD_BITS - _COUNT_BITS)) - 1})"
            counts.append(count)
            means.append(f"CASE WHEN {count} > 0 THEN CAST({total} AS DOUBLE PRECISION) / {count} END")
        packed = f"coalesce(sum({value} << (CASE d.region {' '.join(shifts)} ELSE NULL END)), 0)"
        # PostgreSQL sums into a numeric that can pass the largest integer: 0 then, whose
        # fields miss every rating, so the session is counted again
        sums.append(f"CASE WHEN {packed} <= {largest} THEN CAST({packed} AS BIGINT) ELSE 0 END AS p{number}")
    sql = f"""
        SELECT session_id, side, rated - {" - ".join(counts)}, {", ".join(means)}
        FROM (
            SELECT r.session_id, {"'both'" if pool_sides else "r.side"} AS side, count(*) AS rated,
                   {", ".join(sums)}
            FROM ratings r JOIN spot_definitions d ON d.id = r.spot_def_id
            WHERE {condition}
            GROUP BY r.session_id{"" if pool_sides else ", r.side"}
        ) a
    """
    try:
        return reader.rows(sql, params)
    except Exception as error:  # the driver's own class: sqlite3's, or SQLAlchemy's around it
        if "integer overflow" in str(error):  # SQLite stops a sum that passes 2**63
            return None
        raise


def _exact_region_rows(
    reader: RowReader, names: list[str], condition: str, params: dict, pool_sides: bool
) -> list[tuple]:
    """The rows `_packed_region_rows` gives, summed region by region (sorting every rating)."""
    sql = f"""
        SELECT r.session_id, {"'both'" if pool_sides else "r.side"}, d.region,
               sum(r.tenderness), count(*)
        FROM ratings r JOIN spot_definitions d ON d.id = r.spot_def_id
        WHERE {condition}
        GROUP BY r.session_id{"" if pool_sides else ", r.side"}, d.region
    """
    column = {region: number for number, region in enumerate(names)}
    means: dict[tuple[str, str], list[float | None]] = {}
    for session_id, side, region, total, rated in reader.rows(sql, params):
        means.setdefault((session_id, side), [None] * len(names))[column[region]] = int(total) / rated
    return [(session_id, side, 0, *found) for (session_id, side), found in means.items()]


def spot_names(reader: RowReader, spot_ids: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
    """(name, region) of each spot, from its latest stored definition."""
    params: dict = {}
    where = ""
    if spot_ids is not None:
        where = f"WHERE spot_id IN ({placeholders('spot', spot_ids, params)})"
    sql = f"""
        SELECT spot_id, name, region FROM spot_definitions
        WHERE id IN (SELECT max(id) FROM spot_definitions {where} GROUP BY spot_id)
    """
    return {spot: (name, region) for spot, name, region in reader.rows(sql, params)}


# the latest stored definition of each spot of an IN list
_LATEST_DEFINITIONS = """
    SELECT definition FROM spot_definitions
    WHERE id IN (SELECT max(id) FROM spot_definitions WHERE spot_id IN ({}) GROUP BY spot_id)
"""


def spot_specs(reader: RowReader, spot_ids: Iterable[str]) -> dict[str, SpotSpec]:
    """Each spot's latest stored definition."""
    import json

    from selftrack.domain import SpotSpec

    params: dict = {}
    sql = _LATEST_DEFINITIONS.format(placeholders("spot", spot_ids, params))
    specs = (SpotSpec.from_dict(json.loads(text)) for (text,) in reader.rows(sql, params))
    return {spec.id: spec for spec in specs}


def spot_sides(reader: RowReader, spot_ids: Iterable[str]) -> dict[str, set[str]]:
    """The sides each of these stored spots is pressed on ({'left', 'right'} or {'mid'})."""
    import json

    params: dict = {}
    sql = _LATEST_DEFINITIONS.format(placeholders("spot", spot_ids, params))
    sides = {}
    for (text,) in reader.rows(sql, params):
        definition = json.loads(text)  # only whether it is sided: no need to build a SpotSpec
        sides[definition["id"]] = set(pressed_sides(definition.get("sided", True), "both"))
    return sides


def heat_cells(
    reader: RowReader, profile: int, start: datetime | None = None, end: datetime | None = None
) -> tuple[list[HeatCell], int]:
    """Mean tenderness and rating count per (spot, side) in a period, and the sessions in it.

    Summed per stored spot definition (what the covering index holds), then merged per spot;
    name and position come from the spot's latest definition.
    """
    from selftrack.analysis.heatmap import HeatCell

    params: dict = {}
    where = _range(reader, profile, start, end, params)
    sql = f"""
        SELECT r.spot_def_id, r.side, sum(r.tenderness), count(r.tenderness)
        FROM sessions s JOIN ratings r ON r.session_id = s.id
        WHERE {where} AND r.tenderness IS NOT NULL
        GROUP BY r.spot_def_id, r.side
    """
    sums = reader.rows(sql, params)
    defs = {
        row[0]: row[1:]
        for row in reader.rows(
            "SELECT id, spot_id, name, region, view, x, y FROM spot_definitions"
        )
    }
    merged: dict[tuple[str, str], list] = {}
    for def_id, side, total, count in sums:
        spot_id = defs[def_id][0]
        entry = merged.setdefault((spot_id, side), [0, 0, def_id])
        entry[0] += total
        entry[1] += count
        entry[2] = max(entry[2], def_id)
    cells = [
        HeatCell(spot_id, side, *defs[def_id][1:], float(total) / count, count)
        for (spot_id, side), (total, count, def_id) in merged.items()
    ]
    sessions = reader.scalar(f"SELECT count(*) FROM sessions s WHERE {where}", params)
    return cells, sessions or 0


def session_starts(
    reader: RowReader, profile: int, start: datetime | None = None, end: datetime | None = None
) -> list[datetime]:
    """Start times of the sessions that were not abandoned, oldest first."""
    params: dict = {"abandoned": SessionStatus.ABANDONED.value}
    where = _range(reader, profile, start, end, params)
    sql = f"""
        SELECT s.started_at FROM sessions s
        WHERE {where} AND s.status != :abandoned ORDER BY s.started_at
    """
    moment = reader.moment
    return [moment(m) for (m,) in reader.rows(sql, params)]


def focus_history(
    reader: RowReader, profile: int, since: datetime, lookback: datetime, last: int
) -> dict[tuple[str, str], list[RecentRating]]:
    """Latest ratings, newest first, of each (spot, side) that stood out since `since`.

    For each such pair: every rating since `since` and at least its `last` latest ones
    (looking back no further than `lookback`). Skipped ratings are left out.
    """
    from selftrack.analysis.focus import FOCUS_LEVEL, RecentRating

    params: dict = {
        "profile": profile,
        "since": reader.moment_param(since),
        "lookback": reader.moment_param(lookback),
        "level": FOCUS_LEVEL,
        "last": last,
    }
    sql = """
        WITH standouts AS (
            SELECT DISTINCT r.spot_id, r.side
            FROM ratings r JOIN sessions s ON s.id = r.session_id
            WHERE s.profile_id = :profile AND s.started_at >= :since
              AND r.tenderness IS NOT NULL AND (r.tenderness >= :level OR r.recognised)
        ), ranked AS (
            SELECT r.spot_id, r.side, s.started_at, r.tenderness, r.recognised, r.nerve,
                   row_number() OVER (PARTITION BY r.spot_id, r.side
                                      ORDER BY s.started_at DESC, r.id DESC) AS nth
            FROM ratings r
            JOIN sessions s ON s.id = r.session_id
            JOIN standouts o ON o.spot_id = r.spot_id AND o.side = r.side
            WHERE s.profile_id = :profile AND s.started_at >= :lookback
              AND r.tenderness IS NOT NULL
        )
        SELECT spot_id, side, started_at, tenderness, recognised, nerve FROM ranked
        WHERE nth <= :last OR started_at >= :since
        ORDER BY spot_id, side, nth
    """
    history: dict[tuple[str, str], list[RecentRating]] = {}
    for spot, side, started, tenderness, recognised, nerve in reader.rows(sql, params):
        history.setdefault((spot, side), []).append(
            RecentRating(reader.moment(started), tenderness, bool(recognised), bool(nerve))
        )
    return history


def flagged_spots(
    reader: RowReader, profile: int, start: datetime | None = None, end: datetime | None = None
) -> list[FlaggedSpot]:
    """Spots whose ratings in the period were flagged (nerve, recognised or referred), most
    nerve flags first."""
    from selftrack.analysis.history import FlaggedSpot

    params: dict = {}
    where = _range(reader, profile, start, end, params)
    flag = "CASE WHEN r.{0} THEN 1 ELSE 0 END"
    sql = f"""
        SELECT r.spot_id, r.side, count(r.tenderness),
               sum({flag.format("nerve")}), sum({flag.format("recognised")}),
               sum({flag.format("referred")}), max(r.spot_def_id)
        FROM sessions s JOIN ratings r ON r.session_id = s.id
        WHERE {where} AND r.tenderness IS NOT NULL
        GROUP BY r.spot_id, r.side
        HAVING sum({flag.format("nerve")}) + sum({flag.format("recognised")})
             + sum({flag.format("referred")}) > 0
    """
    rows = reader.rows(sql, params)
    names = dict(reader.rows("SELECT id, name FROM spot_definitions"))
    found = [
        FlaggedSpot(spot, side, names.get(def_id, spot), n, nerve, recognised, referred)
        for spot, side, n, nerve, recognised, referred, def_id in rows
    ]
    return sorted(found, key=lambda f: (-f.nerve, -f.recognised, -f.referred, f.spot_id, f.side))
