"""Reviewing history for one tracker: the use cases behind History, Trends, Heat map, Adherence.

Each function opens one read session, lets SQL do the summing, and hands the rows to the pure
functions of this package. `start`/`end` are timezone-aware moments (None = open-ended) on
the session start time; the baseline is always the first sessions inside that range.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from selftrack.analysis.trends import (
    Point,
    Subject,
    Trend,
    build_trend,
    default_subjects,
    parse_subjects,
    subject_name,
)
from selftrack.terms import REGIONS

if TYPE_CHECKING:
    from selftrack.analysis.adherence import Adherence
    from selftrack.analysis.heatmap import HeatChange, HeatMap
    from selftrack.analysis.history import FlaggedSpot, SessionSummary
    from selftrack.analysis.trends import Asymmetry
    from selftrack.domain import ProtocolSpec

_FOCUS_LOOKBACK_DAYS = 120


def session_summaries(
    tracker,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    protocol_id: str | None = None,
    limit: int | None = None,
) -> list[SessionSummary]:
    """Sessions newest first (the newest `limit`, if given) with rated/skipped counts, mean and
    highest tenderness."""
    from selftrack.storage import queries

    with tracker.reading_rows() as db:
        return queries.session_summaries(
            db, db.profile_id(tracker.profile), start, end, protocol_id=protocol_id, limit=limit
        )


def count_sessions(
    tracker, start: datetime | None = None, end: datetime | None = None, *, protocol_id: str | None = None
) -> int:
    """How many sessions started in the period (of one routine, if given)."""
    from selftrack.storage import queries

    with tracker.reading_rows() as db:
        return queries.count_sessions(db, db.profile_id(tracker.profile), start, end, protocol_id=protocol_id)


def trends(
    tracker,
    subjects: Sequence[str | Subject] = (),
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Trend]:
    """One Trend per subject (see selftrack.analysis.trends for the words).

    With no subjects: every region and side that has ratings, then the overall pain before
    and after. Raises SubjectError for a name that is neither a spot, a region nor `pain`.
    """
    from selftrack.storage import queries

    with tracker.reading_rows() as db:
        profile = db.profile_id(tracker.profile)
        words = [s for s in subjects if isinstance(s, str)]
        chosen = [s for s in subjects if isinstance(s, Subject)]
        if words:
            needs_spots = any(w.split(":")[0].lower() not in (*REGIONS, "pain") for w in words)
            known: dict[str, set[str]] = {}
            if needs_spots:
                keys = {w.split(":")[0].lower() for w in words}
                known = queries.spot_sides(db, keys)
                if keys - known.keys() - {*REGIONS, "pain"}:
                    for spec in tracker.load().specs.values():
                        known |= {k: set(spec.spots[k].sides_for("both")) for k in keys & spec.spots.keys()}
            chosen += parse_subjects(words, known)
        sessions = by_side = None
        if not chosen or any(s.kind != "spot" for s in chosen):
            sessions = queries.period_sessions(db, profile, start, end)  # their order and pain
        if not chosen:
            by_side = queries.region_series(db, profile, sessions, start, end, point=Point)
            chosen = default_subjects(by_side)
        wanted = {(s.kind, s.side == "both") for s in chosen}
        if ("region", False) in wanted and by_side is None:
            by_side = queries.region_series(db, profile, sessions, start, end, point=Point)
        found = _by_subject("region", by_side or {})
        if ("region", True) in wanted:
            pooled = queries.region_series(db, profile, sessions, start, end, pool_sides=True, point=Point)
            found |= _by_subject("region", pooled)
        names: dict[str, tuple[str, str]] = {}
        if ("spot", False) in wanted:
            spot_ids = sorted({s.key for s in chosen if s.kind == "spot"})
            found |= _by_subject("spot", queries.spot_series(db, profile, start, end, spot_ids=spot_ids, point=Point))
            names = queries.spot_names(db, spot_ids)
    new = tuple.__new__  # as the queries make points: quicker than Point() on thousands
    for side, column in (("before", 2), ("after", 3)):
        subject = Subject("pain", "pain", side)
        if subject in chosen:
            found[subject] = [new(Point, (s[1], float(s[column]))) for s in sessions if s[column] is not None]
    out = []
    for subject in chosen:
        name, region = names.get(subject.key, ("", ""))
        out.append(build_trend(subject, subject_name(subject, name), found.get(subject, []), region))
    return out


def spot_trends(
    tracker, start: datetime | None = None, end: datetime | None = None, *, keep: int | None = 160
) -> list[Trend]:
    """A Trend for every spot and side rated in the period, most tender now first.

    Summaries use every session; each trend's points are thinned to `keep` time-slice
    medians (None keeps them all), enough for a sparkline or a small chart.
    """
    from selftrack.storage import queries

    with tracker.reading_rows() as db:
        profile = db.profile_id(tracker.profile)
        by_spot = queries.spot_series(db, profile, start, end, point=Point)
        names = queries.spot_names(db, {spot for spot, _side in by_spot})
    out = []
    for (spot, side), series in by_spot.items():
        subject = Subject("spot", spot, side)
        name, region = names.get(spot, (spot, ""))
        out.append(build_trend(subject, subject_name(subject, name), series, region, keep=keep))
    return sorted(out, key=lambda t: (-(t.summary.latest or 0.0), t.subject.key, t.subject.side))


def flagged_spots(
    tracker, start: datetime | None = None, end: datetime | None = None
) -> list[FlaggedSpot]:
    """Spots whose ratings in the period carried the nerve, recognised or referred flag."""
    from selftrack.storage import queries

    with tracker.reading_rows() as db:
        return queries.flagged_spots(db, db.profile_id(tracker.profile), start, end)


def region_asymmetry(
    tracker, start: datetime | None = None, end: datetime | None = None
) -> list[Asymmetry]:
    """Left against right for each region, at the latest level of each side."""
    from selftrack.analysis.trends import asymmetries

    regional = [t for t in trends(tracker, (), start, end) if t.subject.kind == "region"]
    return asymmetries(regional)


def heat_map(tracker, start: datetime | None = None, end: datetime | None = None) -> HeatMap:
    """Mean tenderness per spot and side over the period, most tender first."""
    from selftrack.analysis.heatmap import build_heat_map
    from selftrack.storage import queries

    with tracker.reading_rows() as db:
        cells, sessions = queries.heat_cells(db, db.profile_id(tracker.profile), start, end)
    return build_heat_map(start, end, cells, sessions)


def heat_change(
    tracker,
    first: tuple[datetime | None, datetime | None],
    second: tuple[datetime | None, datetime | None],
) -> tuple[HeatMap, HeatMap, list[HeatChange]]:
    """Both periods' heat maps and the change for every spot and side rated in both."""
    from selftrack.analysis.heatmap import heat_changes

    a = heat_map(tracker, *first)
    b = heat_map(tracker, *second)
    return a, b, heat_changes(a, b)


def first_and_last_month(
    tracker, start: datetime | None = None, end: datetime | None = None
) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]] | None:
    """The first 30 days and the last 30 days of the period's history (None without sessions).

    With less than 60 days of history the two halves are compared instead, so no session
    is in both.
    """
    from selftrack.storage import queries

    with tracker.reading_rows() as db:
        profile = db.profile_id(tracker.profile)
        starts = queries.session_starts(db, profile, start, end)
    if not starts:
        return None
    first, last = starts[0], starts[-1]
    month = min(timedelta(days=30), (last - first) / 2)
    first_end, second_start = first + month, last - month
    if second_start <= first_end:
        second_start = first_end + timedelta(microseconds=1)
    return (first, first_end), (second_start, last)


def adherence(tracker, start: datetime | None = None, end: datetime | None = None) -> Adherence:
    """Sessions per week over the period (abandoned ones not counted) and the current streak."""
    from selftrack.analysis.adherence import Adherence, build_adherence
    from selftrack.storage import queries

    clock = tracker.clock
    with tracker.reading_rows() as db:
        profile = db.profile_id(tracker.profile)
        moments = queries.session_starts(db, profile, start, end)
        streak_moments = queries.session_starts(db, profile, clock.now() - timedelta(days=400))
    tz = clock.tz
    today = clock.now().astimezone(tz).date()
    days = [m.astimezone(tz).date() for m in moments]
    result = build_adherence(
        days,
        today,
        first=start.astimezone(tz).date() if start else None,
        last=min(end.astimezone(tz).date(), today) if end else None,
    )
    streak_days = build_adherence([m.astimezone(tz).date() for m in streak_moments], today).streak_days
    return Adherence(result.weeks, streak_days, result.sessions, result.active_days)


def focus_protocol(tracker) -> ProtocolSpec | None:
    """The `focus` routine built from the last 14 days, or None when nothing stood out."""
    from selftrack.analysis.focus import FOCUS_DAYS, QUIET_SESSIONS, build_focus_spec, pick_focus
    from selftrack.storage import queries

    now = tracker.clock.now()
    since = now - timedelta(days=FOCUS_DAYS)
    with tracker.reading_rows() as db:
        profile = db.profile_id(tracker.profile)
        history = queries.focus_history(
            db, profile, since, now - timedelta(days=_FOCUS_LOOKBACK_DAYS), QUIET_SESSIONS
        )
        pairs = pick_focus(history, since)
        specs = queries.spot_specs(db, {spot for spot, _side in pairs}) if pairs else {}
    return build_focus_spec(pairs, specs)


def _by_subject(kind: str, series: dict[tuple[str, str], list[Point]]) -> dict[Subject, list[Point]]:
    """The series a query gives per (key, side), keyed by their Subject."""
    return {Subject(kind, key, side): points for (key, side), points in series.items()}
