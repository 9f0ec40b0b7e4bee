"""A disk that fills up or turns read-only during a session: a clear message, nothing lost.

The real thing is a tiny tmpfs mounted for the test (needs root and a kernel that allows
it); SQLite's `max_page_count` gives the same "disk is full" everywhere else.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.storage.engine import DatabaseError
from selftrack.tracker import Tracker
from support import FIGURES, next_step, unfinished


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 600 KiB tmpfs, unmounted afterwards; skips where mounting is not allowed."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the max_page_count test covers this)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill_until_full(tracker: Tracker, session_id: str, note: str) -> tuple[list[int], str]:
    """Record ratings with big notes until saving fails; the steps saved and the message."""
    saved: list[int] = []
    session = tracker.session(session_id)
    for step in session.steps:
        try:
            tracker.record_rating(session_id, step.index, step.index % 11, note=note)
        except DatabaseError as exc:
            return saved, str(exc)
        saved.append(step.index)
    pytest.fail("the disk never filled up")


def _assert_intact(path: Path, tracker: Tracker, session_id: str, saved: list[int]) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    ratings = tracker.ratings(session_id)
    assert [r.step_index for r in ratings] == saved
    assert all(r.tenderness == r.step_index % 11 for r in ratings)
    assert next_step(tracker, session_id) == len(saved)
    assert unfinished(tracker).id == session_id


def test_disk_full_on_a_real_small_filesystem(tiny_disk):
    path = tiny_disk / "selftrack.db"
    with Tracker(str(path)) as tracker:
        session = tracker.start_session("low-back-lines", "both")
        saved, message = _fill_until_full(tracker, session.id, "a long note " * 1600)
        assert saved, "some ratings should fit before the disk is full"
        assert message == f"could not save to {path}: the disk is full (earlier entries are kept)"
        _assert_intact(path, tracker, session.id, saved)
    FIGURES["disk-full failures met with a clear message"] += 1


def _take_every_free_byte(target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(fd)


def test_disk_full_through_the_command_line_is_one_line(tiny_disk):
    path = tiny_disk / "selftrack.db"
    big = tiny_disk / "filler"
    with Tracker(str(path)) as tracker:
        tracker.start_session("quick-check", "left")
    _take_every_free_byte(big)
    result = CliRunner().invoke(cli, ["--db", str(path), "demo", "--days", "60", "--force"])
    assert result.exit_code == 1
    # A disk this full can fail the opening already (no room for SQLite's shared-memory file).
    assert result.stderr.startswith(("selftrack: could not save to", "selftrack: cannot read"))
    assert "disk is full" in result.stderr or "is it full" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    big.unlink()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
    FIGURES["disk-full failures met with a clear message"] += 1


def test_read_only_filesystem_is_named_and_the_data_kept(tiny_disk):
    path = tiny_disk / "selftrack.db"
    with Tracker(str(path)) as tracker:
        session = tracker.start_session("quick-check", "left")
        tracker.record_rating(session.id, 0, 6)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True)
    assert remount.returncode == 0, remount.stderr
    result = CliRunner().invoke(cli, ["--db", str(path), "demo", "--days", "3", "--force"])
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as conn:
        assert conn.execute("SELECT tenderness FROM ratings").fetchall() == [(6,)]


def test_database_full_by_page_limit(db_path):
    """The same promise without mounting: SQLite refuses to grow past `max_page_count`."""
    with Tracker(str(db_path)) as tracker:
        session = tracker.start_session("low-back-lines", "both")
        tracker.record_rating(session.id, 0, 0)
        database = tracker.database
        with database.reading() as conn:
            pages = conn.scalar("PRAGMA page_count")
        unlimited = database.connect

        def limited():
            raw = unlimited()
            raw.execute(f"PRAGMA max_page_count = {pages + 8}")
            return raw

        database.close()  # the next connection is made with the limit
        database.connect = limited
        saved, message = _fill_until_full(tracker, session.id, "a long note " * 800)
        assert saved[0] == 0 and len(saved) > 1
        assert message.startswith("could not save to") and "the disk is full" in message
        _assert_intact(db_path, tracker, session.id, saved)
        database.close()
        database.connect = unlimited
        tracker.record_rating(session.id, len(saved), 5)  # room again: the walk goes on
        assert next_step(tracker, session.id) == len(saved) + 1
    FIGURES["disk-full failures met with a clear message"] += 1


@pytest.mark.parametrize("what", ["json", "pdf", "backup", "import"])
def test_exports_backups_and_imports_on_a_full_disk_are_one_line(what, tiny_disk, tmp_path):
    """attacks.md 10: `export -o` (JSON, PDF), `db backup` and `import` on a full disk used to
    end in a traceback. The source database lives elsewhere; the disk that fills is where the
    file goes (for an import, where the database and its staging file are)."""
    source = tmp_path / "source.db"
    assert CliRunner().invoke(cli, ["--db", str(source), "demo", "--days", "90"]).exit_code == 0
    export = tmp_path / "source.json"
    assert CliRunner().invoke(cli, ["--db", str(source), "export", "--format", "json", "-o", str(export)]).exit_code == 0
    if what == "import":
        target = tiny_disk / "selftrack.db"
        with Tracker(str(target)) as tracker:
            tracker.start_session("quick-check", "left")
        args = ["--db", str(target), "--profile", "other", "import", str(export)]
    else:
        target = tiny_disk / {"json": "out.json", "pdf": "out.pdf", "backup": "copy.db"}[what]
        args = ["--db", str(source), *(["db", "backup", str(target)] if what == "backup" else
                                       ["export", "--format", what, "-o", str(target)])]  # fmt: skip
    _take_every_free_byte(tiny_disk / "filler")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("selftrack: "), result.stderr
    assert "full" in lines[0] or "No space left" in lines[0], lines[0]
    assert not list(tiny_disk.glob(".*.selftrack-tmp")), "a half-written file was left"
    if what == "import":
        (tiny_disk / "filler").unlink()
        with Tracker(str(target), profile="other") as tracker:
            assert tracker.count_sessions() == 0  # all or nothing
    else:
        assert not target.exists()
    FIGURES["disk-full failures met with a clear message"] += 1
