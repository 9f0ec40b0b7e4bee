"""SVG snapshots of every screen and dialog at 80x24 and 120x40: fixed clock, fixed data.

Each state is reached the way a person reaches it, through the real app and its keys.
Update with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at every
changed picture before committing (`snapshot_report.html`).
"""

from __future__ import annotations

import shutil

import pendulum  # noqa: F401  (imported the same way whether this module runs alone or after others)
from pathlib import Path

import pytest

from selftrack import safety
from selftrack.clock import Clock
from selftrack.tracker import Tracker
from selftrack.tui.app import build_app
from support import FIXED_NOW, TEST_PROTOCOLS, answer_safety
from tui_support import settle

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
# the paths some screens show must not change from run to run
FIXED_FOLDER = Path("/tmp/selftrack-snapshots")


@pytest.fixture(autouse=True)
def local_zone(private_home):
    """The process's own time zone as TZ says (Europe/London): the charts' dates go through
    it, and a test that changed TZ earlier in the run may have left another one in force."""
    import time

    time.tzset()
    yield
    time.tzset()


@pytest.fixture
def fixed_folder():
    shutil.rmtree(FIXED_FOLDER, ignore_errors=True)
    FIXED_FOLDER.mkdir(mode=0o700)
    yield FIXED_FOLDER
    shutil.rmtree(FIXED_FOLDER, ignore_errors=True)


def _tracker(path: Path | str) -> Tracker:
    return Tracker(str(path), protocols_dir=TEST_PROTOCOLS, clock=Clock(fixed=FIXED_NOW, tz_name="Europe/London"))


@pytest.fixture
def history(fixed_folder):
    """Sixty days of the sample person, ending at the fixed clock's day."""
    safety.acknowledge(FIXED_NOW)
    tracker = _tracker(fixed_folder / "records.db")
    tracker.write_demo(days=60, seed=7)
    answer_safety(tracker)
    yield tracker
    tracker.close()


def _steps_to(tracker, protocol: str, spot_id: str, side: str = "left") -> int:
    steps = tracker.protocol(protocol).steps("both")
    return next(s.index for s in steps if s.spot_id == spot_id and s.side == side)


async def _keys(pilot, *keys: str) -> None:
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _walk_to(pilot, tracker, protocol: str, spot_id: str, side: str = "left") -> None:
    """Start `protocol` with pain 5 and rate every spot before `spot_id` (3, then 8 last)."""
    target = _steps_to(tracker, protocol, spot_id, side)
    await _keys(pilot, "5", "ctrl+b")
    for index in range(target):
        await _keys(pilot, "8" if index == target - 1 else "3")


# state name -> (how the app is made, what is done before the picture)
def _home_empty(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot)


def _home_full(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot)


def _start(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "s", "4")


def _walk_long_caution(tracker):
    app = build_app(tracker, protocol="glute-arcs", side="both")
    return app, lambda pilot: _walk_to(pilot, tracker, "glute-arcs", "sitting-bone")


def _walk_front_view(tracker):
    app = build_app(tracker, protocol="deep-and-distant", side="both")
    return app, lambda pilot: _walk_to(pilot, tracker, "deep-and-distant", "iliacus")


def _summary(tracker):
    app = build_app(tracker, protocol="perfect-spots", side="both")

    async def run(pilot):
        await _keys(pilot, "4", "ctrl+b", "n", "7", "2", "t", "3", "s", "1", "x")

    return app, run


def _pause(tracker):
    app = build_app(tracker, protocol="perfect-spots", side="both")
    return app, lambda pilot: _keys(pilot, "ctrl+b", "3", "6", "p")


def _resume(tracker):
    session = tracker.start_session("perfect-spots", "both", tool="ball", pain_before=5)
    tracker.record_rating(session.id, 0, 4)
    return build_app(tracker), lambda pilot: _keys(pilot)


def _history(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "h")


def _past_session(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "h", "down", "enter")


def _trends(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "t")


def _heat_map(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "m")


def _heat_map_change(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "m", "m", "0")


def _regularity(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "a")


def _export(tracker):
    from selftrack.tui.screens.export_dialog import ExportDialog

    app = build_app(tracker)

    async def run(pilot):
        await _keys(pilot)
        app.push_screen(ExportDialog(folder=FIXED_FOLDER / "exports"))
        await _keys(pilot, "down", "tab", "down", "down", "enter")  # CSV, then the last year

    return app, run


def _help(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "question_mark")


def _screening(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "s")


def _emergency(tracker):
    saddle = next(i for i, q in enumerate(safety.RED_FLAG_SCREEN) if "saddle" in q.question)
    return build_app(tracker), lambda pilot: _keys(pilot, "s", *["n"] * saddle, "y")


def _conditions(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "s", *["n"] * len(safety.RED_FLAG_SCREEN))


def _checkin(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "k", "5", "2")


def _weekly_psfs(tracker):
    """The sample person's activities, the first one rated."""
    return build_app(tracker), lambda pilot: _keys(pilot, "w", "6", "5", "7", "4")


def _weekly_names(tracker):
    """The activities named again (e), the first one changed."""
    return build_app(tracker), lambda pilot: _keys(pilot, "w", "6", "5", "7", "e", *"Gardening")


def _insights(tracker):
    return build_app(tracker), lambda pilot: _keys(pilot, "i")


def _walk_dose(tracker):
    app = build_app(tracker, protocol="perfect-spots", side="both")
    return app, lambda pilot: _keys(pilot, "4", "ctrl+b", "3", "o", "d", "d")


STATES = {
    "home-empty": _home_empty,
    "home-full": _home_full,
    "start": _start,
    "walk-long-caution": _walk_long_caution,
    "walk-front-view": _walk_front_view,
    "summary": _summary,
    "pause": _pause,
    "resume": _resume,
    "history": _history,
    "past-session": _past_session,
    "trends": _trends,
    "heat-map": _heat_map,
    "heat-map-change": _heat_map_change,
    "regularity": _regularity,
    "export": _export,
    "help": _help,
    "screening": _screening,
    "emergency": _emergency,
    "conditions": _conditions,
    "checkin": _checkin,
    "weekly-names": _weekly_names,
    "weekly-psfs": _weekly_psfs,
    "insights": _insights,
    "walk-dose": _walk_dose,
}
# before the safety questions were ever answered
FIRST_RUN = {"home-empty", "screening", "emergency", "conditions"}


# walking a whole routine to its last spot takes several seconds
SLOW_STATES = {"walk-long-caution"}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "state", [pytest.param(state, marks=pytest.mark.slow) if state in SLOW_STATES else state for state in STATES]
)
def test_screen(state, size, request, fixed_folder, snap_compare):
    if state in FIRST_RUN:
        safety.acknowledge(FIXED_NOW)
        tracker = _tracker(fixed_folder / "records.db")
    else:
        tracker = request.getfixturevalue("history")
    app, run_before = STATES[state](tracker)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_safety_note_on_first_run(size, fixed_folder, snap_compare):
    tracker = _tracker(fixed_folder / "records.db")
    assert snap_compare(build_app(tracker), terminal_size=SIZES[size], run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_an_error(size, fixed_folder, snap_compare):
    """A database that cannot be opened: said on the screen and in a notification."""
    safety.acknowledge(FIXED_NOW)
    folder = fixed_folder / "not-a-database"
    folder.mkdir()
    assert snap_compare(build_app(_tracker(folder)), terminal_size=SIZES[size], run_before=settle)
