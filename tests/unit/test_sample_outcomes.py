"""The sample check-ins and weekly forms: believable, and carrying the planted effect of a
session on the next morning's back pain whatever the sample schedule of sessions is."""

from __future__ import annotations

from selftrack.analysis.insights import Finding
from selftrack.analysis.stats import Verdict
from selftrack.tracker.sample_outcomes import PSFS_ACTIVITIES, write_outcomes
from history_support import add_session, at


def test_the_planted_effect_is_found_in_the_sample_mornings(tracker):
    for n in range(120, 0, -1):
        if n % 2:  # a session every other evening, whatever the demo's schedule
            add_session(tracker, at(n).replace(hour=19), [3] * 6)
    written = write_outcomes(tracker.store, days=120, seed=4)
    assert 95 <= written.checkins <= 120 and written.forms == 17
    insights = tracker.insights()
    overall = insights.overall
    assert overall.with_days >= 40 and overall.without_days >= 40
    assert overall.finding is Finding.LOWER and overall.difference == -1.0
    forms = tracker.weekly_forms()
    assert [a.name for a in tracker.psfs_activities()] == list(PSFS_ACTIVITIES)
    assert forms[0].pgic is None and all(f.pgic for f in forms[1:])
    assert all(f.origin == "demo" for f in forms) and {c.origin for c in tracker.checkins()} == {"demo"}
    (psfs,) = tracker.trends(["psfs"])
    assert psfs.summary.verdict is Verdict.BETTER  # the sample person can do more as weeks go by
    # some mornings answer the soreness question, about the evening before
    sore = [c for c in tracker.checkins() if c.soreness]
    assert sore and all(c.soreness_session for c in sore)
    before = {c.day: c for c in tracker.checkins()}
    again = write_outcomes(tracker.store, days=120, seed=4)  # days with a check-in keep theirs
    after = {c.day: c for c in tracker.checkins()}
    assert again.forms == 0 and len(after) == len(before) + again.checkins
    assert all(after[day] == checkin for day, checkin in before.items())
