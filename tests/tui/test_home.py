"""The home screen on an empty database, the first-run note, and errors on screen."""

from __future__ import annotations

from selftrack import safety
from selftrack.tracker import Tracker
from selftrack.tui.app import build_app
from selftrack.tui.screens.help import HelpScreen
from selftrack.tui.screens.home import HomeScreen
from selftrack.tui.screens.safety import SafetyScreen
from selftrack.tui.screens.start import StartScreen
from support import TEST_PROTOCOLS
from tui_support import settle, text_of

SIZE = (120, 40)


async def test_empty_database_welcomes_and_shows_the_safety_note_once(tracker):
    assert not safety.is_acknowledged()
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SafetyScreen)
        assert "numbness in the saddle area" in text_of(app, "#safety-text")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        welcome = text_of(app, "#home-status")
        assert "Welcome to selftrack" in welcome
        assert "selftrack --db /tmp/try.db demo" in welcome
        assert "press  s" in welcome
        assert not app.screen.query_one("#home-figures").display
    assert safety.is_acknowledged()
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "bladder" in text_of(app, "#help-safety")
        await pilot.press("escape", "s")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)


async def test_home_shows_the_figures_with_data(tracker, acknowledged):
    session = tracker.start_session("test-mini", "left", tool="ball", pain_before=6)
    for step, value in enumerate((7, 4, 2)):
        tracker.record_rating(session.id, step, value)
    tracker.finish(session.id, pain_after=3)
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#home-figures").display
        cards = text_of(app, "#home-figures")
        assert "Pain before 6 → after 3" in cards
        assert "Test mini routine" in cards
        assert "1 session this week · streak 1 day" in cards and "1 session in all" in cards
        assert "Two sessions with pain noted" in cards
        assert "resume" not in text_of(app, "#home-next")


async def test_a_database_that_cannot_open_is_a_message_not_a_crash(tmp_path, acknowledged):
    broken = tmp_path / "not-a-db.db"
    broken.write_text("hello, not sqlite")
    tracker = Tracker(str(broken), protocols_dir=TEST_PROTOCOLS)
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Could not open your records" in text_of(app, "#home-status")
        assert "not a SQLite database" in text_of(app, "#home-status")
        assert any("not a SQLite database" in n.message for n in app._notifications)
        await pilot.press("s")  # nothing to start from: ignored, no crash
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert broken.read_text() == "hello, not sqlite"
    tracker.close()


async def test_a_refused_rating_is_reported_and_the_walk_stays(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "enter")
        await settle(pilot)
        walk = app.screen.walk
        tracker.abandon(walk.session.id)  # closed behind the program's back
        await pilot.press("4")
        await settle(pilot)
        assert walk.current == 0 and not walk.ratings
        assert any("abandoned" in n.message for n in app._notifications)


async def test_the_tracker_is_made_once_after_the_first_frame(tracker, acknowledged):
    first_frame_shown_when_made: list[bool] = []

    def make_tracker():
        first_frame_shown_when_made.append(app.first_frame_shown)
        return tracker

    app = build_app(make_tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.tracker is tracker
        assert isinstance(app.screen, HomeScreen) and app.screen.data is not None
    assert first_frame_shown_when_made == [True]
