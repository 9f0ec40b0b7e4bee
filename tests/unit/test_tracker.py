"""The core façade: sessions, ratings, undo, resume, finish, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selftrack.clock import Clock
from selftrack.domain.model import ALTERNATING, ONE_SIDE_FIRST, SessionStatus, walk_order_of
from selftrack.tracker import Tracker, TrackerError
from support import FIXED_NOW, TEST_PROTOCOLS, next_step, unfinished

pytestmark = pytest.mark.backends


def test_walk_order_is_one_side_then_the_other(tracker):
    session = tracker.start_session("test-mini", "both", tool="ball", pain_before=5)
    walk = [(s.route_id, s.spot_id, s.side) for s in session.steps]
    assert walk == [
        ("line", "test-line-1", "left"),
        ("line", "test-line-2", "left"),
        ("named", "test-dimple-spot", "left"),
        ("line", "test-line-1", "right"),
        ("line", "test-line-2", "right"),
        ("named", "test-dimple-spot", "right"),
    ]
    assert [s.index for s in session.steps] == list(range(6))
    assert session.status is SessionStatus.IN_PROGRESS
    assert session.pain_before == 5 and session.tool == "ball"
    assert walk_order_of(session.steps) == ONE_SIDE_FIRST


def test_alternating_walk_order_is_route_by_route_left_then_right(tracker):
    session = tracker.start_session("test-mini", "both", order=ALTERNATING)
    walk = [(s.route_id, s.spot_id, s.side) for s in session.steps]
    assert walk == [
        ("line", "test-line-1", "left"),
        ("line", "test-line-2", "left"),
        ("line", "test-line-1", "right"),
        ("line", "test-line-2", "right"),
        ("named", "test-dimple-spot", "left"),
        ("named", "test-dimple-spot", "right"),
    ]
    assert walk_order_of(session.steps) == ALTERNATING
    with pytest.raises(TrackerError, match="order must be one of"):
        tracker.start_session("test-mini", "both", order="zigzag")


def test_a_stored_plan_keeps_its_order(tracker):
    """New sessions walk one side first; a session stored earlier keeps the order it had."""
    old = tracker.start_session("test-mini", "both", order=ALTERNATING)
    assert [s.side for s in tracker.open_walk(old.id).session.steps] == [
        "left", "left", "right", "right", "left", "right"
    ]


def test_finishing_with_nothing_rated_abandons_the_session(tracker):
    session = tracker.start_session("test-mini", "both")
    tracker.record_rating(session.id, 0, skipped=True)
    closed = tracker.finish(session.id, pain_after=3, notes="no time")
    assert closed.status is SessionStatus.ABANDONED and closed.notes == "no time"
    overview = tracker.overview()
    assert overview.total_sessions == 0 and overview.sessions_this_week == 0
    assert overview.streak_days == 0 and overview.last_session is None
    assert tracker.adherence().sessions == 0
    assert tracker.count_sessions(statuses=[SessionStatus.FINISHED]) == 0


def test_a_session_with_one_rating_finishes(tracker):
    session = tracker.start_session("test-mini", "both")
    tracker.record_rating(session.id, 0, skipped=True)
    tracker.record_rating(session.id, 1, 0)
    assert tracker.finish(session.id).status is SessionStatus.FINISHED
    overview = tracker.overview()
    assert (overview.total_sessions, overview.sessions_this_week, overview.streak_days) == (1, 1, 1)


def test_discard_deletes_only_a_session_with_nothing_rated(tracker):
    empty = tracker.start_session("test-mini", "both")
    tracker.record_rating(empty.id, 0, skipped=True)
    tracker.discard(empty.id)
    assert tracker.sessions() == []
    kept = tracker.start_session("test-mini", "both")
    tracker.record_rating(kept.id, 0, 4)
    with pytest.raises(TrackerError, match="abandoned, not discarded"):
        tracker.discard(kept.id)
    assert len(tracker.ratings(kept.id)) == 1


def test_one_side_only(tracker):
    session = tracker.start_session("test-mini", "right")
    assert {s.side for s in session.steps} == {"right"}
    assert len(session.steps) == 3


def test_rating_is_stored_and_visible_to_a_new_process_view(tracker, database_url, clock):
    session = tracker.start_session("test-mini", "both")
    tracker.record_rating(session.id, 0, 7, recognised=True)
    tracker.record_rating(session.id, 1, skipped=True)
    tracker.record_rating(session.id, 2, 0, nerve=True, note="zing")
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as other:
        ratings = other.ratings(session.id)
    assert [(r.step_index, r.tenderness, r.skipped) for r in ratings] == [
        (0, 7, False),
        (1, None, True),
        (2, 0, False),
    ]
    assert ratings[0].recognised and not ratings[0].nerve
    assert ratings[2].nerve and ratings[2].note == "zing"
    assert ratings[0].rated_at.tzinfo is not None


def test_skipped_is_never_zero(tracker):
    session = tracker.start_session("test-mini", "left")
    with pytest.raises(TrackerError):
        tracker.record_rating(session.id, 0, 0, skipped=True)
    with pytest.raises(TrackerError):
        tracker.record_rating(session.id, 0)
    tracker.record_rating(session.id, 0, skipped=True)
    (rating,) = tracker.ratings(session.id)
    assert rating.tenderness is None and rating.skipped


@pytest.mark.parametrize("bad", [-1, 11, 3.5, True, "5"])
def test_tenderness_out_of_scale_is_refused(tracker, bad):
    session = tracker.start_session("test-mini", "left")
    with pytest.raises(TrackerError, match="0 to 10"):
        tracker.record_rating(session.id, 0, bad)
    assert tracker.ratings(session.id) == []


def test_step_outside_session_is_refused(tracker):
    session = tracker.start_session("test-mini", "left")
    with pytest.raises(TrackerError, match="outside"):
        tracker.record_rating(session.id, 3, 2)


def test_rating_again_replaces(tracker):
    session = tracker.start_session("test-mini", "left")
    tracker.record_rating(session.id, 0, 3)
    tracker.record_rating(session.id, 0, 6, referred_to="hip")
    (rating,) = tracker.ratings(session.id)
    assert rating.tenderness == 6 and rating.referred and rating.referred_to == "hip"


def test_undo_last_and_resume_at_first_unrated(tracker):
    session = tracker.start_session("test-mini", "both")
    for step in range(3):
        tracker.record_rating(session.id, step, step + 1)
    undone = tracker.undo_last(session.id)
    assert undone is not None and undone.step_index == 2
    assert next_step(tracker, session.id) == 2
    open_session = unfinished(tracker)
    assert open_session is not None and open_session.id == session.id


def test_resume_finds_gap_not_end(tracker):
    session = tracker.start_session("test-mini", "both")
    tracker.record_rating(session.id, 0, 1)
    tracker.record_rating(session.id, 2, 1)
    assert next_step(tracker, session.id) == 1


def test_finish_and_abandon_close_the_session(tracker):
    first = tracker.start_session("test-mini", "left", pain_before=6)
    tracker.record_rating(first.id, 0, 4)
    done = tracker.finish(first.id, pain_after=3, notes="better")
    assert done.status is SessionStatus.FINISHED
    assert (done.pain_before, done.pain_after, done.notes) == (6, 3, "better")
    assert done.ended_at is not None
    with pytest.raises(TrackerError, match="finished"):
        tracker.record_rating(first.id, 1, 2)
    second = tracker.start_session("test-mini", "left")
    tracker.abandon(second.id)
    assert unfinished(tracker) is None
    assert tracker.ratings(first.id)[0].tenderness == 4


def test_pain_scale_checked(tracker):
    with pytest.raises(TrackerError):
        tracker.start_session("test-mini", "left", pain_before=12)
    session = tracker.start_session("test-mini", "left")
    with pytest.raises(TrackerError):
        tracker.finish(session.id, pain_after=-2)


def test_unknown_protocol_and_sides(tracker):
    with pytest.raises(TrackerError, match="no protocol 'nope'"):
        tracker.start_session("nope")
    with pytest.raises(TrackerError, match="sides"):
        tracker.start_session("test-mini", "middle")


def test_sessions_by_date_range_and_previous_ratings(database_url):
    def at(days: int) -> Tracker:
        return Tracker(
            database_url,
            protocols_dir=TEST_PROTOCOLS,
            clock=Clock(fixed=FIXED_NOW - timedelta(days=days), tz_name="UTC"),
        )

    ids = []
    for days, value in ((10, 8), (5, 6), (1, 3)):
        with at(days) as t:
            s = t.start_session("test-mini", "left")
            t.record_rating(s.id, 0, value)
            t.finish(s.id)
            ids.append(s.id)
    with at(0) as t:
        everything = t.sessions()
        assert [s.id for s in everything] == ids[::-1]
        recent = t.sessions(start=FIXED_NOW - timedelta(days=6))
        assert [s.id for s in recent] == ids[:0:-1]
        last = t.open_walk(ids[2]).previous
        assert last[("test-line-1", "left")].tenderness == 6
        assert ("test-line-2", "left") not in last


def test_session_keeps_spot_definitions_when_protocol_file_disappears(tmp_path, database_url, clock):
    folder = tmp_path / "mine"
    folder.mkdir()
    source = (TEST_PROTOCOLS / "mini.protocol.toml").read_text()
    (folder / "gone.protocol.toml").write_text(source.replace('"test-mini"', '"gone"'))
    with Tracker(database_url, protocols_dir=folder, clock=clock) as t:
        session = t.start_session("gone", "left")
    (folder / "gone.protocol.toml").unlink()
    with Tracker(database_url, protocols_dir=folder, clock=clock) as t:
        kept = t.session(session.id)
        assert "gone" not in t.load().specs
    assert kept.spots["test-dimple-spot"].name == "Test spot under the dimple"
    assert kept.route_names == {"line": "Test line", "named": "Test named spots"}
    assert len(kept.steps) == 3 and kept.protocol_hash


def test_naive_datetimes_are_refused(tracker):
    from datetime import datetime

    session = tracker.start_session("test-mini", "left")
    with pytest.raises(ValueError, match="naive"):
        with tracker.database.writing() as db:
            from selftrack.storage.store import Scope
            from selftrack.storage.writes import set_session_fields

            set_session_fields(Scope(db, 1), session.id, ended_at=datetime(2026, 1, 1))
    assert tracker.session(session.id).ended_at is None


def test_overview_on_empty_and_with_data(database_url):
    from selftrack.analysis.adherence import streak

    def at(days: float) -> Tracker:
        moment = FIXED_NOW - timedelta(days=days)
        return Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=Clock(fixed=moment, tz_name="UTC"))

    with at(0) as t:
        empty = t.overview()
        assert empty.total_sessions == 0 and empty.top_spots == [] and empty.streak_days == 0
    for days, value in ((30, 8), (2, 5), (1, 4), (0.1, 2)):
        with at(days) as t:
            s = t.start_session("test-mini", "left", pain_before=value)
            t.record_rating(s.id, 0, value)
            t.record_rating(s.id, 1, skipped=True)
            t.finish(s.id, pain_after=max(0, value - 1))
    with at(0) as t:
        view = t.overview()
    assert view.total_sessions == 4
    assert view.streak_days == 3
    assert [p for _, p in view.pain_series] == [8, 5, 4, 2]
    top = view.top_spots[0]
    assert top.subject.id == "test-line-1:left"
    # over the last 90 days: 8, 5, 4, 2 -> baseline median(8, 5) ... with 4 sessions, halves
    assert (top.summary.baseline, top.summary.latest) == (6.5, 3)
    assert top.summary.verdict.value == "too-few-sessions"
    # the skipped spot is never counted as 0
    assert all(s.subject.key != "test-line-2" for s in view.top_spots)
    from datetime import date

    assert streak({date(2026, 1, 1), date(2026, 1, 2)}, date(2026, 1, 3)) == 2
    assert streak({date(2026, 1, 1)}, date(2026, 1, 3)) == 0


def test_reading_first_does_not_lose_the_profile(tracker):
    assert tracker.sessions() == []
    assert unfinished(tracker) is None
    session = tracker.start_session("test-mini", "left")
    assert [s.id for s in tracker.sessions()] == [session.id]


def test_profile_first_seen_in_a_read_is_committed(db_path, clock):
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as t:
        assert t.overview().total_sessions == 0  # a read creates the profile
        session = t.start_session("test-mini", "left")  # a write relies on it
        t.record_rating(session.id, 0, 3)
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as t:
        assert t.count_sessions() == 1
