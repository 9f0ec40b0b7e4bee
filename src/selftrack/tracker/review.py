"""Reviewing history: the read use cases behind history, trends, the heat map, regularity,
flags and notes, and the focus routine.

Each function opens one read transaction on the Store, lets SQL do the summing
(selftrack.storage.history) and hands the rows to the pure functions of selftrack.analysis.
`start`/`end` are timezone-aware moments (None = open-ended) on the session start time; the
baseline is always the first sessions inside that range.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta

from selftrack.analysis.adherence import Adherence, build_adherence
from selftrack.analysis.heatmap import HeatMap, build_heat_map
from selftrack.analysis.stats import Measure, from_ends
from selftrack.analysis.trends import (
    Asymmetry,
    Point,
    Subject,
    Trend,
    asymmetry,
    core_spots,
    default_subjects,
    levels_trend,
    parse_subjects,
    region_trend,
    series_trend,
    subject_name,
)
from selftrack.domain.records import FlaggedSpot, Note, SessionSummary, SpotInfo
from selftrack.domain.terms import pressed_sides, region_order
from selftrack.storage import history
from selftrack.storage.store import Scope, Store

FOCUS_LOOKBACK_DAYS = 120
ASYMMETRY_LOOKBACK_SESSIONS = 60
STREAK_DAYS = 400


def session_summaries(
    store: Store,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    protocol_id: str | None = None,
    limit: int | None = None,
) -> list[SessionSummary]:
    """Sessions newest first (the newest `limit`, if given) with their counts and tenderness."""
    with store.reading() as scope:
        return list(history.session_summaries(scope, start, end, protocol_id=protocol_id, limit=limit))


@contextmanager
def streamed_summaries(
    store: Store, start: datetime | None = None, end: datetime | None = None
) -> Iterator[Iterator[SessionSummary]]:
    """The same rows as `session_summaries`, read as they are used, inside the block."""
    with store.reading() as scope:
        rows = history.session_summaries(scope, start, end)
        try:
            yield rows
        finally:
            rows.close()


def trends(
    store: Store,
    subjects: Sequence[str | Subject] = (),
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    known_spots: Mapping[str, set[str]] | None = None,
) -> list[Trend]:
    """One Trend per subject (see selftrack.analysis.trends for the words).

    With no subjects: every region and side that has ratings, then the overall pain before
    and after, then the outcome series that have values (morning back and leg pain, PEG,
    PSFS). `known_spots` adds spots (with their sides) that have no ratings yet. Raises
    SubjectError for a name that is neither a spot, a region, `pain` nor an outcome.
    """
    with store.reading() as scope:
        infos = history.spot_infos(scope.conn)
        chosen = [s for s in subjects if isinstance(s, Subject)]
        words = [s for s in subjects if isinstance(s, str)]
        if words:
            sides = {spot: set(pressed_sides(info.sided, "both")) for spot, info in infos.items()}
            chosen += parse_subjects(words, {**(known_spots or {}), **sides})
        regions = not chosen or any(s.kind == "region" for s in chosen)
        levels = history.spot_levels(scope, start, end) if regions else {}
        if not chosen:
            chosen = default_subjects(
                {(infos[spot].region, side) for spot, side in levels if spot in infos},
                outcomes_present(scope, start, end),
            )
        members = {s: _members(s, levels, infos) for s in chosen if s.kind == "region"}
        cores = {s: core_spots({key: levels[key].sessions for key in keys}) for s, keys in members.items()}
        lines = dict(zip(cores, history.fixed_set_lines(scope, list(cores.values()), start, end)))
        wanted = {s.key for s in chosen if s.kind == "spot"}
        series = history.spot_series(scope, wanted, start, end) if wanted else {}
        pain = history.pain_series(scope, start, end) if any(s.kind == "pain" for s in chosen) else []
        outcome_series = {
            s: outcome_points(scope, s, start, end) for s in chosen if s.kind == "outcome"
        }
    out = []
    for subject in chosen:
        if subject.kind == "region":
            changes = [from_ends(levels[k].first, levels[k].last, levels[k].sessions) for k in members[subject]]
            drawn = [_label(infos, key, subject.side) for key in cores[subject]]
            out.append(region_trend(subject, changes, lines[subject], drawn))
        elif subject.kind == "spot":
            info = infos.get(subject.key)
            name = subject_name(subject, info.name if info else "")
            points = series.get((subject.key, subject.side), [])
            out.append(series_trend(subject, name, points, info.region if info else ""))
        elif subject.kind == "outcome":
            points, drawn = outcome_series[subject]
            found = series_trend(subject, subject_name(subject), points, measure=subject.measure)
            out.append(replace(found, drawn_from=drawn) if drawn else found)
        else:
            column = 1 if subject.side == "before" else 2
            points = [Point(row[0], float(row[column])) for row in pain if row[column] is not None]
            out.append(series_trend(subject, subject_name(subject), points, measure=Measure.PAIN))
    return out


def outcome_points(
    scope: Scope, subject: Subject, start: datetime | None, end: datetime | None
) -> tuple[list[Point], tuple[str, ...]]:
    """An outcome subject's values in the period, oldest first, and what they are drawn from
    (for the PSFS: the activities of the latest form; only the forms that rated exactly those
    are used, so a change of activities cannot move the line)."""
    from selftrack.storage import outcomes as stored  # only for these (a spot's trend starts quicker)

    if subject.id in ("pain:morning", "leg:morning"):
        column = "back_pain" if subject.key == "pain" else "leg_pain"
        return [Point(at, float(value)) for at, value in stored.morning_series(scope, column, start, end)], ()
    forms = stored.weekly_forms(scope, start, end)
    if subject.id == "peg":
        return [Point(f.answered_at, f.peg_score) for f in forms if f.peg is not None], ()
    rated = [f for f in forms if f.psfs]
    if not rated:
        return [], ()
    latest = rated[-1]
    same = [f for f in rated if f.psfs_activities == latest.psfs_activities]
    return [Point(f.answered_at, f.psfs_score) for f in same], tuple(r.name for r in latest.psfs)


def outcomes_present(scope: Scope, start: datetime | None, end: datetime | None) -> set[str]:
    """The outcome subject ids that have values in the period."""
    from selftrack.storage import outcomes as stored

    present = set()
    if stored.checkins(scope, start, end):
        present |= {"pain:morning", "leg:morning"}
    forms = stored.weekly_forms(scope, start, end)
    if any(f.peg is not None for f in forms):
        present.add("peg")
    if any(f.psfs for f in forms):
        present.add("psfs")
    return present


def _members(subject: Subject, levels, infos: Mapping[str, SpotInfo]) -> list[tuple[str, str]]:
    """The (spot, side) pairs of a region subject that were rated in the period."""
    return sorted(
        (spot, side)
        for spot, side in levels
        if spot in infos
        and infos[spot].region == subject.key
        and (subject.side == "both" or side == subject.side)
    )


def _label(infos: Mapping[str, SpotInfo], key: tuple[str, str], region_side: str) -> str:
    spot, side = key
    name = infos[spot].name if spot in infos else spot
    return f"{name} ({side})" if region_side == "both" and side != "mid" else name


def spot_trends(
    store: Store, start: datetime | None = None, end: datetime | None = None, *, slices: int = 0
) -> list[Trend]:
    """A trend for every spot and side rated in the period, most tender now first.

    Each comes from its levels (first and last sessions, count, and with `slices` its mean in
    that many equal parts of the period, for a sparkline): its points are not read.
    """
    with store.reading() as scope:
        return levels_trends(scope, start, end, slices=slices)


def levels_trends(scope, start: datetime | None, end: datetime | None, *, slices: int = 0) -> list[Trend]:
    """Every spot and side rated in the period as a trend from its levels, most tender now
    first (inside a transaction the caller opened)."""
    levels = history.spot_levels(scope, start, end, slices=slices)
    infos = history.spot_infos(scope.conn, {spot for spot, _side in levels})
    out = []
    for (spot, side), found in levels.items():
        info = infos.get(spot)
        name = subject_name(Subject("spot", spot, side), info.name if info else spot)
        out.append(levels_trend(found, name, info.region if info else ""))
    return sorted(out, key=lambda t: (-(t.summary.latest or 0.0), t.subject.key, t.subject.side))


def spot_places(store: Store, spot_ids) -> dict[str, SpotInfo]:
    """Name, region, view and body-map place of stored spots (their latest definitions)."""
    with store.reading() as scope:
        return history.spot_infos(scope.conn, spot_ids)


def asymmetries(store: Store, start: datetime | None = None, end: datetime | None = None) -> list[Asymmetry]:
    """Left against right in each region, over its last sessions that rated both sides."""
    with store.reading() as scope:
        rows = history.both_sides_values(scope, start, end, ASYMMETRY_LOOKBACK_SESSIONS)
        infos = history.spot_infos(scope.conn, {spot for _at, spot, _side, _value in rows})
    by_session: dict[datetime, dict[str, dict[str, dict[str, float]]]] = {}
    for at, spot, side, value in rows:
        if spot not in infos or side == "mid":
            continue
        region = infos[spot].region
        by_session.setdefault(at, {}).setdefault(region, {}).setdefault(spot, {})[side] = value
    out = []
    present = {region for regions in by_session.values() for region in regions}
    for region in region_order(present):
        sessions = []
        for at in sorted(by_session):
            spots = by_session[at].get(region, {})
            pairs = {s: (v["left"], v["right"]) for s, v in spots.items() if "left" in v and "right" in v}
            if pairs:
                sessions.append(pairs)
        if sessions:
            out.append(asymmetry(region, sessions))
    return out


def heat_map(store: Store, start: datetime | None = None, end: datetime | None = None) -> HeatMap:
    """Mean tenderness per spot and side over the period, most tender first."""
    with store.reading() as scope:
        cells, sessions = history.heat_cells(scope, start, end)
    return build_heat_map(start, end, cells, sessions)


def flagged_spots(store: Store, start: datetime | None = None, end: datetime | None = None) -> list[FlaggedSpot]:
    """Spots whose ratings in the period carried the nerve, recognised or referred flag."""
    with store.reading() as scope:
        return history.flagged_spots(scope, start, end)


def notes(store: Store, start: datetime | None = None, end: datetime | None = None) -> list[Note]:
    """Session notes and notes on spots in the period, oldest first."""
    with store.reading() as scope:
        return history.notes(scope, start, end)


def adherence(store: Store, start: datetime | None = None, end: datetime | None = None) -> Adherence:
    """Sessions per week over the period (abandoned and empty ones not counted) and the streak."""
    clock = store.clock
    now = clock.now()
    with store.reading() as scope:
        moments = history.session_starts(scope, start, end)
        recent = history.session_starts(scope, now - timedelta(days=STREAK_DAYS))
    tz = clock.tz
    today = now.astimezone(tz).date()
    result = build_adherence(
        [m.astimezone(tz).date() for m in moments],
        today,
        first=start.astimezone(tz).date() if start else None,
        last=min(end.astimezone(tz).date(), today) if end else None,
    )
    streak_days = build_adherence([m.astimezone(tz).date() for m in recent], today).streak_days
    return Adherence(result.weeks, streak_days, result.sessions, result.active_days)


def focus_protocol(store: Store):
    """The `focus` routine built from the last 14 days, or None when nothing stood out."""
    from selftrack.analysis.focus import FOCUS_DAYS, FOCUS_LEVEL, QUIET_SESSIONS, build_focus_spec, pick_focus
    from selftrack.storage import queries  # the routines' model, only for this

    now = store.clock.now()
    since = now - timedelta(days=FOCUS_DAYS)
    with store.reading() as scope:
        found = history.focus_history(
            scope, since, now - timedelta(days=FOCUS_LOOKBACK_DAYS), QUIET_SESSIONS, FOCUS_LEVEL
        )
        pairs = pick_focus(found, since)
        specs = queries.latest_specs(scope.conn, {spot for spot, _side in pairs}) if pairs else {}
    return build_focus_spec(pairs, specs)


REPORT_SESSION_ROWS = 65  # one row per session up to this many (about a page)
REPORT_SUMMARY_ROWS = 130  # otherwise days, weeks, months, ... summed up in at most this many
REPORT_BARS = 60  # regularity bars: weeks, else months, else quarters


def report_data(store: Store, start: datetime | None, end: datetime | None, name: str = ""):
    """Everything the PDF report shows for sessions in [start, end], gathered in one place."""
    from selftrack.exports.pdf_report import ReportData

    clock = store.clock
    now = clock.now()
    tz = clock.tz
    summaries = sorted(session_summaries(store, start, end), key=lambda s: s.started_at)
    first = clock.local(start if start else (summaries[0].started_at if summaries else now)).date()
    last = clock.local(min(end, now) if end else now).date()
    zone = getattr(tz, "key", None) or getattr(tz, "name", None) or str(tz)
    data = ReportData(name.strip(), first, last, clock.local(now), summaries, zone=zone)
    data.care = _care_summary(store)
    data.heat = heat_map(store, start, end)
    found = trends(store, (), start, end)  # regions, pain before/after, then the outcome series
    data.outcomes = [t for t in found if t.subject.kind == "outcome" and t.points]
    if summaries:
        data.regularity = _regularity(summaries, tz, first, last)
        data.group_unit, data.groups = _session_groups(summaries, tz, first, last)
        data.pain = {t.subject.side: t for t in found if t.subject.kind == "pain"}
        data.regions = [t for t in found if t.subject.kind == "region"]
        data.spots = spot_trends(store, start, end)
        data.flags = flagged_spots(store, start, end)
        data.referrals = _referrals(data.flags)
        data.notes = notes(store, start, end)
    return data


def _care_summary(store: Store):
    """The latest red-flag screen and the conditions in force, in words for the report."""
    from selftrack import safety
    from selftrack.analysis.care import TRIGGER_WORDS
    from selftrack.domain.conditions import CONDITION_IDS, condition
    from selftrack.exports.pdf_report import CareSummary, ScreenAnswer
    from selftrack.tracker.care import care_state

    state = care_state(store)
    screen = state.screening
    answers = ()
    if screen is not None:
        answers = tuple(
            ScreenAnswer(q.sign, q.urgency, screen.answers.get(q.id, "not asked")) for q in safety.RED_FLAG_SCREEN
        )
    active = sorted(state.conditions.active(), key=lambda cid: CONDITION_IDS.index(cid) if cid in CONDITION_IDS else 99)
    return CareSummary(
        screened_at=None if screen is None else store.clock.local(screen.answered_at),
        trigger="" if screen is None else TRIGGER_WORDS.get(screen.trigger, screen.trigger),
        answers=answers,
        outcome="" if screen is None else screen.outcome,
        due=TRIGGER_WORDS.get(state.due, state.due) if state.due and screen is not None else "",
        conditions=tuple((condition(cid).name, condition(cid).why) for cid in active if cid in CONDITION_IDS),
        pregnancy_weeks=state.conditions.pregnancy_weeks,
        conditions_given=None if state.conditions_updated is None else store.clock.local(state.conditions_updated),
    )


def _unit_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    month = {"month": day.month, "quarter": day.month - (day.month - 1) % 3, "year": 1}[unit]
    return date(day.year, month, 1)


def _unit_next(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    total = start.year * 12 + start.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def _units(first: date, last: date, unit: str) -> list[tuple[date, date]]:
    """The stretches (start, next start) of `unit` that cover [first, last]."""
    out = []
    start = _unit_start(first, unit)
    while start <= last:
        following = _unit_next(start, unit)
        out.append((start, following))
        start = following
    return out


def _regularity(summaries: Sequence[SessionSummary], tz, first: date, last: date):
    """Sessions per week in bars of a week (a month, a quarter when there would be too many),
    counting the sessions adherence counts: not stopped early, something rated or skipped."""
    from selftrack.domain.terms import SessionStatus
    from selftrack.exports.pdf_report import Bar, Regularity

    days = [
        s.started_at.astimezone(tz).date()
        for s in summaries
        if s.status is not SessionStatus.ABANDONED and s.rated + s.skipped > 0
    ]
    unit = next(u for u in ("week", "month", "quarter") if len(_units(first, last, u)) <= REPORT_BARS or u == "quarter")
    bars = []
    for begin, following in _units(first, last, unit):
        inside = (min(following - timedelta(days=1), last) - max(begin, first)).days + 1
        count = sum(1 for d in days if begin <= d < following)
        bars.append(Bar(begin, count, inside, (following - begin).days))
    active = sorted(set(days))
    longest = max(((b - a).days - 1 for a, b in zip(active, active[1:])), default=0)
    return Regularity(unit, tuple(bars), len(days), len(active), (last - first).days + 1, longest)


def _session_groups(summaries: Sequence[SessionSummary], tz, first: date, last: date):
    """('session', []) when each session can have its row; otherwise the finest unit (day,
    week, month, quarter, year) whose stretches with sessions fit, and their sums."""
    from selftrack.domain.terms import SessionStatus
    from selftrack.exports.pdf_report import SessionGroup

    if len(summaries) <= REPORT_SESSION_ROWS:
        return "session", []
    local = [(s.started_at.astimezone(tz).date(), s) for s in summaries]
    for unit in ("day", "week", "month", "quarter", "year"):
        starts = {_unit_start(d, unit) for d, _s in local}
        if len(starts) <= REPORT_SUMMARY_ROWS or unit == "year":
            break
    grouped: dict[date, list[SessionSummary]] = {}
    for d, s in local:
        grouped.setdefault(_unit_start(d, unit), []).append(s)
    out = []
    for begin in sorted(grouped):
        rows = grouped[begin]
        rated = sum(s.rated for s in rows)
        total = sum(s.mean * s.rated for s in rows if s.mean is not None)
        highs = [s.highest for s in rows if s.highest is not None]
        before = [s.pain_before for s in rows if s.pain_before is not None]
        after = [s.pain_after for s in rows if s.pain_after is not None]
        out.append(
            SessionGroup(
                first=max(begin, first),
                last=min(_unit_next(begin, unit) - timedelta(days=1), last),
                sessions=len(rows),
                finished=sum(1 for s in rows if s.status is SessionStatus.FINISHED),
                unfinished=sum(1 for s in rows if s.status is SessionStatus.IN_PROGRESS),
                abandoned=sum(1 for s in rows if s.status is SessionStatus.ABANDONED),
                rated=rated,
                skipped=sum(s.skipped for s in rows),
                mean=total / rated if rated else None,
                highest=max(highs) if highs else None,
                pain_before=sum(before) / len(before) if before else None,
                pain_after=sum(after) / len(after) if after else None,
            )
        )
    return unit, out


def _referrals(flags: Sequence[FlaggedSpot]):
    """Where pain spread, most often first: each place with its count and the spots it came
    from; ratings that said it spread without saying where come last."""
    from selftrack.exports.pdf_report import Referral

    places: dict[str, dict[tuple[str, str], int]] = {}
    for flag in flags:
        told = 0
        for place, count in flag.referred_to:
            spots = places.setdefault(place, {})
            spots[(flag.spot_id, flag.side)] = spots.get((flag.spot_id, flag.side), 0) + count
            told += count
        if flag.referred > told:
            spots = places.setdefault("", {})
            spots[(flag.spot_id, flag.side)] = spots.get((flag.spot_id, flag.side), 0) + flag.referred - told
    out = [
        Referral(
            place,
            sum(spots.values()),
            tuple((spot, side, count) for (spot, side), count in sorted(spots.items(), key=lambda item: (-item[1], item[0]))),
        )
        for place, spots in places.items()
    ]
    return sorted(out, key=lambda r: (r.place == "", -r.count, r.place))
