"""Series over time for a spot, a region or the overall pain, and what they amount to.

A subject names what is followed: `SPOT:SIDE` (e.g. `glute-max-dimple:left`), `REGION:SIDE`
(`low-back:right`; `REGION:both` pools every side), or `pain:before` / `pain:after`. A value
is one session's tenderness for a spot (the mean if the spot came up twice), the mean of the
rated spots of a region in that session, or the overall pain given that day. Skipped spots
are left out, never counted as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from selftrack.analysis.stats import (
    DAYS_PER_MONTH,
    TREND_MAX_POINTS,
    Change,
    binned_medians,
    theil_sen_slope,
    is_meaningful,
    running_median,
    smoothing_half_width,
    summarize,
)
from selftrack.terms import REGIONS

REGION_NAMES: dict[str, str] = {
    "low-back": "Low back",
    "buttock": "Buttock",
    "side-of-hip": "Side of hip",
    "thigh": "Thigh",
    "calf": "Calf",
    "front": "Front",
}
SIDE_ORDER = ("left", "right", "mid", "both")
PAIN_SIDES = ("before", "after")
CHART_POINTS = 160
_SECONDS_PER_DAY = 86400.0


class SubjectError(ValueError):
    """A spot or region name that is not known."""


@dataclass(frozen=True, slots=True)
class Subject:
    """What a series follows: kind is 'spot', 'region' or 'pain'; side as in the key."""

    kind: str
    key: str
    side: str

    @property
    def id(self) -> str:
        return f"{self.key}:{self.side}"


class Point(NamedTuple):
    """One session's value."""

    moment: datetime
    value: float


_moment = attrgetter("moment")


@dataclass(frozen=True)
class Trend:
    """A series with its summary: baseline against latest, and the Theil–Sen slope."""

    subject: Subject
    name: str
    points: tuple[Point, ...]
    summary: Change
    per_month: float | None
    region: str = ""
    bins: tuple[tuple[float, float], ...] = ()  # (day, median) slices the slope was taken over

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    def chart_points(self, max_points: int = CHART_POINTS) -> tuple[list[Point], list[Point]]:
        """(dots, smoothed line) for drawing: the values (medians of equal time slices when
        there are more than `max_points`) and their running median."""
        if not self.points:
            return [], []
        first = self.points[0].moment
        if self.bins and len(self.points) > max_points:
            xy = list(self.bins)  # already medians of equal time slices
        else:
            xy = binned_medians(_days(self.points), max_points)
        half = smoothing_half_width(xy[-1][0] - xy[0][0])
        dots = [Point(first + timedelta(days=x), y) for x, y in xy]
        line = [Point(first + timedelta(days=x), y) for x, y in running_median(xy, half)]
        return dots, line


@dataclass(frozen=True, slots=True)
class Asymmetry:
    """Left against right in one region, at the latest level of each side."""

    region: str
    left: float | None
    right: float | None

    @property
    def difference(self) -> float | None:
        """Left minus right (positive = the left is more tender)."""
        if self.left is None or self.right is None:
            return None
        return self.left - self.right

    @property
    def clear(self) -> bool:
        """The sides differ by at least 2 points and 30 % of the less tender side."""
        diff = self.difference
        return diff is not None and is_meaningful(min(self.left, self.right), diff)

    @property
    def worse_side(self) -> str | None:
        diff = self.difference
        if not diff:
            return None
        return "left" if diff > 0 else "right"


def build_trend(
    subject: Subject,
    name: str,
    points: Iterable[Point],
    region: str = "",
    *,
    keep: int | None = None,
) -> Trend:
    """Summarise a series (sorted by time here) into a Trend.

    With `keep`, a longer series keeps only the medians of `keep` equal slices of time as
    its points (for sparklines); the summary and slope are still taken over every value.
    """
    ordered = tuple(sorted(points, key=_moment))
    values = [p.value for p in ordered]
    region = region or (subject.key if subject.kind == "region" else "")
    days = _days(ordered)
    bins = binned_medians(days, TREND_MAX_POINTS)
    slope = theil_sen_slope(bins)
    per_month = None if slope is None else slope * DAYS_PER_MONTH
    first = ordered[0].moment if ordered else None
    if keep and len(ordered) > keep:
        ordered = tuple(Point(first + timedelta(days=x), y) for x, y in binned_medians(days, keep))
    return Trend(subject, name, ordered, summarize(values), per_month, region, tuple(bins))


def asymmetries(trends: Sequence[Trend]) -> list[Asymmetry]:
    """Left/right comparison for each region that has series on both sides."""
    latest: dict[tuple[str, str], float | None] = {
        (t.subject.key, t.subject.side): t.summary.latest
        for t in trends
        if t.subject.kind == "region"
    }
    regions = [r for r in _region_order({k for k, _ in latest}) if (r, "left") in latest or (r, "right") in latest]
    return [Asymmetry(r, latest.get((r, "left")), latest.get((r, "right"))) for r in regions]


def subject_name(subject: Subject, spot_name: str = "") -> str:
    """A short human label: 'Low back, left', 'Overall pain before', 'Spot name, right'."""
    if subject.kind == "pain":
        return f"Overall pain {subject.side}"
    base = REGION_NAMES.get(subject.key, subject.key) if subject.kind == "region" else spot_name or subject.key
    if subject.side == "mid":
        return f"{base}, middle"
    if subject.side == "both":
        return f"{base}, both sides"
    return f"{base}, {subject.side}"


def parse_subjects(words: Sequence[str], spot_sides: dict[str, set[str]]) -> list[Subject]:
    """Subjects for command-line words; `spot_sides` maps known spot ids to the sides rated.

    A bare spot or region stands for each of its sides; `pain` for before and after.
    """
    out: list[Subject] = []
    for word in words:
        key, _, side = word.strip().lower().partition(":")
        if key == "pain":
            if side and side not in PAIN_SIDES:
                raise SubjectError(f"pain is followed by :before or :after, not {side!r}")
            out += [Subject("pain", "pain", s) for s in ((side,) if side else PAIN_SIDES)]
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
                f"no spot or region called {word!r} (regions: {', '.join(REGIONS)}, or pain; "
                "spot ids are listed by `selftrack protocols show ID`)"
            )
    return list(dict.fromkeys(out))


def default_subjects(region_sides: Iterable[tuple[str, str]]) -> list[Subject]:
    """Every region and side that has ratings, in body order, then the overall pain."""
    present = set(region_sides)
    out = [
        Subject("region", region, side)
        for region in _region_order({r for r, _ in present})
        for side in SIDE_ORDER
        if (region, side) in present
    ]
    return out + [Subject("pain", "pain", side) for side in PAIN_SIDES]


def _region_order(regions: set[str]) -> list[str]:
    known = [r for r in REGIONS if r in regions]
    return known + sorted(regions - set(REGIONS))


def _days(points: Sequence[Point]) -> list[tuple[float, float]]:
    if not points:
        return []
    first = points[0].moment
    return [
        ((moment - first).total_seconds() / _SECONDS_PER_DAY, value) for moment, value in points
    ]

