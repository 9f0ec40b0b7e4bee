"""Plain statistics for 0–10 scales: baseline, meaningful change, robust trend, smoothing.

The rules, in one place so the help texts, the CLI and the PDF all say the same thing:

- Baseline: the median of the first 3 values of the chosen period; "latest" is the median of
  the last 3. With fewer than 6 values each side takes half of them (1 with 2 or 3 values).
- A change is meaningful when it is at least 2 points AND at least 30 % of the baseline;
  anything smaller is "within noise", whichever way it goes.
- Trend: the Theil–Sen slope (the median of the slopes between every pair of values), in
  points per 30 days; over more than 60 values it is taken over the medians of 60 equal
  slices of time, so one bad week cannot tilt it.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

BASELINE_SESSIONS = 3
MEANINGFUL_POINTS = 2.0
MEANINGFUL_FRACTION = 0.30
TREND_MAX_POINTS = 60
DAYS_PER_MONTH = 30.0
_EPSILON = 1e-9

BASELINE_HELP = (
    f"Baseline is the median of the first {BASELINE_SESSIONS} sessions of the period, latest "
    f"the median of the last {BASELINE_SESSIONS}. A change counts as meaningful when it is at "
    f"least {MEANINGFUL_POINTS:g} points and at least {MEANINGFUL_FRACTION:.0%} of the baseline; "
    "smaller changes are shown as within noise."
)
TREND_HELP = (
    "The trend is the Theil–Sen slope (the median of the slopes between every pair of "
    "sessions), in points per month; the smoothed line is a running median."
)


class Verdict(str, enum.Enum):
    """What a change amounts to on a 0–10 scale where lower is better."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    NOISE = "within noise"
    TOO_FEW = "too few sessions"
    NO_DATA = "no data"


def median(values: Sequence[float]) -> float:
    """The median of a non-empty sequence."""
    return float(_median(values))


def _median(values: Sequence[float]) -> float:
    """The middle value, or the mean of the two middle ones, as statistics.median gives it.

    Written out because importing `statistics` (decimal, fractions, random) costs a few
    milliseconds at every start of the trend and history commands.
    """
    ordered = sorted(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) / 2


def is_meaningful(baseline: float, change: float) -> bool:
    """At least 2 points and at least 30 % of the baseline (the usual 0–10 pain threshold)."""
    size = abs(change)
    return size + _EPSILON >= MEANINGFUL_POINTS and size + _EPSILON >= MEANINGFUL_FRACTION * abs(
        baseline
    )


@dataclass(frozen=True, slots=True)
class Change:
    """A baseline and a later level, and what the difference between them amounts to."""

    baseline: float | None
    latest: float | None
    count: int = 0

    @property
    def change(self) -> float | None:
        """Latest minus baseline (negative = less tender); None with fewer than two values."""
        if self.baseline is None or self.latest is None or self.count < 2:
            return None
        return self.latest - self.baseline

    @property
    def percent_change(self) -> float | None:
        """The change as a percentage of the baseline; None when the baseline is 0."""
        change = self.change
        if change is None or not self.baseline:
            return None
        return change / self.baseline * 100.0

    @property
    def meaningful(self) -> bool:
        change = self.change
        return change is not None and is_meaningful(self.baseline or 0.0, change)

    @property
    def verdict(self) -> Verdict:
        if self.count == 0:
            return Verdict.NO_DATA
        change = self.change
        if change is None:
            return Verdict.TOO_FEW
        if not self.meaningful:
            return Verdict.NOISE
        return Verdict.IMPROVED if change < 0 else Verdict.WORSENED


def compare(baseline: float, latest: float) -> Change:
    """The change between two levels (e.g. two periods' means)."""
    return Change(baseline, latest, 2)


def baseline_window(count: int) -> int:
    """How many values the baseline (and the latest level) are taken over."""
    if count < 2:
        return count
    return min(BASELINE_SESSIONS, count // 2)


def summarize(values: Sequence[float]) -> Change:
    """Baseline (first values) against latest (last values) of a series in time order."""
    count = len(values)
    if count == 0:
        return Change(None, None, 0)
    window = max(1, baseline_window(count))
    return Change(median(values[:window]), median(values[-window:]), count)


def theil_sen_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Median of the pairwise slopes (dy/dx) of (x, y) points; None without two distinct x."""
    slopes = [
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    ]
    return median(slopes) if slopes else None


def binned_medians(points: Sequence[tuple[float, float]], bins: int) -> list[tuple[float, float]]:
    """(median x, median y) of each non-empty slice when the x range is cut in `bins` equal parts."""
    if len(points) <= bins:
        return list(points)
    positions = [x for x, _ in points]
    low, high = min(positions), max(positions)
    scale = bins / ((high - low) or 1.0)
    last = bins - 1

    def slot_of(x: float) -> int:
        return min(int((x - low) * scale), last)

    if positions == sorted(positions):
        # in x order each slice is a run of points: find where each run ends by bisection
        # instead of placing every point (a series of ten years has tens of thousands)
        out = []
        start = 0
        while start < len(positions):
            end = bisect_right(positions, slot_of(positions[start]), lo=start, key=slot_of)
            ys = [y for _, y in points[start:end]]
            out.append((_median(positions[start:end]), _median(ys)))
            start = end
        return out
    xs: dict[int, list[float]] = {}
    ys_of: dict[int, list[float]] = {}
    for x, y in points:
        slot = slot_of(x)
        if slot not in xs:
            xs[slot], ys_of[slot] = [], []
        xs[slot].append(x)
        ys_of[slot].append(y)
    return [(_median(xs[slot]), _median(ys_of[slot])) for slot in sorted(xs)]


def trend_per_month(points: Sequence[tuple[float, float]]) -> float | None:
    """Theil–Sen slope in points per 30 days, for (day number, value) points."""
    slope = theil_sen_slope(binned_medians(points, TREND_MAX_POINTS))
    return None if slope is None else slope * DAYS_PER_MONTH


def running_median(points: Sequence[tuple[float, float]], half_width: float) -> list[tuple[float, float]]:
    """Each point's y replaced by the median of the points within ±half_width on x."""
    out: list[tuple[float, float]] = []
    start = end = 0
    count = len(points)
    for x, _y in points:
        while points[start][0] < x - half_width:
            start += 1
        while end < count and points[end][0] <= x + half_width:
            end += 1
        out.append((x, median([y for _, y in points[start:end]])))
    return out


def smoothing_half_width(span_days: float) -> float:
    """A running-median half-width suited to a span: a week for a month, ~a month for years."""
    return min(45.0, max(3.5, span_days / 40.0))


def rounded(value: float | None, digits: int = 1) -> float | None:
    """A value rounded for display and JSON (None stays None; no -0.0)."""
    if value is None or math.isnan(value):
        return None
    result = round(value, digits)
    return 0.0 if result == 0 else result
