"""The guided walk's state, the session summary, nerve warnings and the first-run note."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selftrack import safety
from selftrack.analysis.summary import is_meaningful
from selftrack.clock import Clock
from selftrack.tracker import Tracker
from selftrack.walk import Walk
from support import FIXED_NOW, TEST_PROTOCOLS


def _store(tracker, walk, value=None, *, skipped=False):
    rating = walk.request(value, skipped=skipped).store(tracker)
    walk.accept(rating)
    return rating


def test_walk_rates_in_order_and_advances(tracker):
    session = tracker.start_session("test-mini", "both")
    walk = Walk.load(tracker, session.id)
    assert (walk.current, walk.total, walk.done) == (0, 6, False)
    _store(tracker, walk, 3)
    assert walk.current == 1
    walk.toggle("recognised")
    walk.set_referred("thigh")
    _store(tracker, walk, skipped=True)
    assert walk.current == 2 and walk.pending.recognised is False
    stored = {r.step_index: r for r in tracker.ratings(session.id)}
    assert stored[0].tenderness == 3 and not stored[0].skipped
    assert stored[1].skipped and stored[1].tenderness is None
    assert stored[1].recognised and stored[1].referred_to == "thigh"


def test_back_rerate_moves_to_next_unrated_not_next_step(tracker):
    session = tracker.start_session("test-mini", "both")
    walk = Walk.load(tracker, session.id)
    for value in (1, 2, 3):
        _store(tracker, walk, value)
    assert walk.current == 3
    walk.back()
    walk.back()
    assert walk.current == 1 and walk.flags_at(1) == walk.pending
    _store(tracker, walk, 9)
    assert walk.current == 3
    assert tracker.ratings(session.id)[1].tenderness == 9


def test_resume_starts_at_first_gap_and_undo_returns(tracker):
    session = tracker.start_session("test-mini", "both")
    tracker.record_rating(session.id, 0, 4)
    tracker.record_rating(session.id, 2, 5)
    walk = Walk.load(tracker, session.id)
    assert walk.current == 1
    _store(tracker, walk, 6)
    assert walk.current == 3
    undone = tracker.undo_last(session.id)
    walk.forget(undone)
    assert walk.current == 1 and 1 not in walk.ratings


def test_walk_wraps_to_earlier_gap_and_finishes(tracker):
    session = tracker.start_session("test-mini", "left")
    walk = Walk.load(tracker, session.id)
    walk.forward()
    _store(tracker, walk, 2)
    assert walk.current == 2
    _store(tracker, walk, 2)
    assert walk.current == 0
    _store(tracker, walk, 0)
    assert walk.done


def test_flag_on_rated_step_restores_value(tracker):
    session = tracker.start_session("test-mini", "left")
    walk = Walk.load(tracker, session.id)
    _store(tracker, walk, 7)
    walk.back()
    walk.toggle("nerve")
    request = walk.flag_request()
    assert request is not None and request.tenderness == 7
    walk.accept(request.store(tracker), advance=False)
    assert walk.current == 0
    assert tracker.ratings(session.id)[0].nerve


def test_nearest_step_and_off_view_spots(tracker):
    session = tracker.start_session("test-mini", "both")
    walk = Walk.load(tracker, session.id)
    x, y = session.spots["test-dimple-spot"].position("right")
    index = walk.nearest_step(x + 0.01, y)
    assert session.steps[index].spot_id == "test-dimple-spot"
    assert session.steps[index].side == "right"


def test_nerve_warning_shows_in_later_sessions(db_path):
    def at(days: int) -> Tracker:
        moment = FIXED_NOW - timedelta(days=days)
        return Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=Clock(fixed=moment, tz_name="UTC"))

    with at(3) as t:
        first = t.start_session("test-mini", "left")
        t.record_rating(first.id, 0, 4, nerve=True)
        t.finish(first.id)
    with at(1) as t:
        second = t.start_session("test-mini", "left")
        t.record_rating(second.id, 0, 2)
        t.finish(second.id)
    with at(0) as t:
        third = t.start_session("test-mini", "both")
        warnings = t.nerve_warnings(third.id)
        walk = Walk.load(t, third.id)
    assert set(warnings) == {("test-line-1", "left")}
    assert warnings[("test-line-1", "left")] == FIXED_NOW - timedelta(days=3)
    assert walk.nerve_warning(0) is not None and walk.nerve_warning(2) is None
    assert walk.last_time(0).tenderness == 2


def test_summary_against_last_session_of_same_routine(db_path):
    def at(days: int) -> Tracker:
        moment = FIXED_NOW - timedelta(days=days)
        return Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=Clock(fixed=moment, tz_name="UTC"))

    with at(2) as t:
        old = t.start_session("test-mini", "left", pain_before=6)
        for step, value in enumerate((8, 3, 5)):
            t.record_rating(old.id, step, value)
        t.finish(old.id, pain_after=4)
    with at(0) as t:
        now = t.start_session("test-mini", "left")
        t.record_rating(now.id, 0, 4, recognised=True)
        t.record_rating(now.id, 1, skipped=True)
        t.record_rating(now.id, 2, 6, nerve=True)
        summary = t.summary(now.id)
    assert summary.previous is not None and summary.previous.id == old.id
    assert [r.tenderness for r in summary.hottest()] == [6, 4]
    changes = summary.changes()
    assert [(r.spot_id, r.change, r.meaningful) for r in changes] == [
        ("test-line-1", -4, True),
        ("test-dimple-spot", 1, False),
    ]
    assert [r.flags for r in summary.flagged()] == [("recognised",), ("nerve",)]
    assert len(summary.skipped) == 1 and summary.unrated_count == 0
    assert summary.mean == 5
    assert summary.mean_before_same_spots == (5, 6.5)


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [(8, 5, True), (8, 6, False), (10, 8, False), (3, 1, True), (0, 2, True), (6, 5, False)],
)
def test_meaningful_change_rule(before, after, meaningful):
    assert is_meaningful(before, after) is meaningful


def test_safety_note_acknowledged_once_owner_only(private_home):
    assert not safety.is_acknowledged()
    path = safety.acknowledge(FIXED_NOW)
    assert safety.is_acknowledged()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert safety.is_ease_off(8) and not safety.is_ease_off(7) and not safety.is_ease_off(None)


def test_warm_up_stores_nothing(tracker):
    session = tracker.start_session("test-mini", "left")
    tracker.warm_up(session.id)
    assert tracker.ratings(session.id) == []
    tracker.record_rating(session.id, 0, 6)
    tracker.warm_up(session.id)
    assert [r.tenderness for r in tracker.ratings(session.id)] == [6]
