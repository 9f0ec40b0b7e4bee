"""A realistic sample history: tender spots that slowly improve, with noise, flares and gaps.

The sample person has about one session a day: none on some days, two on others (a quick
check on a bad morning), a deeper routine once a week and now and then a few days away.
`busy=True` writes the much heavier history the benchmarks measure with (three or four
sessions a day, each route walked on both sides before the next), as it always was.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from selftrack.domain.model import ProtocolSpec
from selftrack.domain.terms import SessionStatus
from selftrack.errors import SelftrackError
from selftrack.storage.store import Store

DEMO_ROUTINES = ("quick-check", "perfect-spots", "low-back-lines", "glute-arcs", "deep-and-distant")
_BATCH_SESSIONS = 200


class DemoRefused(SelftrackError, ValueError):
    """Sample data that would mix into real records."""


@dataclass(frozen=True)
class DemoResult:
    sessions: int
    ratings: int
    already_present: int = 0  # sessions of the same seed found in the database (kept as they are)
    checkins: int = 0  # written by selftrack.tracker.sample_outcomes
    forms: int = 0


def write_demo(
    store: Store,
    specs: list[ProtocolSpec],
    *,
    days: int = 120,
    seed: int = 1,
    force: bool = False,
    busy: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Write `days` days of sample sessions ending today, in one transaction per batch.

    `busy`: the benchmarks' heavy history (about 3.4 sessions a day) instead of a person's.
    """
    from selftrack.domain.model import ALTERNATING, ONE_SIDE_FIRST

    from selftrack.storage import export_reads, queries, writes

    with store.reading() as scope:
        real = queries.count_other_origins(scope, "demo")
    if real and not force:
        raise DemoRefused(
            f"this database holds {real} real session(s); sample data would mix into them "
            "(use --force to do it anyway, or --db to choose another database)"
        )
    rng = random.Random(seed)
    with store.writing() as scope:
        profile = scope.profile
        def_ids: dict[str, int] = {}
        for spec in specs:
            by_digest = writes.store_definitions(scope.conn, spec.spots.values())
            def_ids |= {spot.id: by_digest[spot.digest] for spot in spec.spots.values()}
    order = ALTERNATING if busy else ONE_SIDE_FIRST
    plans = {spec.id: _plan(spec, def_ids, order) for spec in specs}
    by_id = {spec.id: spec for spec in specs}
    model = _PainModel(rng, days)
    now = store.clock.now()
    end_day = store.clock.local(now).start_of("day")
    sessions = []
    schedule = _busy_schedule if busy else _schedule
    for day, hour, pid, sides, tool in schedule(rng, days, {s.id for s in specs}):
        began = end_day.subtract(days=days - 1 - day).add(hours=hour, minutes=rng.randint(0, 50))
        began = datetime.fromtimestamp(began.timestamp(), timezone.utc)  # plain: faster sums
        if began + timedelta(hours=1) <= now:  # today's later sessions have not happened yet
            sessions.append((day, began, pid, sides, tool))
    total = len(sessions)
    written_sessions = written_ratings = already = 0
    for start in range(0, total, _BATCH_SESSIONS):
        session_rows: list[dict] = []
        rating_rows: list[dict] = []
        for day, began, pid, sides, tool in sessions[start : start + _BATCH_SESSIONS]:
            spec = by_id[pid]
            steps, plan_json = plans[pid]
            session_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            moment = began
            level = []
            for index, (route_id, spot_id, side, def_id) in enumerate(steps):
                moment = moment + timedelta(seconds=rng.randint(15, 60))
                value = model.tenderness(spot_id, side, day)
                skipped = rng.random() < 0.03
                nerve = not skipped and value >= 6 and spot_id in _NERVY and rng.random() < 0.02
                recognised = not skipped and value >= 5 and rng.random() < 0.35
                referred = not skipped and value >= 6 and rng.random() < 0.2
                if not skipped:
                    level.append(value)
                rating_rows.append(
                    writes.rating_row(
                        session_id, profile, began, (index, route_id, spot_id, side, def_id),
                        tenderness=None if skipped else value, skipped=skipped,
                        recognised=recognised, referred=referred,
                        referred_to="down the back of the thigh" if referred else "",
                        nerve=nerve, rated_at=moment,
                    )  # fmt: skip
                )
            mean = sum(level) / len(level) if level else 0
            before = max(0, min(10, round(mean * 0.9 + model.flare(day) + rng.gauss(0, 0.8))))
            after = max(0, min(10, before - rng.choice((0, 1, 1, 2, 2, 3))))
            session_rows.append(
                dict(
                    id=session_id,
                    profile_id=profile,
                    protocol_id=spec.id,
                    protocol_version=spec.version,
                    protocol_hash=spec.content_hash,
                    protocol_name=spec.name,
                    sides=sides,
                    tool=tool,
                    pain_before=before,
                    pain_after=after,
                    notes=rng.choice(_NOTES) if rng.random() < 0.08 else "",
                    started_at=began,
                    ended_at=moment + timedelta(seconds=30),
                    status=SessionStatus.FINISHED.value,
                    plan=plan_json,
                    origin="demo",
                    edited_at=None,
                )
            )
        with store.writing() as scope:
            # the same seed makes the same sessions: those already here are not written again
            present = set(export_reads.owners(scope.conn, [row["id"] for row in session_rows]))
            if present:
                session_rows = [row for row in session_rows if row["id"] not in present]
                rating_rows = [row for row in rating_rows if row["session_id"] not in present]
                already += len(present)
            writes.insert_sessions(scope.conn, session_rows, rating_rows)
        written_sessions += len(session_rows)
        written_ratings += len(rating_rows)
        if progress:
            progress(written_sessions + already, total)
    if already and not written_sessions:
        raise DemoRefused(
            f"the sample history of seed {seed} is in this database already ({already} sessions); "
            "nothing was added (another --seed adds another history)"
        )
    return DemoResult(written_sessions, written_ratings, already)


# Spots over or near the sciatic nerve, where a sample nerve-like feeling is plausible.
_NERVY = frozenset(
    {"piriformis", "piriformis-inner", "glute-arc3-2", "glute-lower-arc-2", "glute-lower-arc-3", "sitting-bone"}
)
_NOTES = (
    "Long day at the desk; lower back stiff before starting.",
    "Slept badly. Left side worse this morning.",
    "After a long drive.",
    "Felt loose afterwards, walked for 30 minutes.",
    "Gardening yesterday; glutes sore.",
    "Pressure eased the ache around the dimple quickly.",
)


def _plan(spec: ProtocolSpec, def_ids: dict[str, int], order: str):
    from selftrack.storage.writes import encode_plan

    steps = spec.steps("both", order)
    plan_json = encode_plan(steps, {r.id: r.name for r in spec.routes}, def_ids)
    return [(s.route_id, s.spot_id, s.side, def_ids[s.spot_id]) for s in steps], plan_json


# the evening routine goes round these; the deeper one comes once a week instead
_ROTATION = ("low-back-lines", "glute-arcs", "perfect-spots")


def _schedule(rng: random.Random, days: int, available: set[str]) -> list[tuple]:
    """(day, hour, protocol, sides, tool) for each sample session, oldest first.

    About one session a day: an evening routine (the low back, the buttocks or the perfect
    spots in turn, the deeper routine on one day a week); no session on about one day in
    seven; a quick check of a few spots on about one morning in five; a few days away now
    and then.
    """
    out: list[tuple] = []
    away = 0
    for day in range(days):
        if away:
            away -= 1
            continue
        if rng.random() < 0.01:
            away = rng.randint(2, 6)  # a holiday or a busy week
            continue
        roll = rng.random()
        if roll < 0.15:
            continue  # a day off
        planned: list[tuple[int, str, str]] = []
        if roll > 0.8:
            planned.append((rng.choice((7, 8)), "quick-check", "ball"))  # a bad morning
        if day % 7 == 5:
            planned.append((20, "deep-and-distant", "hands"))
        else:
            planned.append((rng.choice((19, 20, 21)), _ROTATION[day % 3], rng.choice(("ball", "cane", "ball"))))
        out += [(day, hour, pid, "both", tool) for hour, pid, tool in planned if pid in available]
    return out


def _busy_schedule(rng: random.Random, days: int, available: set[str]) -> list[tuple]:
    """(day, hour, protocol, sides, tool) of the benchmarks' heavy history, oldest first.

    The busy sample person searches the low back and the buttocks most evenings, checks a few key
    spots some mornings, and now and then does the deeper routines; holidays leave gaps.
    """
    out: list[tuple] = []
    skipping = 0
    for day in range(days):
        if skipping:
            skipping -= 1
            continue
        if rng.random() < 0.01:
            skipping = rng.randint(2, 9)  # a holiday or a busy week
            continue
        if rng.random() < 0.05:
            continue
        planned: list[tuple[int, str, str]] = []
        if rng.random() < 0.7:
            planned.append((rng.choice((7, 8)), "quick-check", "ball"))
        else:
            planned.append((rng.choice((7, 8)), "perfect-spots", "hands"))
        if rng.random() < 0.97:
            planned.append((19, "low-back-lines", "cane"))
            planned.append((20, "glute-arcs", "ball"))
        if rng.random() < 0.5:
            planned.append((21, "perfect-spots", "ball"))
        if day % 7 in (1, 3, 5):
            planned.append((21, "deep-and-distant", "hands"))
        out += [(day, hour, pid, "both", tool) for hour, pid, tool in planned if pid in available]
    return out


class _PainModel:
    """Per (spot, side) tenderness: a starting level that eases over months, plus flares."""

    def __init__(self, rng: random.Random, days: int) -> None:
        self.rng = rng
        self.days = days
        self.levels: dict[tuple[str, str], tuple[float, float, float]] = {}
        starts = rng.sample(range(days), k=min(days, max(1, days // 45)))
        self.extra = [0.0] * days
        for start in starts:
            for offset in range(6):
                if start + offset < days:
                    bump = 2.5 * (1 - offset / 6)
                    self.extra[start + offset] = max(self.extra[start + offset], bump)

    def flare(self, day: int) -> float:
        """Extra pain in the days after a flare begins."""
        return self.extra[day]

    def tenderness(self, spot_id: str, side: str, day: int) -> int:
        key = (spot_id, side)
        if key not in self.levels:
            hot = self.rng.random() < 0.35
            start = self.rng.uniform(4.5, 8) if hot else self.rng.uniform(0.5, 3)
            floor = self.rng.uniform(0.5, 2.5) if hot else self.rng.uniform(0, 1)
            pace = self.rng.uniform(60, 400)  # days to ease about two thirds of the way
            if side == "left":
                start = min(9.5, start + 0.8)  # a mild, lasting left-sided asymmetry
            self.levels[key] = (start, floor, pace)
        start, floor, pace = self.levels[key]
        level = floor + (start - floor) * math.exp(-day / pace)
        value = level + self.flare(day) + self.rng.gauss(0, 0.9)
        return max(0, min(10, round(value)))
