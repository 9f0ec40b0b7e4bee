"""SVG snapshots of the key screens: fixed clock, fixed data, fixed terminal size."""

from __future__ import annotations

import pytest

from selftrack.tui.app import build_app
from tui_support import settle

SIZE = (120, 40)


@pytest.fixture
def history(tracker, acknowledged):
    """Sixty days of sample sessions ending at the fixed clock's day."""
    tracker.write_demo(days=60, seed=7)
    return tracker


def test_home_with_data(history, snap_compare):
    async def ready(pilot):
        await settle(pilot)

    assert snap_compare(build_app(history), terminal_size=SIZE, run_before=ready)


def test_walk_midway(history, snap_compare):
    async def walk(pilot):
        await settle(pilot)
        await pilot.press("5", "enter")
        await settle(pilot)
        for key in "36r8":
            await pilot.press(key)
            await settle(pilot)

    app = build_app(history, protocol="perfect-spots", side="both")
    assert snap_compare(app, terminal_size=SIZE, run_before=walk)


def test_summary(history, snap_compare):
    async def summary(pilot):
        await settle(pilot)
        await pilot.press("4", "enter")
        await settle(pilot)
        for key in "n72t3s1":
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("x")
        await settle(pilot)

    app = build_app(history, protocol="perfect-spots", side="both")
    assert snap_compare(app, terminal_size=SIZE, run_before=summary)
