"""The real terminal program, killed with SIGKILL mid-walk several times: every rating it had
acknowledged (by moving on to the next spot) survives, and each restart resumes there."""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from contextlib import closing

import pytest

from selftrack import safety
from selftrack.tracker import Tracker
from pty_support import TerminalProcess, selftrack_command
from support import FIGURES, FIXED_NOW, TEST_PROTOCOLS, answer_safety_questions, next_step, unfinished

STEPS = 6  # test-mini on both sides


def _check(db_path, acked: dict[int, int]) -> int:
    """Integrity, every acknowledged rating, and where a restart resumes; returns that step."""
    # closed, not left to the collector: a connection still open in this process loses its
    # POSIX locks when the Tracker below opens and closes the file to check it (SQLite's "How
    # to corrupt", 2.2), and another process's last close (the program's figures reader) then
    # removes the -shm file under it; reading through that stale index missed ratings that
    # were on disk (this test failed so, falsely, once the program forked that reader)
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS) as reader:
        session = unfinished(reader)
        assert session is not None
        stored = {r.step_index: r.tenderness for r in reader.ratings(session.id)}
        for step, value in acked.items():
            assert stored.get(step) == value, f"acknowledged rating at step {step} lost"
        assert sorted(stored) == list(range(len(stored)))
        following = next_step(reader, session.id)
    assert following == (len(stored) if len(stored) < STEPS else None)
    return len(stored)


@pytest.mark.slow
def test_the_program_killed_mid_walk_resumes_where_it_was(db_path):
    safety.acknowledge(FIXED_NOW)
    answer_safety_questions(str(db_path))
    rng = random.Random(5)
    acked: dict[int, int] = {}
    base = ["--db", str(db_path), "--protocols-dir", str(TEST_PROTOCOLS)]
    kills = 0
    position = 0
    while position < STEPS - 1:
        if kills == 0:
            program = TerminalProcess(selftrack_command(*base, "session", "test-mini", "--side", "both"))
        else:
            program = TerminalProcess(selftrack_command(*base))
        try:
            if kills == 0:
                program.read_until(b"Ready:")
                program.type("4")
                program.read_until(b"pain now 4")
                program.type("\r")
            else:
                program.read_until(b"Resume (r)")
                program.type("r")
            program.read_until(f"Spot {position + 1} of {STEPS}".encode())
            for _ in range(rng.choice((0, 1, 2))):  # ratings acknowledged before the kill
                value = rng.randint(0, 9)  # one key each
                program.type(str(value))
                program.read_until(f"Spot {position + 2} of {STEPS}".encode())
                acked[position] = value
                position += 1
                if position >= STEPS - 1:
                    break
            program.type(str(rng.randint(0, 9)))  # one more, killed while it may be saving
            time.sleep(rng.random() * 0.02)
            assert program.kill(signal.SIGKILL) == -signal.SIGKILL
        finally:
            program.close()
        kills += 1
        position = _check(db_path, acked)
        FIGURES["kill -9 survived (terminal program)"] += 1
    assert kills >= 3
