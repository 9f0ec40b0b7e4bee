"""Two programs at once on one SQLite file: no lost writes, no "database is locked" for the user.

One process records ratings as fast as it can while others import exports, export, write
months of sample data (`selftrack demo --force`) and read the whole file (`db check`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

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


@pytest.mark.slow
def test_first_open_by_several_processes_at_once(tmp_path):
    for round_ in range(3):
        db = tmp_path / f"new-{round_}.db"
        runs = [_selftrack(db, "profiles") for _ in range(3)] + [_selftrack(db, "demo", "--days", "2")]
        for run in runs:
            out, err = run.communicate(timeout=120)
            # `profiles` only reads: before `demo` has made the database it says there is none
            assert run.returncode == 0 or err.startswith(f"selftrack: no database at {db}"), err
            assert "locked" not in err and "Traceback" not in err
        FIGURES["processes opening one new database at once"] += len(runs)


def _finish(run: subprocess.Popen) -> str:
    """Wait for a command; it must succeed and never show the user a lock or a traceback."""
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert "locked" not in err.lower() and "Traceback" not in err, err
    return err


def _exports_to_import(tmp_path, count: int) -> list[tuple[str, int]]:
    """JSON exports of `count` different sample histories, with their session counts."""
    files = []
    for number in range(count):
        source = tmp_path / f"source-{number}.db"
        target = tmp_path / f"export-{number}.json"
        _finish(_selftrack(source, "demo", "--days", "60", "--seed", str(100 + number)))
        _finish(_selftrack(source, "export", "--format", "json", "-o", str(target)))
        files.append((str(target), len(json.loads(target.read_text())["sessions"])))
    return files


@pytest.mark.slow
def test_recording_while_others_import_export_and_write(tmp_path):
    """A walk records ratings while, round after round, `import`, `export` (JSON and CSV),
    `demo --force` and the whole-file `db check` run against the same SQLite file."""
    db = tmp_path / "shared.db"
    Tracker(str(db)).database.close()
    imports = _exports_to_import(tmp_path, 3)
    started = time.perf_counter()
    rater = subprocess.Popen(
        [sys.executable, "-c", RATER, str(db), "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    demo_sessions = demo_ratings = imported = imported_ratings = rounds = 0
    exported_ids: set[str] = set()
    while rater.poll() is None or rounds < len(imports):
        source, sessions = imports[rounds % len(imports)]
        batch = [
            _selftrack(db, "import", source, "--profile", "clinic"),
            _selftrack(db, "demo", "--force", "--days", "120", "--seed", str(rounds)),
            _selftrack(db, "--profile", "rater", "export", "--format", "json"),
            _selftrack(db, "--profile", "rater", "export", "--format", "csv"),
            _selftrack(db, "db", "check"),
        ]
        outputs = [run.communicate(timeout=300) for run in batch]
        for run, (out, err) in zip(batch, outputs):
            assert run.returncode == 0, err
            assert "locked" not in err.lower() and "Traceback" not in err, err
        added = re.search(r"imported (\d+) sessions? with (\d+) rating", outputs[0][1])
        imported += int(added.group(1))
        imported_ratings += int(added.group(2))
        if rounds < len(imports):
            assert int(added.group(1)) == sessions
        wrote = re.search(r"wrote (\d+) sample sessions? with (\d+) ratings?", outputs[1][1])
        demo_sessions += int(wrote.group(1))
        demo_ratings += int(wrote.group(2))
        exported = json.loads(outputs[2][0])  # a consistent snapshot: it parses, all of it
        exported_ids |= {session["id"] for session in exported["sessions"]}
        rounds += 1
    out, err = rater.communicate(timeout=300)
    assert rater.returncode == 0 and "locked" not in err.lower(), err
    acked = [line.split() for line in out.splitlines()]
    with Tracker(str(db), profile="rater") as check:
        with check.database.reading() as session:
            stored = set(session.rows("SELECT session_id, step_index, tenderness FROM ratings"))
            demo = session.one(
                "SELECT count(DISTINCT s.id), count(r.id) FROM sessions s "
                "JOIN ratings r ON r.session_id = s.id WHERE s.origin = 'demo'"
            )
        assert len(check.sessions()) == 30
        assert exported_ids <= {session.id for session in check.sessions()}
        counts = {p.name: p.sessions for p in check.profiles()}
    assert {(sid, int(step), int(value)) for sid, step, value in acked} <= stored
    assert tuple(demo) == (demo_sessions, demo_ratings)
    assert counts["clinic"] == imported == sum(n for _, n in imports)
    FIGURES["concurrent writes checked (ratings while other processes wrote)"] += len(acked)
    FIGURES["concurrent writes checked (rows imported or written alongside)"] += (
        demo_ratings + imported_ratings
    )
    print(f"{len(acked)} ratings beside {rounds} rounds in {time.perf_counter() - started:.1f}s")
    assert len(acked) > 100 and rounds >= len(imports)


BUSY_MS = 2500  # a short busy timeout for both programs (SELFTRACK_BUSY_TIMEOUT_MS)
RATER_DURING = """
import os, sys, time
from selftrack.storage.engine import DatabaseError
from selftrack.tracker import Tracker

location, stop = sys.argv[1], sys.argv[2]


def timed(kind, write, *args, **kwargs):
    began = time.time()
    try:
        result = write(*args, **kwargs)
    except DatabaseError as exc:
        print("REFUSED", kind, began, exc, flush=True)
        return None
    print("W", kind, began, time.time() - began, flush=True)
    return result


with Tracker(location, profile="rater") as tracker:
    while not os.path.exists(stop):
        session = timed("start", tracker.start_session, "quick-check", "both")
        if session is None:
            continue
        for step in session.steps:
            timed("rating", tracker.record_rating, session.id, step.index, step.index % 11)
        timed("finish", tracker.finish, session.id, pain_after=3)
"""


@pytest.mark.slow
def test_ratings_are_never_refused_during_a_long_import(tmp_path):
    """attacks.md 1: a rating must never be refused because another selftrack imports. The
    import here holds about 100,000 ratings; both programs run with a short busy timeout
    (2.5 s). Imported in one write transaction (the old way), ratings waited for the whole
    import and were refused; staged beside the database, the import holds the lock only to
    publish, so no rating is refused and the longest wait is a small part of the import's
    time (compared with the import's own duration, so a busy machine slows both alike)."""
    source, export = tmp_path / "source.db", tmp_path / "big.json"
    _finish(_selftrack(source, "demo", "--days", "900", "--seed", "7"))
    _finish(_selftrack(source, "export", "--format", "json", "-o", str(export)))
    db = tmp_path / "shared.db"
    Tracker(str(db)).database.close()
    env = {**os.environ, "SELFTRACK_BUSY_TIMEOUT_MS": str(BUSY_MS)}
    stop = tmp_path / "stop"
    log = (tmp_path / "rater.log").open("w")  # a file, not a pipe: a full pipe would stop the rater
    rater = subprocess.Popen(
        [sys.executable, "-c", RATER_DURING, str(db), str(stop)],
        stdout=log, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    time.sleep(1.0)  # the rater is recording
    began = time.time()
    importing = subprocess.run(
        [sys.executable, "-m", "selftrack", "--db", str(db), "--profile", "clinic", "import", str(export)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    ended = time.time()
    time.sleep(0.5)
    stop.touch()
    _, err = rater.communicate(timeout=120)
    log.close()
    out = (tmp_path / "rater.log").read_text()
    assert importing.returncode == 0, importing.stderr
    assert rater.returncode == 0, err
    refused = [line for line in out.splitlines() if line.startswith("REFUSED")]
    assert refused == [], f"{len(refused)} writes refused during the import: {refused[:3]}"
    writes = [line.split() for line in out.splitlines() if line.startswith("W ")]
    during = [(kind, float(took)) for _, kind, at, took in writes if began <= float(at) <= ended]
    ratings = sum(1 for kind, _ in during if kind == "rating")
    assert ratings > 20, "the rater was not recording while the import ran"
    slowest = max(took for _, took in during)
    with Tracker(str(db), profile="clinic") as check:
        imported = check.count_sessions()
    assert f"imported {imported} session" in importing.stderr
    FIGURES["ratings recorded during a long import (none refused)"] += ratings
    print(f"import {ended - began:.1f}s, {imported} sessions; {ratings} ratings meanwhile, slowest write {slowest:.2f}s")
    assert slowest < 0.5 * (ended - began), f"a write waited {slowest:.1f}s of a {ended - began:.1f}s import"
    FIGURES["longest wait of a rating during the import (s)"] = max(FIGURES["longest wait of a rating during the import (s)"], round(slowest, 2))
