"""Safety over time: the red-flag screen asked, dated and asked again; conditions that adapt
the routine; spots that rest after hard pressing; the soreness question. Clock injected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selftrack import safety
from selftrack.analysis import care
from selftrack.clock import Clock
from selftrack.domain.conditions import ConditionProfile
from selftrack.tracker import Tracker, TrackerError
from history_support import add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS

ALL_NO = {q.id: "no" for q in safety.RED_FLAG_SCREEN}


def _at(tracker: Tracker, moment) -> None:
    tracker.clock = Clock(fixed=moment, tz_name="Europe/London")


# -- the rules ---------------------------------------------------------------------------------


def test_screening_outcomes():
    assert care.screening_outcome(ALL_NO) == "clear"
    assert care.screening_outcome({**ALL_NO, "saddle-numbness": "yes"}) == "emergency"
    assert care.screening_outcome({**ALL_NO, "cancer": "yes"}) == "clinician"
    assert care.screening_outcome({**ALL_NO, "cancer": "cleared"}) == "clear"
    # an emergency sign cannot be cleared in advance
    assert care.screening_outcome({**ALL_NO, "bladder-bowel": "cleared"}) == "emergency"
    with pytest.raises(ValueError, match="unanswered: age"):
        care.screening_outcome({k: v for k, v in ALL_NO.items() if k != "age"})
    with pytest.raises(ValueError, match="no, yes or cleared"):
        care.screening_outcome({**ALL_NO, "age": "maybe"})


def test_the_screen_is_due_first_every_four_weeks_and_on_triggers():
    last = care.Screening(FIXED_NOW, "first", ALL_NO, "clear")
    assert care.screening_due(None, FIXED_NOW) == "first"
    assert care.screening_due(last, FIXED_NOW + timedelta(days=27)) is None
    assert care.screening_due(last, FIXED_NOW + timedelta(days=28)) == "four-weeks"
    assert care.screening_due(last, FIXED_NOW, pain_worse=True) == "pain-worse"
    assert care.screening_due(last, FIXED_NOW, nerve_repeats=True) == "nerve-repeats"
    assert care.screening_due(last, FIXED_NOW, below_knee=True) == "below-knee"


def test_below_the_knee_words():
    assert care.mentions_below_knee(["", "down the back of the thigh into the calf"])
    assert care.mentions_below_knee(["tingling in my FOOT"])
    assert not care.mentions_below_knee(["down the back of the thigh", "across the buttock"])


# -- through the tracker -----------------------------------------------------------------------


def test_first_run_then_four_weeks_later(tracker):
    state = tracker.care_state()
    assert state.due == "first" and not state.blocked and state.screening is None
    tracker.answer_screening(ALL_NO, "first")
    assert tracker.care_state().due is None and tracker.care_state().ready
    _at(tracker, FIXED_NOW + timedelta(days=27, hours=23))
    assert tracker.care_state().due is None
    _at(tracker, FIXED_NOW + timedelta(days=28))
    assert tracker.care_state().due == "four-weeks"


def test_an_emergency_answer_starts_no_session_but_history_stays(tracker):
    add_session(tracker, at(3), [4] * 6, pain_before=5)
    screen = tracker.answer_screening({**ALL_NO, "saddle-numbness": "yes"}, "first")
    assert screen.outcome == "emergency" and screen.blocks
    assert "emergency department today" in screen.advice()[0]
    with pytest.raises(TrackerError, match="red-flag answer"):
        tracker.start_session("test-mini", "left")
    assert len(tracker.session_summaries()) == 1  # history and exports stay open
    tracker.answer_screening(ALL_NO, "asked")  # seen, and all clear now
    assert tracker.start_session("test-mini", "left").protocol_id == "test-mini"


def test_a_clinician_flag_can_be_cleared(tracker):
    tracker.answer_screening({**ALL_NO, "cancer": "yes"}, "first")
    with pytest.raises(TrackerError):
        tracker.start_session("test-mini", "left")
    tracker.answer_screening({**ALL_NO, "cancer": "cleared"}, "asked")
    tracker.start_session("test-mini", "left")


def test_pain_getting_clearly_worse_asks_the_screen_again(tracker):
    _at(tracker, at(21))
    tracker.answer_screening(ALL_NO, "first")
    for days, pain in zip(range(20, 14, -1), (3, 3, 3, 7, 7, 7)):
        add_session(tracker, at(days), [2] * 6, pain_before=pain)
    _at(tracker, FIXED_NOW)
    assert tracker.care_state().due == "pain-worse"


def test_a_nerve_flag_twice_in_a_row_asks_the_screen_again(tracker):
    _at(tracker, at(10))
    tracker.answer_screening(ALL_NO, "first")
    add_session(tracker, at(5), [2] * 6, nerve=[0])
    _at(tracker, FIXED_NOW)
    assert tracker.care_state().due is None
    add_session(tracker, at(3), [2] * 6, nerve=[4])
    assert tracker.care_state().due == "nerve-repeats"


def test_a_feeling_below_the_knee_asks_the_screen_again(tracker):
    _at(tracker, at(10))
    tracker.answer_screening(ALL_NO, "first")
    session = add_session(tracker, at(2), [2] * 6, finish=False)
    tracker.record_rating(session, 0, 3, referred_to="down to the back of my calf")
    _at(tracker, FIXED_NOW)
    assert tracker.care_state().due == "below-knee"


def test_blood_thinners_walk_no_belly_spot_and_no_body_weight(db_path, clock):
    with Tracker(str(db_path), clock=clock) as tracker:  # the built-in routines
        tracker.answer_screening(ALL_NO, "first")
        tracker.set_conditions(ConditionProfile.of("blood-thinners"))
        session = tracker.start_session("deep-and-distant", "both")
        views = {session.spots[s.spot_id].view for s in session.steps}
        assert "front" not in views and session.steps
        tools = {tool for spot in session.spots.values() for tool in spot.tools}
        assert not tools & {"ball", "roller", "elbow"}
        plain = Tracker(str(tmp := db_path.with_name("plain.db")), clock=clock)
        plain.answer_screening(ALL_NO, "first")
        unadapted = plain.start_session("deep-and-distant", "both")
        assert "front" in {unadapted.spots[s.spot_id].view for s in unadapted.steps}
        plain.close()
        assert tmp.exists()


def test_pregnancy_weeks_count_on_from_when_they_were_given(tracker):
    _at(tracker, at(35))
    tracker.set_conditions(ConditionProfile.of(pregnancy_weeks=16))
    _at(tracker, FIXED_NOW)
    profile = tracker.care_state().conditions
    assert profile.pregnancy_weeks == 21 and "pregnancy-after-20-weeks" in profile.active()


def test_a_spot_at_eight_or_more_three_sessions_running_rests(tracker):
    for days in (9, 6, 3):
        add_session(tracker, at(days), [9, 2, 2, 2, 2, 2])
    session = tracker.start_session("test-mini", "both")
    walk = tracker.open_walk(session.id)
    assert list(walk.resting) == [0]  # line 1, left
    assert "3 sessions in a row" in walk.resting[0] and "assessed" in walk.resting[0]
    assert walk.current == 1  # passed over by default
    walk.go(0)  # but it can still be rated if the person chooses
    assert walk.current == 0


def test_a_spot_pressed_hard_yesterday_rests_today(tracker):
    add_session(tracker, at(1), [2, 8, 2, 2, 2, 2])
    walk = tracker.open_walk(tracker.start_session("test-mini", "both").id)
    assert list(walk.resting) == [1] and "since yesterday" in walk.resting[1]
    _at(tracker, FIXED_NOW + timedelta(days=1))
    later = tracker.open_walk(tracker.start_session("test-mini", "both").id)
    assert later.resting == {}


def test_soreness_is_asked_the_day_after_a_hard_session_and_acts_while_it_lasts(tracker):
    hard = add_session(tracker, at(3), [9, 2, 2, 2, 2, 2])
    add_session(tracker, at(2.9), [2] * 6)  # the same day: not asked
    state = tracker.care_state()
    assert state.soreness_about is not None and state.soreness_about[0] == hard
    tracker.answer_soreness(hard, "bruised")
    walk = tracker.open_walk(tracker.start_session("test-mini", "both").id)
    assert "bruise" in walk.resting[0]
    assert tracker.care_state().soreness_about is None  # answered today
    _at(tracker, FIXED_NOW + timedelta(days=1))
    assert tracker.care_state().soreness_about[0] == hard  # asked again while it lasts
    tracker.answer_soreness(hard, "sore-48h")
    walk = tracker.open_walk(tracker.start_session("test-mini", "both").id)
    assert walk.resting == {} and "lighter pressure" in walk.lighter[0]
    _at(tracker, FIXED_NOW + timedelta(days=2))
    tracker.answer_soreness(hard, "none")
    assert tracker.care_state().soreness_about is None
    assert tracker.open_walk(tracker.start_session("test-mini", "both").id).lighter == {}


def test_bad_answers_are_refused(tracker):
    with pytest.raises(TrackerError, match="unanswered"):
        tracker.answer_screening({"age": "no"})
    session = tracker.start_session("test-mini", "left")
    with pytest.raises(TrackerError, match="soreness is one of"):
        tracker.answer_soreness(session.id, "very")
    with pytest.raises(TrackerError, match="no session"):
        tracker.answer_soreness("nope", "none")


def test_other_profiles_screens_are_their_own(db_path, clock):
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock, profile="ann") as ann:
        ann.answer_screening({**ALL_NO, "cancer": "yes"}, "first")
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock, profile="bob") as bob:
        assert bob.care_state().due == "first" and not bob.care_state().blocked
