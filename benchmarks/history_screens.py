"""History and trends screens opening on ten years of data, and the program's peak memory.

The real app runs headless (Textual's test driver) on the ten-year database; after the home
screen has loaded, the figure is the time from the key (h or t) until the screen shows its
data: the sessions table for History, the chart for Trends (the per-spot table follows in the
background and is timed too). The moment a screen has shown its data is taken when the
method that puts the data into its widgets returns (on the UI thread), so a worker still busy
in the background does not hold up the measurement. Median of several openings. Targets:
<= 300 ms after the key; peak memory of the whole program <= 250 MB.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _ten_years import counts, ten_year_db  # noqa: E402

OPENINGS = 5


async def wait_until(pilot, ready, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while not ready():
        if time.perf_counter() - start > timeout:
            raise SystemExit("timed out waiting for the screen")
        await pilot.pause(0.002)
    return time.perf_counter() - start


SHOWN: dict[str, float] = {}


def record(cls, method: str, name: str) -> None:
    """Note the time each call of `cls.method` returns, under `name`."""
    original = getattr(cls, method)

    def wrapper(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        SHOWN[name] = time.perf_counter()
        return result

    setattr(cls, method, wrapper)


async def measure(path: Path) -> dict[str, list[float]]:
    from textual.widgets import DataTable

    from selftrack import safety
    from selftrack.tracker import Tracker
    from selftrack.tui.app import build_app
    from selftrack.tui.screens.history import HistoryScreen
    from selftrack.tui.screens.trends import TrendsScreen
    from selftrack.tui.widgets.trend_chart import TrendChart

    from selftrack.tui.screens.heatmap import HeatMapScreen

    # the plain methods that put the data into the widgets (the message handlers around them
    # are registered by @on when the class is made, so wrapping those would time nothing)
    record(HistoryScreen, "_fill", "history")
    record(TrendsScreen, "_show_chart", "trends chart")
    record(TrendsScreen, "_fill_spots", "trends spot table")
    record(HeatMapScreen, "_show_mean", "heat map")
    figures: dict[str, list[float]] = {
        "history": [],
        "history (seen by a waiting test)": [],
        "trends chart": [],
        "trends chart (seen by a waiting test)": [],
        "trends spot table": [],
        "heat map": [],
    }
    safety.acknowledge(__import__("datetime").datetime.now(__import__("datetime").timezone.utc))
    with Tracker(str(path)) as tracker:
        app = build_app(tracker)
        async with app.run_test(size=(140, 45)) as pilot:
            await wait_until(pilot, lambda: app.screen.__class__.__name__ == "HomeScreen" and getattr(app.screen, "data", None) is not None)
            for _ in range(OPENINGS):
                SHOWN.clear()
                start = time.perf_counter()
                await pilot.press("h")
                await wait_until(
                    pilot,
                    lambda: isinstance(app.screen, HistoryScreen)
                    and app.screen.query_one("#sessions", DataTable).row_count > 0,
                )
                figures["history"].append(SHOWN["history"] - start)
                figures["history (seen by a waiting test)"].append(time.perf_counter() - start)
                await pilot.press("escape")
                await pilot.pause(0.05)

                start = time.perf_counter()
                await pilot.press("t")
                await wait_until(
                    pilot,
                    lambda: isinstance(app.screen, TrendsScreen) and app.screen.query_one(TrendChart).trends,
                )
                figures["trends chart"].append(SHOWN["trends chart"] - start)
                figures["trends chart (seen by a waiting test)"].append(time.perf_counter() - start)
                await wait_until(
                    pilot, lambda: app.screen.query_one("#spots", DataTable).row_count > 0
                )
                figures["trends spot table"].append(SHOWN["trends spot table"] - start)
                await pilot.press("escape")
                await pilot.pause(0.05)

                start = time.perf_counter()
                await pilot.press("m")
                await wait_until(
                    pilot,
                    lambda: app.screen.__class__.__name__ == "HeatMapScreen"
                    and app.screen.query_one("#cells", DataTable).row_count > 0,
                )
                figures["heat map"].append(SHOWN["heat map"] - start)
                await pilot.press("escape")
                await pilot.pause(0.05)
    return figures


def main() -> None:
    path = ten_year_db()
    sessions, ratings = counts(path)
    print(f"database: {sessions} sessions, {ratings} ratings over 3650 days")
    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / ".config")
        os.environ["XDG_DATA_HOME"] = str(Path(home) / ".local" / "share")
        figures = asyncio.run(measure(path))
    for name, times in figures.items():
        took = statistics.median(times)
        target = "" if name in ("trends spot table",) or "seen" in name else f" (target <= 300 ms: {'met' if took <= 0.3 else 'MISSED'})"
        print(f"{name} screen after the key: {took * 1000:.0f} ms median of {len(times)}{target}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the program with ten years loaded: {peak:.0f} MB (target <= 250 MB: {'met' if peak <= 250 else 'MISSED'})")


if __name__ == "__main__":
    from _bytecode import compile_like_an_install

    compile_like_an_install()
    main()
