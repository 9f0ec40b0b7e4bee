"""Kill -9 at random moments while ratings are recorded: nothing acknowledged is ever lost.

A pre-warmed process (walker.py) forks short-lived walkers that resume the unfinished session
and record ratings; each is killed with SIGKILL at a random point, usually several times per
session. After every kill the database must pass SQLite's integrity check, hold every rating
whose recording had returned, and resume at the first unrated spot.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from selftrack.tracker import Tracker
from support import FIGURES, next_step, unfinished

WALKER = Path(__file__).with_name("walker.py")
PROTOCOL, SIDES = "low-back-lines", "left"

pytestmark = pytest.mark.backends


class Walkers:
    """Drives walker.py: start a walker, read what it acknowledged, kill it."""

    def __init__(self, location: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WALKER), location, PROTOCOL, SIDES],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def line(self) -> str:
        line = self.process.stdout.readline()
        assert line, "walker process ended unexpectedly"
        assert not line.startswith("E "), f"walker failed: {line}"
        return line.split()

    def go(self, seed: int, mode: str = "outside") -> int:
        self.process.stdin.write(f"go {seed} {mode}\n")
        self.process.stdin.flush()
        kind, pid = self.line()
        assert kind == "P"
        return int(pid)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _check_after_kill(location: str, backend: str, acked: dict, finished: set, tracker: Tracker):
    """The promises, checked from outside the killed process."""
    if backend == "sqlite":
        with closing(sqlite3.connect(location)) as conn:  # closed: see test_kill_tui._check
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with tracker.database.reading() as db:
        rows = db.rows(
            "SELECT r.session_id, r.step_index, r.tenderness, r.skipped, s.status "
            "FROM ratings r JOIN sessions s ON s.id = r.session_id"
        )
    stored = {(sid, step): (value, bool(skipped)) for sid, step, value, skipped, _ in rows}
    status = {sid: state for sid, _, _, _, state in rows}
    for (sid, step), value in acked.items():
        assert (sid, step) in stored, f"acknowledged rating lost: {sid} step {step}"
        assert stored[sid, step] == ((None, True) if value == -1 else (value, False))
    assert all(status[sid] == "finished" for sid in finished)
    open_session = unfinished(tracker)
    if open_session is None:
        return  # killed between finishing a session and starting the next
    assert status.get(open_session.id, "in_progress") == "in_progress"
    # The walk goes in order: the stored ratings are steps 0..n-1 and resuming starts at n.
    # (A stored step may lack an acknowledgement when a kill struck between its commit and
    # the print; the walker then went on from the next one, as a user would.)
    steps = sorted(step for sid, step in stored if sid == open_session.id)
    assert steps == list(range(len(steps)))
    assert next_step(tracker, open_session.id) == (len(steps) if len(steps) < len(open_session.steps) else None)


KILLS = {"sqlite": 220, "postgres": 40}  # ~45 ms per kill on SQLite, 70 ms on PostgreSQL


@pytest.mark.slow
def test_kill_minus_nine_never_loses_an_acknowledged_rating(database_url, backend):
    kills = KILLS[backend]
    rng = random.Random(20261120)
    acked: dict[tuple[str, int], int] = {}
    finished: set[str] = set()
    walkers = Walkers(database_url)
    tracker = Tracker(database_url)
    sessions_touched = set()
    started = time.perf_counter()
    try:
        kill = 0
        # at least `kills` kills, and on until two sessions were finished across kills (the
        # walks take as many ratings as the routine has steps; a slow machine acknowledges
        # fewer per kill), at most three times as many
        while kill < kills or (len(finished) < 2 and kill < 3 * kills):
            kill += 1
            pid = walkers.go(kill)
            wait_for = rng.choice((0, 0, 1, 1, 2, 3, 5))  # 0: kill while opening / resuming
            seen = 0
            while seen < wait_for:
                parts = walkers.line()
                if parts[0] in ("A", "K"):
                    continue
                if parts[0] == "R":
                    acked[(parts[1], int(parts[2]))] = int(parts[3])
                    sessions_touched.add(parts[1])
                    seen += 1
                elif parts[0] == "F":
                    finished.add(parts[1])
            time.sleep(rng.random() * 0.004)  # land the kill anywhere, mid-commit included
            os.kill(pid, signal.SIGKILL)
            while True:
                parts = walkers.line()
                if parts[0] == "R":
                    acked[(parts[1], int(parts[2]))] = int(parts[3])
                    sessions_touched.add(parts[1])
                elif parts[0] == "F":
                    finished.add(parts[1])
                elif parts[0] in ("A", "K"):
                    continue
                elif parts[0] == "X":
                    assert int(parts[1]) == pid
                    status = int(parts[2])
                    break
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            _check_after_kill(database_url, backend, acked, finished, tracker)
            FIGURES[f"kill -9 survived ({backend})"] += 1
    finally:
        walkers.close()
        tracker.close()
    FIGURES[f"acknowledged ratings checked after kills ({backend})"] += len(acked)
    elapsed = time.perf_counter() - started
    print(f"{kill} kills, {len(acked)} ratings, {len(sessions_touched)} sessions, {elapsed:.1f}s")
    assert len(acked) > kills // 2
    assert len(finished) >= 2  # sessions were completed and new ones begun across kills
    assert len(sessions_touched) < kills // 3  # several kills per session


COMMIT_KILLS = {"commit": 50, "slow": 20}


@pytest.mark.slow
def test_kill_minus_nine_inside_a_commit(db_path):
    """Each walker kills itself from a timer started the moment a rating's COMMIT begins
    (0 to 100 ms later, mostly under 8; a 20,000-character note makes some commits slower).
    Proof that the kills land inside commits, not only after them: some of those ratings are
    in the database afterwards (the commit had finished) and some are not (it had not) — and
    every rating acknowledged before is there, whole, every time."""
    location = str(db_path)
    Tracker(location).database.close()
    acked: dict[tuple[str, int], int] = {}
    finished: set[str] = set()
    outcomes = {"not stored": 0, "stored": 0, "acknowledged": 0}
    walkers = Walkers(location)
    tracker = Tracker(location)
    seed = 0
    try:
        for mode, kills in COMMIT_KILLS.items():
            for _ in range(kills):
                seed += 1
                pid = walkers.go(seed, mode)
                killed_at = None
                while True:
                    parts = walkers.line()
                    if parts[0] == "R":
                        acked[(parts[1], int(parts[2]))] = int(parts[3])
                    elif parts[0] == "F":
                        finished.add(parts[1])
                    elif parts[0] == "K":
                        killed_at = (parts[1], int(parts[2]))
                    elif parts[0] == "X":
                        assert int(parts[1]) == pid
                        status = int(parts[2])
                        break
                assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
                assert killed_at is not None
                _check_after_kill(location, "sqlite", acked, finished, tracker)
                if killed_at in acked:
                    outcomes["acknowledged"] += 1  # the timer fired after the rating returned
                    continue
                with tracker.database.reading() as db:
                    stored = db.scalar(
                        "SELECT count(*) FROM ratings WHERE session_id = :s AND step_index = :n",
                        {"s": killed_at[0], "n": killed_at[1]},
                    )
                outcomes["stored" if stored else "not stored"] += 1
                FIGURES["kill -9 inside a commit survived (sqlite)"] += 1
    finally:
        walkers.close()
        tracker.close()
    FIGURES["kills inside a commit that ended before it was durable"] += outcomes["not stored"]
    FIGURES["kills inside a commit that ended just after it was durable"] += outcomes["stored"]
    FIGURES["kills from a commit's timer after the rating was acknowledged"] += outcomes["acknowledged"]
    print(outcomes)
    assert outcomes["not stored"] >= 3, f"no kill landed before a commit was durable: {outcomes}"
    assert outcomes["stored"] + outcomes["acknowledged"] >= 1, outcomes  # the timer outlasts commits too
