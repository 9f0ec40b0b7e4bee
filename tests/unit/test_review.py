"""History, trends, heat map, adherence and focus on a real temporary database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selftrack.analysis.stats import Verdict
from selftrack.domain.model import SessionStatus
from selftrack.tracker import Tracker, TrackerError
from history_support import SKIP, add_session, at
from support import TEST_PROTOCOLS

#          line1 L, line2 L, line1 R, line2 R, dimple L, dimple R


def test_session_summaries_count_and_never_average_a_skip(tracker):
    first = add_session(tracker, at(3), [4, 6, SKIP, 2, 8, SKIP], pain_before=6, pain_after=4)
    second = add_session(tracker, at(1), [1, 1, 1, 1, 1, 1], pain_before=3)
    rows = tracker.session_summaries()
    assert [r.id for r in rows] == [second, first]
    old = rows[1]
    assert (old.rated, old.skipped, old.highest) == (4, 2, 8)
    assert old.mean == pytest.approx(5.0)  # (4 + 6 + 2 + 8) / 4, skips left out
    assert (old.pain_before, old.pain_after, old.pain_change) == (6, 4, -2)
    assert old.status is SessionStatus.FINISHED and old.protocol_id == "test-mini"
    assert rows[0].pain_after is None and rows[0].pain_change is None


def test_session_summaries_filter_by_range_and_routine(tracker):
    add_session(tracker, at(30), [1] * 6)
    recent = add_session(tracker, at(2), [2] * 6)
    assert [r.id for r in tracker.session_summaries(at(5), at(0))] == [recent]
    assert tracker.session_summaries(protocol_id="other") == []


def test_session_without_ratings_is_listed(tracker):
    empty = add_session(tracker, at(1), [], finish=False)
    [row] = tracker.session_summaries()
    assert row.id == empty and row.rated == 0 and row.mean is None and row.highest is None


def test_spot_trend_per_side_skips_are_gaps_not_zeros(tracker):
    add_session(tracker, at(40), [6, 0, 7, 0, 0, 0])
    add_session(tracker, at(39), [SKIP, 0, 5, 0, 0, 0])
    add_session(tracker, at(2), [3, 0, 7, 0, 0, 0])
    left, right = tracker.trends(["test-line-1"])
    assert left.subject.id == "test-line-1:left" and right.subject.id == "test-line-1:right"
    assert left.values == [6, 3]  # the skip is a gap, not a 0
    assert left.summary.change == -3 and left.summary.verdict is Verdict.TOO_FEW
    assert right.values == [7, 5, 7]
    assert right.summary.change == 0 and right.summary.sessions == 3
    assert left.name.endswith(", left") and left.region == "low-back"


def test_region_line_is_the_mean_of_its_fixed_spots_per_session(tracker):
    add_session(tracker, at(10), [4, 6, 1, SKIP, 8, 2])
    [low_left, low_right, buttock_left] = tracker.trends(["low-back", "buttock:left"])
    assert low_left.values == [5.0]  # (4 + 6) / 2
    assert low_left.drawn_from == ("Test line spot 1 of 2", "Test line spot 2 of 2")
    assert low_right.values == [1.0]  # line 2 right was skipped: only line 1 is drawn
    assert buttock_left.values == [8.0]
    assert low_left.summary.verdict is Verdict.TOO_FEW


def test_region_both_sides_takes_the_spots_of_both(tracker):
    add_session(tracker, at(10), [4, 6, 1, SKIP, 8, 2])
    [both] = tracker.trends(["low-back:both"])
    assert both.values == [pytest.approx(11 / 3)]  # line 1 left, line 2 left, line 1 right


def test_region_verdict_comes_from_its_spots_not_from_the_routines_walked(tracker):
    """Six sessions rating only line 1 (8), then six rating line 1 (still 8) and line 2 (2):
    no spot changed. Pooled per session the low back went 8 -> 5, "clearly less tender";
    built from its spots it did not change."""
    for days in range(40, 34, -1):
        add_session(tracker, at(days), [8, SKIP], sides="left")
    for days in range(6, 0, -1):
        add_session(tracker, at(days), [8, 2], sides="left")
    [low_left] = tracker.trends(["low-back:left"])
    assert low_left.summary.verdict is Verdict.NO_CLEAR_CHANGE and low_left.summary.change == 0
    assert (low_left.summary.spots, low_left.summary.sessions) == (2, 12)
    from selftrack.analysis.stats import summarize

    assert summarize([8.0] * 6 + [5.0] * 6).verdict is Verdict.LESS_TENDER  # the artefact avoided


def test_default_trends_are_regions_then_pain(tracker):
    add_session(tracker, at(9), [5, 5, 3, 3, 6, 6], pain_before=7, pain_after=5)
    add_session(tracker, at(1), [2, 2, 3, 3, 6, 6], pain_before=4, pain_after=None)
    trends = tracker.trends()
    assert [t.subject.id for t in trends] == [
        "low-back:left",
        "low-back:right",
        "buttock:left",
        "buttock:right",
        "pain:before",
        "pain:after",
    ]
    by_id = {t.subject.id: t for t in trends}
    assert by_id["low-back:left"].summary.verdict is Verdict.TOO_FEW  # two sessions
    assert by_id["low-back:left"].values == [5, 2]
    assert by_id["pain:before"].values == [7, 4]
    assert by_id["pain:after"].values == [5]


def test_trend_period_sets_the_baseline(tracker):
    for days, value in ((100, 9), (60, 6), (59, 6), (58, 6), (3, 3), (2, 3), (1, 3)):
        add_session(tracker, at(days), [value] * 6)
    [whole] = tracker.trends(["test-dimple-spot:left"])
    assert whole.summary.baseline == 6 and whole.summary.latest == 3  # median(9, 6, 6) = 6
    [recent] = tracker.trends(["test-dimple-spot:left"], at(61), None)
    assert recent.summary.baseline == 6 and len(recent.points) == 6


def test_unknown_subject_is_refused(tracker):
    with pytest.raises(TrackerError, match="no spot or region called 'elbow'"):
        tracker.trends(["elbow"])


def test_known_spot_never_rated_gives_an_empty_series(tracker):
    [left, right] = tracker.trends(["test-dimple-spot"])
    assert left.points == () and left.summary.verdict is Verdict.TOO_FEW
    assert left.summary.sessions == 0


def test_other_profiles_are_not_counted(tracker, db_path, clock):
    add_session(tracker, at(3), [2] * 6)
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock, profile="other") as other:
        add_session(other, at(2), [9] * 6)
        assert len(other.session_summaries()) == 1
    assert [r.mean for r in tracker.session_summaries()] == [2.0]
    assert tracker.trends(["low-back:left"])[0].values == [2.0]


def test_heat_map_means(tracker):
    add_session(tracker, at(60), [6, 2, 4, 4, 8, SKIP])
    add_session(tracker, at(59), [8, 2, 4, 4, 6, SKIP])
    add_session(tracker, at(2), [3, 4, 4, 4, 7, 5])
    heat = tracker.heat_map(at(70), at(50))
    cells = {c.key: c for c in heat.cells}
    assert heat.sessions == 2
    assert cells[("test-line-1", "left")].mean == 7 and cells[("test-line-1", "left")].count == 2
    assert ("test-dimple-spot", "right") not in cells  # only skips there
    assert heat.cells[0].key == ("test-dimple-spot", "left")  # most tender first
    assert cells[("test-line-1", "left")].position()[0] < 0


def test_spot_trends_give_levels_without_reading_every_point(tracker):
    for days, value in ((40, 8), (39, 7), (38, 8), (30, 5), (3, 3), (2, 2), (1, 3)):
        add_session(tracker, at(days), [value, 1, 1, 1, 1, SKIP])
    found = {t.subject.id: t for t in tracker.spot_trends(slices=16)}
    line = found["test-line-1:left"]
    assert line.points == () and len(line.slices) == 16
    # without slices the same levels and verdicts (the counts come from another query)
    plain = {t.subject.id: t for t in tracker.spot_trends()}
    assert {k: t.summary for k, t in plain.items()} == {k: t.summary for k, t in found.items()}
    assert plain["test-line-1:left"].slices == ()
    assert (line.summary.baseline, line.summary.latest, line.summary.sessions) == (8, 3, 7)
    assert line.summary.verdict is Verdict.LESS_TENDER
    assert "test-dimple-spot:right" not in found  # only skipped
    # 39 days in 16 slices: days 40-38 ago fall in the first, days 3-1 ago in the last
    assert line.slices[0] == pytest.approx(23 / 3) and line.slices[-1] == pytest.approx(8 / 3)
    assert list(found)[0] == "test-line-1:left"  # most tender now first (3 against 1)


def test_adherence_over_a_gap_of_months(tracker):
    add_session(tracker, at(200), [1] * 6)
    add_session(tracker, at(2), [1] * 6)
    add_session(tracker, at(1), [1] * 6)
    add_session(tracker, at(0.1), [1] * 6, finish=False)
    abandoned = add_session(tracker, at(0.05), [1] * 6, finish=False)
    tracker.abandon(abandoned)
    result = tracker.adherence()
    assert result.sessions == 4  # the abandoned one does not count
    assert result.streak_days == 3
    assert sum(count for _week, count in result.weeks) == 4
    assert len(result.weeks) >= 28 and result.longest_gap_days >= 26 * 7


def test_asymmetry_per_region(tracker):
    for days in (5, 4, 3, 2, 1):
        add_session(tracker, at(days), [7, 7, 2, 2, 3, 3])
    found = {a.region: a for a in tracker.asymmetries()}
    assert found["low-back"].differences == (5, 5, 5, 5, 5) and found["low-back"].notable
    assert found["low-back"].more_tender_side == "left"
    assert found["buttock"].difference == 0 and not found["buttock"].notable
    add_session(tracker, at(0.5), [9, 9], sides="left")
    assert tracker.asymmetries()[0].differences == (5, 5, 5, 5, 5)  # needs both sides


def test_focus_routine_from_recent_history(tracker):
    assert tracker.focus_protocol() is None
    add_session(tracker, at(30), [9, 9, 9, 9, 9, 9])  # too long ago to count
    add_session(tracker, at(5), [5, 1, 1, 1, 2, 1], recognised=[5])
    spec = tracker.protocol("focus")
    assert spec.id == "focus" and set(spec.spots) == {"test-line-1", "test-dimple-spot"}
    assert [p.id for p in tracker.protocols()][-1] == "focus"
    session = tracker.start_session("focus", "both")
    assert {s.spot_id for s in session.steps} == {"test-line-1", "test-dimple-spot"}
    assert session.protocol_id == "focus"


def test_focus_drops_spots_quiet_for_their_last_three_sessions(tracker):
    add_session(tracker, at(10), [6, 1, 1, 1, 1, 1])
    for days in (3, 2, 1):
        add_session(tracker, at(days), [1, 1, 1, 1, 1, 1])
    assert tracker.focus_protocol() is None
    with pytest.raises(TrackerError, match="focus routine is empty"):
        tracker.protocol("focus")


def test_protocol_list_never_creates_a_database(tmp_path, clock):
    target = tmp_path / "none.db"
    with Tracker(str(target), protocols_dir=TEST_PROTOCOLS, clock=clock) as fresh:
        ids = [p.id for p in fresh.protocols()]
        assert "test-mini" in ids and "focus" not in ids
    assert not target.exists()


def test_correct_rating_after_the_session(tracker):
    session_id = add_session(tracker, at(3), [4, 6, SKIP, 2, 8, 1])
    fixed = tracker.correct_rating(session_id, 1, 3, note="typo: meant 3")
    assert fixed.tenderness == 3 and fixed.note == "typo: meant 3" and not fixed.skipped
    unskipped = tracker.correct_rating(session_id, 2, 5, recognised=True)
    assert unskipped.tenderness == 5 and unskipped.recognised
    skipped = tracker.correct_rating(session_id, 0, skipped=True)
    assert skipped.skipped and skipped.tenderness is None
    [row] = tracker.session_summaries()
    assert (row.rated, row.skipped) == (5, 1)
    assert row.mean == pytest.approx((3 + 5 + 2 + 8 + 1) / 5)


def test_correct_rating_refuses_bad_input_and_keeps_the_old_value(tracker):
    session_id = add_session(tracker, at(3), [4, 6, 1, 2, 8, 1])
    with pytest.raises(TrackerError, match="0 to 10"):
        tracker.correct_rating(session_id, 0, 11)
    with pytest.raises(TrackerError, match="no rating at step 9"):
        tracker.correct_rating(session_id, 9, 1)
    with pytest.raises(TrackerError, match="no session"):
        tracker.correct_rating("nope", 0, 1)
    assert tracker.ratings(session_id)[0].tenderness == 4


def test_session_notes_and_delete(tracker):
    keep = add_session(tracker, at(3), [1] * 6)
    gone = add_session(tracker, at(2), [2] * 6)
    assert tracker.set_session_notes(keep, "felt better after").notes == "felt better after"
    tracker.delete_session(gone)
    assert [r.id for r in tracker.session_summaries()] == [keep]
    with pytest.raises(TrackerError):
        tracker.ratings(gone)
    with tracker.database.reading() as db:
        assert db.scalar("SELECT count(*) FROM ratings") == 6
    with pytest.raises(TrackerError, match="no session"):
        tracker.delete_session(gone)


def test_trend_points_are_at_session_times(tracker):
    first = at(3)
    add_session(tracker, first, [4] * 6)
    [trend] = tracker.trends(["test-line-1:left"])
    assert trend.points[0].moment == first
    assert trend.points[0].moment.utcoffset() == timedelta(0)


def test_flagged_spots(tracker):
    add_session(tracker, at(5), [6, 1, 1, 1, 7, 1], recognised=[0, 4], nerve=[4])
    add_session(tracker, at(2), [5, 1, 1, 1, 6, 1], recognised=[0])
    add_session(tracker, at(1), [SKIP, 1, 1, 1, 2, 1])
    found = tracker.flagged_spots()
    assert [(f.spot_id, f.side, f.nerve, f.recognised) for f in found] == [
        ("test-dimple-spot", "left", 1, 1),
        ("test-line-1", "left", 0, 2),
    ]
    assert found[0].name == "Test spot under the dimple"
    assert tracker.flagged_spots(at(1.5), None) == []


def test_a_spot_pressed_twice_in_a_session_counts_one_session_with_its_mean(tracker):
    # test-twice on the left: the dimple spot at the start and again at the end
    for days, first, again in ((9, 8, 6), (8, 6, 6), (7, 9, 7), (3, 2, 2), (2, 2, 4), (1, 1, 3)):
        add_session(tracker, at(days), [first, again], protocol="test-twice", sides="left")
    for slices in (0, 16):
        [dimple] = tracker.spot_trends(slices=slices)
        levels = dimple.summary
        assert dimple.subject.id == "test-dimple-spot:left"
        assert (levels.sessions, levels.baseline, levels.latest) == (6, 7.0, 2.0), slices
    [region] = tracker.trends(["buttock:left"])
    assert region.summary.sessions == 6 and region.values[:3] == [7.0, 6.0, 8.0]
