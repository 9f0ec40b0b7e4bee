"""What is written twice stays equal: each session's totals are what its ratings add up to,
every rating carries its session's person and start, and each spot's count of sessions is
what the ratings hold — after any sequence of record, undo, correct, finish, delete and import. And a person's reads cost the same however many other
people the database holds."""

from __future__ import annotations

import io
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

from selftrack.clock import Clock
from selftrack.exports import ExportRequest
from selftrack.tracker import Tracker, TrackerError
from history_support import add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS

pytestmark = pytest.mark.backends

operation = st.one_of(
    st.tuples(st.just("start")),
    st.tuples(st.just("rate"), st.integers(0, 5), st.one_of(st.none(), st.integers(0, 10))),
    st.tuples(st.just("undo")),
    st.tuples(st.just("finish")),
    st.tuples(st.just("correct"), st.integers(0, 5), st.one_of(st.none(), st.integers(0, 10))),
    st.tuples(st.just("delete")),
    st.tuples(st.just("import")),
)


def assert_summaries_agree(tracker: Tracker) -> None:
    """Check the stored totals and copies against the ratings, computed here in Python."""
    with tracker.database.reading() as db:
        sessions = {
            sid: (profile, db.moment(started), (rated, skipped, total, top))
            for sid, profile, started, rated, skipped, total, top in db.rows(
                "SELECT id, profile_id, started_at, rated, skipped, tenderness_sum, tenderness_max FROM sessions"
            )
        }
        ratings = db.rows("SELECT session_id, profile_id, started_at, tenderness, spot_id, side FROM ratings")
        kept = {(p, spot, side): n for p, spot, side, n in db.rows("SELECT profile_id, spot_id, side, sessions FROM spot_counts")}
    rated_in: dict[tuple, set] = {}
    for sid, profile, _started, value, spot, side in ratings:
        if value is not None:
            rated_in.setdefault((profile, spot, side), set()).add(sid)
    assert kept == {key: len(ids) for key, ids in rated_in.items()}, "the spot counts differ from the ratings"
    added: dict[str, list] = {sid: [0, 0, 0, None] for sid in sessions}
    for sid, profile, started, value, _spot, _side in ratings:
        assert (profile, db.moment(started)) == sessions[sid][:2], "a rating's copies differ from its session"
        totals = added[sid]
        if value is None:
            totals[1] += 1
        else:
            totals[0] += 1
            totals[2] += value
            totals[3] = value if totals[3] is None else max(totals[3], value)
    for sid, (_profile, _started, stored) in sessions.items():
        assert stored == tuple(added[sid]), f"session {sid}: totals {stored} != ratings {added[sid]}"


SETTINGS = settings(
    max_examples=25, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


@pytest.mark.slow
@SETTINGS
@given(operations=st.lists(operation, min_size=1, max_size=25))
def test_totals_equal_the_ratings_after_any_sequence(new_database_url, operations):
    clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    source_url = new_database_url("source")
    with Tracker(source_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as source:
        add_session(source, at(5), [3, None, 7, 2, 9, 4], pain_before=5)
        exported = io.StringIO(newline="")
        source.export(ExportRequest("json"), exported)
    document = exported.getvalue()
    with Tracker(new_database_url("target"), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        current = None
        finished: list[str] = []
        for moment, (kind, *args) in enumerate(operations):
            tracker.clock = Clock(fixed=FIXED_NOW + timedelta(minutes=moment), tz_name="Europe/London")
            try:
                if kind == "start":
                    current = tracker.start_session("test-mini", "both").id
                elif kind == "rate" and current:
                    step, value = args
                    tracker.record_rating(current, step, value, skipped=value is None)
                elif kind == "undo" and current:
                    tracker.undo_last(current)
                elif kind == "finish" and current:
                    tracker.finish(current)
                    finished.append(current)
                    current = None
                elif kind == "correct" and finished:
                    step, value = args
                    tracker.correct_rating(finished[-1], step, value, skipped=value is None)
                elif kind == "delete" and finished:
                    tracker.delete_session(finished.pop())
                elif kind == "import":
                    path = _write(document, new_database_url)
                    tracker.import_file(path)
            except TrackerError:
                pass  # refused (e.g. correcting a step with no rating): nothing changed
            assert_summaries_agree(tracker)


def _write(document: str, new_database_url) -> str:
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / "export.json"
    path.write_text(document, encoding="utf-8")
    return str(path)


def test_a_persons_reads_cost_the_same_however_many_others_are_stored(tmp_path, backend):
    """Counted in SQLite's virtual-machine steps (deterministic), not in seconds: the same
    person's history, trends, heat map and session opening read as much beside 20 others'
    records as alone."""
    if backend != "sqlite":
        pytest.skip("the step counter is SQLite's")
    from selftrack.storage.engine import SQLiteDatabase

    def cost(path, others: int) -> int:
        clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
        for number in range(others):
            with Tracker(str(path), protocols_dir=TEST_PROTOCOLS, clock=clock, profile=f"other{number}") as other:
                for days in range(12, 0, -1):
                    add_session(other, at(days), [5, 6, 4, 3, 7, 2], pain_before=5)
        with Tracker(str(path), protocols_dir=TEST_PROTOCOLS, clock=clock) as mine:
            for days in range(12, 0, -1):
                add_session(mine, at(days), [4, 4, 4, 4, 4, 4], pain_before=4)
            open_session = mine.start_session("test-mini", "both")
        steps = [0]
        real_connect = SQLiteDatabase.connect

        def counted(database):
            raw = real_connect(database)
            raw.set_progress_handler(lambda: steps.__setitem__(0, steps[0] + 1) or 0, 100)
            return raw

        SQLiteDatabase.connect = counted
        try:
            with Tracker(str(path), protocols_dir=TEST_PROTOCOLS, clock=clock) as mine:
                mine.session_summaries()
                mine.trends()
                mine.trends(["test-line-1"])
                mine.spot_trends()
                mine.heat_map()
                mine.overview()
                mine.open_walk(open_session.id)
        finally:
            SQLiteDatabase.connect = real_connect
        return steps[0]

    alone = cost(tmp_path / "alone.db", 0)
    crowded = cost(tmp_path / "crowded.db", 20)
    assert alone > 0
    assert crowded <= alone * 1.10, f"{crowded} steps beside 20 others against {alone} alone"
