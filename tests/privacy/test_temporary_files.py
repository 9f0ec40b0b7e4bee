"""Temporary files that cannot be hijacked or left behind looking finished (attacks.md 6, 7).

Exports, backups, the automatic backup before an upgrade and an import's staging file are
written under unpredictable names (O_EXCL: a planted file or symlink is never followed),
checked, and only then given their names. Killed at any moment they leave at most a
`.NAME.*.selftrack-tmp` file, which `db check` reports and `db check --fix` removes; a file
still being written by a running selftrack is left alone.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.exports.json_import import ImportRefused, check_json
from selftrack.paths import TEMP_SUFFIX, private_temp
from selftrack.storage.engine import HEAD_REVISION, migrate, open_database
from support import DATA, FIGURES


def _demo(db: Path, days: int) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "demo", "--days", str(days)])
    assert result.exit_code == 0, result.output


def _victim(tmp_path: Path) -> tuple[Path, bytes, int]:
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n")
    victim.chmod(0o644)
    return victim, victim.read_bytes(), victim.stat().st_mode


def test_a_symlink_planted_at_the_old_predictable_name_is_never_followed(tmp_path, private_home):
    """The export used to write `.NAME.<pid>.part`, following a symlink planted there."""
    db = tmp_path / "x.db"
    _demo(db, 3)
    victim, content, mode = _victim(tmp_path)
    out = private_home / "out2.json"
    planted = private_home / f".out2.json.{os.getpid()}.part"
    planted.symlink_to(victim)
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == content and victim.stat().st_mode == mode
    assert planted.is_symlink() and check_json(out)[0] > 0


@pytest.mark.parametrize("what", ["export", "backup", "import", "upgrade"])
def test_a_symlink_planted_at_a_guessed_temporary_name_is_never_followed(what, tmp_path, private_home, monkeypatch):
    """Even a guess that hits: the names mkstemp will try are made known, a symlink is planted
    at the first, and the file is written under the next one instead."""
    folder = private_home
    db = folder / "x.db"
    if what == "upgrade":
        db.touch(mode=0o600)
        migrate(str(db), None, target="0001")
    else:
        _demo(db, 3)
    victim, content, mode = _victim(tmp_path)
    target = {"export": "out.json", "backup": "copy.db", "import": "x.db", "upgrade": "x.db"}[what]
    kind = f"before-{HEAD_REVISION}" if what == "upgrade" else ""
    planted = folder / f".{target}.guessed1{TEMP_SUFFIX}"
    if what == "upgrade":  # the automatic backup's temporary name carries the backup's name
        import selftrack.storage.engine as engine

        real = engine.datetime
        monkeypatch.setattr(engine, "datetime", type("D", (), {"now": staticmethod(lambda tz=None: real(2026, 1, 1, tzinfo=tz))}))
        planted = folder / f".x.db.{kind}-20260101T000000Z.bak.guessed1{TEMP_SUFFIX}"
    planted.symlink_to(victim)
    tried: list[str] = []

    def guesses():
        for name in ("guessed1", "guessed2", "guessed3", "guessed4", "guessed5", "guessed6"):
            tried.append(name)
            yield name

    names = guesses()
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    args = {
        "export": ["export", "--format", "json", "-o", str(folder / "out.json")],
        "backup": ["db", "backup", str(folder / "copy.db")],
        "import": ["import", str(DATA / "golden" / "export.json")],
        "upgrade": ["db", "upgrade"],
    }[what]
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == content and victim.stat().st_mode == mode
    assert planted.is_symlink()
    assert tried[:2] == ["guessed1", "guessed2"]  # the planted name was met, and passed over
    FIGURES["planted symlinks never followed"] += 1


def _leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(f".*{TEMP_SUFFIX}"))


def _killed(args: list[str], env: dict, delay: float, watch: Path | None = None) -> None:
    """kill -9 after `delay` seconds; with `watch` (the target), as soon as its temporary file
    appears if that comes first (a whole export of a person's history can take less time)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "selftrack", *args], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None:
        if watch is not None and list(watch.parent.glob(f".{watch.name}*{TEMP_SUFFIX}")):
            break
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SELFTRACK_"))}
    return env | {"HOME": str(home)}


def _database_is_whole(path: Path, rows: int | None = None) -> None:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM ratings").fetchone()[0] == rows or rows is None


@pytest.mark.slow
def test_killed_exports_and_backups_leave_nothing_that_looks_finished(tmp_path, private_home):
    """kill -9 at random moments of an export and a backup: the target is either absent or
    whole (the export passes the format's checks, the backup SQLite's), and what is left is
    named `.*.selftrack-tmp`; `db check` reports it, `db check --fix` removes it."""
    rng = random.Random(13)
    db = private_home / "big.db"
    _demo(db, 600)
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM ratings").fetchone()[0]
    env = _env(private_home)
    finished = unfinished = 0
    for round_ in range(4):
        out = private_home / f"out{round_}.json"
        watch = round_ % 2 == 0  # the other rounds may finish
        _killed(["--db", str(db), "export", "--format", "json", "-o", str(out)], env, rng.uniform(0.3, 1.5),
                out if watch else None)  # fmt: skip
        copy = private_home / f"copy{round_}.db"
        _killed(["--db", str(db), "db", "backup", str(copy)], env, rng.uniform(0.2, 0.8), copy if watch else None)
        for target in (out, copy):
            if target.exists():
                finished += 1
                if target is out:
                    check_json(out)
                else:
                    _database_is_whole(copy, rows)
            else:
                unfinished += 1
        assert {p.name.split(".")[1] for p in _leftovers(private_home)} <= {f"out{n}" for n in range(4)} | {f"copy{n}" for n in range(4)}
    left = _leftovers(private_home)
    assert unfinished and left, "no kill landed while a file was being written"
    check = CliRunner().invoke(cli, ["--db", str(db), "db", "check"])
    assert check.exit_code == 1
    assert all(str(p) in check.stdout for p in left)
    fixed = CliRunner().invoke(cli, ["--db", str(db), "db", "check", "--fix"])
    assert fixed.exit_code == 0 and _leftovers(private_home) == []
    FIGURES["exports and backups killed mid-write, leftovers found and removed"] += unfinished
    print(f"{finished} finished, {unfinished} killed before finishing, {len(left)} leftovers")


@pytest.mark.slow
def test_a_killed_upgrade_or_import_leaves_no_half_backup_and_no_change(tmp_path, private_home):
    rng = random.Random(3)
    env = _env(private_home)
    for round_ in range(3):
        db = private_home / f"old{round_}.db"
        db.touch(mode=0o600)
        migrate(str(db), None, target="0001")
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE filler (x)")  # something sizeable to copy
            conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 20_000)
            conn.execute("DELETE FROM filler")
        _killed(["--db", str(db), "db", "upgrade"], env, rng.uniform(0.05, 0.6))
        for backup in private_home.glob(f"old{round_}.db.before-*.bak"):
            with sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            assert {"alembic_version", "sessions", "ratings"} <= tables, "a backup without tables"
    db = private_home / "shared.db"
    _demo(db, 3)
    before = sqlite3.connect(db).execute("SELECT count(*) FROM sessions").fetchone()[0]
    source = private_home / "source.db"
    _demo(source, 400)
    export = private_home / "source.json"
    assert CliRunner().invoke(cli, ["--db", str(source), "export", "--format", "json", "-o", str(export)]).exit_code == 0
    _killed(["--db", str(db), "--profile", "other", "import", str(export)], env, 1.0)
    after = sqlite3.connect(db).execute("SELECT count(*) FROM sessions").fetchone()[0]
    assert after in (before, before + check_json(export)[0])  # all or nothing
    fixed = CliRunner().invoke(cli, ["--db", str(db), "db", "check", "--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert not _leftovers(private_home)


def test_a_file_still_being_written_is_not_taken_for_a_leftover(tmp_path, private_home):
    db = private_home / "x.db"
    open_database(str(db)).close()
    handle, busy = private_temp(private_home, "x.db")  # held (and locked) by this process
    try:
        result = subprocess.run(
            [sys.executable, "-m", "selftrack", "--db", str(db), "db", "check", "--fix"],
            env=_env(private_home), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert busy.exists() and str(busy) not in result.stdout
    finally:
        os.close(handle)
    stale = CliRunner().invoke(cli, ["--db", str(db), "db", "check"])
    assert stale.exit_code == 1 and str(busy) in stale.stdout  # now no one holds it


def test_a_refused_import_leaves_no_staging_file(tmp_path, private_home):
    db = private_home / "x.db"
    _demo(db, 2)
    with pytest.raises(ImportRefused):
        from selftrack.tracker import Tracker

        with Tracker(str(db)) as tracker:
            tracker.import_file(DATA / "imports" / "bad" / "rated-in-2099.json")
    assert _leftovers(private_home) == []
