"""The program at 80x24 and 200x60, keys typed ahead across screens, and empty sessions."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable

from selftrack.domain.model import SessionStatus
from selftrack.tui.app import build_app
from selftrack.tui.screens.heatmap import HeatMapScreen
from selftrack.tui.screens.help import KEYS
from selftrack.tui.screens.history import HistoryScreen
from selftrack.tui.screens.home import HomeScreen
from selftrack.tui.screens.summary import SummaryScreen
from selftrack.tui.screens.trends import TrendsScreen
from selftrack.tui.screens.walk import WalkScreen
from history_support import add_session, at
from tui_support import burst, screen_text, settle

SMALL = (80, 24)
LARGE = (200, 60)


async def test_a_burst_from_home_begins_the_session_with_three_spots_rated(tracker, acknowledged):
    add_session(tracker, at(1), [2, 3, 4, 5, 6, 7])  # the start screen offers this routine again
    app = build_app(tracker)
    async with app.run_test(size=SMALL) as pilot:
        await burst(pilot, "s", "ctrl+b", "3", "4", "5")  # one burst, before anything has loaded
        screen = app.screen
        assert isinstance(screen, WalkScreen) and app.held_keys == []
        walk = screen.walk
        assert {i: r.tenderness for i, r in walk.ratings.items()} == {0: 3, 1: 4, 2: 5}
        assert walk.current == 3


async def test_keys_typed_ahead_go_through_start_walk_summary_home_and_a_dialog(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SMALL) as pilot:
        # pain now 6, begin, pause and carry on, rate all three spots, pain after 4, save
        # (enter in the notes), then h for history from home: typed as one burst
        await burst(pilot, "6", "ctrl+b", "p", "enter", "1", "2", "3", "4", "enter", "h")
        assert isinstance(app.screen, HistoryScreen), app.screen
        assert app.held_keys == []
    (session,) = tracker.sessions()
    assert session.status is SessionStatus.FINISHED
    assert (session.pain_before, session.pain_after) == (6, 4)
    assert [r.tenderness for r in tracker.ratings(session.id)] == [1, 2, 3]


async def test_a_burst_on_the_start_screen_keeps_its_order(tracker, acknowledged):
    """Pain, then Begin, then ratings: Begin is not overtaken by the digits after it."""
    add_session(tracker, at(1), [2, 3, 4, 5, 6, 7])
    app = build_app(tracker)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await burst(pilot, "s", "4", "ctrl+b", "3", "4", "5", "8")
        screen = app.screen
        assert isinstance(screen, WalkScreen)
        assert tracker.session(screen.walk.session.id).pain_before == 4
        assert [r.tenderness for r in tracker.ratings(screen.walk.session.id)] == [3, 4, 5, 8]


async def test_six_then_enter_typed_fast_both_count(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await burst(pilot, "6", "enter")  # pain now, then enter on Begin
        assert isinstance(app.screen, WalkScreen)
        assert tracker.session(app.screen.walk.session.id).pain_before == 6


async def test_a_session_left_with_nothing_rated_can_be_discarded(tracker, acknowledged):
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+b", "s", "x")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Nothing was rated" in text and "Discard it" in text
        await pilot.press("ctrl+s")  # not a finished session: saving is not offered
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert tracker.sessions() == []


async def test_a_session_with_nothing_rated_kept_is_abandoned_and_counts_nowhere(tracker, acknowledged):
    add_session(tracker, at(3), [2, 3, 4, 5, 6, 7])
    app = build_app(tracker, protocol="test-mini", side="left")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+b", "x")
        await settle(pilot)
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = " ".join(screen_text(app).split())
        assert "1 session this week" in text and "1 session in all" in text  # not the empty one
        assert "3 days ago" in text  # the last session is still the one with ratings
    statuses = sorted(s.status.value for s in tracker.sessions())
    assert statuses == ["abandoned", "finished"]
    overview = tracker.overview()
    assert (overview.total_sessions, overview.sessions_this_week, overview.streak_days) == (1, 1, 0)


async def test_at_80x24_the_walk_shows_the_whole_bar_every_caution_and_the_keys(tracker, acknowledged):
    spec = tracker.protocol("deep-and-distant")
    steps = spec.steps("both")
    most = max(range(len(steps)), key=lambda i: len(spec.spots[steps[i].spot_id].cautions))
    session = tracker.start_session(spec, "both")
    for index in range(most):
        tracker.record_rating(session.id, index, 8)  # 8: the ease-off notice takes room too
    app = build_app(tracker)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("r")  # resume: the walk opens on the spot with the most cautions
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WalkScreen) and screen.walk.current == most
        spot = screen.walk.spot
        assert len(spot.cautions) >= 5
        text = " ".join(screen_text(app).split())
        assert re.search(r"Rate: 0 1 2 3 4 5 6 7 8 9 10", text)
        for caution in spot.cautions:
            first_words = " ".join(caution.split()[:4])
            assert first_words in text, first_words
        assert "Find it:" in text and spot.name in text
        footer = screen_text(app).splitlines()[-1]
        for key in ("p Pause", "x Finish", "? Help"):
            assert key in " ".join(footer.split())


@pytest.mark.parametrize(
    "make_screen",
    [lambda: HeatMapScreen(), lambda: HeatMapScreen(mode="change"), lambda: TrendsScreen()],
    ids=["heat-map-mean", "heat-map-change", "trends"],
)
async def test_resizing_lays_every_table_out_again(tracker, acknowledged, make_screen):
    for days in (40, 30, 20, 12, 8, 4, 2):
        add_session(tracker, at(days), [days % 7, 3, 4, 5, 6, 2])
    app = build_app(tracker)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(make_screen())
        await settle(pilot)
        tables = list(app.screen.query(DataTable))
        counts = [t.row_count for t in tables]
        assert all(counts), counts
        widths = {}
        for size in (SMALL, LARGE, SMALL, LARGE):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            for table in tables:
                assert table.row_count == counts[tables.index(table)]
                assert table.display and table.region.height >= 3, (size, table.region)
                assert table.virtual_size.width <= table.region.width, "no column is squeezed out of view"
                assert table.get_row_at(0), "rows are still there"
                widths.setdefault(size, set()).add(len(table.columns))
        assert max(widths[LARGE]) >= max(widths[SMALL])
        if not isinstance(app.screen, HeatMapScreen) or app.screen.mode == "change":
            assert max(widths[LARGE]) > max(widths[SMALL]), "more columns when there is room"


def test_help_lists_every_shown_key_of_every_screen():
    from selftrack.tui.screens.walk import WalkScreen as Walk

    listed = " ".join(key for _title, keys in KEYS for key, _what in keys)
    for binding in Walk.BINDINGS:
        shown = {"question_mark": "?", "escape": "esc", "left": "←", "right": "→", "pagedown": "pgdn", "pageup": "pgup"}
        for key in binding.key.split(","):
            key = shown.get(key, key)
            assert key in listed or key.isdigit(), key
    for word in ("pgdn", "ctrl+b", "ctrl+s", "ctrl+c", "o", "l / c"):
        assert word in listed, word
