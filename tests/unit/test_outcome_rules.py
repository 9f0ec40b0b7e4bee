"""The outcome instruments' scores and change thresholds, against values worked out by hand
from the instruments' papers (docs/outcomes.md gives the sources)."""

from __future__ import annotations

import pytest

from selftrack.analysis import care
from selftrack.analysis.stats import (
    PSFS_ACTIVITY_POINTS,
    RULES,
    Measure,
    Verdict,
    judge,
    pgic_verdict,
    summarize,
)
from selftrack.analysis.trends import Subject, SubjectError, outcome_subject, parse_subjects, subject_name
from selftrack.domain.instruments import (
    CHECKIN_NIGHT,
    PEG_QUESTIONS,
    PGIC_CHOICES,
    PGIC_QUESTION,
    PSFS_AGAIN,
    PSFS_FIRST,
    PSFS_SCALE,
    peg_score,
    psfs_score,
)
from selftrack.domain.outcomes import Peg, PsfsRating, WeeklyForm

# -- scores ------------------------------------------------------------------------------------


def test_peg_score_is_the_mean_of_its_three_items():
    # Krebs 2009: the PEG score is the average of the three items (P, E, G)
    assert peg_score(7, 8, 6) == 7.0
    assert peg_score(5, 4, 6) == 5.0
    assert peg_score(3, 4, 4) == pytest.approx(11 / 3)
    assert Peg(10, 10, 10).score == 10.0 and Peg(0, 0, 0).score == 0.0


def test_peg_is_asked_in_its_published_words():
    pain, enjoyment, activity = PEG_QUESTIONS
    assert pain.text == "What number best describes your pain on average in the past week?"
    assert "enjoyment of life" in enjoyment.text and "general activity" in activity.text
    assert (pain.low, pain.high) == ("no pain", "pain as bad as you can imagine")
    assert (enjoyment.low, enjoyment.high) == ("does not interfere", "completely interferes")


def test_psfs_score_is_the_mean_of_the_activities():
    # Stratford 1995: total score = sum of the activity scores / number of activities
    assert psfs_score([3, 4, 5]) == 4.0
    assert psfs_score([2, 7]) == 4.5
    assert psfs_score([6]) == 6.0
    assert psfs_score([]) is None
    form = WeeklyForm(1, None, psfs=(PsfsRating(1, "walk", 3), PsfsRating(2, "sit", 6)))
    assert form.psfs_score == 4.5 and form.peg_score is None and form.psfs_activities == {1, 2}


def test_psfs_and_pgic_wording():
    # Stratford 1995: up to three important activities the person is unable to do or has
    # difficulty with because of the problem; 0 unable … 10 able as before the problem
    assert "up to three important activities" in PSFS_FIRST and "difficulty" in PSFS_FIRST
    assert PSFS_SCALE == ("unable to perform the activity", "able to perform the activity at the same level as before the problem")
    assert PSFS_AGAIN.format(since="2026-11-01").startswith("On 2026-11-01 you named")
    assert "{since}" in PGIC_QUESTION and CHECKIN_NIGHT.low == "terrible" and CHECKIN_NIGHT.high == "excellent"


def test_pgic_has_the_seven_usual_answers():
    assert PGIC_CHOICES[1] == "very much improved" and PGIC_CHOICES[4] == "no change"
    assert PGIC_CHOICES[7] == "very much worse" and len(PGIC_CHOICES) == 7


# -- morning back and leg pain: week against week, 2 points and 30 % ---------------------------

FIRST_WEEK = [6, 6, 7, 6, 5, 6, 6]  # median 6


def test_morning_pain_is_judged_week_against_week():
    # baseline median(first 7) = 6, latest median(4, 4, 3, 4, 4, 5, 4) = 4: -2 points, -33 %
    change = summarize(FIRST_WEEK + [4, 4, 3, 4, 4, 5, 4], Measure.MORNING_PAIN)
    assert (change.baseline, change.latest, change.change, change.sessions) == (6, 4, -2, 14)
    assert change.percent_change == pytest.approx(-100 / 3)
    assert change.verdict is Verdict.BETTER and change.meaningful


def test_morning_pain_needs_two_weeks_of_check_ins():
    # 13 check-ins: 6 and 6 each side (half of them), 6 -> 2 is large, but no verdict yet
    change = summarize([6] * 7 + [2] * 6, Measure.MORNING_PAIN)
    assert (change.baseline, change.latest) == (6, 2)
    assert change.verdict is Verdict.TOO_FEW and not change.meaningful


def test_morning_pain_needs_two_points_and_thirty_percent():
    assert summarize([6] * 7 + [4.5] * 7, Measure.MORNING_PAIN).verdict is Verdict.NO_MEANINGFUL_CHANGE  # 1.5
    assert summarize([8] * 7 + [6] * 7, Measure.MORNING_PAIN).verdict is Verdict.NO_MEANINGFUL_CHANGE  # 25 %
    assert summarize([3] * 7 + [5] * 7, Measure.MORNING_PAIN).verdict is Verdict.WORSE  # +2, +67 %
    assert summarize([7] * 7 + [3] * 7, Measure.LEG_PAIN).verdict is Verdict.BETTER


def test_one_bad_morning_in_a_week_does_not_move_the_baseline():
    assert summarize([4, 4, 10, 4, 4, 4, 4] + [4] * 7, Measure.MORNING_PAIN).baseline == 4


# -- PEG: 30 % and at least 1 point ----------------------------------------------------------


def test_peg_change_of_thirty_percent_is_meaningful():
    # 5 -> 3.5: -1.5 points, exactly 30 % of 5
    assert judge(5, 3.5, 6, Measure.PEG) is Verdict.BETTER
    assert judge(5, 6.5, 6, Measure.PEG) is Verdict.WORSE
    # 6 -> 5: 1 point is only 17 %
    assert judge(6, 5, 6, Measure.PEG) is Verdict.NO_MEANINGFUL_CHANGE
    # 2 -> 1.4: 30 %, but 0.6 point is under the smallest anchor-based MID (Reed 2023)
    assert judge(2, 1.4, 6, Measure.PEG) is Verdict.NO_MEANINGFUL_CHANGE
    assert judge(5, 3.5, 5, Measure.PEG) is Verdict.TOO_FEW  # five forms


def test_peg_series_of_weekly_forms():
    # PEG scores of six weekly forms: first three median 6, last three median 4 (-33 %)
    scores = [peg_score(6, 6, 6), peg_score(7, 6, 5), peg_score(6, 7, 7), 4.0, peg_score(4, 5, 3), 3.0]
    change = summarize(scores, Measure.PEG)
    assert change.baseline == pytest.approx(6.0) and change.latest == pytest.approx(4.0)
    assert change.verdict is Verdict.BETTER


# -- PSFS: 2 points in the mean, higher is better ----------------------------------------------


def test_psfs_two_points_up_is_better():
    assert RULES[Measure.PSFS].higher_is_better and RULES[Measure.PSFS].points == 2.0
    assert summarize([3, 3, 3, 5, 5, 5], Measure.PSFS).verdict is Verdict.BETTER
    assert summarize([5, 5, 5, 3, 3, 3], Measure.PSFS).verdict is Verdict.WORSE
    assert summarize([3, 3, 3, 4.5, 4.5, 4.5], Measure.PSFS).verdict is Verdict.NO_MEANINGFUL_CHANGE
    # no share of the baseline is needed: 8 -> 10 is 25 % and counts
    assert summarize([8, 8, 8, 10, 10, 10], Measure.PSFS).verdict is Verdict.BETTER
    assert summarize([3, 3, 3, 5, 5], Measure.PSFS).verdict is Verdict.TOO_FEW


def test_psfs_single_activity_threshold_is_three_points():
    assert PSFS_ACTIVITY_POINTS == 3.0  # Stratford 1995: minimum detectable change, one activity


def test_pgic_speaks_for_itself():
    # Farrar 2001: "much improved" and "very much improved" mark a clinically important change
    assert [pgic_verdict(n) for n in range(1, 8)] == [
        Verdict.BETTER, Verdict.BETTER, Verdict.NO_MEANINGFUL_CHANGE, Verdict.NO_MEANINGFUL_CHANGE,
        Verdict.NO_MEANINGFUL_CHANGE, Verdict.WORSE, Verdict.WORSE,
    ]  # fmt: skip
    assert pgic_verdict(None) is Verdict.TOO_FEW


def test_tenderness_and_session_pain_keep_their_rule():
    assert summarize([6, 7, 5, 4, 3, 2]).verdict is Verdict.LESS_TENDER
    assert summarize([6, 6, 6, 3, 3, 3], Measure.PAIN).verdict is Verdict.BETTER
    assert not RULES[Measure.TENDERNESS].validated


# -- subjects ------------------------------------------------------------------------------------


def test_outcome_subjects_are_parsed_and_named():
    found = parse_subjects(["pain:morning", "leg", "peg", "psfs", "pain"], {})
    assert [s.id for s in found] == ["pain:morning", "leg:morning", "peg", "psfs", "pain:before", "pain:after"]
    assert [s.measure for s in found[:4]] == [Measure.MORNING_PAIN, Measure.LEG_PAIN, Measure.PEG, Measure.PSFS]
    assert subject_name(outcome_subject("psfs")) == "PSFS: your activities"
    assert Subject("pain", "pain", "before").measure is Measure.PAIN
    for bad in ("peg:left", "leg:evening", "pain:noon"):
        with pytest.raises(SubjectError):
            parse_subjects([bad], {})


# -- the hold timer against the routine's guidance ---------------------------------------------


def test_hold_guidance_is_the_routines_minutes():
    assert care.hold_guidance(5) == 300 and care.hold_guidance(None) is None and care.hold_guidance(0) is None
    assert care.over_hold_guidance(301, 300) and not care.over_hold_guidance(300, 300)
    assert not care.over_hold_guidance(None, 300) and not care.over_hold_guidance(9999, None)
    assert care.spot_hold_share(300, 10) == 30 and care.spot_hold_share(None, 10) is None


def test_a_session_over_its_hold_guidance_is_hard():
    from datetime import datetime, timezone

    when = datetime(2026, 11, 19, 19, tzinfo=timezone.utc)
    light = care.SessionDose("a", when, highest=5, held=200, guidance=300)
    long = care.SessionDose("b", when, highest=5, held=400, guidance=300)
    pressed = care.SessionDose("c", when, highest=8)
    assert not light.hard and long.hard and pressed.hard
    assert care.latest_hard([light]) is None and care.latest_hard([light, long]) is long
