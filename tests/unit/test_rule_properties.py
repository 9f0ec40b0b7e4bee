"""Properties of the change rule through the whole path (sessions stored, trends read back)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selftrack.analysis.stats import summarize
from selftrack.clock import Clock
from selftrack.domain.model import ALTERNATING
from selftrack.tracker import Tracker
from history_support import at
from support import FIXED_NOW, TEST_PROTOCOLS

# The test routine on both sides, each route on both sides in turn, has six steps: 0 line 1 L, 1 line 2 L, 2 line 1 R,
# 3 line 2 R, 4 dimple L, 5 dimple R. A "routine" here is which of them a session rates.
ROUTINES = ((0, 1, 2, 3, 4, 5), (0, 4), (1, 2, 3), (0, 1, 5))
SPOTS = {0: ("test-line-1", "left"), 1: ("test-line-2", "left"), 4: ("test-dimple-spot", "left")}

values = st.lists(st.integers(0, 10), min_size=1, max_size=8)


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(
    series=st.fixed_dictionaries({step: values for step in SPOTS}),
    routines=st.lists(st.sampled_from(range(len(ROUTINES))), min_size=1, max_size=5),
    shuffle=st.randoms(use_true_random=False),
)
def test_which_routines_carried_a_spot_never_changes_its_verdict(tmp_path_factory, series, routines, shuffle):
    """Each spot's series is fixed; the sessions that carry it are drawn from routines rating
    different spot sets, in one order and then in another: every spot's summary and verdict
    are those of its own values, whatever else was rated around them."""
    orders = [list(routines), shuffle.sample(routines, len(routines))]
    found = []
    for number, order in enumerate(orders):
        path = tmp_path_factory.mktemp("rule") / f"{number}.db"
        with Tracker(str(path), protocols_dir=TEST_PROTOCOLS, clock=Clock(fixed=FIXED_NOW, tz_name="UTC")) as t:
            left = {step: list(vals) for step, vals in series.items()}
            days = len(order) + sum(len(v) for v in left.values()) + 1
            while any(left.values()):
                for routine in [*order, 0]:  # each pass ends with the whole routine
                    steps = [s for s in ROUTINES[routine] if s not in SPOTS or left[s]]
                    if not any(s in SPOTS for s in steps):
                        continue
                    t.clock = Clock(fixed=at(days), tz_name="UTC")
                    days -= 1
                    session = t.start_session("test-mini", "both", order=ALTERNATING)
                    for step in steps:
                        value = left[step].pop(0) if step in SPOTS else 5
                        t.record_rating(session.id, step, value)
                    t.finish(session.id)
                    if not any(left.values()):
                        break
            t.clock = Clock(fixed=FIXED_NOW, tz_name="UTC")
            subjects = [f"{spot}:{side}" for spot, side in SPOTS.values()]
            found.append({tr.subject.id: tr.summary for tr in t.trends(subjects)})
            found.append({tr.subject.id: tr.summary for tr in t.spot_trends()})  # from the levels
    for step, (spot, side) in SPOTS.items():
        expected = summarize([float(v) for v in series[step]])
        for summaries in found:
            got = summaries[f"{spot}:{side}"]
            assert (got.baseline, got.latest, got.sessions, got.verdict) == (
                expected.baseline, expected.latest, expected.sessions, expected.verdict,
            )
