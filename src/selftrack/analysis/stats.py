"""The change rule, in one place: how a series is summed up and what a change may be called.

- Baseline and latest: the medians of the first 3 and the last 3 sessions of the chosen
  period (with fewer than 6, each takes half of them).
- A verdict needs at least 6 sessions; with fewer there is none ("too few sessions").
- A clear change is at least 2 points AND at least 30 % of the baseline. For tenderness when
  pressed it is called "clearly less tender" or "clearly more tender": the threshold comes
  from research on pain intensity and is not validated for pressed tenderness. "Meaningful"
  is kept for overall pain, the measure that research was about.
- The outcome measures (morning back and leg pain, the PEG, the PSFS) are judged by the same
  function with their own published thresholds and windows (`RULES`, docs/outcomes.md), and
  called better or worse (meaningful) because they are validated for that.
- A region's change is built from its spots' changes, like for like (`region_change`).
- Trend: the Theil–Sen slope in points per 30 days, over the medians of at most 60 equal
  slices of time, so one bad week cannot tilt it.
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

BASELINE_SESSIONS = 3
MIN_SESSIONS = 6
CLEAR_POINTS = 2.0
CLEAR_FRACTION = 0.30
TREND_MAX_POINTS = 60
DAYS_PER_MONTH = 30.0
_EPSILON = 1e-9


class Measure(str, enum.Enum):
    """What a series measures: tenderness at a spot when pressed, overall pain before or after
    a session, or an outcome: back or leg pain at the morning check-in, the PEG, the PSFS."""

    TENDERNESS = "tenderness"
    PAIN = "pain"
    MORNING_PAIN = "morning-pain"
    LEG_PAIN = "leg-pain"
    PEG = "peg"
    PSFS = "psfs"


@dataclass(frozen=True, slots=True)
class Rule:
    """How a measure's change is judged.

    Baseline and latest are the medians of its first and last `window` observations; a
    verdict needs `minimum` observations; a change counts when it is at least `points` AND
    at least `fraction` of the baseline (0: no share needed). `validated`: the threshold was
    made for this measure, so a change is called better or worse (meaningful); otherwise
    only clearly less or more tender. `higher_is_better`: a rise is the improvement.
    """

    window: int
    minimum: int
    points: float
    fraction: float
    validated: bool = True
    higher_is_better: bool = False

    def counts(self, baseline: float, change: float) -> bool:
        """Whether a change from `baseline` is large enough to count."""
        size = abs(change)
        return size + _EPSILON >= self.points and size + _EPSILON >= self.fraction * abs(baseline)


# Sources and reasons: docs/outcomes.md ("Thresholds"). Daily morning ratings are judged week
# against week (Farrar 2001 compared a week of daily diary ratings at the start with the last
# week), so a verdict needs two weeks of check-ins; weekly forms keep the 3-and-3 medians and
# six forms, so one unusual week cannot make a verdict.
RULES: dict[Measure, Rule] = {
    Measure.TENDERNESS: Rule(BASELINE_SESSIONS, MIN_SESSIONS, CLEAR_POINTS, CLEAR_FRACTION, validated=False),
    Measure.PAIN: Rule(BASELINE_SESSIONS, MIN_SESSIONS, CLEAR_POINTS, CLEAR_FRACTION),
    Measure.MORNING_PAIN: Rule(7, 14, 2.0, 0.30),  # Farrar 2001; Ostelo 2008 (low back pain)
    Measure.LEG_PAIN: Rule(7, 14, 2.0, 0.30),  # Farrar 2001 (neuropathic pain included)
    Measure.PEG: Rule(3, 6, 1.0, 0.30),  # 30 % (IMMPACT: Dworkin 2008) and 1 point (Reed 2023)
    Measure.PSFS: Rule(3, 6, 2.0, 0.0, higher_is_better=True),  # Stratford 1995: 2 points (mean)
}
PSFS_ACTIVITY_POINTS = 3.0  # Stratford 1995: a change in one activity's rating counts from 3
PGIC_IMPROVED = 2  # "much improved" or better: Farrar 2001's clinically important improvement
PGIC_WORSE = 6  # "much worse" or worse, the same distance on the other side


class Verdict(str, enum.Enum):
    """What a change amounts to (on 0–10 scales where lower is better)."""

    LESS_TENDER = "less-tender"
    MORE_TENDER = "more-tender"
    NO_CLEAR_CHANGE = "no-clear-change"
    BETTER = "better"
    WORSE = "worse"
    NO_MEANINGFUL_CHANGE = "no-meaningful-change"
    TOO_FEW = "too-few-sessions"

    @property
    def is_change(self) -> bool:
        return self in (Verdict.LESS_TENDER, Verdict.MORE_TENDER, Verdict.BETTER, Verdict.WORSE)

    @property
    def direction(self) -> int:
        """-1 for less tender or better, 1 for more tender or worse, 0 otherwise."""
        if self in (Verdict.LESS_TENDER, Verdict.BETTER):
            return -1
        if self in (Verdict.MORE_TENDER, Verdict.WORSE):
            return 1
        return 0


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


def is_clear(baseline: float, change: float) -> bool:
    """At least 2 points and at least 30 % of the baseline."""
    return RULES[Measure.TENDERNESS].counts(baseline, change)


def judge(baseline: float | None, latest: float | None, sessions: int, measure: Measure) -> Verdict:
    """The verdict on a change from `baseline` to `latest` seen over `sessions` observations,
    by the measure's rule (`RULES`)."""
    rule = RULES[measure]
    if sessions < rule.minimum or baseline is None or latest is None:
        return Verdict.TOO_FEW
    change = latest - baseline
    if not rule.counts(baseline, change):
        return Verdict.NO_MEANINGFUL_CHANGE if rule.validated else Verdict.NO_CLEAR_CHANGE
    improved = change > 0 if rule.higher_is_better else change < 0
    if rule.validated:
        return Verdict.BETTER if improved else Verdict.WORSE
    return Verdict.LESS_TENDER if improved else Verdict.MORE_TENDER


def pgic_verdict(answer: int | None) -> Verdict:
    """What a global impression of change says by itself: better at "much improved" or more
    (Farrar 2001), worse at "much worse" or more, otherwise no meaningful change."""
    if answer is None:
        return Verdict.TOO_FEW
    if answer <= PGIC_IMPROVED:
        return Verdict.BETTER
    if answer >= PGIC_WORSE:
        return Verdict.WORSE
    return Verdict.NO_MEANINGFUL_CHANGE


@dataclass(frozen=True, slots=True)
class Change:
    """A baseline, a later level, how many sessions they come from, and the verdict.

    For a region, `spots` is how many spots the change is built from and `agreeing` how many
    of them moved the way the change goes.
    """

    baseline: float | None
    latest: float | None
    sessions: int
    verdict: Verdict
    measure: Measure = Measure.TENDERNESS
    spots: int | None = None
    agreeing: int | None = None

    @property
    def change(self) -> float | None:
        """Latest minus baseline (negative = less tender); None with fewer than two sessions."""
        if self.baseline is None or self.latest is None or self.sessions < 2:
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
        """Whether the verdict is a change (clear for tenderness, meaningful for pain)."""
        return self.verdict.is_change

    @property
    def count(self) -> int:
        return self.sessions


def baseline_window(count: int, window: int = BASELINE_SESSIONS) -> int:
    """How many values the baseline (and the latest level) are taken over: `window`, or half
    of a shorter series."""
    if count < 2:
        return count
    return min(window, count // 2)


def from_ends(
    first: Sequence[float], last: Sequence[float], sessions: int, measure: Measure = Measure.TENDERNESS
) -> Change:
    """The change of a series known by its first and last values (up to the measure's window
    each, in time order) and its number of sessions (observations)."""
    if sessions == 0 or not first or not last:
        return Change(None, None, 0, Verdict.TOO_FEW, measure)
    window = max(1, baseline_window(sessions, RULES[measure].window))
    baseline, latest = median(first[:window]), median(last[-window:])
    return Change(baseline, latest, sessions, judge(baseline, latest, sessions, measure), measure)


def summarize(values: Sequence[float], measure: Measure = Measure.TENDERNESS) -> Change:
    """Baseline (first values) against latest (last values) of a series in time order."""
    window = RULES[measure].window
    return from_ends(values[:window], values[-window:], len(values), measure)


def region_change(spots: Sequence[Change]) -> Change:
    """A region's change, built from its spots' changes like for like.

    Only spots with a verdict of their own (at least 6 sessions) count. The region's baseline
    and latest are the means of those spots' baselines and latests (the same spots in both),
    so its change is the mean of their changes. It is a clear change only when it is clear by
    the rule above AND more than half of those spots moved that way; it never contradicts the
    direction most of its spots took.
    """
    judged = [c for c in spots if c.verdict is not Verdict.TOO_FEW and c.change is not None]
    sessions = max((c.sessions for c in spots), default=0)
    if not judged:
        return Change(None, None, sessions, Verdict.TOO_FEW, spots=0, agreeing=0)
    baseline = sum(c.baseline for c in judged) / len(judged)
    latest = sum(c.latest for c in judged) / len(judged)
    change = latest - baseline
    way = -1 if change < 0 else 1
    agreeing = sum(1 for c in judged if c.change * way > 0) if change else 0
    verdict = Verdict.NO_CLEAR_CHANGE
    if is_clear(baseline, change) and agreeing * 2 > len(judged):
        verdict = Verdict.LESS_TENDER if change < 0 else Verdict.MORE_TENDER
    return Change(baseline, latest, sessions, verdict, spots=len(judged), agreeing=agreeing)


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


# -- the rule in words: the README's "Reading trends", the help screen and the PDF's "What the
# numbers mean" all show these paragraphs (`**` marks what is set in bold)

ASYMMETRY_POINTS = 1.0
ASYMMETRY_SESSIONS = 5
ASYMMETRY_HOLDS = 3

READING_TRENDS: tuple[str, ...] = (
    "Ratings on a 0–10 scale wobble from day to day, so selftrack is careful before it calls "
    "anything better or worse.",
    f"Each spot is judged on its own, side by side. Its **baseline** is the median of its first "
    f"{BASELINE_SESSIONS} sessions in the period you choose, its **latest** the median of its last "
    f"{BASELINE_SESSIONS} (with fewer than {2 * BASELINE_SESSIONS} sessions each takes half of them). "
    f"A verdict needs at least {MIN_SESSIONS} sessions of that spot on that side; with fewer it "
    "says **too few sessions** and gives none.",
    f"A change of at least {CLEAR_POINTS:g} points and at least {CLEAR_FRACTION:.0%} of the baseline "
    "is called **clearly less tender** or **clearly more tender**; anything smaller is **no clear "
    "change**. This threshold is borrowed from research on pain intensity (Farrar 2001, Ostelo "
    "2008, IMMPACT) and is not validated for the tenderness of a spot when it is pressed, with "
    "the pressure and the tool not controlled: read it as a large change, not as proof that "
    "something improved in a way that matters.",
    "A **region** (low back on the left, buttock on the right, …) is built from its spots, like "
    "for like: its baseline and latest are the means of the baselines and latests of its spots "
    f"that have {MIN_SESSIONS} or more sessions (the same spots in both), so changing routines "
    "cannot make a change appear. It is a clear change only when that mean change is clear and "
    "more than half of those spots moved the same way; how many spots it is built from, and how "
    "many agree, is shown. Its chart draws the mean of a fixed set of spots — the ones rated in "
    "the most sessions (at least 80% as many as its most-rated spot) — in the sessions that "
    "rated all of them, so the line cannot jump because the routine changed.",
    "**Overall pain**, noted before and after each session, is the measure that threshold was "
    f"made for: a change of that size over {MIN_SESSIONS} or more sessions is called a "
    "**meaningful** change (better or worse). Pain noted just before a session is not the usual "
    "average over the last day or week.",
    f"The **trend per month** is the Theil–Sen slope: the median of the slopes between every "
    f"pair of sessions (over more than {TREND_MAX_POINTS} sessions, between the medians of "
    f"{TREND_MAX_POINTS} equal slices of time), so one bad day or a flare does not tilt it. "
    "Charts draw a running median.",
    "A **skipped** spot is a gap in the series, never a 0.",
    "**Left and right** in a region: the mean of the spots rated on both sides in the same "
    f"session, left minus right, over the last {ASYMMETRY_SESSIONS} such sessions. It is called "
    f"notable only when the same side is at least {ASYMMETRY_POINTS:g} point more tender in at "
    f"least {ASYMMETRY_HOLDS} of those {ASYMMETRY_SESSIONS}; it does not use the change-over-time rule.",
    "A session's **summary** shows it against the last session of the same routine as plain "
    "numbers, without calling anything better or worse: one session is too little to judge.",
)

# -- the outcome measures in words: docs/outcomes.md gives the sources; `trend` shows these
# paragraphs when it shows an outcome, and the terminal program and the PDF can take them too

_MORNING = RULES[Measure.MORNING_PAIN]
_PEG = RULES[Measure.PEG]
_PSFS = RULES[Measure.PSFS]

READING_OUTCOMES: tuple[str, ...] = (
    "**Back and leg pain in the morning** are rated at the morning check-in on the 0–10 scale "
    f"pain research uses. Daily ratings are compared week against week: the baseline is the "
    f"median of the first {_MORNING.window} check-ins of the period, the latest the median of "
    f"the last {_MORNING.window}, and a verdict needs {_MORNING.minimum} check-ins. A change of "
    f"at least {_MORNING.points:g} points and at least {_MORNING.fraction:.0%} of the baseline is "
    "called a **meaningful** change, better or worse (Farrar 2001; Ostelo 2008 for low back "
    "pain); anything smaller is **no meaningful change**.",
    "The **PEG** is the mean of three answers about the past week: average pain, and how much "
    "pain interfered with enjoyment of life and with general activity (Krebs 2009). Weekly "
    f"forms are judged like sessions: the medians of the first and last {_PEG.window}, and "
    f"{_PEG.minimum} forms for a verdict. A change of at least {_PEG.fraction:.0%} of the "
    f"baseline and at least {_PEG.points:g} point is meaningful.",
    "The **PSFS** is the mean of how able you are (0 unable … 10 as before the problem) to do "
    "up to three activities you named (Stratford 1995); here **higher is better**. A change of "
    f"at least {_PSFS.points:g} points in the mean is meaningful (the threshold published with "
    f"the scale; for a single activity it is {PSFS_ACTIVITY_POINTS:g}), over {_PSFS.minimum} or "
    "more forms. Its line uses only the forms that rated the same activities as the latest one, "
    "so naming new activities cannot make a change appear.",
    "The **change since starting** you give each week (1 very much improved … 7 very much "
    "worse) speaks for itself: \"much improved\" or better is the level pain research takes as "
    "a meaningful improvement (Farrar 2001).",
)
