"""History, trends, heat map, adherence and focus on a real temporary database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selftrack.analysis.stats import Verdict
from selftrack.domain import SessionStatus
from selftrack.tracker import Tracker, TrackerError
from history_support import SKIP, add_session, at, crowd_first_step
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
    assert left.summary.change == -3 and left.summary.verdict is Verdict.IMPROVED
    assert right.values == [7, 5, 7]
    assert right.summary.change == 0 and right.summary.verdict is Verdict.NOISE
    assert left.name.endswith(", left") and left.region == "low-back"


def test_region_trend_is_the_mean_of_the_rated_spots_per_session(tracker):
    add_session(tracker, at(10), [4, 6, 1, SKIP, 8, 2])
    [low_left, low_right, buttock_left] = tracker.trends(["low-back", "buttock:left"])
    assert low_left.values == [5.0]  # (4 + 6) / 2
    assert low_right.values == [1.0]  # the skipped step is left out, not 0
    assert buttock_left.values == [8.0]
    assert low_left.summary.verdict is Verdict.TOO_FEW


def test_region_both_sides_pools_every_rating(tracker):
    add_session(tracker, at(10), [4, 6, 1, SKIP, 8, 2])
    [both] = tracker.trends(["low-back:both"])
    assert both.values == [pytest.approx(11 / 3)]


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
    assert by_id["low-back:left"].summary.change == -3
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
    assert left.points == () and left.summary.verdict is Verdict.NO_DATA


def test_other_profiles_are_not_counted(tracker, db_path, clock):
    add_session(tracker, at(3), [2] * 6)
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock, profile="other") as other:
        add_session(other, at(2), [9] * 6)
        assert len(other.session_summaries()) == 1
    assert [r.mean for r in tracker.session_summaries()] == [2.0]
    assert tracker.trends(["low-back:left"])[0].values == [2.0]


def test_heat_map_means_and_change_between_periods(tracker):
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
    _a, _b, changes = tracker.heat_change((at(70), at(50)), (at(10), at(0)))
    by_key = {(c.first.spot_id, c.first.side): c for c in changes}
    assert by_key[("test-line-1", "left")].change == -4
    assert by_key[("test-line-1", "left")].verdict is Verdict.IMPROVED
    assert by_key[("test-line-2", "left")].verdict is Verdict.WORSENED  # 2 -> 4
    assert by_key[("test-line-1", "right")].verdict is Verdict.NOISE
    assert ("test-dimple-spot", "right") not in by_key


def test_first_and_last_month(tracker):
    assert tracker.first_and_last_month() is None
    add_session(tracker, at(100), [1] * 6)
    add_session(tracker, at(1), [1] * 6)
    (a_start, a_end), (b_start, b_end) = tracker.first_and_last_month()
    assert a_start == at(100) and a_end == at(70)
    assert b_start == at(31) and b_end == at(1)


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
    add_session(tracker, at(2), [7, 7, 2, 2, 3, 3])
    found = {a.region: a for a in tracker.asymmetry()}
    assert found["low-back"].difference == 5 and found["low-back"].clear
    assert found["low-back"].worse_side == "left"
    assert found["buttock"].difference == 0 and not found["buttock"].clear


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
    from sqlalchemy import func, select

    from selftrack.storage.models import RatingRow

    with tracker.database.reading() as db:
        assert db.scalar(select(func.count()).select_from(RatingRow)) == 6
    with pytest.raises(TrackerError, match="no session"):
        tracker.delete_session(gone)


def test_trend_points_are_at_session_times(tracker):
    first = at(3)
    add_session(tracker, first, [4] * 6)
    [trend] = tracker.trends(["test-line-1:left"])
    assert trend.points[0].moment == first
    assert trend.points[0].moment.utcoffset() == timedelta(0)


def test_plain_sqlite_reader_gives_the_same_answers(tracker, db_path, clock):
    add_session(tracker, at(60), [6, 2, SKIP, 4, 8, 3], pain_before=6, pain_after=5)
    add_session(tracker, at(30), [5, 3, 4, 4, 7, SKIP], pain_before=5, pain_after=3, recognised=[4])
    add_session(tracker, at(3), [2, 2, 1, 4, 6, 2], pain_before=3)
    tracker.fast_reads = False  # through SQLAlchemy
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as fresh:
        subjects = ["low-back", "buttock:both", "test-dimple-spot", "pain"]
        assert fresh.session_summaries() == tracker.session_summaries()
        assert fresh.session_summaries(limit=2) == tracker.session_summaries()[:2]
        assert tracker.session_summaries(limit=2) == tracker.session_summaries()[:2]
        assert fresh.count_sessions_between(at(40), None) == 2
        assert fresh.trends() == tracker.trends()
        assert fresh.trends(subjects, at(40), at(0)) == tracker.trends(subjects, at(40), at(0))
        assert fresh.spot_trends() == tracker.spot_trends()
        assert fresh.heat_map() == tracker.heat_map()
        assert fresh.adherence() == tracker.adherence()
        assert fresh.focus_protocol() == tracker.focus_protocol()
        assert fresh._database is None  # answered without SQLAlchemy's engine


@pytest.mark.parametrize("copies", [5000, 60000])
def test_region_means_stay_exact_with_thousands_of_ratings_in_one_session(tracker, db_path, clock, copies):
    """More ratings of one region than a packed field counts (4096) carry into its sum, and
    tens of thousands overflow SQLite's integer sum: both are counted again exactly."""
    add_session(tracker, at(20), [3, 3, 3, 3, 3, 3])
    crowded = add_session(tracker, at(10), [4, 6, 1, SKIP, 8, 2])
    crowd_first_step(str(db_path), crowded, copies, 9)  # low-back left
    expected_left = (4 + 6 + copies * 9) / (copies + 2)
    expected_both = (4 + 6 + 1 + copies * 9) / (copies + 3)
    for fast in (True, False):
        with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as fresh:
            fresh.fast_reads = fast
            by_id = {t.subject.id: t.values for t in fresh.trends()}
            assert by_id["low-back:left"] == [3.0, pytest.approx(expected_left)]
            assert by_id["low-back:right"] == [3.0, 1.0]
            assert by_id["buttock:left"] == [3.0, 8.0]
            [both] = fresh.trends(["low-back:both"])
            assert both.values == [3.0, pytest.approx(expected_both)]


def test_plain_reader_is_not_used_on_an_old_schema(db_path, tracker):
    import sqlite3

    from selftrack.storage.reader import open_fast_sqlite

    add_session(tracker, at(1), [1] * 6)
    reader = open_fast_sqlite(str(db_path))
    assert reader is not None
    reader.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    assert open_fast_sqlite(str(db_path)) is None
    assert open_fast_sqlite(str(db_path.parent / "missing.db")) is None
    assert open_fast_sqlite("postgresql+psycopg://u@h/db") is None



def test_short_history_compares_halves_without_overlap(tracker):
    add_session(tracker, at(20), [1] * 6)
    add_session(tracker, at(10), [1] * 6)
    add_session(tracker, at(0), [1] * 6)
    (a_start, a_end), (b_start, b_end) = tracker.first_and_last_month()
    assert a_start == at(20) and a_end == at(10) and b_end == at(0)
    assert b_start > a_end
    first, second, _changes = tracker.heat_change((a_start, a_end), (b_start, b_end))
    assert (first.sessions, second.sessions) == (2, 1)


def test_flagged_spots(tracker):
    add_session(tracker, at(5), [6, 1, 1, 1, 7, 1], recognised=[0, 4], nerve=[4])
    add_session(tracker, at(2), [5, 1, 1, 1, 6, 1], recognised=[0])
    add_session(tracker, at(1), [SKIP, 1, 1, 1, 2, 1])
    found = tracker.flagged_spots()
    assert [(f.spot_id, f.side, f.ratings, f.nerve, f.recognised) for f in found] == [
        ("test-dimple-spot", "left", 3, 1, 1),
        ("test-line-1", "left", 2, 0, 2),
    ]
    assert found[0].name == "Test spot under the dimple"
    assert tracker.flagged_spots(at(1.5), None) == []
