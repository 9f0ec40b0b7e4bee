"""Outcomes through the core: the morning check-in (one a day, its soreness answer in the
safety rules, a feeling below the knee), what is due, the weekly form, the dose per spot, the
outcome trends, the insights from stored records, and each profile's records its own.
Clock injected; every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selftrack import safety
from selftrack.analysis.insights import Finding
from selftrack.analysis.stats import Verdict
from selftrack.clock import Clock
from selftrack.tracker import Tracker, TrackerError
from history_support import add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS

pytestmark = pytest.mark.backends

ALL_NO = {q.id: "no" for q in safety.RED_FLAG_SCREEN}


def _at(tracker: Tracker, moment) -> None:
    tracker.clock = Clock(fixed=moment, tz_name="Europe/London")


def _count(tracker: Tracker, table: str) -> int:
    with tracker.database.reading() as conn:
        return conn.scalar(f"SELECT count(*) FROM {table}")


# -- the morning check-in ----------------------------------------------------------------------


def test_a_check_in_is_stored_and_read_back(tracker):
    saved = tracker.record_checkin(back=5, leg=2, night=6)
    assert saved.replaced is None
    (stored,) = tracker.checkins()
    assert (stored.day.isoformat(), stored.back_pain, stored.leg_pain, stored.night) == ("2026-11-20", 5, 2, 6)
    assert stored.answered_at == FIXED_NOW and not stored.below_knee and stored.soreness is None
    assert stored.edited_at is None and stored.origin == "app"


def test_a_second_check_in_the_same_day_replaces_the_first(tracker):
    tracker.record_checkin(back=7, leg=3, night=2)
    _at(tracker, FIXED_NOW + timedelta(hours=2))
    saved = tracker.record_checkin(back=4, leg=1, night=5)
    assert saved.replaced is not None and saved.replaced.back_pain == 7
    (stored,) = tracker.checkins()
    assert (stored.back_pain, stored.leg_pain, stored.night) == (4, 1, 5)
    assert stored.answered_at == FIXED_NOW + timedelta(hours=2) and stored.edited_at is not None
    _at(tracker, FIXED_NOW + timedelta(days=1))
    assert tracker.record_checkin(back=3, leg=1, night=5).replaced is None  # a new day
    assert [c.back_pain for c in tracker.checkins()] == [4, 3]


@pytest.mark.parametrize(
    "answers, message",
    [
        (dict(back=11, leg=2, night=6), "back pain must be a whole number from 0 to 10, not 11"),
        (dict(back=-1, leg=2, night=6), "back pain must be"),
        (dict(back=5, leg=2.5, night=6), "leg pain must be"),
        (dict(back=5, leg=2, night=True), "night must be"),
        (dict(back=5, leg=2, night=6, soreness="very"), "soreness is one of none, mild, sore-48h, bruised"),
        (dict(back=5, leg=2, night=6, below_knee="yes"), "below the knee is yes or no"),
        (dict(back=5, leg=2, night=6, soreness="mild"), "no session in the 3 days before today"),
    ],
)
def test_bad_check_ins_are_refused_and_nothing_is_stored(tracker, answers, message):
    with pytest.raises(TrackerError, match=message):
        tracker.record_checkin(**answers)
    assert tracker.checkins() == []
    assert _count(tracker, "soreness") == 0


def test_the_soreness_answer_is_about_yesterdays_session_and_feeds_the_safety_rules(tracker):
    tracker.answer_screening(ALL_NO, "first")
    hard = add_session(tracker, at(0.6), [8, 3, 3, 3, 3, 3])  # yesterday evening, a spot at 8
    prompts = tracker.outcome_prompts()
    assert prompts.checkin_due and prompts.soreness_about == (hard, at(0.6))
    assert tracker.care_state().soreness_about[0] == hard  # the session start would ask too
    saved = tracker.record_checkin(back=4, leg=1, night=6, soreness="none")
    assert (saved.checkin.soreness, saved.checkin.soreness_session) == ("none", hard)
    # the same answer, in the table the safety rules read: not asked again at the start
    assert tracker.outcome_prompts().soreness_about is None
    assert tracker.care_state().soreness_about is None
    assert _count(tracker, "soreness") == 1


def test_sore_for_two_days_at_the_check_in_lightens_the_spots_pressed_hard(tracker):
    tracker.answer_screening(ALL_NO, "first")
    hard = add_session(tracker, at(2.6), [8, 3, 3, 3, 3, 3])  # three evenings ago, a spot at 8
    assert tracker.outcome_prompts().soreness_about is None  # not yesterday: not offered
    saved = tracker.record_checkin(back=4, leg=1, night=6, soreness="sore-48h")
    assert saved.checkin.soreness_session == hard  # but an answer given is about it
    walk = tracker.open_walk(tracker.start_session("test-mini", "both").id)
    assert set(walk.lighter) == {0} and "much lighter pressure" in walk.lighter[0]
    tracker.record_checkin(back=4, leg=1, night=6, soreness="bruised")  # corrected
    walk = tracker.open_walk(tracker.start_session("test-mini", "both").id)
    assert set(walk.resting) == {0} and "bruised" in walk.resting[0] and not walk.lighter


def test_a_corrected_check_in_keeps_or_replaces_its_soreness_answer(tracker):
    session = add_session(tracker, at(0.6), [3] * 6)
    tracker.record_checkin(back=4, leg=1, night=6, soreness="mild")
    tracker.record_checkin(back=5, leg=1, night=6)  # soreness left out: kept
    assert tracker.checkins()[0].soreness == "mild"
    tracker.record_checkin(back=5, leg=1, night=6, soreness="bruised")
    (stored,) = tracker.checkins()
    assert (stored.soreness, stored.soreness_session) == ("bruised", session)
    assert _count(tracker, "soreness") == 1


def test_a_feeling_below_the_knee_asks_the_red_flag_screen_again(tracker):
    _at(tracker, at(10))
    tracker.answer_screening(ALL_NO, "first")
    _at(tracker, at(2))
    tracker.record_checkin(back=4, leg=3, night=6)
    assert tracker.care_state().due is None
    _at(tracker, at(1))
    tracker.record_checkin(back=4, leg=3, night=6, below_knee=True)
    assert tracker.care_state().due == "below-knee"
    _at(tracker, at(1) + timedelta(hours=1))
    tracker.answer_screening(ALL_NO, "below-knee")
    # still below the knee the next morning: known at the screen, not asked every morning
    _at(tracker, FIXED_NOW)
    tracker.record_checkin(back=4, leg=3, night=6, below_knee=True)
    assert tracker.care_state().due is None
    # gone, then back: asked again
    _at(tracker, FIXED_NOW + timedelta(days=1))
    tracker.record_checkin(back=4, leg=3, night=6)
    _at(tracker, FIXED_NOW + timedelta(days=2))
    tracker.record_checkin(back=4, leg=3, night=6, below_knee=True)
    assert tracker.care_state().due == "below-knee"


def test_the_first_check_in_after_a_screen_below_the_knee_asks_it_again(tracker):
    _at(tracker, at(10))
    tracker.answer_screening(ALL_NO, "first")  # no check-in before the screen
    _at(tracker, FIXED_NOW)
    tracker.record_checkin(back=4, leg=3, night=6, below_knee=True)
    assert tracker.care_state().due == "below-knee"


def test_the_check_in_is_offered_until_noon_once_a_day(tracker):
    # FIXED_NOW is 09:30 in London
    assert tracker.outcome_prompts().checkin_due
    _at(tracker, FIXED_NOW.replace(hour=11, minute=59))
    assert tracker.outcome_prompts().checkin_due
    _at(tracker, FIXED_NOW.replace(hour=12, minute=0))
    assert not tracker.outcome_prompts().checkin_due
    _at(tracker, FIXED_NOW)
    tracker.record_checkin(back=3, leg=0, night=7)
    prompts = tracker.outcome_prompts()
    assert not prompts.checkin_due and prompts.today.back_pain == 3
    _at(tracker, FIXED_NOW + timedelta(days=1))
    assert tracker.outcome_prompts().checkin_due


def test_noon_is_local_time(tracker):
    # 11:30 UTC on a summer day is 12:30 in London: too late
    summer = FIXED_NOW.replace(month=7, day=1, hour=11, minute=30)
    _at(tracker, summer)
    assert not tracker.outcome_prompts().checkin_due
    _at(tracker, summer.replace(hour=10, minute=30))
    assert tracker.outcome_prompts().checkin_due


def test_yesterday_is_the_local_yesterday(tracker):
    # 23:30 in London (summer time) is 22:30 UTC: a session then, and a check-in an hour later
    # (00:30 the next local day, still the same day in UTC), is about "yesterday's" session
    session = add_session(tracker, FIXED_NOW.replace(month=6, day=30, hour=22, minute=30), [3] * 6)
    _at(tracker, FIXED_NOW.replace(month=6, day=30, hour=23, minute=30))
    assert tracker.outcome_prompts().soreness_about == (session, FIXED_NOW.replace(month=6, day=30, hour=22, minute=30))
    assert tracker.record_checkin(back=3, leg=0, night=5, soreness="mild").checkin.soreness_session == session


def test_soreness_is_offered_only_the_day_after_a_session(tracker):
    add_session(tracker, at(2.6), [3] * 6)  # two days ago
    assert tracker.outcome_prompts().soreness_about is None
    add_session(tracker, at(0.2), [3] * 6)  # this morning
    assert tracker.outcome_prompts().soreness_about is None


# -- the weekly form ---------------------------------------------------------------------------


def test_the_weekly_form_is_due_once_a_week(tracker):
    prompts = tracker.outcome_prompts()
    assert prompts.weekly_due and not prompts.ask_pgic and prompts.psfs_activities == ()
    tracker.set_psfs_activities(["Walking 30 minutes", "Sitting through a film"])
    (walk, sit) = tracker.psfs_activities()
    form = tracker.record_weekly_form(peg=(7, 8, 6), psfs={walk.id: 3, sit.id: 5})
    assert form.peg_score == 7.0 and form.psfs_score == 4.0 and form.pgic is None
    _at(tracker, FIXED_NOW + timedelta(days=6))
    prompts = tracker.outcome_prompts()
    assert not prompts.weekly_due and prompts.ask_pgic
    assert [a.name for a in prompts.psfs_activities] == ["Walking 30 minutes", "Sitting through a film"]
    _at(tracker, FIXED_NOW + timedelta(days=7))
    assert tracker.outcome_prompts().weekly_due
    form = tracker.record_weekly_form(psfs={"walking 30 minutes": 4, "Sitting through a film": 6}, pgic=3)
    assert [(r.name, r.score) for r in form.psfs] == [("Walking 30 minutes", 4), ("Sitting through a film", 6)]
    assert form.pgic == 3 and form.peg is None
    assert [f.id for f in tracker.weekly_forms()] == [1, 2] or len(tracker.weekly_forms()) == 2


@pytest.mark.parametrize(
    "form, message",
    [
        (dict(), "needs the PEG, the PSFS or the global impression"),
        (dict(peg=(5, 5)), "the PEG has three answers"),
        (dict(peg=(5, 11, 5)), "PEG enjoyment must be a whole number from 0 to 10"),
        (dict(pgic=0), "from 1 to 7"),
        (dict(pgic=8), "from 1 to 7"),
        (dict(psfs={"Walking": 4}), "name the PSFS activities first"),
        (dict(psfs={"Walking": 4}, activities=[]), "name 1 to 3 PSFS activities"),
        (dict(psfs={"a": 1}, activities=["a", "b", "c", "d"]), "name 1 to 3 PSFS activities"),
        (dict(psfs={"a": 1}, activities=["a", "A"]), "each PSFS activity once"),
        (dict(psfs={"a": 1}, activities=["a", "b"]), "rate every PSFS activity: b is missing"),
        (dict(psfs={"c": 1}, activities=["a"]), "no PSFS activity 'c' in force"),
        (dict(psfs={"a": 12}, activities=["a"]), "the PSFS rating of a must be"),
        (dict(psfs={"a": 1}, activities=["bad\x1bname"]), "control character"),
    ],
)
def test_bad_weekly_forms_are_refused_and_nothing_is_stored(tracker, form, message):
    with pytest.raises(TrackerError, match=message):
        tracker.record_weekly_form(**form)
    assert tracker.weekly_forms() == [] and tracker.psfs_activities() == []


def test_new_activities_end_the_old_ones_and_the_psfs_trend_compares_like_with_like(tracker):
    for week in range(7):
        _at(tracker, at(70 - 7 * week))
        tracker.record_weekly_form(psfs={"Walking": 2}, activities=["Walking"] if week == 0 else None)
    _at(tracker, at(20))
    tracker.record_weekly_form(psfs={"Gardening": 9, "Cycling": 9}, activities=["Gardening", "Cycling"])
    walking, gardening, cycling = tracker.psfs_activities(include_ended=True)
    assert walking.until == at(20) and gardening.current and cycling.current
    (trend,) = tracker.trends(["psfs"])
    # one form rated the new activities: the seven "Walking" forms are not mixed into its line
    assert trend.values == [9.0] and trend.drawn_from == ("Gardening", "Cycling")
    assert trend.summary.verdict is Verdict.TOO_FEW
    # naming the same activities again changes nothing
    assert [a.id for a in tracker.set_psfs_activities(["Gardening", "Cycling"])] == [gardening.id, cycling.id]


# -- outcome trends ----------------------------------------------------------------------------


def test_morning_pain_trend_with_its_own_rule(tracker):
    for n, back in enumerate([6, 6, 7, 6, 5, 6, 6, 4, 4, 3, 4, 4, 5, 4]):
        _at(tracker, at(14 - n))
        tracker.record_checkin(back=back, leg=back // 2, night=5)
    _at(tracker, FIXED_NOW)
    morning, leg = tracker.trends(["pain:morning", "leg"])
    assert morning.name == "Back pain in the morning" and len(morning.points) == 14
    assert (morning.summary.baseline, morning.summary.latest, morning.summary.sessions) == (6, 4, 14)
    assert morning.summary.verdict is Verdict.BETTER
    assert (leg.summary.baseline, leg.summary.latest) == (3, 2) and leg.summary.verdict is Verdict.NO_MEANINGFUL_CHANGE
    ids = [t.subject.id for t in tracker.trends()]
    assert ids[-2:] == ["pain:morning", "leg:morning"]  # the defaults end with the outcomes that have values


def test_peg_trend(tracker):
    for week, peg in enumerate([(6, 6, 6), (7, 6, 5), (6, 7, 7), (4, 4, 4), (4, 5, 3), (3, 3, 3)]):
        _at(tracker, at(42 - 7 * week))
        tracker.record_weekly_form(peg=peg)
    (trend,) = tracker.trends(["peg"])
    assert trend.summary.baseline == pytest.approx(6.0) and trend.summary.latest == pytest.approx(4.0)
    assert trend.summary.verdict is Verdict.BETTER and trend.summary.sessions == 6


# -- the dose per spot -------------------------------------------------------------------------


def test_the_dose_is_stored_with_each_rating(tracker):
    session = tracker.start_session("test-mini", "left", tool="ball")
    tracker.record_rating(session.id, 0, 4, hold_seconds=35, tool="hands", pressure="light")
    tracker.record_rating(session.id, 1, 6)  # the session's tool, no timer, no pressure
    first, second = tracker.ratings(session.id)
    assert (first.hold_seconds, first.tool, first.pressure) == (35, "hands", "light")
    assert (second.hold_seconds, second.tool, second.pressure) == (None, None, None)
    tracker.record_rating(session.id, 0, 5, hold_seconds=20, pressure="firm")  # rated again
    first = tracker.ratings(session.id)[0]
    assert (first.tenderness, first.hold_seconds, first.tool, first.pressure) == (5, 20, None, "firm")


@pytest.mark.parametrize(
    "dose, message",
    [
        (dict(hold_seconds=-1), "hold seconds must be a whole number from 0 to 3600"),
        (dict(hold_seconds=3601), "hold seconds"),
        (dict(hold_seconds=2.5), "hold seconds"),
        (dict(tool="hammer"), "tool must be one of"),
        (dict(pressure="hard"), "pressure must be one of light, medium, firm"),
    ],
)
def test_a_bad_dose_is_refused(tracker, dose, message):
    session = tracker.start_session("test-mini", "left")
    with pytest.raises(TrackerError, match=message):
        tracker.record_rating(session.id, 0, 4, **dose)
    assert tracker.ratings(session.id) == []


def test_holding_longer_than_the_routine_suggests_asks_about_soreness(tracker):
    # test-mini takes 3 minutes: 180 s of holding in all; six spots of 40 s is 240 s
    tracker.answer_screening(ALL_NO, "first")
    _at(tracker, at(1))
    session = tracker.start_session("test-mini", "both")
    for step in range(6):
        tracker.record_rating(session.id, step, 4, hold_seconds=40 if step else 90)
    tracker.finish(session.id)
    _at(tracker, FIXED_NOW)
    assert tracker.care_state().soreness_about[0] == session.id
    tracker.answer_soreness(session.id, "sore-48h")
    walk = tracker.open_walk(tracker.start_session("test-mini", "both").id)
    # every spot was held over its share of the guidance (180 s / 6 = 30 s): all lighter
    assert set(walk.lighter) == set(range(6))


def test_a_long_light_session_within_guidance_asks_nothing(tracker):
    tracker.answer_screening(ALL_NO, "first")
    _at(tracker, at(1))
    session = tracker.start_session("test-mini", "both")
    for step in range(6):
        tracker.record_rating(session.id, step, 4, hold_seconds=30)  # 180 s: at the guidance
    tracker.finish(session.id)
    _at(tracker, FIXED_NOW)
    assert tracker.care_state().soreness_about is None


# -- insights from stored records --------------------------------------------------------------


def test_insights_from_stored_check_ins_and_sessions(tracker):
    # sessions on two days of three, the next morning a point and a half lower
    for n in range(60, 0, -1):
        day = at(n)
        had = n % 3 != 0
        if had:
            add_session(tracker, day.replace(hour=19), [3] * 6)
        _at(tracker, (day + timedelta(days=1)).replace(hour=7))
        tracker.record_checkin(back=3 if had else 5, leg=1, night=6)
    _at(tracker, FIXED_NOW)
    insights = tracker.insights()
    overall = insights.overall
    assert (overall.with_days, overall.without_days) == (40, 20)
    assert overall.finding is Finding.LOWER and overall.difference == -2.0
    assert [c.key for c in insights.by_routine] == ["test-mini"]
    assert insights.routine_names == {"test-mini": "Test mini routine"} or insights.routine_names["test-mini"]


# -- each profile's records are its own --------------------------------------------------------


def test_outcomes_are_kept_per_profile(database_url, clock):
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as alex, Tracker(
        database_url, protocols_dir=TEST_PROTOCOLS, clock=clock, profile="sam"
    ) as sam:
        alex.record_checkin(back=6, leg=2, night=4, below_knee=True)
        alex.set_psfs_activities(["Walking"])
        alex.record_weekly_form(peg=(5, 5, 5), psfs={"Walking": 3}, pgic=4)
        session = alex.start_session("test-mini", "left")
        alex.record_rating(session.id, 0, 4, hold_seconds=30, pressure="light")
        add_session(alex, at(0.6), [3] * 6)
        assert sam.checkins() == [] and sam.weekly_forms() == [] and sam.psfs_activities() == []
        assert sam.trends(["pain:morning", "peg", "psfs"])[0].points == ()
        assert sam.outcome_prompts().checkin_due and sam.outcome_prompts().started_on is None
        sam.record_checkin(back=1, leg=0, night=9)  # the same day, another person
        with pytest.raises(TrackerError, match="name the PSFS activities first"):
            sam.record_weekly_form(psfs={"Walking": 9})
        assert [c.back_pain for c in alex.checkins()] == [6] and [c.back_pain for c in sam.checkins()] == [1]
        insights = sam.insights()  # Alex's session of yesterday is not Sam's
        assert (insights.overall.with_days, insights.overall.without_days) == (0, 1)
        assert sam.care_state().due == "first"
        with pytest.raises(TrackerError):
            sam.ratings(session.id)
