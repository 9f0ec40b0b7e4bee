"""The real terminal program, in a pseudo-terminal, on records full of escape sequences: the
raw bytes it writes hold none that came from the data (attacks.md 2).

Notes come in through an import (they may hold any character, kept exactly); names, tools
and routes are planted straight into the database, as an older selftrack or another program
might have left them (imports and protocol files refuse them now); a protocol folder holds a
file with a hostile key, a file with a hostile name and a pipe. The program is walked through
home, resume, the walk, a note, the pause dialog, history, a past session, trends and the
heat map, and every byte it sent the terminal is searched.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time

import pytest

from selftrack import safety
from selftrack.exports import ExportRequest
from selftrack.tracker import Tracker
from pty_support import TerminalProcess, plain, selftrack_command
from support import FIGURES, FIXED_NOW, TEST_PROTOCOLS, answer_safety_questions

pytestmark = pytest.mark.slow

# each planted sequence ends in a word, so that what reached the screen can be found
PLANTED = {
    "window title (OSC 0)": "\x1b]0;OWNED\x07",
    "clipboard (OSC 52)": "\x1b]52;c;T1dORUQ=\x07",
    "clear screen (CSI)": "\x1b[2JCLEARED",
    "C1 control sequence": "\x9b31mCONE",
    "right-to-left override": "\u202eBIDI",
}
HOSTILE = "".join(PLANTED.values())
WORDS = ("OWNED", "CLEARED", "CONE", "BIDI")


def _hostile_records(db, tmp_path) -> None:
    source = tmp_path / "source.db"
    with Tracker(str(source), protocols_dir=TEST_PROTOCOLS) as tracker:
        session = tracker.start_session("test-mini", "both", tool="ball", pain_before=5)
        tracker.record_rating(session.id, 0, 4, note="NOTE" + HOSTILE, referred_to="REF" + HOSTILE)
        tracker.record_rating(session.id, 1, 6, note="SECOND" + HOSTILE)
        tracker.finish(session.id, pain_after=3, notes="SESSION" + HOSTILE)
        unfinished = tracker.start_session("test-mini", "both", tool="cane")
        tracker.record_rating(unfinished.id, 0, 2, note="OPEN" + HOSTILE)
        out = io.StringIO(newline="")
        tracker.export(ExportRequest("json"), out)
    export = tmp_path / "hostile.json"
    export.write_text(out.getvalue(), encoding="utf-8")
    answer_safety_questions(str(db))  # the walk opens at once
    with Tracker(str(db), protocols_dir=TEST_PROTOCOLS) as tracker:
        assert tracker.import_file(export).added_sessions == 2
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET tool = ?, protocol_name = ?", ("TOOL" + HOSTILE, "ROUTINE" + HOSTILE))
        for def_id, text in conn.execute("SELECT id, definition FROM spot_definitions").fetchall():
            spec = json.loads(text) | {"name": "SPOT" + HOSTILE, "muscles": ["MUSCLE" + HOSTILE],
                                       "find": "FIND" + HOSTILE, "cautions": ["CAUTION" + HOSTILE]}  # fmt: skip
            conn.execute("UPDATE spot_definitions SET name = ?, definition = ? WHERE id = ?",
                         (spec["name"], json.dumps(spec), def_id))  # fmt: skip
        for session_id, text in conn.execute("SELECT id, plan FROM sessions").fetchall():
            plan = json.loads(text)
            plan["routes"] = {route: "ROUTE" + HOSTILE for route in plan["routes"]}
            conn.execute("UPDATE sessions SET plan = ? WHERE id = ?", (json.dumps(plan), session_id))


def _hostile_protocols(folder) -> None:
    folder.mkdir()
    source = (TEST_PROTOCOLS / "mini.protocol.toml").read_text()
    (folder / "key.protocol.toml").write_text(
        source.replace('"test-mini"', '"hostile-key"') + '\n"\\u001b]0;OWNED\\u0007" = 1\n'
    )
    (folder / f"name{PLANTED['window title (OSC 0)']}.protocol.toml").write_text(
        source.replace('"test-mini"', '"hostile-name"')
    )
    os.mkfifo(folder / "pipe.protocol.toml")


def test_no_escape_sequence_from_data_reaches_the_terminal(tmp_path, private_home):
    safety.acknowledge(FIXED_NOW)
    db = tmp_path / "hostile.db"
    _hostile_records(db, tmp_path)
    folder = tmp_path / "protocols"
    _hostile_protocols(folder)
    program = TerminalProcess(
        selftrack_command("--db", str(db), "--protocols-dir", str(folder)), size=(320, 60)
    )
    seen: list[str] = []

    def visit(keys: str, marker: bytes, name: str, *more: bytes) -> None:
        if keys:
            program.type(keys)
        for wanted in (marker, *more):
            program.read_until(wanted, timeout=30)
        time.sleep(0.4)  # let the screen finish drawing its data
        program.drain()
        seen.append(name)

    try:
        visit("", b"Resume (r)", "home, the resume dialog, the protocol problems")
        visit("r", b"Spot 2 of 6", "the walk: spot, route and routine names, muscles, texts")
        visit("c", b"A note on", "the note dialog")
        visit("\x1b", b"Spot 2 of 6", "back to the walk")
        visit("p", b"Carry on (enter)", "the pause dialog")
        visit("h", b"Last session", "home")
        visit("h", b"ROUTINE", "history")
        visit("\x1b[B\r", b"notes: SESSION", "a past session: notes, tool, spots", b"NOTE", b"SECOND")
        visit("\x1b", b"your sessions", "history again")
        visit("\x1b", b"Last session", "home again")
        visit("t", b"SPOT", "trends")
        visit("\x1b", b"Last session", "home again")
        visit("m", b"heat map", "the heat map")
        time.sleep(1)
        visit("\x1b", b"Last session", "home again")
        program.type("\x11")  # ctrl+q
        deadline = time.monotonic() + 20
        while program.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            program.drain()
    finally:
        program.drain()
        program.close()
    raw = bytes(program.output)
    (tmp_path / "terminal.bin").write_bytes(raw)  # kept for a look when this fails
    # a sequence counts as leaked when its introducer reaches the terminal with the data after
    # it (terminators aside: Rich drops BEL, and an unterminated OSC is as harmful)
    leaked = {what: raw.count(seq[:-1].encode()) for what, seq in PLANTED.items() if seq[:-1].encode() in raw}
    assert leaked == {}, f"escape sequences from the data reached the terminal: {leaked}"
    shown = plain(raw)
    assert all(word.encode() in shown for word in WORDS), "the hostile text was never on screen"
    for name in ("NOTE", "SESSION", "TOOL", "ROUTINE", "SPOT", "ROUTE", "MUSCLE", "FIND"):
        assert name.encode() in shown, f"{name} was never on screen: the test looked at too little"
    FIGURES["terminal program screens checked for escape sequences"] += len(seen)
