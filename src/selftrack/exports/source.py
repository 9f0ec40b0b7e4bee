"""What every export reads: the profile's sessions in a range, oldest first, in small batches.

Sessions come with their plan and the spot definitions it used; ratings come as light rows,
so ten years of data never sit in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import NamedTuple

from selftrack.domain import SpotSpec

BATCH_SESSIONS = 200
Progress = Callable[[int, int], None]
# A stored moment: an aware datetime, or on SQLite the stored UTC text, which the readers
# below format without building a datetime (ten years of ratings are ~440,000 of them).
Moment = datetime | str


class RatingRecord(NamedTuple):
    """One rating as exported; the same fields for rows read from the database or a file."""

    step_index: int
    route_id: str
    spot_id: str
    side: str
    tenderness: int | None
    skipped: bool  # flags may be SQLite's 0/1: test them for truth, or index _FLAG-style tuples
    recognised: bool
    referred: bool
    referred_to: str
    nerve: bool
    note: str
    rated_at: Moment
    edited_at: Moment | None


@dataclass(frozen=True, slots=True)
class SpotDefinition:
    """One stored version of a spot: its definition and the digest that names it."""

    spec: SpotSpec
    digest: str


@dataclass(slots=True)
class SessionRecord:
    """A session with its plan, the spot definitions it used, and its ratings in walk order."""

    id: str
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    protocol_name: str
    sides: str
    tool: str
    status: str
    started_at: Moment
    ended_at: Moment | None
    pain_before: int | None
    pain_after: int | None
    notes: str
    edited_at: Moment | None
    routes: dict[str, str]
    steps: list[tuple[str, str, str]]
    spots: dict[str, SpotDefinition]
    ratings: list[RatingRecord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Selection:
    """Which sessions to export: those that started in [start, end] (UTC; None is open)."""

    start: datetime | None = None
    end: datetime | None = None


def session_ids(db, profile: int, selection: Selection) -> list[str]:
    """Ids of the selected sessions, oldest first (ties broken by id, so the order is stable)."""
    from sqlalchemy import select

    from selftrack.storage.models import SessionRow

    query = select(SessionRow.id).where(SessionRow.profile_id == profile)
    if selection.start is not None:
        query = query.where(SessionRow.started_at >= selection.start)
    if selection.end is not None:
        query = query.where(SessionRow.started_at <= selection.end)
    return list(db.scalars(query.order_by(SessionRow.started_at, SessionRow.id)))


def count_ratings(db, profile: int, selection: Selection) -> int:
    """How many ratings the selected sessions hold."""
    from sqlalchemy import func, select

    from selftrack.storage.models import RatingRow, SessionRow

    query = (
        select(func.count())
        .select_from(RatingRow)
        .join(SessionRow, SessionRow.id == RatingRow.session_id)
        .where(SessionRow.profile_id == profile)
    )
    if selection.start is not None:
        query = query.where(SessionRow.started_at >= selection.start)
    if selection.end is not None:
        query = query.where(SessionRow.started_at <= selection.end)
    return db.scalar(query) or 0


class DefinitionCache:
    """Spot definitions by row id, read from the database once each."""

    def __init__(self, db) -> None:
        self._db = db
        self._by_id: dict[int, SpotDefinition] = {}

    def load(self, def_ids) -> None:
        from sqlalchemy import select

        from selftrack.storage.models import SpotDefinitionRow

        missing = set(def_ids) - self._by_id.keys()
        if not missing:
            return
        rows = self._db.execute(
            select(SpotDefinitionRow.id, SpotDefinitionRow.definition).where(
                SpotDefinitionRow.id.in_(missing)
            )
        )
        for def_id, text in rows:
            spec = SpotSpec.from_dict(json.loads(text))
            self._by_id[def_id] = SpotDefinition(spec, spec.digest)

    def __getitem__(self, def_id: int) -> SpotDefinition:
        return self._by_id[def_id]


def iter_sessions(
    db,
    ids: list[str],
    *,
    with_ratings: bool = True,
    progress: Progress | None = None,
    definitions: DefinitionCache | None = None,
) -> Iterator[SessionRecord]:
    """The sessions `ids` in that order, read `BATCH_SESSIONS` at a time."""
    from sqlalchemy import select

    from selftrack.storage.models import RatingRow, SessionRow

    definitions = definitions or DefinitionCache(db)
    raw = raw_reader(db)
    session_columns = [
        raw(c) for c in SessionRow.__table__.c if c.name not in ("profile_id", "origin")
    ]
    rating_columns = [
        RatingRow.session_id,
        *(raw(getattr(RatingRow, f)) for f in RatingRecord._fields),
    ]
    total = len(ids)
    connection = db.connection()  # Core rows: the ORM's result handling doubles the time
    for first in range(0, total, BATCH_SESSIONS):
        chunk = ids[first : first + BATCH_SESSIONS]
        rows = {
            row.id: row
            for row in connection.execute(select(*session_columns).where(SessionRow.id.in_(chunk)))
        }
        plans = {sid: json.loads(row.plan) for sid, row in rows.items()}
        definitions.load(step[3] for plan in plans.values() for step in plan["steps"])
        grouped: dict[str, list[RatingRecord]] = {sid: [] for sid in chunk}
        if with_ratings:
            query = (
                select(*rating_columns)
                .where(RatingRow.session_id.in_(chunk))
                .order_by(RatingRow.session_id, RatingRow.step_index)
            )
            make = RatingRecord._make
            for row in connection.execute(query):
                grouped[row[0]].append(make(row[1:]))
        for sid in chunk:
            row, plan = rows[sid], plans[sid]
            yield SessionRecord(
                id=row.id,
                protocol_id=row.protocol_id,
                protocol_version=row.protocol_version,
                protocol_hash=row.protocol_hash,
                protocol_name=row.protocol_name,
                sides=row.sides,
                tool=row.tool,
                status=row.status,
                started_at=row.started_at,
                ended_at=row.ended_at,
                pain_before=row.pain_before,
                pain_after=row.pain_after,
                notes=row.notes,
                edited_at=row.edited_at,
                routes=plan["routes"],
                steps=[(r, s, side) for r, s, side, _d in plan["steps"]],
                spots={s: definitions[d] for _r, s, _side, d in plan["steps"]},
                ratings=grouped[sid],
            )
        if progress:
            progress(min(first + BATCH_SESSIONS, total), total)


def raw_reader(db):
    """On SQLite, a column wrapper that reads moments as stored text and flags as 0/1.

    SQLAlchemy's per-value conversions cost more than the export's own formatting.
    """
    from sqlalchemy import Boolean, Integer, String, type_coerce

    from selftrack.storage.models import UTCDateTime

    if db.get_bind().dialect.name != "sqlite":
        return lambda column: column

    def raw(column):
        if isinstance(column.type, UTCDateTime):
            return type_coerce(column, String).label(column.key)
        if isinstance(column.type, Boolean):
            return type_coerce(column, Integer).label(column.key)
        return column

    return raw


def used_definitions(db, ids: list[str]) -> dict[str, SpotDefinition]:
    """Every spot definition the sessions `ids` used, by digest, in first-use order."""
    from sqlalchemy import select

    from selftrack.storage.models import SessionRow

    cache = DefinitionCache(db)
    order: dict[int, None] = {}
    for first in range(0, len(ids), BATCH_SESSIONS):
        chunk = ids[first : first + BATCH_SESSIONS]
        plans = dict(db.execute(select(SessionRow.id, SessionRow.plan).where(SessionRow.id.in_(chunk))).all())
        for sid in chunk:
            for step in json.loads(plans[sid])["steps"]:
                order.setdefault(step[3], None)
    cache.load(order)
    found: dict[str, SpotDefinition] = {}
    for def_id in order:
        found.setdefault(cache[def_id].digest, cache[def_id])
    return found


class LocalTime:
    """Formats UTC moments as ISO 8601 in one time zone, with its offset, to the second.

    Takes aware datetimes, or SQLite's stored text (`2026-11-20 09:30:00.000000`, UTC), which
    is converted without building a datetime whenever the hour has one whole-hour offset.
    """

    def __init__(self, zone: tzinfo) -> None:
        import zoneinfo

        key = getattr(zone, "key", None) or getattr(zone, "name", None)
        try:
            self.zone = zoneinfo.ZoneInfo(key) if key else zone
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.zone = zone
        self._hours: dict[str, tuple[str, str] | None] = {}

    def iso(self, moment: Moment | None) -> str:
        """`2026-11-20T09:30:00+00:00`; empty for None."""
        if moment is None:
            return ""
        if isinstance(moment, str):
            if len(moment) in (19, 26) and moment[10] == " ":
                hour = moment[:13]
                known = self._hours.get(hour, False)
                if known is False:
                    known = self._hours[hour] = self._hour(hour)
                if known is not None:
                    return known[0] + moment[13:19] + known[1]
            moment = parse_stored(moment)
        return moment.astimezone(self.zone).isoformat(timespec="seconds")

    def _hour(self, hour: str) -> tuple[str, str] | None:
        """(local `YYYY-MM-DDTHH`, offset text) for a UTC hour with one whole-hour offset."""
        start = datetime.fromisoformat(hour + ":00:00").replace(tzinfo=timezone.utc)
        first = start.astimezone(self.zone)
        last = (start + timedelta(minutes=59, seconds=59)).astimezone(self.zone)
        offset = first.utcoffset()
        if offset != last.utcoffset() or offset is None or offset.total_seconds() % 3600:
            return None
        text = first.isoformat()
        return text[:13], text[19:]


def parse_stored(value: Moment) -> datetime:
    """An aware UTC datetime from a stored moment (a datetime, or SQLite's UTC text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def utc_iso(moment: Moment | None) -> str | None:
    """A moment as ISO 8601 in UTC, with microseconds when there are any (lossless)."""
    if moment is None:
        return None
    if isinstance(moment, str):
        if len(moment) == 26 and moment[10] == " ":
            fraction = moment[20:]
            tail = "+00:00" if fraction == "000000" else f".{fraction}+00:00"
            return f"{moment[:10]}T{moment[11:19]}{tail}"
        moment = parse_stored(moment)
    return moment.astimezone(timezone.utc).isoformat()
