"""Two programs at once on one SQLite file: no lost writes, no "database is locked" for the user.

One process records ratings as fast as it can while others write months of sample data
(`selftrack demo --force`) and read the whole database (`selftrack db check`, `profiles`).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from selftrack.tracker import Tracker
from support import FIGURES

RATER = """
import sys
from selftrack.tracker import Tracker

location, sessions = sys.argv[1], int(sys.argv[2])
with Tracker(location, profile="rater") as tracker:
    for n in range(sessions):
        session = tracker.start_session("quick-check", "both")
        for step in session.steps:
            value = (n + step.index) % 11
            tracker.record_rating(session.id, step.index, value)
            print(session.id, step.index, value, flush=True)
        tracker.finish(session.id, pain_after=n % 11)
"""


def _selftrack(db, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "selftrack", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_first_open_by_several_processes_at_once(tmp_path):
    for round_ in range(3):
        db = tmp_path / f"new-{round_}.db"
        runs = [_selftrack(db, "profiles") for _ in range(3)] + [_selftrack(db, "db", "check")]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode == 0, err
            assert "locked" not in err and "Traceback" not in err
        FIGURES["processes opening one new database at once"] += len(runs)


def _finish(run: subprocess.Popen) -> str:
    """Wait for a command; it must succeed and never show the user a lock or a traceback."""
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert "locked" not in err.lower() and "Traceback" not in err, err
    return err


def test_recording_while_demo_writes_and_checks_read(tmp_path):
    db = tmp_path / "shared.db"
    Tracker(str(db)).database.close()
    started = time.perf_counter()
    rater = subprocess.Popen(
        [sys.executable, "-c", RATER, str(db), "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    demo_sessions = demo_ratings = rounds = 0
    while rater.poll() is None or rounds < 2:
        writer = _selftrack(db, "demo", "--force", "--days", "240", "--seed", str(rounds))
        readers = [_selftrack(db, "db", "check"), _selftrack(db, "profiles")]
        wrote = re.search(r"wrote (\d+) sample sessions with (\d+) ratings", _finish(writer))
        demo_sessions += int(wrote.group(1))
        demo_ratings += int(wrote.group(2))
        for reader in readers:
            _finish(reader)
        rounds += 1
    out, err = rater.communicate(timeout=300)
    assert rater.returncode == 0 and "locked" not in err.lower(), err
    acked = [line.split() for line in out.splitlines()]
    with Tracker(str(db), profile="rater") as check:
        with check.database.reading() as session:
            stored = set(
                session.execute(
                    text("SELECT session_id, step_index, tenderness FROM ratings")
                ).all()
            )
            demo = session.execute(
                text(
                    "SELECT count(DISTINCT s.id), count(r.id) FROM sessions s "
                    "JOIN ratings r ON r.session_id = s.id WHERE s.origin = 'demo'"
                )
            ).one()
        assert len(check.sessions()) == 30
    assert {(sid, int(step), int(value)) for sid, step, value in acked} <= stored
    assert tuple(demo) == (demo_sessions, demo_ratings)
    FIGURES["concurrent writes checked (ratings while other processes wrote)"] += len(acked)
    FIGURES["concurrent writes checked (sample rows written alongside)"] += demo_ratings
    print(f"{len(acked)} ratings beside {rounds} demo runs in {time.perf_counter() - started:.1f}s")
    assert len(acked) > 100 and rounds >= 2
