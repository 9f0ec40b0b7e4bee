"""History and trend queries give the same answers on PostgreSQL as on SQLite.

Runs when SELFTRACK_TEST_PG_URL names an empty PostgreSQL database (see stack.md for
starting a throwaway server); skipped otherwise.
"""

from __future__ import annotations

import os

import pytest

from selftrack.clock import Clock
from selftrack.tracker import Tracker
from history_support import SKIP, add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS

PG_URL = os.environ.get("SELFTRACK_TEST_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="set SELFTRACK_TEST_PG_URL to an empty PostgreSQL database"),
]


def _fresh_schema(url: str) -> None:
    # built from the models: the upgrade path on PostgreSQL is tested with the migrations
    from sqlalchemy import create_engine, text

    from selftrack.storage.models import Base
    from selftrack.storage.schema import HEAD_REVISION

    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": HEAD_REVISION})
    engine.dispose()


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


def test_same_answers_as_sqlite(db_path):
    clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    _fresh_schema(PG_URL)
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as lite:
        expected = _answers(lite)
    with Tracker(PG_URL, protocols_dir=TEST_PROTOCOLS, clock=clock) as pg:
        assert _answers(pg) == expected
