"""Is it helping? On screen: the morning check-in and the weekly form from the home screen, the
"What seems to help" view, and the dose (tool, pressure, seconds held) stored with each rating.

The fixed clock (tests/conftest.py) is 2026-11-20 09:30 UTC: before noon, so the morning
check-in is due on a fresh database.
"""

from __future__ import annotations

import pytest

from selftrack.domain.instruments import CHECKIN_BACK, PEG_QUESTIONS, PGIC_CHOICES, PSFS_FIRST
from selftrack.domain.terms import TOOLS
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
        dose = " ".join(text_of(app, "#walk-dose").split())
        first_tool = next(t for t in TOOLS if t != session.tool)
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
        assert "firm" in text_of(app, "#walk-dose")
        footer = screen_text(app).splitlines()[-1]
        if size == SIZE:
            assert " o Tool " in footer and " d Pressure " in footer
    ratings = {r.step_index: r for r in tracker.ratings(session.id)}
    assert (ratings[0].tenderness, ratings[0].tool, ratings[0].pressure, ratings[0].hold_seconds) == (
        4, first_tool, "medium", 25,
    )  # fmt: skip
    assert (ratings[1].tool, ratings[1].pressure, ratings[1].hold_seconds) == (None, None, None)
    second_tool = [t for t in TOOLS if t != session.tool][1]
    assert (ratings[2].tenderness, ratings[2].tool, ratings[2].pressure, ratings[2].hold_seconds) == (
        2, second_tool, "firm", 12,
    )  # fmt: skip
