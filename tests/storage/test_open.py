"""Opening databases: bad locations, newer schemas, upgrades that keep every row, privacy."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from selftrack.storage.engine import (
    APPLICATION_ID,
    HEAD_REVISION,
    DatabaseError,
    make_engine,
    migrate,
    open_database,
    read_revision,
    to_url,
)
from selftrack.tracker import Tracker
from support import TEST_PROTOCOLS

pytestmark = pytest.mark.backends

needs_permissions = pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root ignores file permissions (the *_as_root tests cover these cases)",
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_is_private_and_at_head(tmp_path):
    path = tmp_path / "new.db"
    database = open_database(str(path))
    assert read_revision(database) == HEAD_REVISION
    with database.writing() as db:
        db.execute("CREATE TABLE scratch (x)")  # force the WAL files into being
    assert _mode(path) == 0o600
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            assert _mode(companion) == 0o600
    with database.reading() as conn:
        assert conn.scalar("PRAGMA journal_mode") == "wal"
        assert conn.scalar("PRAGMA synchronous") == 2  # FULL
        assert conn.scalar("PRAGMA foreign_keys") == 1
        assert conn.scalar("PRAGMA busy_timeout") >= 5000
        assert conn.scalar("PRAGMA application_id") == APPLICATION_ID
    database.close()


def test_default_location_folders_are_created_private(private_home):
    with Tracker(None, protocols_dir=TEST_PROTOCOLS) as tracker:
        tracker.start_session("test-mini", "left")
        path = Path(tracker.database.path)
    assert path.is_relative_to(private_home)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_missing_folder_is_refused_and_nothing_created(tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "x.db"
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(str(target))
    assert not (tmp_path / "no").exists()


def test_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        open_database(str(path))
    assert path.read_bytes() == before
    assert not path.with_name("notes.db-wal").exists()


# Files of other programs: tests/storage/test_foreign_files.py (every command, bytes compared).


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.db"
    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer selftrack"):
        open_database(str(path))
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.bak")) == []


@needs_permissions
def test_read_only_database_is_refused(tmp_path):
    path = tmp_path / "ro.db"
    open_database(str(path)).close()
    path.chmod(0o400)
    with pytest.raises(DatabaseError, match="read-only"):
        open_database(str(path))


@needs_permissions
def test_unwritable_folder_is_refused(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    with pytest.raises(DatabaseError, match="not writable"):
        open_database(str(folder / "x.db"))


def _deny_writes(monkeypatch, denied: Path) -> None:
    """Root may write anywhere, so make the write-access check answer no for `denied`."""
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if Path(p) == denied and mode == os.W_OK else real_access(p, mode),
    )


def test_read_only_database_is_refused_as_root(tmp_path, monkeypatch):
    path = tmp_path / "ro.db"
    open_database(str(path)).close()
    before = path.read_bytes()
    _deny_writes(monkeypatch, path)
    with pytest.raises(DatabaseError, match="read-only"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_unwritable_folder_is_refused_as_root(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    _deny_writes(monkeypatch, folder)
    with pytest.raises(DatabaseError, match="not writable"):
        open_database(str(folder / "x.db"))
    assert list(folder.iterdir()) == []


def test_upgrade_from_older_schema_keeps_every_row_and_makes_a_backup(tmp_path, clock):
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    migrate(str(path), None, target="0001")
    engine = make_engine(to_url(str(path)))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO profiles (id, name, display_name, created_at) VALUES (1, 'default', '', '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO spot_definitions VALUES (1, 's', 'd1', 'S', 'buttock', 'back', 0.1, 0.5, '{}')"))
        for n in range(3):
            conn.execute(
                text(
                    "INSERT INTO sessions (id, profile_id, protocol_id, protocol_version, protocol_hash, "
                    "protocol_name, sides, tool, notes, started_at, status, plan, origin) VALUES "
                    f"('s{n}', 1, 'p', 1, 'h', 'P', 'left', '', '', '2026-01-0{n + 1} 10:00:00', 'finished', '{{}}', 'app')"
                )
            )
            for step in range(4):
                conn.execute(
                    text(
                        "INSERT INTO ratings (session_id, step_index, route_id, spot_id, spot_def_id, side, "
                        "tenderness, skipped, recognised, referred, referred_to, nerve, note, rated_at) VALUES "
                        f"('s{n}', {step}, 'r', 's', 1, 'left', {step}, 0, 0, 0, '', 0, '', '2026-01-0{n + 1} 10:0{step}:00')"
                    )
                )
    engine.dispose()
    database = open_database(str(path))
    with database.reading() as conn:
        assert conn.scalar("SELECT count(*) FROM sessions") == 3
        assert conn.scalar("SELECT count(*) FROM ratings") == 12
        assert conn.rows("PRAGMA foreign_key_check") == []
        assert conn.scalar("PRAGMA integrity_check") == "ok"
        # the totals and the copied session fields are filled in from the old rows
        assert conn.rows("SELECT rated, skipped, tenderness_sum, tenderness_max FROM sessions") == [(4, 0, 6, 3)] * 3
        assert conn.scalar("SELECT count(*) FROM ratings r JOIN sessions s ON s.id = r.session_id "
                           "WHERE r.profile_id = s.profile_id AND r.started_at = s.started_at") == 12
    assert read_revision(database) == HEAD_REVISION
    database.close()
    (backup,) = tmp_path.glob("old.db.before-*.bak")
    assert _mode(backup) == 0o600
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM ratings").fetchone() == (12,)


def test_models_match_the_migrations(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from selftrack.storage.models import Base

    open_database(database_url).close()
    engine = make_engine(to_url(database_url))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_the_head_revision_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from selftrack.storage.engine import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_check_constraints_are_enforced(tracker):
    session = tracker.start_session("test-mini", "left")
    with pytest.raises(Exception, match="(?i)check"):
        with tracker.database.writing() as db:
            db.execute("UPDATE sessions SET pain_before = 11 WHERE id = :id", {"id": session.id})
    assert tracker.session(session.id).pain_before is None


def test_checking_a_file_this_process_has_open_keeps_its_locks(tmp_path):
    """Closing any descriptor of a SQLite file drops the process's POSIX locks on it. The
    file check reads the header through a descriptor of its own, so it must leave alone a
    file this process is connected to: else another process, closing, takes itself for the
    last one and folds away the write-ahead log a connection here still uses."""
    from selftrack.storage.engine import check_selftrack_file, open_database

    db = tmp_path / "x.db"
    database = open_database(str(db))
    try:
        with database.reading() as conn:  # a connection here, idle in the pool afterwards
            conn.scalar("SELECT count(*) FROM sessions")
        check_selftrack_file(db)
        other = (
            "import sqlite3, sys\n"
            "raw = sqlite3.connect(sys.argv[1])\n"
            "raw.execute('PRAGMA journal_mode = WAL')\n"
            "raw.execute('CREATE TABLE IF NOT EXISTS scratch (x)')\n"
            "raw.commit()\n"
            "raw.close()\n"
        )
        subprocess.run([sys.executable, "-c", other, str(db)], check=True, timeout=60)
        assert Path(f"{db}-wal").exists(), "the other process took itself for the last one"
    finally:
        database.close()
    check_selftrack_file(db)  # closed: read and checked again
