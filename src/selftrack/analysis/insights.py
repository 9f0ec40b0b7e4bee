"""What the person's own data says: back pain the next morning after days with a session,
against days without one — overall, by routine and by tool.

Pure: given the days with sessions and the morning check-ins, it compares the two groups'
medians and gives an honest interval for the difference (a percentile bootstrap of the
difference of medians, seeded so the same data always gives the same answer). It is an
observation about this person, never proof: the days were not chosen at random.

- A day counts when the next day has a morning check-in; its value is that check-in's back
  pain. Days "with" a routine or tool are days with a session of it; every comparison is
  against the same days without any session.
- Until each group has at least 14 days: "not enough data yet", and no interval.
- When the interval holds 0: "no clear difference". Otherwise lower or higher after session
  days, with the counts and the interval, never "better" or "because".
"""

from __future__ import annotations

import enum
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from selftrack.analysis.stats import median

MIN_DAYS = 14  # days in each group before any comparison is made
RESAMPLES = 2000
CONFIDENCE = 0.95
SEED = 16  # fixed: the same record always gives the same interval

CAVEAT = (
    "This is what your own record shows, not proof that sessions change your pain. People "
    "tend to do a session on the days their back is bad, and sleep, work and activity change "
    "from day to day too, so a difference here can have other causes — and no difference "
    "does not mean the sessions do nothing."
)
METHOD = (
    f"Each day counts once, by the back pain you gave at the next morning's check-in. Days "
    f"with a session (of a routine, or with a tool) are set against the same days without any "
    f"session. The figure is the difference of the two medians; the range is a "
    f"{CONFIDENCE:.0%} bootstrap interval ({RESAMPLES} resamples, seeded so it does not change "
    f"between looks). Until both groups have {MIN_DAYS} days it says not enough data yet; when "
    "the range includes 0, no clear difference."
)


class Finding(str, enum.Enum):
    """What one comparison amounts to."""

    NOT_ENOUGH = "not-enough-data"
    NO_CLEAR_DIFFERENCE = "no-clear-difference"
    LOWER = "lower-after-sessions"
    HIGHER = "higher-after-sessions"


@dataclass(frozen=True, slots=True)
class Day:
    """One day: the routines and tools of its sessions (none: a day without a session) and
    the back pain at the next morning's check-in."""

    day: date
    routines: frozenset[str]
    tools: frozenset[str]
    next_morning: int

    @property
    def had_session(self) -> bool:
        return bool(self.routines)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Next-morning back pain after days with (`kind` all, routine or tool; `key` which one)
    against days without any session: counts, medians, the difference (with minus without)
    and its interval, and what it amounts to."""

    kind: str
    key: str
    with_days: int
    without_days: int
    with_median: float | None
    without_median: float | None
    difference: float | None
    low: float | None
    high: float | None
    finding: Finding


@dataclass(frozen=True)
class Insights:
    """Every comparison the record allows, and the days it rests on."""

    overall: Comparison
    by_routine: tuple[Comparison, ...]
    by_tool: tuple[Comparison, ...]
    days: int  # days with a next-morning check-in
    first: date | None
    last: date | None
    routine_names: Mapping[str, str] = field(default_factory=dict)


def build_days(
    sessions: Iterable[tuple[date, str, frozenset[str]]], mornings: Mapping[date, int]
) -> list[Day]:
    """The days that have a check-in the next morning, each with its sessions' routines and
    tools (`sessions`: local day, routine, tools of each session)."""
    routines: dict[date, set[str]] = {}
    tools: dict[date, set[str]] = {}
    for day, routine, used in sessions:
        routines.setdefault(day, set()).add(routine)
        tools.setdefault(day, set()).update(used)
    out = []
    for morning in sorted(mornings):
        day = morning - timedelta(days=1)
        out.append(
            Day(day, frozenset(routines.get(day, ())), frozenset(tools.get(day, ())), mornings[morning])
        )
    return out


def compare(days: Sequence[Day], routine_names: Mapping[str, str] | None = None) -> Insights:
    """Every comparison: any session, each routine, each tool, against days without one
    (`routine_names`: what to call each routine)."""
    without = [d.next_morning for d in days if not d.had_session]
    control = _Bootstrap(without, "without")
    overall = _compare("all", "", [d.next_morning for d in days if d.had_session], without, control)
    routines = sorted({r for d in days for r in d.routines})
    tools = sorted({t for d in days for t in d.tools})
    by_routine = tuple(
        _compare("routine", r, [d.next_morning for d in days if r in d.routines], without, control)
        for r in routines
    )
    by_tool = tuple(
        _compare("tool", t, [d.next_morning for d in days if t in d.tools], without, control) for t in tools
    )
    return Insights(
        overall, by_routine, by_tool, len(days), days[0].day if days else None,
        days[-1].day if days else None, dict(routine_names or {}),
    )  # fmt: skip


class _Bootstrap:
    """The bootstrap medians of one group, drawn once (from their own seed) and reused."""

    def __init__(self, values: Sequence[int], name: str) -> None:
        self.values = list(values)
        self.name = name
        self._medians: list[float] | None = None

    @property
    def medians(self) -> list[float]:
        if self._medians is None:
            self._medians = resampled_medians(self.values, random.Random(f"{SEED}:{self.name}"))
        return self._medians


def resampled_medians(values: Sequence[float], rng: random.Random, resamples: int = RESAMPLES) -> list[float]:
    """The medians of `resamples` bootstrap resamples of `values` (with replacement, the same
    size), each drawn in constant time.

    A resample draws value number floor(U·n) of the sorted values for each of n uniform
    numbers U, so its k-th smallest value is the one at the k-th smallest U, which follows a
    Beta(k, n + 1 − k) distribution; the next one up is that plus (1 − it) times a
    Beta(1, n − k). Drawing those one or two order statistics gives exactly the median of a
    full resample, with two random numbers instead of n (ten years of days take milliseconds).
    """
    ordered = sorted(values)
    size = len(ordered)
    if not size:
        return []
    last = size - 1
    beta = rng.betavariate
    if size % 2:
        k = (size + 1) // 2
        return [ordered[min(last, int(beta(k, size + 1 - k) * size))] for _ in range(resamples)]
    k = size // 2
    out = []
    for _ in range(resamples):
        low = beta(k, size + 1 - k)
        high = low + (1 - low) * beta(1, size - k)
        out.append((ordered[min(last, int(low * size))] + ordered[min(last, int(high * size))]) / 2)
    return out


def percentile_interval(differences: Sequence[float], confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The central `confidence` share of the bootstrap differences (percentile method)."""
    ordered = sorted(differences)
    tail = (1 - confidence) / 2
    low = ordered[int(tail * len(ordered))]
    high = ordered[min(len(ordered) - 1, int((1 - tail) * len(ordered)) - 1)]
    return float(low), float(high)


def _compare(kind: str, key: str, with_values: Sequence[int], without: Sequence[int], control: _Bootstrap) -> Comparison:
    with_median = float(median(with_values)) if with_values else None
    without_median = float(median(without)) if without else None
    difference = None if with_median is None or without_median is None else with_median - without_median
    if len(with_values) < MIN_DAYS or len(without) < MIN_DAYS:
        return Comparison(
            kind, key, len(with_values), len(without), with_median, without_median, difference, None, None,
            Finding.NOT_ENOUGH,
        )  # fmt: skip
    group = resampled_medians(with_values, random.Random(f"{SEED}:{kind}:{key}"))
    low, high = percentile_interval([a - b for a, b in zip(group, control.medians)])
    if low <= 0 <= high:
        finding = Finding.NO_CLEAR_DIFFERENCE
    else:
        finding = Finding.LOWER if high < 0 else Finding.HIGHER
    return Comparison(
        kind, key, len(with_values), len(without), with_median, without_median, difference, low, high, finding
    )
