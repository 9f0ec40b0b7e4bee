"""The reads over a person's whole list of sessions never visit the session rows.

A session's row holds its plan (about 1.4 KB of JSON), so a read that touches the rows reads
every plan too; ix_sessions_profile_history carries what these reads ask for. The test asks
SQLite how it answers each statement those reads send: a column added to one of them that the
index lacks, or an order the index cannot give, shows here rather than as a slower history.
"""

from __future__ import annotations


import pytest

from selftrack.clock import Clock
from selftrack.domain.terms import SessionStatus
from selftrack.storage import history, queries
from selftrack.tracker import Tracker
from history_support import add_session, at
from support import TEST_PROTOCOLS

INDEX = "ix_sessions_profile_history"


@pytest.fixture
def sqlite_tracker(db_path, clock: Clock):
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        for day in range(4):
            add_session(tracker, at(day + 1), [3, 4, 5, 6, 2, 1], pain_before=5, pain_after=3)
        yield tracker


def _statements(tracker: Tracker, read) -> list[str]:
    """The statements `read(scope)` sends, with their values in place."""
    sent: list[str] = []
    with tracker.store.reading() as scope:
        scope.conn.raw.set_trace_callback(sent.append)
        try:
            result = read(scope)
            if hasattr(result, "__next__"):
                result = list(result)
            assert result, "the read found nothing: there is no plan to check"
        finally:
            scope.conn.raw.set_trace_callback(None)
    return [sql for sql in sent if sql.lstrip().upper().startswith("SELECT")]


def _plan(tracker: Tracker, sql: str) -> list[str]:
    with tracker.store.reading() as scope:
        return [row[-1] for row in scope.conn.rows(f"EXPLAIN QUERY PLAN {sql}")]


READS = {
    "history list": lambda scope: history.session_summaries(scope),
    "history list, a period": lambda scope: history.session_summaries(scope, at(3), at(0)),
    "history list, newest few": lambda scope: history.session_summaries(scope, limit=2),
    "pain series": lambda scope: history.pain_series(scope),
    "session starts": lambda scope: history.session_starts(scope, at(30)),
    "session count": lambda scope: queries.count_sessions(
        scope, statuses=[SessionStatus.FINISHED.value, SessionStatus.IN_PROGRESS.value]
    ),
}


@pytest.mark.parametrize("name", READS)
def test_a_read_over_the_session_list_is_answered_from_the_index_alone(sqlite_tracker, name):
    statements = _statements(sqlite_tracker, READS[name])
    assert statements
    for sql in statements:
        plan = _plan(sqlite_tracker, sql)
        assert any(f"COVERING INDEX {INDEX}" in step for step in plan), (sql, plan)
        assert not any("TEMP B-TREE" in step for step in plan), ("sorted apart from the index", sql, plan)


def test_the_history_list_is_newest_first(sqlite_tracker):
    with sqlite_tracker.store.reading() as scope:
        starts = [row.started_at for row in history.session_summaries(scope)]
    assert starts == sorted(starts, reverse=True) and len(starts) == 4
    assert starts[0] == at(1) and starts[-1] == at(4)
