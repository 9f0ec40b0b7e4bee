"""The terminal program on SQLite and on PostgreSQL: a whole session, then the past session."""

from __future__ import annotations

import pytest

from selftrack.domain.model import SessionStatus
from selftrack.tui.app import build_app
from selftrack.tui.screens.home import HomeScreen
from selftrack.tui.screens.session_detail import SessionDetailScreen
from selftrack.tui.screens.summary import SummaryScreen
from selftrack.tui.screens.walk import WalkScreen
from tui_support import ScreenHost, settle

pytestmark = pytest.mark.backends


async def test_a_session_walked_by_keys(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WalkScreen)
        for key in "3s7":
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    (session,) = tracker.sessions()
    assert session.status is SessionStatus.FINISHED and session.pain_after == 2
    ratings = tracker.ratings(session.id)
    assert [(r.tenderness, r.skipped) for r in ratings] == [(3, False), (None, True), (7, False)]

    host = ScreenHost(lambda: SessionDetailScreen(session.id), tracker)
    async with host.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(host.screen, SessionDetailScreen)
