"""Series over time for a spot, a region or the overall pain, and what they amount to.

A subject names what is followed: `SPOT:SIDE` (e.g. `gluteus-maximus-spot:left`),
`REGION:SIDE` (`low-back:right`; `REGION:both` takes the spots of every side),
`pain:before` / `pain:after`, or an outcome: `pain:morning` and `leg:morning` (the morning
check-in's back and leg pain), `peg` and `psfs` (the weekly form's scores). A spot's value is its tenderness in one session (the mean if
the routine had it twice); skipped spots are left out, never counted as 0. A region is judged
from its spots (selftrack.analysis.stats.region_change) and charted as the mean of a fixed set
of its spots (`core_spots`) in each session that rated all of them, so a change of routine
cannot move its line (the means are taken in SQL: selftrack.storage.history.fixed_set_lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from selftrack.analysis.stats import (
    ASYMMETRY_HOLDS,
    ASYMMETRY_POINTS,
    ASYMMETRY_SESSIONS,
    DAYS_PER_MONTH,
    TREND_MAX_POINTS,
    Change,
    Measure,
    binned_medians,
    from_ends,
    median,
    region_change,
    running_median,
    smoothing_half_width,
    summarize,
    theil_sen_slope,
)
from selftrack.domain.records import SpotLevels, SpotValue
from selftrack.domain.terms import REGIONS, region_name, region_order

Point = SpotValue  # (moment, value)
SpotSide = tuple[str, str]
SIDE_ORDER = ("left", "right", "mid", "both")
PAIN_SIDES = ("before", "after")
# the outcome series: subject id -> (what it measures, its name)
OUTCOMES: dict[str, tuple[Measure, str]] = {
    "pain:morning": (Measure.MORNING_PAIN, "Back pain in the morning"),
    "leg:morning": (Measure.LEG_PAIN, "Leg pain in the morning"),
    "peg": (Measure.PEG, "PEG: pain, enjoyment, activity"),
    "psfs": (Measure.PSFS, "PSFS: your activities"),
}
CHART_POINTS = 160
_SECONDS_PER_DAY = 86400.0


class SubjectError(ValueError):
    """A spot or region name that is not known."""


@dataclass(frozen=True, slots=True)
class Subject:
    """What a series follows: kind is 'spot', 'region', 'pain' or 'outcome'; side as in the
    key ('' for an outcome without one: `peg`, `psfs`)."""

    kind: str
    key: str
    side: str

    @property
    def id(self) -> str:
        return f"{self.key}:{self.side}" if self.side else self.key

    @property
    def measure(self) -> Measure:
        """What the subject's values measure (and so which change rule judges them)."""
        if self.kind == "outcome":
            return OUTCOMES[self.id][0]
        return Measure.PAIN if self.kind == "pain" else Measure.TENDERNESS


def outcome_subject(subject_id: str) -> Subject:
    """The Subject of an outcome series by its id (`pain:morning`, `leg:morning`, `peg`, `psfs`)."""
    if subject_id not in OUTCOMES:
        raise SubjectError(f"no outcome called {subject_id!r} (outcomes: {', '.join(OUTCOMES)})")
    key, _, side = subject_id.partition(":")
    return Subject("outcome", key, side)


@dataclass(frozen=True)
class Trend:
    """A series with its summary (baseline against latest, verdict) and its slope.

    `points` is what is drawn: a spot's values, the overall pain, or for a region the mean of
    its fixed set of spots (`drawn_from`, their names). `slices` are the means of equal slices
    of the period, for sparklines, when the points themselves were not read.
    """

    subject: Subject
    name: str
    points: tuple[Point, ...]
    summary: Change
    per_month: float | None = None
    region: str = ""
    bins: tuple[tuple[float, float], ...] = ()  # (day, median) slices the slope was taken over
    slices: tuple[float | None, ...] = ()
    drawn_from: tuple[str, ...] = ()

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    def chart_points(self, max_points: int = CHART_POINTS) -> tuple[list[Point], list[Point]]:
        """(dots, smoothed line) for drawing: the values (medians of equal time slices when
        there are more than `max_points`) and their running median."""
        if not self.points:
            return [], []
        first = self.points[0].moment
        if self.bins and len(self.points) > max_points and len(self.bins) <= max_points:
            xy = list(self.bins)  # already medians of equal time slices
        else:
            xy = binned_medians(_days(self.points), max_points)
        half = smoothing_half_width(xy[-1][0] - xy[0][0])
        dots = [Point(first + timedelta(days=x), y) for x, y in xy]
        line = [Point(first + timedelta(days=x), y) for x, y in running_median(xy, half)]
        return dots, line


def series_trend(
    subject: Subject, name: str, points: Iterable[Point], region: str = "", measure: Measure = Measure.TENDERNESS
) -> Trend:
    """A whole series (sorted by time here) summed up, with its Theil–Sen slope."""
    ordered = tuple(sorted(points, key=lambda p: p.moment))
    bins = binned_medians(_days(ordered), TREND_MAX_POINTS)
    slope = theil_sen_slope(bins)
    return Trend(
        subject,
        name,
        ordered,
        summarize([p.value for p in ordered], measure),
        None if slope is None else slope * DAYS_PER_MONTH,
        region or (subject.key if subject.kind == "region" else ""),
        tuple(bins),
    )


def levels_trend(levels: SpotLevels, name: str, region: str) -> Trend:
    """A spot's trend from its levels (first and last values, sessions, slice means)."""
    subject = Subject("spot", levels.spot_id, levels.side)
    summary = from_ends(levels.first, levels.last, levels.sessions)
    return Trend(subject, name, (), summary, region=region, slices=levels.slices)


CORE_SHARE = 0.8


def core_spots(sessions: Mapping[SpotSide, int]) -> list[SpotSide]:
    """The fixed set a region's line is drawn from: the spots rated in the most sessions (at
    least 80 % as many as its most-rated spot, so an odd skip does not drop one)."""
    if not sessions:
        return []
    most = max(sessions.values())
    return sorted(key for key, count in sessions.items() if count >= CORE_SHARE * most)


def region_trend(
    subject: Subject,
    spot_changes: Sequence[Change],
    line: Sequence[Point],
    drawn_from: Sequence[str],
) -> Trend:
    """A region's trend: judged from its spots' changes, drawn from its fixed set of spots."""
    days = _days(tuple(line))
    bins = binned_medians(days, TREND_MAX_POINTS)
    slope = theil_sen_slope(bins)
    return Trend(
        subject,
        subject_name(subject),
        tuple(line),
        region_change(spot_changes),
        None if slope is None else slope * DAYS_PER_MONTH,
        subject.key,
        tuple(bins),
        drawn_from=tuple(drawn_from),
    )


# -- left and right ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Asymmetry:
    """Left against right in one region over its last sessions that rated both sides.

    `differences` are left minus right (positive: the left more tender), one per session,
    oldest first, each the mean over the spots rated on both sides in that session.
    """

    region: str
    differences: tuple[float, ...]

    @property
    def difference(self) -> float | None:
        """The median difference, left minus right."""
        return median(self.differences) if self.differences else None

    def _leads(self) -> tuple[int, int]:
        """In how many sessions the left, and the right, was at least a point more tender."""
        left = sum(1 for d in self.differences if d >= ASYMMETRY_POINTS)
        right = sum(1 for d in self.differences if d <= -ASYMMETRY_POINTS)
        return left, right

    @property
    def holds(self) -> int:
        """In how many of the sessions the more often more tender side led by a point or more."""
        return max(self._leads())

    @property
    def more_tender_side(self) -> str | None:
        """The side that was a point or more more tender in more of the sessions, if one was."""
        left, right = self._leads()
        if left == right:
            return None
        return "left" if left > right else "right"

    @property
    def notable(self) -> bool:
        """The same side at least a point more tender in at least 3 of the last 5 sessions."""
        return self.holds >= ASYMMETRY_HOLDS


def asymmetry(region: str, sessions: Sequence[Mapping[str, tuple[float, float]]]) -> Asymmetry:
    """Left against right from the region's sessions in time order, each a mapping of the spots
    rated on both sides in it to their (left, right) values; the last 5 count."""
    differences = []
    for pairs in sessions:
        if pairs:
            left = sum(value for value, _right in pairs.values()) / len(pairs)
            right = sum(value for _left, value in pairs.values()) / len(pairs)
            differences.append(left - right)
    return Asymmetry(region, tuple(differences[-ASYMMETRY_SESSIONS:]))


# -- naming ------------------------------------------------------------------------------------


def subject_name(subject: Subject, spot_name: str = "") -> str:
    """A short human label: 'Low back, left', 'Overall pain before', 'Spot name, right'."""
    if subject.kind == "pain":
        return f"Overall pain {subject.side}"
    if subject.kind == "outcome":
        return OUTCOMES[subject.id][1]
    base = region_name(subject.key) if subject.kind == "region" else spot_name or subject.key
    if subject.side == "mid":
        return f"{base}, middle"
    if subject.side == "both":
        return f"{base}, both sides"
    return f"{base}, {subject.side}"


def parse_subjects(words: Sequence[str], spot_sides: Mapping[str, set[str]]) -> list[Subject]:
    """Subjects for command-line words; `spot_sides` maps known spot ids to their sides.

    A bare spot or region stands for each of its sides; `pain` for before and after (the
    morning check-in's back pain is `pain:morning`); `leg` for `leg:morning`.
    """
    out: list[Subject] = []
    for word in words:
        key, _, side = word.strip().lower().partition(":")
        if key == "pain" and side == "morning":
            out.append(outcome_subject("pain:morning"))
        elif key == "pain":
            if side and side not in PAIN_SIDES:
                raise SubjectError(f"pain is followed by :before, :after or :morning, not {side!r}")
            out += [Subject("pain", "pain", s) for s in ((side,) if side else PAIN_SIDES)]
        elif key == "leg":
            if side not in ("", "morning"):
                raise SubjectError(f"leg is followed by :morning or nothing, not {side!r}")
            out.append(outcome_subject("leg:morning"))
        elif key in ("peg", "psfs"):
            if side:
                raise SubjectError(f"{key} takes no side, not {side!r}")
            out.append(outcome_subject(key))
        elif key in REGIONS:
            if side and side not in ("left", "right", "mid", "both"):
                raise SubjectError(f"a region is followed by :left, :right, :mid or :both, not {side!r}")
            out += [Subject("region", key, s) for s in ((side,) if side else ("left", "right"))]
        elif key in spot_sides:
            if side and side not in ("left", "right", "mid"):
                raise SubjectError(f"a spot is followed by :left, :right or :mid, not {side!r}")
            sides = (side,) if side else tuple(s for s in SIDE_ORDER if s in spot_sides[key]) or ("left", "right")
            out += [Subject("spot", key, s) for s in sides]
        else:
            raise SubjectError(
                f"no spot or region called {word!r} (regions: {', '.join(REGIONS)}; or pain, "
                f"{', '.join(OUTCOMES)}; spot ids are listed by `selftrack protocols show ID`)"
            )
    return list(dict.fromkeys(out))


def default_subjects(region_sides: Iterable[tuple[str, str]], outcomes: Iterable[str] = ()) -> list[Subject]:
    """Every region and side that has ratings, in body order, then the overall pain, then the
    outcome series that have values (`outcomes`: their ids)."""
    present = set(region_sides)
    out = [
        Subject("region", region, side)
        for region in region_order({r for r, _ in present})
        for side in SIDE_ORDER
        if (region, side) in present
    ]
    having = set(outcomes)
    return (
        out
        + [Subject("pain", "pain", side) for side in PAIN_SIDES]
        + [outcome_subject(sid) for sid in OUTCOMES if sid in having]
    )


def _days(points: Sequence[Point]) -> list[tuple[float, float]]:
    if not points:
        return []
    first = points[0].moment
    return [((moment - first).total_seconds() / _SECONDS_PER_DAY, value) for moment, value in points]
