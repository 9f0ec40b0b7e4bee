"""What the exports read of the outcomes and the dose, and the import's writes: a record read
from one database and added to another comes back the same, and adding it twice adds nothing."""

from __future__ import annotations

from datetime import timedelta

from selftrack.clock import Clock
from selftrack.storage import outcome_reads
from selftrack.tracker import Tracker
from history_support import add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS


def _filled(url: str, clock: Clock) -> Tracker:
    tracker = Tracker(url, protocols_dir=TEST_PROTOCOLS, clock=clock)
    session = add_session(tracker, at(1), [3] * 6)
    tracker.clock = Clock(fixed=at(0.1), tz_name="Europe/London")
    tracker.record_checkin(back=5, leg=3, night=4, below_knee=True, soreness="mild")
    tracker.record_weekly_form(peg=(5, 4, 6), psfs={"Walking": 3, "Sitting": 6}, activities=["Walking", "Sitting"])
    tracker.clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    tracker.record_weekly_form(psfs={"Gardening": 7}, pgic=3, activities=["Gardening"])
    live = tracker.start_session("test-mini", "left")
    tracker.record_rating(live.id, 0, 4, hold_seconds=30, tool="hands", pressure="light")
    tracker.record_rating(live.id, 1, 5)
    tracker.session_ids = (session, live.id)
    return tracker


def test_exports_read_every_outcome_and_dose(database_url, clock):
    with _filled(database_url, clock) as tracker, tracker.store.reading() as scope:
        (checkin,) = outcome_reads.checkins_in(scope)
        assert (checkin.back_pain, checkin.below_knee, checkin.soreness) == (5, True, "mild")
        assert checkin.soreness_session == tracker.session_ids[0]
        forms = outcome_reads.weekly_forms_in(scope)
        assert [f.psfs_score for f in forms] == [4.5, 7.0] and forms[1].pgic == 3
        assert outcome_reads.weekly_forms_in(scope, start=FIXED_NOW - timedelta(hours=1)) == forms[1:]
        names = [(a.name, a.until is None) for a in outcome_reads.psfs_activities_all(scope)]
        assert names == [("Walking", False), ("Sitting", False), ("Gardening", True)]
        doses = [row for batch in outcome_reads.rating_doses(scope) for row in batch]
        assert doses == [(tracker.session_ids[1], 0, 30, "hands", "light")]
        assert outcome_reads.hold_guidance(scope, list(tracker.session_ids)) == {
            tracker.session_ids[0]: 180, tracker.session_ids[1]: 180,
        }  # fmt: skip


def test_an_import_adds_each_record_once(database_url, new_database_url, clock):
    with _filled(database_url, clock) as source, source.store.reading() as scope:
        checkins = outcome_reads.checkins_in(scope)
        activities = outcome_reads.psfs_activities_all(scope)
        forms = outcome_reads.weekly_forms_in(scope)
    with Tracker(new_database_url("other"), protocols_dir=TEST_PROTOCOLS, clock=clock) as target:
        for attempt in range(2):
            with target.store.writing() as scope:
                added = outcome_reads.add_checkins(scope, checkins)
                added_forms = outcome_reads.add_weekly_forms(scope, activities, forms)
            if attempt == 0:
                assert (added.added, added_forms.added) == (1, 2)
            else:
                assert (added.added, added.unchanged, added_forms.added, added_forms.unchanged) == (0, 1, 0, 2)
                assert not added.conflicts and not added_forms.conflicts
        (checkin,) = target.checkins()
        # the session it was about is not in this database: the answers come, the soreness not
        assert (checkin.back_pain, checkin.leg_pain, checkin.night, checkin.below_knee) == (5, 3, 4, True)
        assert checkin.soreness is None and checkin.origin == "import"
        copied = target.weekly_forms()
        assert [(f.peg, f.pgic, [(r.name, r.score) for r in f.psfs]) for f in copied] == [
            (f.peg, f.pgic, [(r.name, r.score) for r in f.psfs]) for f in forms
        ]
        assert [a.name for a in target.psfs_activities()] == ["Gardening"]
        with target.store.writing() as scope:
            other = outcome_reads.add_checkins(scope, [_with(checkins[0], back_pain=9)])
        assert other.added == 0 and other.conflicts == [f"check-in of {checkins[0].day}: a different one is stored"]
        assert target.checkins()[0].back_pain == 5  # the stored one stays


def _with(checkin, **values):
    from dataclasses import replace

    return replace(checkin, **values)
