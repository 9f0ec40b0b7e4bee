"""A spot's levels (its sessions, its first and last values) are the same whichever way they
are read, on SQLite and PostgreSQL: over all history (counts kept with the ratings, two index
seeks per spot) and over a period (one statement with window functions)."""

from __future__ import annotations

import random

import pytest

from selftrack.storage import history
from history_support import SKIP, add_session, at

pytestmark = pytest.mark.backends


def test_levels_over_a_period_holding_everything_equal_those_over_all_history(tracker):
    rng = random.Random(5)
    for days in range(30, 0, -1):
        values = [SKIP if rng.random() < 0.3 else rng.randint(0, 10) for _ in range(6)]
        add_session(tracker, at(days), values)
    with tracker.store.reading() as scope:
        everything = history.spot_levels(scope)
        period = history.spot_levels(scope, at(31), at(0))
        until = history.spot_levels(scope, None, at(0))
        sliced = history.spot_levels(scope, at(31), at(0), slices=4)
    assert everything == period == until
    assert {key: (v.sessions, v.first, v.last) for key, v in sliced.items()} == {
        key: (v.sessions, v.first, v.last) for key, v in everything.items()
    }
    assert all(len(v.first) == len(v.last) == min(3, v.sessions) for v in everything.values())


def test_levels_of_a_period_are_its_own_first_and_last_sessions(tracker):
    for days, value in ((9, 1), (8, 2), (7, 3), (6, 4), (5, 5), (4, 6), (3, 7), (2, 8)):
        add_session(tracker, at(days), [value, SKIP, SKIP, SKIP, SKIP, SKIP])
    with tracker.store.reading() as scope:
        [levels] = history.spot_levels(scope, at(7.5), at(2.5)).values()
    assert (levels.sessions, levels.first, levels.last) == (5, (3.0, 4.0, 5.0), (5.0, 6.0, 7.0))
