"""The guided walk's state, the session summary, nerve warnings and the first-run note."""

from __future__ import annotations

from datetime import timedelta


from selftrack import safety
from selftrack.clock import Clock
from selftrack.tracker import Tracker
from support import FIXED_NOW, TEST_PROTOCOLS


def _store(tracker, walk, value=None, *, skipped=False, advance=True):
    """What the walk screen does with a key: store the current step with its flags, then move."""
    rating = tracker.record_rating(
        walk.session.id, walk.current, value, skipped=skipped, **walk.pending.values()
    )
    walk.accept(rating, advance=advance)
    return rating


def test_walk_rates_in_order_and_advances(tracker):
    session = tracker.start_session("test-mini", "both")
    walk = tracker.open_walk(session.id)
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
    walk = tracker.open_walk(session.id)
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
    walk = tracker.open_walk(session.id)
    assert walk.current == 1
    _store(tracker, walk, 6)
    assert walk.current == 3
    undone = tracker.undo_last(session.id)
    walk.forget(undone)
    assert walk.current == 1 and 1 not in walk.ratings


def test_walk_wraps_to_earlier_gap_and_finishes(tracker):
    session = tracker.start_session("test-mini", "left")
    walk = tracker.open_walk(session.id)
    walk.forward()
    _store(tracker, walk, 2)
    assert walk.current == 2
    _store(tracker, walk, 2)
    assert walk.current == 0
    _store(tracker, walk, 0)
    assert walk.done


def test_flag_on_rated_step_restores_value(tracker):
    session = tracker.start_session("test-mini", "left")
    walk = tracker.open_walk(session.id)
    _store(tracker, walk, 7)
    walk.back()
    walk.toggle("nerve")
    flags = walk.flags_to_save()
    assert flags is not None and flags.nerve
    _store(tracker, walk, walk.ratings[walk.current].tenderness, advance=False)
    assert walk.current == 0
    assert tracker.ratings(session.id)[0].nerve


def test_nearest_step_and_off_view_spots(tracker):
    session = tracker.start_session("test-mini", "both")
    walk = tracker.open_walk(session.id)
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
        walk = t.open_walk(third.id)
    warnings = walk.nerve_warnings
    assert set(warnings) == {("test-line-1", "left")}
    assert warnings[("test-line-1", "left")] == FIXED_NOW - timedelta(days=3)
    assert walk.nerve_warning(0) is not None and walk.nerve_warning(2) is None
    assert walk.last_time(0).tenderness == 2


def test_report_sets_the_session_beside_the_last_one_without_judging(db_path):
    def at(days: int) -> Tracker:
        moment = FIXED_NOW - timedelta(days=days)
        return Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=Clock(fixed=moment, tz_name="UTC"))

    with at(2) as t:
        old = t.start_session("test-mini", "left", pain_before=6)
        for step, value in enumerate((9, 3, 5)):
            t.record_rating(old.id, step, value)
        t.finish(old.id, pain_after=4)
    with at(0) as t:
        now = t.start_session("test-mini", "left")
        t.record_rating(now.id, 0, 4, recognised=True)
        t.record_rating(now.id, 1, skipped=True)
        t.record_rating(now.id, 2, 6, nerve=True)
        report = t.report(now.id)
    assert report.previous is not None and report.previous.id == old.id
    assert [r.tenderness for r in report.hottest()] == [6, 4]
    # a drop of 5 points in one session is set beside last time as a number, never judged
    assert [(r.spot_id, r.before, r.tenderness, r.difference) for r in report.beside_last_time()] == [
        ("test-line-1", 9, 4, -5),
        ("test-dimple-spot", 5, 6, 1),
    ]
    assert not any(hasattr(r, "meaningful") or hasattr(r, "verdict") for r in report.results)
    assert [(r.rating.recognised, r.rating.nerve) for r in report.flagged()] == [(True, False), (False, True)]
    assert len(report.skipped) == 1 and report.unrated_count == 0
    assert report.mean == 5
    assert report.means_of_the_same_spots == (7, 5)


def test_safety_note_acknowledged_once_owner_only(private_home):
    assert not safety.is_acknowledged()
    path = safety.acknowledge(FIXED_NOW)
    assert safety.is_acknowledged()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert safety.is_ease_off(8) and not safety.is_ease_off(7) and not safety.is_ease_off(None)


# -- counts, the hold timer, words -------------------------------------------------------


def test_walk_counts_rated_and_skipped_apart(tracker):
    session = tracker.start_session("test-mini", "both")
    walk = tracker.open_walk(session.id)
    assert walk.nothing_rated
    _store(tracker, walk, skipped=True)
    assert (walk.rated_count, walk.skipped_count, walk.answered_count) == (0, 1, 1)
    assert walk.nothing_rated
    _store(tracker, walk, 4)
    assert (walk.rated_count, walk.skipped_count, walk.answered_count) == (1, 1, 2)
    assert not walk.nothing_rated


def test_hold_timer_stops_while_paused():
    from selftrack.session.hold import HoldTimer

    now = [100.0]
    timer = HoldTimer(lambda: now[0])
    now[0] += 7.5
    assert timer.seconds == 7
    timer.pause()
    now[0] += 60
    assert timer.seconds == 7 and timer.paused and "(paused)" in timer.bar()
    timer.resume()
    now[0] += 3
    assert timer.seconds == 10 and not timer.paused
    timer.restart()
    assert timer.seconds == 0
    now[0] += 31
    assert "30 s done" in timer.bar()


def test_refers_words_read_as_english():
    from selftrack.render.words import flag_words, refers_words

    assert refers_words("") == "refers"
    assert refers_words("the left buttock") == "refers to the left buttock"
    assert refers_words("into the left buttock") == "refers into the left buttock"
    assert refers_words("to the hip") == "refers to the hip"
    assert refers_words("  down the   thigh ") == "refers down the thigh"
    assert flag_words(False, True, "the left buttock", False) == ["refers to the left buttock"]


def test_minutes_follow_the_sides(tracker):
    spec = tracker.protocol("quick-check")
    assert spec.minutes_for("both") == spec.minutes
    assert 1 <= spec.minutes_for("left") < spec.minutes


def test_demo_is_about_one_session_a_day(tracker):
    from collections import Counter

    result = tracker.write_demo(days=120, seed=3)
    assert 90 <= result.sessions <= 140
    clock = tracker.clock
    per_day = Counter(clock.local(s.started_at).date() for s in tracker.sessions())
    assert max(per_day.values()) == 2 and 1 in per_day.values()
    assert len(per_day) < 118  # some days have none


def test_busy_demo_is_the_benchmarks_heavy_history(tracker):
    result = tracker.write_demo(days=30, seed=3, busy=True)
    assert result.sessions > 30 * 2.5


def test_changing_the_tool_offers_only_the_spots_own_tools(db_path, clock):
    """The tool key never offers a body-weight tool where the routine does not: near the
    sciatic nerve (the glute arcs) and where a condition took it away (blood thinners)."""
    from selftrack.domain.conditions import ConditionProfile
    from selftrack.domain.terms import BODY_WEIGHT_TOOLS

    with Tracker(str(db_path), clock=clock) as tracker:  # the built-in routines
        tracker.answer_screening({q.id: "no" for q in safety.RED_FLAG_SCREEN}, "first")
        for profile in (ConditionProfile(), ConditionProfile.of("blood-thinners")):
            tracker.set_conditions(profile)
            session = tracker.start_session("glute-arcs", "both", tool="hands")
            walk = tracker.open_walk(session.id)
            light_only = 0
            for index in range(walk.total):
                walk.go(index)
                offered = {walk.next_tool().tool for _ in range(len(walk.spot.tools) + 2)}
                assert offered - {None} <= set(walk.spot.tools), walk.spot.id
                light_only += not (set(walk.spot.tools) & BODY_WEIGHT_TOOLS)
            assert light_only  # some spots of the arcs are hands only (near the nerve)
