"""A real program killed with SIGKILL mid-session loses nothing, and the next start resumes."""

from __future__ import annotations

import random
import signal
import time

import pytest

from selftrack.clock import Clock
from selftrack.tracker import Tracker
from selftrack.tui.app import build_app
from selftrack.tui.screens.resume import ResumeDialog
from selftrack.tui.screens.summary import SummaryScreen
from selftrack.tui.screens.walk import WalkScreen
from pty_support import TerminalProcess, selftrack_command
from support import FIXED_NOW, TEST_PROTOCOLS, answer_safety_questions, unfinished
from tui_support import settle, text_of


def _wait_for_ratings(db_path, count: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS) as reader:
            session = unfinished(reader)
            if session is not None and len(reader.ratings(session.id)) >= count:
                return
        time.sleep(0.05)
    raise TimeoutError(f"{count} ratings never reached the database")


@pytest.mark.slow
async def test_sigkill_mid_session_then_resume(db_path, acknowledged):
    """Two ratings are acknowledged (in the database), a third is typed and the program is
    killed a random moment later, while that rating may be being saved: the two are kept,
    the third is there or not, and the next start resumes at the first gap."""
    answer_safety_questions(str(db_path))
    program = TerminalProcess(
        selftrack_command(
            "--db", str(db_path), "--protocols-dir", str(TEST_PROTOCOLS),
            "session", "test-mini", "--side", "both",
        )
    )
    try:
        program.read_until(b"Ready:")
        program.type("4")
        program.read_until(b"pain now 4")
        program.type("\r")
        program.read_until(b"Spot 1 of 6")
        program.type("7")
        _wait_for_ratings(db_path, 1)
        program.type("s")
        _wait_for_ratings(db_path, 2)
        program.type("5")
        time.sleep(random.Random().random() * 0.03)  # not waiting for the save: mid-commit or not
        assert program.kill(signal.SIGKILL) == -signal.SIGKILL
    finally:
        program.close()

    clock = Clock(fixed=FIXED_NOW, tz_name="Europe/London")
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        kept = [(r.tenderness, r.skipped) for r in tracker.ratings(unfinished(tracker).id)]
        assert kept in ([(7, False), (None, True)], [(7, False), (None, True), (5, False)])
        app = build_app(tracker)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ResumeDialog)
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, WalkScreen)
            walk = app.screen.walk
            assert walk.current == len(kept)
            assert text_of(app, "#walk-progress").startswith(f"Spot {len(kept) + 1} of 6")
            for key in "3210"[len(kept) - 2 :]:
                await pilot.press(key)
                await settle(pilot)
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("2", "enter")
            await settle(pilot)
        (session,) = tracker.sessions()
        ratings = tracker.ratings(session.id)
    assert session.pain_before == 4 and session.pain_after == 2
    assert [(r.tenderness, r.skipped) for r in ratings][:2] == [(7, False), (None, True)]
    assert [r.tenderness for r in ratings][-3:] == [2, 1, 0] and len(ratings) == 6


async def test_unfinished_session_can_be_abandoned_or_finished_from_the_offer(tracker, acknowledged):
    session = tracker.start_session("test-mini", "left", pain_before=3)
    tracker.record_rating(session.id, 0, 6)
    app = build_app(tracker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeDialog)
        await pilot.press("a")
        await settle(pilot)
        assert "resume" not in text_of(app, "#home-next")
    assert tracker.session(session.id).status.value == "abandoned"
    assert tracker.ratings(session.id)[0].tenderness == 6

    second = tracker.start_session("test-mini", "left")
    tracker.record_rating(second.id, 0, 2)
    app = build_app(tracker)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("1", "enter")
        await settle(pilot)
    assert tracker.session(second.id).status.value == "finished"
    assert tracker.session(second.id).pain_after == 1
