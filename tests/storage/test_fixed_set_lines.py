"""A region's line, summed in SQL, is what its definition says, on SQLite and PostgreSQL: in each
session that rated every spot of the set, the mean of their values (a spot's value being the
mean of its ratings in that session); sessions missing one of them are not drawn."""

from __future__ import annotations

import random

import pytest

from selftrack.storage import history
from history_support import SKIP, add_session, at

pytestmark = pytest.mark.backends

#          line1 L, line2 L, line1 R, line2 R, dimple L, dimple R
SETS = [
    [("test-line-1", "left"), ("test-line-2", "left")],
    [("test-line-1", "right")],
    [("test-line-1", "left"), ("test-line-1", "right"), ("test-dimple-spot", "left")],
    [],
]


def _expected(tracker, pairs, start=None, end=None) -> list[tuple]:
    """The definition, in Python, from the ratings as stored."""
    with tracker.database.reading() as conn:
        rows = conn.rows("SELECT started_at, spot_id, side, tenderness FROM ratings WHERE tenderness IS NOT NULL")
    values: dict = {}
    for started, spot, side, value in rows:
        moment = conn.moment(started)
        if (spot, side) in pairs and (start is None or moment >= start) and (end is None or moment <= end):
            values.setdefault(moment, {}).setdefault((spot, side), []).append(value)
    return [
        (moment, sum(sum(v) / len(v) for v in spots.values()) / len(pairs))
        for moment, spots in sorted(values.items())
        if len(spots) == len(pairs)
    ]


def test_each_line_is_the_mean_of_its_set_in_the_sessions_that_rated_all_of_it(tracker):
    rng = random.Random(17)
    for days in range(20, 0, -1):
        values = [SKIP if rng.random() < 0.25 else rng.randint(0, 10) for _ in range(6)]
        add_session(tracker, at(days), values)
    for start, end in ((None, None), (at(12), at(4))):
        with tracker.store.reading() as scope:
            lines = history.fixed_set_lines(scope, SETS, start, end)
        assert len(lines) == len(SETS) and lines[-1] == []
        for pairs, line in zip(SETS, lines):
            expected = _expected(tracker, pairs, start, end)
            assert [(p.moment, pytest.approx(p.value)) for p in line] == expected
        assert 0 < len(lines[2]) < len(lines[1])  # some sessions miss one of three: not drawn


def test_a_set_with_nothing_rated_has_an_empty_line(tracker):
    add_session(tracker, at(2), [SKIP, 3, SKIP, SKIP, SKIP, SKIP])
    with tracker.store.reading() as scope:
        assert history.fixed_set_lines(scope, SETS[:2]) == [[], []]
        assert history.fixed_set_lines(scope, []) == []
