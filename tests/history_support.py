"""Helpers to write small, exactly known histories with the test routine (tests/data/protocols).

The test routine walked on both sides has six steps, in this order:
0 test-line-1 left, 1 test-line-2 left, 2 test-line-1 right, 3 test-line-2 right
(region low-back), 4 test-dimple-spot left, 5 test-dimple-spot right (region buttock).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from selftrack.clock import Clock
from selftrack.domain.model import ALTERNATING
from selftrack.tracker import Tracker

from support import FIXED_NOW

SKIP = None


def at(days_ago: float) -> datetime:
    """A moment `days_ago` days before the fixed test clock."""
    return FIXED_NOW - timedelta(days=days_ago)


def add_session(
    tracker: Tracker,
    when: datetime,
    values: Sequence[int | None],
    *,
    pain_before: int | None = None,
    pain_after: int | None = None,
    sides: str = "both",
    recognised: Sequence[int] = (),
    nerve: Sequence[int] = (),
    finish: bool = True,
    protocol: str = "test-mini",
    order: str = ALTERNATING,
) -> str:
    """A session started at `when` with one value per step (SKIP = skipped); returns its id.

    The steps go route by route, each on the left and then the right (ALTERNATING: the order
    these tests' values were written for), unless `order` says otherwise.
    """
    saved = tracker.clock
    tracker.clock = Clock(fixed=when, tz_name=saved.tz_name)
    try:
        session = tracker.start_session(protocol, sides, pain_before=pain_before, order=order)
        for index, value in enumerate(values):
            if value is SKIP:
                tracker.record_rating(session.id, index, skipped=True)
            else:
                tracker.record_rating(
                    session.id, index, value, recognised=index in recognised, nerve=index in nerve
                )
        if finish:
            tracker.finish(session.id, pain_after=pain_after)
    finally:
        tracker.clock = saved
    return session.id
