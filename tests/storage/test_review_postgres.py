"""History and trend queries give the same answers on PostgreSQL as on SQLite.

Runs on the PostgreSQL test server (SELFTRACK_TEST_PG_URL; .ci/run starts one).
"""

from __future__ import annotations

import pytest

from selftrack.clock import Clock
from selftrack.tracker import Tracker
from history_support import SKIP, add_session, at, crowd_first_step
from support import FIXED_NOW, TEST_PROTOCOLS

pytestmark = pytest.mark.postgres


def _answers(tracker: Tracker) -> dict:
    add_session(tracker, at(60), [6, 2, SKIP, 4, 8, 3], pain_before=6, pain_after=5)
    add_session(tracker, at(30), [5, 3, 4, 4, 7, SKIP], pain_before=5, pain_after=3, recognised=[4], nerve=[1])
    add_session(tracker, at(3), [2, 2, 1, 4, 6, 2], pain_before=3)
    subjects = ["low-back", "buttock:both", "test-dimple-spot", "pain"]
    return dict(
        summaries=[(s.started_at, s.rated, s.skipped, s.mean, s.highest) for s in tracker.session_summaries()],
        page=[s.rated for s in tracker.session_summaries(limit=2)],
        count=tracker.count_sessions_between(at(40), None),
        trends=[(t.subject, t.values, t.summary) for t in tracker.trends()],
        chosen=[(t.subject, t.values, t.summary) for t in tracker.trends(subjects, at(40), at(0))],
        spots=[(t.subject, t.values) for t in tracker.spot_trends()],
        heat=tracker.heat_map().cells,
        change=tracker.heat_change(*tracker.first_and_last_month())[2],
        adherence=tracker.adherence(),
        focus=sorted(tracker.focus_protocol().spots),
        flagged=tracker.flagged_spots(),
    )


def test_same_answers_as_sqlite(db_path, fresh_postgres_url):
    clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as lite:
        expected = _answers(lite)
    with Tracker(fresh_postgres_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as pg:
        assert _answers(pg) == expected


def test_region_means_stay_exact_past_the_packed_sums(fresh_postgres_url):
    """A session with 60,000 ratings of one region: PostgreSQL's packed sum passes the largest
    integer and the session is counted again, exactly."""
    clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    with Tracker(fresh_postgres_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as pg:
        add_session(pg, at(20), [3, 3, 3, 3, 3, 3])
        crowded = add_session(pg, at(10), [4, 6, 1, SKIP, 8, 2])
        crowd_first_step(fresh_postgres_url, crowded, 60000, 9)
        by_id = {t.subject.id: t.values for t in pg.trends()}
        assert by_id["low-back:left"] == [3.0, pytest.approx((10 + 60000 * 9) / 60002)]
        assert by_id["buttock:left"] == [3.0, 8.0]
        [both] = pg.trends(["low-back:both"])
        assert both.values == [3.0, pytest.approx((11 + 60000 * 9) / 60003)]
