"""SVG snapshots of the trends and heat-map screens with fixed data and a fixed clock."""

from __future__ import annotations

import pytest

from selftrack.tui.screens.heatmap import HeatMapScreen
from selftrack.tui.screens.trends import TrendsScreen
from history_support import SKIP, add_session, at
from tui_support import ScreenHost, settle

SIZE = (120, 40)


@pytest.fixture
def fixed_history(tracker):
    add_session(tracker, at(60), [6, 5, 3, 3, 7, SKIP], pain_before=6, pain_after=4)
    add_session(tracker, at(59), [6, 6, 3, 2, 7, 4], pain_before=6, pain_after=5)
    add_session(tracker, at(31), [4, 4, 3, 3, 6, 4], pain_before=4, pain_after=3)
    add_session(tracker, at(3), [2, 2, 3, 3, 6, 6], pain_before=3, pain_after=2)
    add_session(tracker, at(1), [1, 2, 3, 2, 6, 7], pain_before=2, pain_after=2)
    return tracker


def test_trends_screen(snap_compare, fixed_history):
    app = ScreenHost(lambda: TrendsScreen(), fixed_history)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_heat_map_mean(snap_compare, fixed_history):
    app = ScreenHost(lambda: HeatMapScreen(period="0"), fixed_history)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_heat_map_change(snap_compare, fixed_history):
    app = ScreenHost(lambda: HeatMapScreen(mode="change", period="0"), fixed_history)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
