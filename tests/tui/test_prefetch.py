"""The home screen's figures read by a child process while the program starts (tui.prefetch)."""

from __future__ import annotations

import io
import os
import sys

import pytest
from rich.console import Console

from selftrack.tracker import Tracker
from selftrack.tui import prefetch
from selftrack.tui.app import build_app
from selftrack.tui.home_view import load_home
from selftrack.tui.screens.home import HomeScreen
from history_support import add_session, at
from support import TEST_PROTOCOLS
from tui_support import settle, text_of

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the prefetch runs on Linux only"),
    pytest.mark.backends,  # the child opens its own connection: SQLite and PostgreSQL
]


def _drawn(renderable, width: int = 116) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def rated(tracker):
    """Two finished sessions with pain noted and ratings, two days and a day ago."""
    add_session(tracker, at(2), [7, 4, 2, 5, 6, 7], pain_before=6, pain_after=4)
    add_session(tracker, at(1), [5, 3, 1, 4, 5, 6], pain_before=4, pain_after=2)
    return tracker


def test_the_child_reads_and_draws_what_the_program_would(rated, database_url, clock, acknowledged):
    rated.start_session("test-mini", "right", pain_before=3)  # left unfinished
    expected = load_home(rated, "selftrack")
    figures = prefetch.start(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock)
    assert figures is not None
    view = figures.view(timeout=60)
    assert view is not None and view.figures is not None
    assert _drawn(view.figures) == _drawn(expected.view.figures)
    assert "Last session" in _drawn(view.figures) and "Test mini routine" in _drawn(view.figures)
    assert view.next.plain == expected.view.next.plain and "resume the unfinished" in view.next.plain
    assert view.due.plain == expected.view.due.plain
    data = figures.data()
    assert data is not None
    assert data.overview == expected.overview
    assert [spec.id for spec in data.protocols] == [spec.id for spec in expected.protocols]
    assert data.acknowledged and data.care == expected.care and data.prompts == expected.prompts
    assert _reaped(figures.pid)
    assert figures.data() is None  # taken once


def test_a_child_that_fails_sends_nothing_and_says_nothing(tmp_path, capfd, monkeypatch):
    broken = tmp_path / "not-a-db.db"
    broken.write_text("hello, not sqlite")
    monkeypatch.setenv("PYTHONVERBOSE", "1")  # the child's interpreter tells of every import
    figures = prefetch.start(str(broken), protocols_dir=TEST_PROTOCOLS)
    assert figures is not None
    assert figures.view(timeout=60) is None
    assert figures.data() is None
    assert _reaped(figures.pid)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # nothing of the child reached the terminal
    assert broken.read_text() == "hello, not sqlite"


def test_the_child_is_told_its_database_out_of_sight(tmp_path, clock):
    """A PostgreSQL URL may hold a password: the child's command line, which anyone on the
    machine can read, does not carry it."""
    secret = "postgresql+psycopg://me:secret-word@127.0.0.1:9/nowhere"
    figures = prefetch.start(secret, protocols_dir=TEST_PROTOCOLS, clock=clock)
    assert figures is not None
    assert figures.data() is None  # no server there: nothing sent
    started = " ".join(map(str, figures.child.args))
    assert "selftrack.tui.prefetch" in started and "secret-word" not in started


async def test_the_first_frame_carries_the_prefetched_figures(rated, database_url, clock, acknowledged, monkeypatch):
    figures = prefetch.start(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock)
    assert figures is not None
    assert figures.view(timeout=60) is not None  # here before the app starts
    shown_before_first_frame: list[bool] = []
    show_view = HomeScreen.show_view

    def recording(screen, view):
        shown_before_first_frame.append(not screen.app.first_frame_shown)
        show_view(screen, view)

    monkeypatch.setattr(HomeScreen, "show_view", recording)
    made: list[bool] = []

    def make_tracker():
        made.append(app.first_frame_shown)
        return rated

    app = build_app(make_tracker, prefetch=figures)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown_before_first_frame[0] is True
        screen = app.screen
        assert isinstance(screen, HomeScreen) and screen.data is not None
        assert screen.data.overview == load_home(rated).overview
        cards = text_of(app, "#home-figures")
        assert "Pain before 4 → after 2" in cards and "Last session" in cards
        assert "start a session" in text_of(app, "#home-next")
        assert not screen.query_one("#home-status").display
    assert made == [True]  # the program's own tracker: once, after the first frame
    assert _reaped(figures.pid)
