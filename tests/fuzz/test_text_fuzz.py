"""Any text a user or a file can give — control characters, escape sequences, huge notes —
is stored exactly or refused with a clear message, on SQLite and on PostgreSQL, and the
command line never passes an escape sequence through to the terminal."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

from selftrack.cli import cli
from selftrack.textviews import printable
from selftrack.tracker import NOTE_MAX, Tracker, TrackerError
from support import FIGURES, TEST_PROTOCOLS

pytestmark = pytest.mark.backends

NASTY = [
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]0;owned\x07",  # set the window title
    "\x1b]52;c;ZWNobyBoaQ==\x07",  # write the clipboard
    "\x9b31m",  # C1 control sequence introducer
    "\r\roverwritten",
    "\u202eevil\u202c",  # right-to-left override
    "line one\nline two\ttab",
    "ünïcødé ✓ 😀",
    "'; DROP TABLE ratings; --",
]
notes = st.one_of(st.sampled_from(NASTY), st.text(max_size=400).filter(lambda t: "\x00" not in t))
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(note=notes, referred=notes.map(lambda t: t[:200]), session_notes=notes)
def test_any_text_is_stored_exactly(tracker, note, referred, session_notes):
    session = tracker.start_session("test-mini", "left", tool="ball")
    tracker.record_rating(session.id, 0, 5, note=note, referred_to=referred)
    (rating,) = tracker.ratings(session.id)
    assert rating.note == note and rating.referred_to == referred
    done = tracker.finish(session.id, notes=session_notes)
    assert done.notes == session_notes
    FIGURES["notes and names with odd characters stored"] += 3


def test_oversized_and_nul_text_is_refused_and_nothing_changes(tracker):
    session = tracker.start_session("test-mini", "left")
    tracker.record_rating(session.id, 0, 4, note="kept")
    longest = "x" * NOTE_MAX
    tracker.record_rating(session.id, 1, 3, note=longest)
    for bad, message in [
        (dict(note="x" * (NOTE_MAX + 1)), "note: 20,001 characters, at most 20,000 fit"),
        (dict(note="a\x00b"), "note: holds a NUL character"),
        (dict(referred_to="y" * 201), "referred to: 201 characters"),
        (dict(note=b"bytes"), "note: must be text"),
    ]:
        with pytest.raises(TrackerError, match=message):
            tracker.record_rating(session.id, 0, 9, **bad)
        FIGURES["bad notes refused"] += 1
    with pytest.raises(TrackerError, match="tool: 33 characters"):
        tracker.start_session("test-mini", "left", tool="z" * 33)
    with pytest.raises(TrackerError, match="session notes: 20,001"):
        tracker.finish(session.id, notes="n" * (NOTE_MAX + 1))
    ratings = tracker.ratings(session.id)
    assert [(r.tenderness, r.note) for r in ratings] == [(4, "kept"), (3, longest)]
    assert tracker.unfinished_session().id == session.id


@settings(SETTINGS, max_examples=200)
@given(st.text(max_size=200))
def test_printable_never_lets_a_control_character_through(text):
    shown = printable(text)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in shown)
    assert not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in shown)
    if text.isprintable():
        assert shown == text
    FIGURES["strings checked for safe display"] += 1


def test_protocol_names_with_escapes_are_shown_harmlessly(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    source = (TEST_PROTOCOLS / "mini.protocol.toml").read_text()
    hostile = source.replace('"Test mini routine"', '"Evil \\u001b[2J\\u001b]0;owned\\u0007 routine"')
    hostile = hostile.replace('"Test spot under the dimple"', '"Spot \\u009b31m red \\u202e"')
    hostile = hostile.replace('"test-mini"', '"evil"')
    (folder / "evil.protocol.toml").write_text(hostile)
    run = lambda *args: CliRunner().invoke(  # noqa: E731
        cli, ["--db", str(tmp_path / "x.db"), "--protocols-dir", str(folder), *args]
    )
    shown = run("protocols", "show", "evil")
    listed = run("protocols", "list")
    assert shown.exit_code == 0 and listed.exit_code == 0
    for output in (shown.stdout, listed.stdout):
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output
        assert "\u202e" not in output
    assert "Evil \\x1b[2J\\x1b]0;owned\\x07 routine" in shown.stdout
    assert "Spot \\x9b31m red \\u202e" in shown.stdout
    bad = run("protocols", "show", "\x1b[2J")
    assert bad.exit_code == 1 and "\x1b" not in bad.stderr
