"""History and trend queries give the same answers on PostgreSQL as on SQLite.

Runs on the PostgreSQL test server (SELFTRACK_TEST_PG_URL; .ci/run starts one).
"""

from __future__ import annotations

import pytest

from selftrack.clock import Clock
from selftrack.tracker import Tracker
from history_support import SKIP, add_session, at
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
        count=tracker.count_sessions(at(40), None),
        trends=[(t.subject, t.values, t.summary, t.drawn_from) for t in tracker.trends()],
        chosen=[(t.subject, t.values, t.summary) for t in tracker.trends(subjects, at(40), at(0))],
        spots=[(t.subject, t.summary, t.slices) for t in tracker.spot_trends(slices=16)],
        heat=tracker.heat_map().cells,
        asymmetries=tracker.asymmetries(),
        adherence=tracker.adherence(),
        notes=tracker.notes(),
        focus=sorted(tracker.focus_protocol().spots),
        flagged=tracker.flagged_spots(),
    )


def test_same_answers_as_sqlite(db_path, fresh_postgres_url):
    clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as lite:
        expected = _answers(lite)
    with Tracker(fresh_postgres_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as pg:
        assert _answers(pg) == expected
