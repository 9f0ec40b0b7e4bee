"""Every statistic against values worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selftrack.analysis.adherence import build_adherence, week_start
from selftrack.analysis.focus import build_focus_spec, pick_focus
from selftrack.analysis.stats import (
    Change,
    Measure,
    Verdict,
    baseline_window,
    binned_medians,
    from_ends,
    is_clear,
    judge,
    median,
    region_change,
    rounded,
    running_median,
    summarize,
    theil_sen_slope,
    trend_per_month,
)
from selftrack.analysis.trends import (
    Point,
    Subject,
    SubjectError,
    asymmetry,
    core_spots,
    default_subjects,
    parse_subjects,
    series_trend,
    subject_name,
)
from selftrack.domain.model import SpotSpec
from selftrack.domain.records import HeatCell, RecentRating

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


# -- one spot: baseline, latest, and what a change may be called ---------------------------------


def test_baseline_and_latest_are_medians_of_three():
    # baseline median(6, 7, 5) = 6, latest median(4, 3, 2) = 3: -3 points, -50 %
    change = summarize([6, 7, 5, 4, 3, 2])
    assert (change.baseline, change.latest, change.change, change.sessions) == (6, 3, -3, 6)
    assert change.percent_change == pytest.approx(-50.0)
    assert change.meaningful and change.verdict is Verdict.LESS_TENDER


def test_five_sessions_are_too_few_for_a_verdict():
    # 8 8 | 5 | 2 2: the numbers are there (8 -> 2, -6), the verdict is not
    change = summarize([8, 8, 5, 2, 2])
    assert (change.baseline, change.latest, change.change) == (8, 2, -6)
    assert change.verdict is Verdict.TOO_FEW and not change.meaningful


def test_one_point_drop_is_no_clear_change():
    change = summarize([8, 8, 8, 7, 7, 7])
    assert change.change == -1 and not change.meaningful
    assert change.verdict is Verdict.NO_CLEAR_CHANGE


def test_two_points_but_under_thirty_percent_is_no_clear_change():
    # 8 -> 6: 2 points but 25 % of 8 (needs 2.4)
    change = summarize([8, 8, 8, 6, 6, 6])
    assert change.change == -2 and change.percent_change == pytest.approx(-25.0)
    assert change.verdict is Verdict.NO_CLEAR_CHANGE


def test_thirty_percent_but_under_two_points_is_no_clear_change():
    # 3 -> 1.5: 50 % but only 1.5 points
    assert summarize([3, 3, 3, 1.5, 1.5, 1.5]).verdict is Verdict.NO_CLEAR_CHANGE


def test_more_tender_uses_the_same_size_of_change_and_its_own_words():
    assert summarize([2, 2, 2, 5, 5, 5]).verdict is Verdict.MORE_TENDER
    assert summarize([0, 0, 0, 2, 2, 2]).percent_change is None  # no percent of 0
    assert summarize([0, 0, 0, 2, 2, 2]).verdict is Verdict.MORE_TENDER


def test_overall_pain_has_meaningful_words():
    assert summarize([6, 6, 6, 3, 3, 3], Measure.PAIN).verdict is Verdict.BETTER
    assert summarize([3, 3, 3, 6, 6, 6], Measure.PAIN).verdict is Verdict.WORSE
    assert summarize([6, 6, 6, 5, 5, 5], Measure.PAIN).verdict is Verdict.NO_MEANINGFUL_CHANGE
    assert summarize([6, 6, 3, 3], Measure.PAIN).verdict is Verdict.TOO_FEW


def test_exact_thresholds_count_despite_floating_point():
    # 30 % of 20/3 is 2.0000000000000004 in floating point
    assert is_clear(20 / 3, -2.0)
    assert is_clear(10 / 3 * 2, 2.0)
    assert not is_clear(7, -2.0)


def test_single_session_has_no_change():
    change = summarize([4])
    assert (change.baseline, change.latest, change.change) == (4, 4, None)
    assert change.percent_change is None and not change.meaningful
    assert change.verdict is Verdict.TOO_FEW


def test_empty_series():
    change = summarize([])
    assert change.verdict is Verdict.TOO_FEW and change.sessions == 0 and change.change is None


def test_short_series_use_half_of_the_values():
    assert [baseline_window(n) for n in range(0, 9)] == [0, 1, 1, 1, 2, 2, 3, 3, 3]
    # five values: first two (median 1.5) against last two (median 4.5)
    change = summarize([1, 2, 3, 4, 5])
    assert (change.baseline, change.latest, change.change) == (1.5, 4.5, 3.0)
    assert change.percent_change == pytest.approx(200.0)


def test_from_ends_is_summarize_without_the_middle():
    values = [5, 6, 4, 9, 9, 9, 9, 2, 3, 1]
    assert from_ends(values[:3], values[-3:], len(values)) == summarize(values)


def test_one_outlier_in_the_baseline_does_not_move_it():
    assert summarize([3, 10, 3, 3, 3, 3]).baseline == 3


def test_rounded_has_no_negative_zero():
    assert rounded(-0.04) == 0.0 and str(rounded(-0.04)) == "0.0"
    assert rounded(None) is None and rounded(2.25, 1) == 2.2


# -- regions: built from their spots, like for like --------------------------------------------


def _spot(baseline, latest, sessions=6):
    return Change(baseline, latest, sessions, judge(baseline, latest, sessions, Measure.TENDERNESS))


def test_region_change_is_built_from_its_spots():
    # baselines 6, 4, 5 -> 5; latests 3, 2, 4 -> 3: -2 (40 %), and all three went down
    region = region_change([_spot(6, 3), _spot(4, 2), _spot(5, 4)])
    assert (region.baseline, region.latest, region.change) == (5, 3, -2)
    assert (region.spots, region.agreeing, region.verdict) == (3, 3, Verdict.LESS_TENDER)


def test_a_region_never_goes_against_most_of_its_spots():
    # two spots fell a lot (8 -> 2), three rose a little (4 -> 5): the mean falls 1.8 points
    # (26 %: not clear) — and even if it were, 2 of 5 is no majority
    spots = [_spot(8, 2), _spot(8, 2), _spot(4, 5), _spot(4, 5), _spot(4, 5)]
    region = region_change(spots)
    assert region.change == pytest.approx(-1.8) and region.agreeing == 2
    assert region.verdict is Verdict.NO_CLEAR_CHANGE
    bigger = region_change([_spot(9, 1), _spot(9, 1), _spot(4, 5), _spot(4, 5), _spot(4, 5)])
    assert is_clear(bigger.baseline, bigger.change) and bigger.verdict is Verdict.NO_CLEAR_CHANGE


def test_spots_with_too_few_sessions_do_not_count_in_a_region():
    region = region_change([_spot(8, 2, sessions=5), _spot(4, 4)])
    assert (region.spots, region.baseline, region.latest) == (1, 4, 4)
    assert region.verdict is Verdict.NO_CLEAR_CHANGE
    assert region_change([_spot(8, 2, sessions=5)]).verdict is Verdict.TOO_FEW


def test_a_change_of_routine_alone_gives_no_clear_change():
    """The first sessions walked a one-spot routine, the later ones a 25-spot routine in which
    that spot is not; no spot changed. Pooled per session, the region's mean went 7 -> 3.6;
    built from its spots it did not move."""
    early = [7.0] * 6  # the one spot, six sessions of the short routine
    later = {f"arc-{n}": [2.0 + (n % 4)] * 6 for n in range(25)}  # the long routine's spots
    pooled_first = median([sum(early[:1]) / 1] * 3)
    pooled_last = median([sum(v[0] for v in later.values()) / 25] * 3)
    assert summarize([pooled_first] * 3 + [pooled_last] * 3).verdict is Verdict.LESS_TENDER
    spots = [summarize(early)] + [summarize(values) for values in later.values()]
    region = region_change(spots)
    assert region.change == 0 and region.verdict is Verdict.NO_CLEAR_CHANGE and region.spots == 26


def test_the_line_is_drawn_from_a_fixed_set_of_spots():
    # the spots rated in at least 80 % as many sessions as the most-rated one; the line's
    # means are taken in SQL (tests/storage/test_fixed_set_lines.py)
    counts = {("a", "left"): 100, ("b", "left"): 85, ("c", "left"): 80, ("d", "left"): 79}
    assert core_spots(counts) == [("a", "left"), ("b", "left"), ("c", "left")]
    assert core_spots({}) == []


# -- left and right ------------------------------------------------------------------------------


def test_asymmetry_needs_the_same_side_on_three_of_the_last_five():
    # left minus right, oldest first: only 2 of the last 5 sessions have the left 1+ higher
    two = asymmetry("buttock", [{"s": (5, 3)}, {"s": (4, 4)}, {"s": (6, 4)}, {"s": (3, 3)}, {"s": (4, 4)}])
    assert two.differences == (2, 0, 2, 0, 0) and two.holds == 2 and not two.notable
    three = asymmetry("buttock", [{"s": (5, 3)}, {"s": (4, 4)}, {"s": (6, 4)}, {"s": (3, 3)}, {"s": (5, 4)}])
    assert three.holds == 3 and three.notable and three.more_tender_side == "left"
    assert three.difference == 1  # the median of 2, 0, 2, 0, 1


def test_asymmetry_takes_the_last_five_and_averages_the_paired_spots():
    old = [{"s": (1, 9)}] * 10  # long ago the right was much worse
    recent = [{"s": (6, 2), "t": (4, 4)}] * 5  # lately: left 5, right 3 on average
    found = asymmetry("low-back", old + recent)
    assert found.differences == (2, 2, 2, 2, 2) and found.notable and found.more_tender_side == "left"


# -- robust trend -----------------------------------------------------------------------------


def test_theil_sen_ignores_one_wild_value():
    # pairs among the first four: six slopes of 1; with (4, 100): 25, 33, 49, 97 -> median 1
    points = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 100)]
    assert theil_sen_slope(points) == 1


def test_theil_sen_needs_two_distinct_times():
    assert theil_sen_slope([(0, 5)]) is None
    assert theil_sen_slope([(1, 5), (1, 7)]) is None


def test_trend_is_per_thirty_days():
    # -1 point per 10 days = -3 per month
    assert trend_per_month([(0, 6), (10, 5), (20, 4)]) == pytest.approx(-3.0)


def test_long_series_are_binned_before_the_slope():
    points = [(float(day), 5.0) for day in range(500)]
    binned = binned_medians(points, 10)
    assert len(binned) == 10
    assert binned[0] == (24.5, 5.0)
    assert trend_per_month(points) == 0


def test_running_median_smooths_a_spike():
    points = [(0, 1), (1, 9), (2, 1), (3, 1), (4, 1)]
    assert running_median(points, 1) == [(0, 5), (1, 1), (2, 1), (3, 1), (4, 1)]


def test_trend_over_a_gap_of_months():
    # two sessions in January, two in June: the slope uses the real days between them
    moments = [T0, T0 + timedelta(days=1), T0 + timedelta(days=151), T0 + timedelta(days=152)]
    trend = series_trend(Subject("spot", "s", "left"), "S", [Point(m, v) for m, v in zip(moments, [7, 7, 4, 4])])
    # baseline median(7, 7) = 7 (window 2), latest 4 -> -3, but 4 sessions: no verdict yet
    assert trend.summary.baseline == 7 and trend.summary.latest == 4
    assert trend.summary.verdict is Verdict.TOO_FEW
    # pair slopes in days: -3/151 (0-151), -3/152 (0-152), -3/150 (1-151), -3/151 (1-152) and
    # two of 0; sorted, the middle two are -3/151 and -3/152
    assert trend.per_month == pytest.approx((-3 / 151 - 3 / 152) / 2 * 30)


def test_build_trend_sorts_points_by_time():
    late, early = Point(T0 + timedelta(days=3), 2), Point(T0, 6)
    trend = series_trend(Subject("spot", "s", "right"), "S", [late, early])
    assert [p.value for p in trend.points] == [6, 2]


# -- subjects, names, asymmetry ---------------------------------------------------------------


def test_parse_subjects():
    spots = {"glute-dimple": {"left", "right"}, "sacrum": {"mid"}}
    assert parse_subjects(["low-back"], spots) == [
        Subject("region", "low-back", "left"),
        Subject("region", "low-back", "right"),
    ]
    assert parse_subjects(["buttock:both", "pain"], spots) == [
        Subject("region", "buttock", "both"),
        Subject("pain", "pain", "before"),
        Subject("pain", "pain", "after"),
    ]
    assert parse_subjects(["glute-dimple:right", "sacrum"], spots) == [
        Subject("spot", "glute-dimple", "right"),
        Subject("spot", "sacrum", "mid"),
    ]


@pytest.mark.parametrize(
    "word,message",
    [
        ("nowhere", "no spot or region called 'nowhere'"),
        ("low-back:up", "a region is followed by"),
        ("glute-dimple:both", "a spot is followed by"),
        ("pain:during", "pain is followed by"),
    ],
)
def test_parse_subjects_refuses(word, message):
    with pytest.raises(SubjectError, match=message):
        parse_subjects([word], {"glute-dimple": {"left"}})


def test_default_subjects_in_body_order_then_pain():
    subjects = default_subjects({("buttock", "right"), ("low-back", "left"), ("buttock", "mid")})
    assert [s.id for s in subjects] == [
        "low-back:left",
        "buttock:right",
        "buttock:mid",
        "pain:before",
        "pain:after",
    ]


def test_subject_names():
    assert subject_name(Subject("region", "side-of-hip", "both")) == "Side of hip, both sides"
    assert subject_name(Subject("pain", "pain", "after")) == "Overall pain after"
    assert subject_name(Subject("spot", "x", "left"), "Under the dimple") == "Under the dimple, left"


# -- heat map ---------------------------------------------------------------------------------


def _cell(spot, side, mean):
    return HeatCell(spot, side, spot, "buttock", "back", 0.2, 0.5, mean, 3)


def test_heat_cell_position_mirrors_left():
    assert _cell("a", "left", 1).position() == (-0.2, 0.5)
    assert _cell("a", "right", 1).position() == (0.2, 0.5)


# -- adherence --------------------------------------------------------------------------------


def test_adherence_weeks_include_empty_ones():
    today = date(2026, 3, 18)  # a Wednesday
    days = [date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 17), date(2026, 3, 18)]
    result = build_adherence(days, today)
    assert result.weeks == ((date(2026, 3, 2), 2), (date(2026, 3, 9), 0), (date(2026, 3, 16), 2))
    assert result.streak_days == 2 and result.sessions == 4 and result.active_days == 3
    assert result.per_week == pytest.approx(4 / 3)
    assert result.longest_gap_days == 7


def test_streak_counts_from_yesterday_when_today_is_empty():
    today = date(2026, 3, 18)
    result = build_adherence([date(2026, 3, 15), date(2026, 3, 16), date(2026, 3, 17)], today)
    assert result.streak_days == 3
    assert build_adherence([date(2026, 3, 15)], today).streak_days == 0


def test_week_start_is_monday():
    assert week_start(date(2026, 3, 22)) == date(2026, 3, 16)


# -- focus ------------------------------------------------------------------------------------


NOW = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
SINCE = NOW - timedelta(days=14)


def _r(days_ago, value, recognised=False, nerve=False):
    return RecentRating(NOW - timedelta(days=days_ago), value, recognised, nerve)


def test_pick_focus():
    history = {
        ("hot", "left"): [_r(1, 5), _r(3, 6)],
        ("familiar", "right"): [_r(2, 2, recognised=True)],
        ("cooled", "left"): [_r(1, 1), _r(2, 2), _r(3, 1), _r(4, 6)],  # last 3 quiet
        ("old", "left"): [_r(20, 8)],  # tender, but not in the last 14 days
        ("zing", "right"): [_r(1, 6, nerve=True)],  # nerve flag last time
        ("cooling", "right"): [_r(1, 1), _r(2, 2), _r(3, 5)],  # only two quiet since
    }
    assert pick_focus(history, SINCE) == [("cooling", "right"), ("familiar", "right"), ("hot", "left")]


def test_focus_spec_groups_by_region_in_body_order():
    spots = {
        "low": SpotSpec("low", "Low spot", "buttock", 0.2, 0.9),
        "high": SpotSpec("high", "High spot", "buttock", 0.2, 0.6),
        "back": SpotSpec("back", "Back spot", "low-back", 0.1, 0.2),
    }
    spec = build_focus_spec([("low", "left"), ("high", "right"), ("back", "left")], spots)
    assert spec.id == "focus"
    assert [(r.id, r.spot_ids) for r in spec.routes] == [
        ("focus-low-back", ("back",)),
        ("focus-buttock", ("high", "low")),
    ]
    assert [(s.spot_id, s.side) for s in spec.steps("left")] == [
        ("back", "left"),
        ("high", "left"),
        ("low", "left"),
    ]
    assert spec.content_hash and "High spot: right" in spec.about
    assert build_focus_spec([], spots) is None


def test_sparkline_and_colours():
    from selftrack.render.charts import sparkline, verdict_colour

    assert sparkline([0, 10]) == "▁█"
    assert sparkline([0, 0, 10, 10], width=2) == "▁█"
    assert sparkline([0, None, 10]) == "▁ █"
    assert sparkline([]) == ""
    assert len(sparkline([5.0] * 100, width=16)) == 16
    colours = {verdict_colour(v) for v in (Verdict.LESS_TENDER, Verdict.MORE_TENDER, Verdict.NO_CLEAR_CHANGE)}
    assert len(colours) == 3
    assert verdict_colour(Verdict.BETTER) == verdict_colour(Verdict.LESS_TENDER)


@pytest.mark.parametrize(
    "values, expected",
    [([7], 7.0), ([3, 1, 2], 2.0), ([4, 1, 3, 2], 2.5), ([0.5, 0.25], 0.375), ([5, 5, 1, 9], 5.0)],
)
def test_median_by_hand(values, expected):
    assert median(values) == expected


def test_binned_medians_by_hand_in_any_order():
    points = [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0), (3.0, 4.0), (4.0, 5.0), (10.0, 6.0)]
    # scale 2/10: days 0-4 fall in the first slice, day 10 (the end) in the last
    assert binned_medians(points, 2) == [(2.0, 3.0), (10.0, 6.0)]
    assert binned_medians(points[::-1], 2) == [(2.0, 3.0), (10.0, 6.0)]
    assert binned_medians([(5.0, 1.0), (5.0, 3.0), (5.0, 8.0)], 2) == [(5.0, 3.0)]


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=4000, allow_nan=False),
            st.floats(min_value=0, max_value=10, allow_nan=False),
        ),
        max_size=300,
    ),
    st.integers(min_value=1, max_value=70),
    st.randoms(use_true_random=False),
)
def test_binned_medians_do_not_depend_on_the_order_of_points(points, bins, random):
    in_order = sorted(points, key=lambda p: p[0])
    shuffled = in_order[:]
    random.shuffle(shuffled)
    if len(points) > bins:
        assert binned_medians(in_order, bins) == binned_medians(shuffled, bins)


# -- properties of the rule ----------------------------------------------------------------------

spot_change = st.builds(
    lambda b, l, n: Change(b, l, n, judge(b, l, n, Measure.TENDERNESS)),
    st.floats(0, 10, allow_nan=False),
    st.floats(0, 10, allow_nan=False),
    st.integers(0, 40),
)


@given(st.lists(spot_change, max_size=12))
def test_a_region_never_contradicts_most_of_its_spots(spots):
    region = region_change(spots)
    judged = [c for c in spots if c.verdict is not Verdict.TOO_FEW]
    if region.verdict is Verdict.LESS_TENDER:
        assert sum(c.change < 0 for c in judged) * 2 > len(judged)
    if region.verdict is Verdict.MORE_TENDER:
        assert sum(c.change > 0 for c in judged) * 2 > len(judged)
    if not judged:
        assert region.verdict is Verdict.TOO_FEW
