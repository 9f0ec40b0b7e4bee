"""Is it helping? On screen: the morning check-in and the weekly form from the home screen, the
"What seems to help" view, and the dose (tool, pressure, seconds held) stored with each rating.

The fixed clock (tests/conftest.py) is 2026-11-20 09:30 UTC: before noon, so the morning
check-in is due on a fresh database.
"""

from __future__ import annotations

import re

import pytest

from selftrack.domain.instruments import CHECKIN_BACK, PEG_QUESTIONS, PGIC_CHOICES, PSFS_FIRST
from selftrack.domain.terms import BODY_WEIGHT_TOOLS, TOOLS
from selftrack.session.hold import HoldTimer
from selftrack.tui.app import build_app
from selftrack.tui.screens.home import HomeScreen
from selftrack.tui.screens.start import StartScreen
from selftrack.tui.screens.walk import WalkScreen
from history_support import add_session, at
from tui_support import screen_text, settle, text_of

SIZE = (120, 40)
SMALL = (80, 24)


class FakeSeconds:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- the dose in the walk ------------------------------------------------------------------


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_dose_keys_store_tool_pressure_and_hold_seconds_with_the_rating(tracker, acknowledged, size):
    app = build_app(tracker, protocol="test-mini", side="both")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("6", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WalkScreen) and screen.walk is not None
        session = screen.walk.session
        seconds = FakeSeconds()
        screen.hold = HoldTimer(seconds)
        # spot 1: the hold timer on, the next tool, pressure twice (medium), 25 s held, rated 4
        await pilot.press("h", "o", "d", "d")
        await settle(pilot)
        # beside the rating bar where there is room, in the status line where it is narrow
        dose = " ".join((text_of(app, "#walk-dose") + " " + text_of(app, "#walk-status")).split())
        # the test routine's spots name no tools: only tools without body weight are offered
        light = [t for t in TOOLS if t != session.tool and t not in BODY_WEIGHT_TOOLS]
        first_tool = light[0]
        assert first_tool in dose and "medium" in dose
        seconds.now += 25
        await pilot.press("4")
        await settle(pilot)
        # spot 2: nothing changed, the timer off: the session's tool, no pressure, no hold
        await pilot.press("h", "5")
        await settle(pilot)
        # spot 3: pressure firm (three presses), rated; then back to it and the tool changed
        # twice: a rated spot's dose is saved at once, its hold kept
        await pilot.press("d", "d", "d", "h")
        await settle(pilot)
        seconds.now += 12
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("b", "o", "o")
        await settle(pilot)
        assert "firm" in text_of(app, "#walk-dose") + text_of(app, "#walk-status")
        footer = screen_text(app).splitlines()[-1]
        if size == SIZE:
            assert " o Tool " in footer and " d Pressure " in footer
    ratings = {r.step_index: r for r in tracker.ratings(session.id)}
    assert (ratings[0].tenderness, ratings[0].tool, ratings[0].pressure, ratings[0].hold_seconds) == (
        4, first_tool, "medium", 25,
    )  # fmt: skip
    assert (ratings[1].tool, ratings[1].pressure, ratings[1].hold_seconds) == (None, None, None)
    second_tool = light[1]
    assert (ratings[2].tenderness, ratings[2].tool, ratings[2].pressure, ratings[2].hold_seconds) == (
        2, second_tool, "firm", 12,
    )  # fmt: skip


# -- the morning check-in and the weekly form from the home screen ---------------------------


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_a_morning_check_in_from_the_home_screen_is_stored(tracker, acknowledged, size):
    from selftrack.tui.screens.checkin import CheckInDialog

    app = build_app(tracker)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "k morning check-in" in text  # offered: before noon, none today
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, CheckInDialog)
        assert CHECKIN_BACK.text in text_of(app, "#checkin-question")
        # back 5, leg 2, then below the knee? yes; the night 6: stored and back home
        await pilot.press("5", "2", "y", "6")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = " ".join(screen_text(app).split())
        assert "k morning check-in" not in text  # answered today: no longer offered
    (checkin,) = tracker.checkins()
    assert (checkin.back_pain, checkin.leg_pain, checkin.below_knee, checkin.night) == (5, 2, True, 6)
    assert checkin.soreness is None
    assert tracker.care_state().due == "below-knee"  # the safety questions come first next time


async def test_the_check_in_keys_typed_as_it_opens_reach_it_and_soreness_is_asked_after_a_session(tracker, acknowledged):
    from tui_support import burst

    import time

    add_session(tracker, at(0.6), [3, 4, 5, 2, 6, 4])  # yesterday evening
    read = tracker.outcome_prompts

    def slowly():  # the dialog is slow to learn its questions: the keys wait for it
        time.sleep(0.3)
        return read()

    tracker.outcome_prompts = slowly
    app = build_app(tracker)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "how yesterday's session left you" in " ".join(screen_text(app).split())
        # typed fast: k opens the dialog, the answers wait for it; no leg pain: no knee question
        await burst(pilot, "k", "3", "0", "t", "2")
        assert isinstance(app.screen, HomeScreen)
    (checkin,) = tracker.checkins()
    assert (checkin.back_pain, checkin.leg_pain, checkin.below_knee, checkin.night) == (3, 0, False, 10)
    assert checkin.soreness == "mild" and checkin.soreness_session is not None


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_the_weekly_form_from_the_home_screen_keeps_its_activities_for_next_week(tracker, acknowledged, clock, size):
    from datetime import timedelta

    from selftrack.clock import Clock
    from selftrack.tui.screens.weekly import WeeklyFormDialog

    app = build_app(tracker)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert "w weekly form" in " ".join(screen_text(app).split())
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WeeklyFormDialog)
        assert PEG_QUESTIONS[0].text in text_of(app, "#weekly-question")
        await pilot.press("6", "5", "7")  # the PEG
        await settle(pilot)
        assert PSFS_FIRST in text_of(app, "#weekly-question")
        await pilot.press(*"Sitting 1 hour", "enter", *"Lifting 5kg", "enter", "enter")
        await settle(pilot)
        await pilot.press("3", "4")  # each activity: digits type into the names, rate here
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # no start yet: no change-since-starting question
        assert "w weekly form" not in " ".join(screen_text(app).split())
    (form,) = tracker.weekly_forms()
    assert (form.peg.pain, form.peg.enjoyment, form.peg.activity) == (6, 5, 7)
    assert [(r.name, r.score) for r in form.psfs] == [("Sitting 1 hour", 3), ("Lifting 5kg", 4)]
    assert form.pgic is None

    # a week later: the same activities, rated again, and the change since starting
    tracker.clock = Clock(fixed=clock.now() + timedelta(days=7, hours=1), tz_name="Europe/London")
    app = build_app(tracker)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("4", "4", "5")
        await settle(pilot)
        text = text_of(app, "#weekly-question")
        assert "Sitting 1 hour" in text and "Lifting 5kg" in text and PSFS_FIRST not in text
        await pilot.press("6", "7")
        await settle(pilot)
        assert PGIC_CHOICES[2] in text_of(app, "#weekly-choices")
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    first, second = tracker.weekly_forms()
    assert [(r.name, r.score) for r in second.psfs] == [("Sitting 1 hour", 6), ("Lifting 5kg", 7)]
    assert second.psfs_activities == first.psfs_activities  # the same activities, kept
    assert second.pgic == 2 and second.peg.score == pytest.approx(13 / 3)


# -- what seems to help ----------------------------------------------------------------------


async def test_insights_say_not_enough_data_on_little_data(tracker, acknowledged):
    from selftrack.tui.screens.insights import InsightsScreen

    for days in (1, 2, 3):
        add_session(tracker, at(days + 0.5), [3, 4, 5, 2, 6, 4])
    tracker.record_checkin(back=4, leg=0, night=6)
    app = build_app(tracker)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InsightsScreen)
        text = " ".join(screen_text(app).split())
        assert re.search(r"any session \d+ / \d+ not enough data yet", text)  # the table's words
        assert "each group needs 14 days" in text
        assert "People tend to do a session on the days their back is bad" in text
        assert "lower after days with a session" not in text


async def test_insights_show_a_difference_on_the_demo_data(tracker, acknowledged):
    from selftrack.tui.screens.insights import InsightsScreen

    tracker.write_demo(days=120, seed=7)
    found = tracker.insights()
    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InsightsScreen)
        text = " ".join(screen_text(app).split())
        overall = found.overall
        assert overall.difference is not None and overall.difference != 0
        assert f"{overall.with_days} / {overall.without_days}" in text
        assert f"({overall.low:+.1f} to {overall.high:+.1f})" in text.replace("(0.0", "(+0.0").replace("to 0.0", "to +0.0")
        assert "any session" in text and "By routine:" in text and "By tool:" in text
        assert text.count("People tend to do a session") == 1  # said once
