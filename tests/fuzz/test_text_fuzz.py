"""Any text a user or a file can give — control characters, escape sequences, huge notes —
is stored exactly or refused with a clear message, on SQLite and on PostgreSQL, and the
command line never passes an escape sequence through to the terminal."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

from selftrack.cli import cli
from selftrack.domain.text import printable
from selftrack.domain.text import NOTE_MAX
from selftrack.tracker import Tracker, TrackerError
from support import FIGURES, TEST_PROTOCOLS, unfinished

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
    # and what the app stored, the export writes in a form its own import accepts
    import io
    import tempfile

    from selftrack.exports import ExportRequest
    from selftrack.exports.json_import import check_json

    out = io.StringIO(newline="")
    tracker.export(ExportRequest("json", start=done.started_at, end=done.started_at), out)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", newline="") as file:
        file.write(out.getvalue())
        file.flush()
        sessions, ratings = check_json(file.name)  # the fixed clock: every session at one moment
        assert sessions == ratings >= 1
    FIGURES["exports checked against the format they claim"] += 1


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
    with pytest.raises(TrackerError, match="tool must be one of ball, cane"):
        tracker.start_session("test-mini", "left", tool="z" * 33)
    with pytest.raises(TrackerError, match="session notes: 20,001"):
        tracker.finish(session.id, notes="n" * (NOTE_MAX + 1))
    ratings = tracker.ratings(session.id)
    assert [(r.tenderness, r.note) for r in ratings] == [(4, "kept"), (3, longest)]
    assert unfinished(tracker).id == session.id
    tracker.finish(session.id, notes="done")
    with pytest.raises(TrackerError, match="note: holds a NUL"):
        tracker.correct_rating(session.id, 0, 5, note="x\x00")
    with pytest.raises(TrackerError, match="session notes: 20,001"):
        tracker.set_session_notes(session.id, "n" * (NOTE_MAX + 1))
    assert tracker.ratings(session.id)[0].tenderness == 4
    assert tracker.session(session.id).notes == "done"


@settings(SETTINGS, max_examples=200)
@given(st.text(max_size=200))
def test_printable_never_lets_a_control_character_through(text):
    shown = printable(text)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in shown)
    assert not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in shown)
    if text.isprintable():
        assert shown == text
    FIGURES["strings checked for safe display"] += 1


def test_protocol_files_with_control_characters_are_refused_with_their_line(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    source = (TEST_PROTOCOLS / "mini.protocol.toml").read_text()
    hostile = source.replace('"Test spot under the dimple"', '"Spot \\u009b31m red \\u202e"')
    hostile = hostile.replace('"Test mini routine"', '"Evil \\u001b[2J\\u001b]0;owned\\u0007"')
    (folder / "evil.protocol.toml").write_text(hostile.replace('"test-mini"', '"evil"'))
    run = lambda *args: CliRunner().invoke(  # noqa: E731
        cli, ["--db", str(tmp_path / "x.db"), "--protocols-dir", str(folder), *args]
    )
    listed = run("protocols", "list")
    assert listed.exit_code == 0 and "evil" not in listed.stdout
    path = folder / "evil.protocol.toml"
    assert f"{path}:4: name: holds a control character: 'Evil \\x1b[2J" in listed.stderr
    checked = run("protocols", "check", str(path))
    assert checked.exit_code == 1
    for output in (listed.output, checked.output):
        assert not any(ch in output for ch in "\x1b\x07\x9b\u202e")
    bad = run("protocols", "show", "\x1b[2J")
    assert bad.exit_code == 1 and "\x1b" not in bad.stderr


def test_names_are_shown_harmlessly_even_if_a_protocol_held_escapes():
    from selftrack.render.protocol import protocol_text
    from selftrack.tracker import Tracker as T

    spec = T(None, protocols_dir=TEST_PROTOCOLS).protocol("test-mini")
    import dataclasses

    hostile = dataclasses.replace(spec, name="Evil \x1b[2J\x1b]0;owned\x07", summary="\x9b31m \u202e")
    shown = protocol_text(hostile)
    assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e")
    assert "Evil \\x1b[2J\\x1b]0;owned\\x07" in shown


HOSTILE_NOTE = "NOTE\x1b[31mRED\x1b]0;title\x07\x9b2J"


def _hostile_history(db) -> None:
    with Tracker(str(db), protocols_dir=TEST_PROTOCOLS) as tracker:
        session = tracker.start_session("test-mini", "left", pain_before=5)
        tracker.record_rating(session.id, 0, 5, note=HOSTILE_NOTE)
        tracker.record_rating(session.id, 1, 6, referred_to="REF\x1b[2Jthere")
        tracker.finish(session.id, pain_after=3, notes="SESSION\x1b[5mBLINK\u202eabc")
    # names as an older selftrack or another program may have left them (imports and
    # protocol files refuse them now): spot names reach `trend` and its chart legend
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE spot_definitions SET name = name || ?", ("\x1b]0;owned\x07\x9bNAME",))
        conn.execute("UPDATE sessions SET tool = ?", ("\x1b]52;c;T1dORUQ=\x07",))


COMMANDS = [
    ["history"],
    ["trend"],
    ["trend", "test-line-1"],
    ["trend", "low-back", "buttock"],
    ["profiles"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["export", "--format", "fhir"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_on_a_terminal_never_pass_escapes_through(tmp_path, args):
    """Run in a real pseudo-terminal: what reaches the screen holds no control sequence."""
    from pty_support import TerminalProcess, selftrack_command

    db = tmp_path / "x.db"
    _hostile_history(db)
    program = TerminalProcess(
        selftrack_command("--db", str(db), "--protocols-dir", str(TEST_PROTOCOLS), *args)
    )
    try:
        assert program.process.wait(timeout=60) == 0
        program.drain()
    finally:
        program.close()
    shown = bytes(program.output).decode("utf-8", "replace")
    # The program may colour its own output; what must never arrive is the stored text's.
    planted = ["\x1b[31mRED", "\x1b]0;", "\x07", "\x9b", "\u202e", "\x1b[2Jthere", "\x1b[5mBLINK", "\x1b]52;"]
    assert not [seq for seq in planted if seq in shown], shown[:500]
    FIGURES["commands checked for escape sequences on a terminal"] += 1


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_to_a_pipe_keep_the_exact_text(tmp_path, fmt):
    db = tmp_path / "x.db"
    _hostile_history(db)
    result = CliRunner().invoke(
        cli, ["--db", str(db), "--protocols-dir", str(TEST_PROTOCOLS), "export", "--format", fmt]
    )
    assert result.exit_code == 0
    if fmt == "csv":
        assert HOSTILE_NOTE in result.stdout
    else:
        document = json.loads(result.stdout)
        notes = [r["note"] for s in document["sessions"] for r in s["ratings"]]
        assert HOSTILE_NOTE in notes


async def test_past_session_screen_shows_hostile_notes_harmlessly(tracker):
    """Notes may come from an import: escape sequences and markup are shown, never obeyed."""
    from textual.widgets import DataTable

    from selftrack.tui.screens.session_detail import SessionDetailScreen
    from tui_support import ScreenHost, settle, text_of

    session = tracker.start_session("test-mini", "left")
    tracker.record_rating(session.id, 0, 4, note="[/b] [link=x]click[/link] \x1b[2J")
    tracker.finish(session.id, notes="[bold]loud\x1b]0;title\x07 \u202e")
    app = ScreenHost(lambda: SessionDetailScreen(session.id), tracker)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        summary = text_of(app, "#summary")
        assert "[bold]loud\\x1b]0;title\\x07 \\u202e" in summary
        cell = app.screen.query_one("#ratings", DataTable).get_row_at(0)[-1]
        assert getattr(cell, "plain", cell) == "[/b] [link=x]click[/link] \\x1b[2J"


@settings(SETTINGS, max_examples=300)
@given(st.text(max_size=40) | st.sampled_from(NASTY) | st.sampled_from(["\ud800", "a\udfffb", "\x00"]))
def test_the_schemas_accept_exactly_what_the_text_gate_accepts(text):
    """One gate: the pydantic types of imports and protocol files are built from the patterns
    of selftrack.domain.text, and agree with it on any text."""
    from pydantic import TypeAdapter, ValidationError

    from selftrack.domain.text import TextError, check_text, has_control
    from selftrack.exports.json_schema import Label, Note
    from selftrack.protocols.schema import Text

    def accepts(kind, value) -> bool:
        try:
            TypeAdapter(kind).validate_python(value, strict=True)
        except ValidationError:
            return False
        return True

    def gate(value, **options) -> bool:
        try:
            check_text("x", value, **options)
        except TextError:
            return False
        return True

    assert accepts(Note, text) == gate(text)
    if text:
        assert accepts(Label, text) == gate(text, label=True)
    surrogate = any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)
    assert accepts(Text, text) == (not has_control(text, keep_lines=True) and not surrogate)
    FIGURES["strings checked against the text gate and the schemas"] += 1
