"""Keystrokes of logging per rated spot over a whole routine (target 1.0).

Drives the real app headless with Pilot through every built-in routine on both sides: one key
per spot (a digit, t for 10, or s to skip), then counts the ratings stored in the database.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


async def walk_routine(protocol_id: str, folder: Path, seed: int) -> tuple[int, int, int]:
    from selftrack.clock import Clock
    from selftrack.tracker import Tracker
    from selftrack.tui.app import build_app
    from selftrack.tui.screens.summary import SummaryScreen
    from tui_support import settle

    rng = random.Random(seed)
    from support import answer_safety_questions

    answer_safety_questions(str(folder / f"{protocol_id}.db"))  # the walk opens at once
    tracker = Tracker(str(folder / f"{protocol_id}.db"), clock=Clock())
    app = build_app(tracker, protocol=protocol_id, side="both")
    logging_keys = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4", "enter")  # pain now, begin: part of starting, not of logging
        await settle(pilot)
        while not isinstance(app.screen, SummaryScreen):
            key = rng.choice("0123456789ts")
            await pilot.press(key)
            logging_keys += 1
            await settle(pilot)
        session_id = app.screen.session_id
    ratings = tracker.ratings(session_id)
    steps = len(tracker.session(session_id).steps)
    tracker.close()
    return logging_keys, len(ratings), steps


async def main() -> None:
    import os

    folder = Path(tempfile.mkdtemp(prefix="selftrack-keys-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from selftrack import safety
    from selftrack.clock import Clock

    safety.acknowledge(Clock().now())
    from selftrack.tracker import Tracker

    from selftrack.paths import builtin_protocols_dir

    shipped = str(builtin_protocols_dir())
    specs = Tracker(str(folder / "list.db")).protocols()
    protocols = [spec.id for spec in specs if spec.source.startswith(shipped)]
    print("keystrokes of logging per rated spot (one key per spot: 0-9, t = 10, s = skip)")
    total_keys = total_rated = 0
    for number, protocol_id in enumerate(protocols):
        keys, rated, steps = await walk_routine(protocol_id, folder, number)
        total_keys += keys
        total_rated += rated
        print(f"  {protocol_id:<18} {steps:3d} steps  {keys:3d} keys  {rated:3d} stored  {keys / rated:.2f} per spot")
    print(f"  all routines: {total_keys / total_rated:.2f} keystrokes per rated spot (target 1.0)")


if __name__ == "__main__":
    asyncio.run(main())
