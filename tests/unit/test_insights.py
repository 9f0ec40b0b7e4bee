"""What the person's own data says: next-morning back pain after days with a session against
days without, on records with a known planted effect and with none."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from selftrack.analysis.insights import (
    MIN_DAYS,
    Day,
    Finding,
    build_days,
    compare,
    percentile_interval,
    resampled_medians,
)
from selftrack.analysis.stats import median

D0 = date(2026, 3, 2)


def _record(days: int, effect: float, *, session_share: float = 0.6, seed: int = 3, noise: float = 1.0):
    """Sessions on a random share of days (alternating routine and tool); the next morning's
    back pain is 5 + noise, minus `effect` after a day with a session."""
    rng = random.Random(seed)
    sessions, mornings = [], {}
    for n in range(days):
        day = D0 + timedelta(days=n)
        had = rng.random() < session_share
        if had:
            routine, tool = ("lines", "cane") if n % 2 else ("arcs", "ball")
            sessions.append((day, routine, frozenset({tool})))
        mornings[day + timedelta(days=1)] = max(0, min(10, round(5 - (effect if had else 0) + rng.gauss(0, noise))))
    return build_days(sessions, mornings)


def test_days_are_counted_by_the_next_mornings_back_pain():
    sessions = [(D0, "lines", frozenset({"cane"})), (D0, "arcs", frozenset({"ball"}))]
    mornings = {D0 + timedelta(days=1): 3, D0 + timedelta(days=2): 6, D0 + timedelta(days=5): 4}
    days = build_days(sessions, mornings)
    assert [(d.day, d.routines, d.tools, d.next_morning) for d in days] == [
        (D0, frozenset({"lines", "arcs"}), frozenset({"cane", "ball"}), 3),
        (D0 + timedelta(days=1), frozenset(), frozenset(), 6),
        (D0 + timedelta(days=4), frozenset(), frozenset(), 4),
    ]
    # a session without a check-in the next morning does not count
    assert build_days([(D0, "lines", frozenset())], {}) == []


def test_a_planted_effect_is_found_and_worded_as_lower():
    insights = compare(_record(120, effect=2.0))
    overall = insights.overall
    assert overall.with_days >= MIN_DAYS and overall.without_days >= MIN_DAYS
    assert overall.with_median == 3.0 and overall.without_median == 5.0 and overall.difference == -2.0
    assert overall.high < 0 and overall.finding is Finding.LOWER
    assert {c.key: c.finding for c in insights.by_routine} == {"arcs": Finding.LOWER, "lines": Finding.LOWER}
    assert {c.key: c.finding for c in insights.by_tool} == {"ball": Finding.LOWER, "cane": Finding.LOWER}
    assert insights.days == 120 and insights.first == D0


def test_no_effect_gives_no_clear_difference():
    overall = compare(_record(120, effect=0.0, noise=1.5)).overall
    assert overall.with_days >= MIN_DAYS and overall.without_days >= MIN_DAYS
    assert overall.low <= 0 <= overall.high and overall.finding is Finding.NO_CLEAR_DIFFERENCE


def test_a_higher_morning_after_sessions_is_said_too():
    assert compare(_record(120, effect=-2.0)).overall.finding is Finding.HIGHER


def test_not_enough_data_until_each_group_has_fourteen_days():
    with_sessions = [Day(D0 + timedelta(days=n), frozenset({"lines"}), frozenset(), 3) for n in range(40)]
    without = [Day(D0 - timedelta(days=n + 1), frozenset(), frozenset(), 8) for n in range(14)]
    # 13 days without a session: no interval, whatever the medians say
    overall = compare(without[1:] + with_sessions).overall
    assert (overall.with_days, overall.without_days) == (40, 13)
    assert overall.finding is Finding.NOT_ENOUGH and overall.low is None and overall.high is None
    assert (overall.with_median, overall.without_median, overall.difference) == (3.0, 8.0, -5.0)  # still shown
    # the fourteenth day makes the comparison
    assert compare(without + with_sessions).overall.finding is Finding.LOWER
    # and the other way round: 13 days with a session
    assert compare(without + with_sessions[:13]).overall.finding is Finding.NOT_ENOUGH
    empty = compare([])
    assert empty.overall.finding is Finding.NOT_ENOUGH and empty.days == 0 and empty.first is None


def test_the_interval_is_reproducible():
    days = _record(150, effect=1.0)
    assert compare(days) == compare(days)
    a, b = compare(days).overall, compare(list(days)).overall
    assert (a.low, a.high) == (b.low, b.high)


def test_percentile_interval_by_hand():
    values = list(range(1, 201))  # 1 … 200: 2.5 % is the 6th value, 97.5 % the 195th
    assert percentile_interval(values) == (6.0, 195.0)


@pytest.mark.parametrize("values", [[1, 2, 2, 3, 5, 7, 8], [1, 2, 2, 3, 5, 7, 8, 9], [4], [3, 9]])
def test_order_statistic_bootstrap_matches_resampling(values):
    """The constant-time draw gives the same distribution of medians as full resamples."""
    count = 30000
    rng = random.Random(7)
    naive = Counter(median(rng.choices(values, k=len(values))) for _ in range(count))
    fast = Counter(resampled_medians(values, random.Random(8), count))
    for value in set(naive) | set(fast):
        assert abs(naive[value] - fast[value]) / count < 0.015, value
