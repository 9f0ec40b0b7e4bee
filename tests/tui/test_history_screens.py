"""History, session detail, trends, heat map and adherence screens, driven with Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, OptionList, Static

from selftrack.tui.screens.adherence import AdherenceScreen
from selftrack.tui.screens.heatmap import HeatMapScreen
from selftrack.tui.screens.history import HistoryScreen
from selftrack.tui.screens.history_dialogs import DeleteSessionDialog, RatingDialog
from selftrack.tui.screens.session_detail import SessionDetailScreen
from selftrack.tui.screens.trends import TrendsScreen
from selftrack.tui.widgets.body_map import BodyMap
from selftrack.tui.widgets.trend_chart import TrendChart
from history_support import SKIP, add_session, at
from tui_support import ScreenHost, settle

SIZE = (120, 40)


@pytest.fixture
def history(tracker):
    ids = [
        add_session(tracker, at(60), [6, 5, 3, 3, 7, SKIP], pain_before=6, pain_after=4),
        add_session(tracker, at(59), [6, 6, 3, 2, 7, 4], pain_before=6, pain_after=5),
        add_session(tracker, at(3), [2, 2, 3, 3, 6, 4], pain_before=3, pain_after=2),
        add_session(tracker, at(1), [1, 2, 3, 2, 6, 4], pain_before=2, pain_after=2),
    ]
    return ids


async def test_history_lists_sessions_newest_first(tracker, history):
    app = ScreenHost(lambda: HistoryScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 4
        first = table.get_row_at(0)
        assert first[1] == "yesterday" and first[7] == "2 → 2"
        assert table.get_row_at(3)[4] == "5 +1 skipped"
        assert "4 sessions" in str(app.screen.query_one("#status", Static).render())


async def test_history_filters_by_date(tracker, history):
    app = ScreenHost(lambda: HistoryScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.press(*"7d", "enter")
        await settle(pilot)
        assert app.screen.query_one("#sessions", DataTable).row_count == 2


async def test_history_bad_date_is_a_notification_not_a_crash(tracker, history):
    app = ScreenHost(lambda: HistoryScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f", *"soon", "enter")
        await settle(pilot)
        assert any("cannot read" in n.message for n in app._notifications)
        assert app.screen.query_one("#sessions", DataTable).row_count == 4


async def test_open_a_session_and_correct_a_rating(tracker, history):
    app = ScreenHost(lambda: HistoryScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # the oldest session
        await settle(pilot)
        assert isinstance(app.screen, SessionDetailScreen)
        assert app.screen.session_id == history[0]
        ratings = app.screen.query_one("#ratings", DataTable)
        assert ratings.row_count == 6 and "skipped" in ratings.get_row_at(5)  # tenderness column
        assert len(app.screen.query_one(BodyMap)._spots) == 6
        await pilot.press("e")
        assert isinstance(app.screen, RatingDialog)
        await pilot.press("end", "backspace", "backspace", "4", "enter")
        await settle(pilot)
        assert tracker.ratings(history[0])[0].tenderness == 4
        assert isinstance(app.screen, SessionDetailScreen)
        assert app.screen.query_one("#ratings", DataTable).get_row_at(0)[2] == "4"  # spot, side, tenderness


async def test_rating_dialog_refuses_eleven(tracker, history):
    app = ScreenHost(lambda: SessionDetailScreen(history[0]), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "end", "backspace", "backspace", "1", "1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RatingDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert tracker.ratings(history[0])[0].tenderness == 6


async def test_delete_only_after_confirmation(tracker, history):
    app = ScreenHost(lambda: HistoryScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, DeleteSessionDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert len(tracker.session_summaries()) == 4
        await pilot.press("d", "y")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert [s.id for s in tracker.session_summaries()] == list(reversed(history[:3]))
        assert app.screen.query_one("#sessions", DataTable).row_count == 3


def _chart_lines(chart: TrendChart) -> list[str]:
    """The chart's text, checked to fit its widget: nothing (such as a legend entry) cut off."""
    lines = chart.render().plain.splitlines()
    assert len(lines) <= chart.size.height
    return lines


async def test_trends_chart_and_sortable_spot_table(tracker, history):
    app = ScreenHost(lambda: TrendsScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        options = screen.query_one("#subjects", OptionList)
        assert options.get_option_at_index(0).id == "group:pain"
        chart = screen.query_one(TrendChart)
        assert [t.subject.id for t in chart.trends] == ["pain:before", "pain:after"]
        assert _chart_lines(chart)[-1] == "⠤⠤ Overall pain before   ⠤⠤ Overall pain after"  # one row
        summary = str(screen.query_one("#summary", Static).render())
        # four sessions: the numbers are shown, the verdict waits for six
        assert "Overall pain before: baseline 6.0 → latest 2.5" in summary and "too few sessions (4)" in summary
        table = screen.query_one("#spots", DataTable)
        assert table.row_count == 6
        # at 120 columns the table keeps spot (with its side), now, change and verdict
        assert str(table.get_row_at(0)[0]) == "Test spot under the dimple (left)"  # most tender now
        await pilot.press("c")
        first = table.get_row_at(0)
        assert str(first[0]).startswith("Test line spot 1") and first[2] == "-4.5"
        assert "Low back: left more tender" not in str(screen.query_one("#asymmetry", Static).render())


async def test_trends_pick_a_region(tracker, history):
    app = ScreenHost(lambda: TrendsScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#subjects", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("low-back:left")
        await pilot.pause()
        chart = app.screen.query_one(TrendChart)
        assert [t.subject.id for t in chart.trends] == ["low-back:left"]
        assert _chart_lines(chart)[-1] == "⠤⠤ sessions   ⠤⠤ running median"


async def test_heat_map_mean_and_change(tracker, history):
    app = ScreenHost(lambda: HeatMapScreen(period="0"), tracker)
    async with app.run_test(size=(200, 50)) as pilot:  # wide enough for every column
        await settle(pilot)
        table = app.screen.query_one("#cells", DataTable)
        assert table.row_count == 6
        assert table.get_row_at(0)[0] == "Test spot under the dimple"
        await pilot.press("m")
        await settle(pilot)
        assert table.row_count == 6
        rows = {(r[0], r[1]): r for r in (table.get_row_at(i) for i in range(6))}
        line1_left = rows[("Test line spot 1 of 2", "left")]
        assert [str(cell) for cell in line1_left[2:5]] == ["6.0", "1.5", "● -4.5"]
        assert "too few sessions (4)" in str(line1_left[5])
        assert "too few sessions" in str(rows[("Test spot under the dimple", "left")][5])


async def test_adherence(tracker, history):
    app = ScreenHost(lambda: AdherenceScreen(), tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        figures = str(app.screen.query_one("#figures", Static).render())
        assert "Current streak: 1 day" in figures and "Sessions: 4" in figures


async def test_empty_history_screens_do_not_fail(tracker):
    for make in (HistoryScreen, TrendsScreen, HeatMapScreen, AdherenceScreen):
        app = ScreenHost(lambda: make(), tracker)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.__class__ is make


@pytest.mark.parametrize(
    "key,screen",
    [("h", HistoryScreen), ("t", TrendsScreen), ("m", HeatMapScreen), ("a", AdherenceScreen)],
)
async def test_home_keys_open_the_history_screens(tracker, history, acknowledged, key, screen):
    from selftrack.tui.app import build_app
    from selftrack.tui.screens.home import HomeScreen

    app = build_app(tracker)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, screen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
