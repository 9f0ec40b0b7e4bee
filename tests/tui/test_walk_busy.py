"""A walk opened while another program holds the database (attacks.md 1): the core tries
again, then says so; the walk screen goes back instead of staying on "Opening the session…"
with its keys doing nothing; once the database is free, the session resumes."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest

from selftrack.tracker import Tracker, TrackerError
from selftrack.tracker import facade
from selftrack.tui.app import build_app
from selftrack.tui.screens.home import HomeScreen
from selftrack.tui.screens.resume import ResumeDialog
from selftrack.tui.screens.walk import WalkScreen
from support import TEST_PROTOCOLS, answer_safety_questions
from tui_support import settle


@contextmanager
def held_exclusively(path, tracker):
    """Another program's connection that keeps the whole file to itself: readers wait, and
    give up after the busy timeout. (The tracker lets go of its own connections first, as a
    program does between sessions; it opens new ones when asked.)"""
    tracker.database.close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def unfinished_walk(db_path, clock, monkeypatch):
    monkeypatch.setenv("SELFTRACK_BUSY_TIMEOUT_MS", "100")
    monkeypatch.setattr(facade, "OPEN_PAUSE", 0.05)
    answer_safety_questions(str(db_path))
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        session = tracker.start_session("test-mini", "both")
        tracker.record_rating(session.id, 0, 4)
        yield tracker, session


def test_the_core_tries_again_then_says_the_database_is_busy(unfinished_walk, db_path, monkeypatch):
    tracker, session = unfinished_walk
    tries = []
    real = tracker.store.reading

    def counted():
        tries.append(1)
        return real()

    monkeypatch.setattr(tracker.store, "reading", counted)
    with held_exclusively(db_path, tracker):
        with pytest.raises(TrackerError, match="the database stayed busy .* open it again in a moment"):
            tracker.open_walk(session.id)
    assert len(tries) == facade.OPEN_TRIES
    assert tracker.open_walk(session.id).current == 1  # free again: it opens


async def test_the_walk_screen_goes_back_when_the_session_cannot_be_opened(unfinished_walk, db_path, acknowledged):
    tracker, session = unfinished_walk
    app = build_app(tracker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDialog)
        with held_exclusively(db_path, tracker):
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), app.screen  # not a walk without keys
            assert any("busy" in str(n.message) for n in app._notifications)
        await pilot.press("r")  # the home screen's key: resume
        await settle(pilot)
        assert isinstance(app.screen, WalkScreen) and app.screen.walk.current == 1
        await pilot.press("7")
        await settle(pilot)
    assert [r.tenderness for r in tracker.ratings(session.id)] == [4, 7]
