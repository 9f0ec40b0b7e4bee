"""Safety before a session, on screen: the red-flag questions on the first run and again after
four weeks, an emergency sign stopping the session with advice to go today, the conditions that
adapt the routines, spots resting after hard sessions, and how to read the trends in help.

These start from a database where nothing has been answered yet (the conftest's `tracker`
has the questions answered for every other test of the terminal program).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from selftrack import safety
from selftrack.analysis.stats import READING_TRENDS
from selftrack.clock import Clock
from selftrack.domain.conditions import ConditionProfile
from selftrack.tracker import Tracker
from selftrack.tui.app import build_app
from selftrack.tui.screens.care import CareAdviceScreen, SafetyConditionsScreen, ScreeningScreen, SorenessDialog
from selftrack.tui.screens.help import HelpScreen
from selftrack.tui.screens.home import HomeScreen
from selftrack.tui.screens.start import StartScreen
from selftrack.tui.screens.walk import WalkScreen
from history_support import add_session, at
from support import FIXED_NOW, TEST_PROTOCOLS
from tui_support import screen_text, settle, text_of

SIZE = (120, 40)
SMALL = (80, 24)
ALL_NO = {q.id: "no" for q in safety.RED_FLAG_SCREEN}


@pytest.fixture
def fresh(database_url, clock, acknowledged):
    """A tracker on which no safety question has been answered yet."""
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        yield tracker


async def _answer_all_no(pilot, app) -> None:
    for _question in safety.RED_FLAG_SCREEN:
        assert isinstance(app.screen, ScreeningScreen)
        await pilot.press("n")
        await settle(pilot)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_the_first_session_asks_the_questions_then_the_conditions(fresh, size):
    app = build_app(fresh)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ScreeningScreen)
        first = safety.RED_FLAG_SCREEN[0]
        assert first.question in text_of(app, "#screening-question")
        assert f"1 of {len(safety.RED_FLAG_SCREEN)}" in text_of(app, "#screening-count")
        await _answer_all_no(pilot, app)
        assert isinstance(app.screen, SafetyConditionsScreen)  # asked once, on the first run
        await pilot.press("ctrl+s")  # none of them
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
    state = fresh.care_state()
    assert state.due is None and state.screening.answers == ALL_NO
    assert state.conditions_updated is not None


async def test_leaving_the_questions_starts_no_session(fresh):
    app = build_app(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("n", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert fresh.care_state().due == "first"  # nothing half-answered was stored
        assert fresh.sessions() == []


async def test_four_weeks_on_the_questions_come_again(database_url, acknowledged):
    earlier = Clock(fixed=FIXED_NOW - timedelta(weeks=4, days=1), tz_name="Europe/London")
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=earlier) as tracker:
        tracker.answer_screening(ALL_NO, "first")
        tracker.set_conditions(ConditionProfile())
    clock = replace(earlier, fixed=FIXED_NOW)
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        app = build_app(tracker)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, ScreeningScreen)
            assert "four weeks since you last answered" in text_of(app, "#screening-title")
            await _answer_all_no(pilot, app)
            assert isinstance(app.screen, StartScreen)  # the conditions are asked only the first time
        assert tracker.care_state().screening.answered_at == FIXED_NOW


async def test_a_cauda_equina_sign_sends_to_an_emergency_department_and_starts_nothing(fresh):
    app = build_app(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        saddle = next(i for i, q in enumerate(safety.RED_FLAG_SCREEN) if "saddle" in q.question)
        await pilot.press(*["n"] * saddle, "y")
        await settle(pilot)
        assert isinstance(app.screen, CareAdviceScreen)
        advice = text_of(app, "#advice-text")
        assert "emergency department today" in advice and "cauda equina" in advice
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        home = " ".join(screen_text(app).split())
        assert "Sessions are paused by your safety answers: go to an emergency department today" in home
        await pilot.press("s")  # asking again shows the advice again, not a session
        await settle(pilot)
        assert isinstance(app.screen, CareAdviceScreen)
    assert fresh.care_state().blocked
    assert fresh.sessions() == []


async def test_blood_thinners_given_on_screen_keep_the_walk_off_the_belly(database_url, clock, acknowledged):
    with Tracker(database_url, clock=clock) as tracker:  # the built-in routines
        app = build_app(tracker, protocol="deep-and-distant", side="both")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await _answer_all_no(pilot, app)
            assert isinstance(app.screen, SafetyConditionsScreen)
            conditions = app.screen.query_one("#conditions-list")
            position = next(i for i, option in enumerate(conditions._options) if option.value == "blood-thinners")
            conditions.select(conditions.get_option_at_index(position))
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            await pilot.press("ctrl+b")
            await settle(pilot)
            assert isinstance(app.screen, WalkScreen)
            walk = app.screen.walk
            views = {walk.session.spots[s.spot_id].view for s in walk.session.steps}
            assert "front" not in views
            tools = {tool for spot in walk.session.spots.values() for tool in spot.tools}
            assert not tools & {"ball", "roller", "elbow"}
        assert "blood-thinners" in tracker.care_state().conditions.conditions


async def test_a_spot_rated_8_three_sessions_running_is_passed_over_and_says_why(tracker, acknowledged):
    for days in (9, 6, 3):
        add_session(tracker, at(days), [9, 2, 2, 2, 2, 2])
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = screen_text(app)
        assert "Resting today" in home and "Test line spot 1 of 2 (left)" in home
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SorenessDialog)  # a spot was pressed hard 3 days ago
        await pilot.press("2")  # mild
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, WalkScreen)
        assert app.screen.walk.current == 1  # line 1 on the left rests
        await pilot.press("b")  # back to it: it can still be rated
        await settle(pilot)
        shown = screen_text(app)
        assert "Resting today" in shown and "3 sessions in a row" in shown
    assert tracker.care_state().soreness_about is None  # the answer was kept


async def test_help_says_how_to_read_the_trends(tracker, acknowledged):
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app, "#help-trends")
        assert READING_TRENDS[0].split(".")[0][:40] in " ".join(shown.split())
        assert "Safety questions" in screen_text(app)
