"""Profiles: one database, several people, and no query ever crosses from one to another."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selftrack.clock import Clock
from selftrack.errors import SelftrackError
from selftrack.tracker import Tracker, TrackerError
from support import FIXED_NOW, TEST_PROTOCOLS, unfinished

pytestmark = pytest.mark.backends


def _tracker(url: str, profile: str, days_ago: float = 0) -> Tracker:
    clock = Clock(fixed=FIXED_NOW - timedelta(days=days_ago), tz_name="UTC")
    return Tracker(url, protocols_dir=TEST_PROTOCOLS, clock=clock, profile=profile)


def test_one_profile_never_sees_another_profiles_data(database_url):
    with _tracker(database_url, "ann", days_ago=3) as ann:
        earlier = ann.start_session("test-mini", "left", pain_before=7)
        ann.record_rating(earlier.id, 0, 8, note="ann's note")
        ann.finish(earlier.id, pain_after=5)
    with _tracker(database_url, "ann") as ann:
        open_session = ann.start_session("test-mini", "both", pain_before=6)
        ann.record_rating(open_session.id, 0, 6)
        assert unfinished(ann).id == open_session.id
        assert len(ann.sessions()) == 2
        assert ann.overview().total_sessions == 2
    with _tracker(database_url, "bob") as bob:
        assert bob.sessions() == []
        assert unfinished(bob) is None
        assert bob.count_sessions() == 0
        assert bob.overview().total_sessions == 0 and bob.overview().top_spots == []
        for session_id in (earlier.id, open_session.id):
            with pytest.raises(TrackerError, match="no session"):
                bob.session(session_id)
            with pytest.raises(TrackerError, match="no session"):
                bob.ratings(session_id)
            with pytest.raises(TrackerError, match="no session"):
                bob.record_rating(session_id, 1, 3)
            with pytest.raises(TrackerError, match="no session"):
                bob.undo_last(session_id)
            with pytest.raises(TrackerError, match="no session"):
                bob.open_walk(session_id)
        with pytest.raises(TrackerError, match="no session"):
            bob.finish(open_session.id)
        with pytest.raises(TrackerError, match="no session"):
            bob.abandon(open_session.id)
        own = bob.start_session("test-mini", "left")
        bob.record_rating(own.id, 0, 1)
        assert bob.open_walk(own.id).previous == {}  # ann's earlier rating of that spot stays hers
        assert [s.id for s in bob.sessions()] == [own.id]
        assert bob.overview().top_spots[0].summary.latest == 1
    with _tracker(database_url, "ann") as ann:
        assert [r.tenderness for r in ann.ratings(open_session.id)] == [6]
        assert unfinished(ann).id == open_session.id
        assert ann.open_walk(open_session.id).previous[("test-line-1", "left")].tenderness == 8
        assert {s.id for s in ann.sessions()} == {earlier.id, open_session.id}


def test_demo_refusal_counts_only_this_profiles_sessions(database_url):
    with _tracker(database_url, "ann") as ann:
        ann.start_session("test-mini", "left")
    builtin = Tracker(database_url, clock=Clock(fixed=FIXED_NOW, tz_name="UTC"), profile="ann")
    with builtin:
        with pytest.raises(SelftrackError, match="1 real session"):
            builtin.write_demo(days=3)
    other = Tracker(database_url, clock=Clock(fixed=FIXED_NOW, tz_name="UTC"), profile="trial")
    with other:
        result = other.write_demo(days=3)
        assert other.count_sessions() == result.sessions > 0
    with _tracker(database_url, "ann") as ann:
        assert ann.count_sessions() == 1


def test_profiles_lists_each_with_its_session_count(database_url):
    with _tracker(database_url, "default") as empty:
        assert empty.profiles() == []
    for name, count in (("bob", 2), ("ann", 1), ("cy", 0)):
        with _tracker(database_url, name) as t:
            for _ in range(count):
                t.start_session("test-mini", "left")
            if not count:
                t.sessions()  # reading alone does not create a profile
    with _tracker(database_url, "ann") as t:
        summaries = t.profiles()
    assert [(p.name, p.sessions) for p in summaries] == [("ann", 1), ("bob", 2)]
    assert all(p.last_session_at == FIXED_NOW for p in summaries)
    assert all(p.created_at.tzinfo is not None for p in summaries)


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "bad\x1b[2Jname", "tab\there"])
def test_bad_profile_names_are_refused(database_url, name):
    with pytest.raises(TrackerError, match="profile name"):
        _tracker(database_url, name)
