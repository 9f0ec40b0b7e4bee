"""PostgreSQL tells the truth about backups (attacks.md 11): an upgrade first dumps the
selftrack schema with pg_dump into a private file in the data folder and says where; without
pg_dump it refuses and changes nothing, unless `--no-backup`."""

from __future__ import annotations

import shutil
import stat
import subprocess

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.storage.backups import PG_DUMP_ENV, postgres_backup_folder
from selftrack.storage.engine import HEAD_REVISION, DatabaseError, migrate, open_database, read_revision

pytestmark = pytest.mark.postgres


def _old_database(url: str) -> None:
    migrate(url, None, target="0001")


def _revision(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def test_upgrade_dumps_the_schema_first_and_says_where(fresh_postgres_url, private_home):
    _old_database(fresh_postgres_url)
    if shutil.which("pg_dump") is None and not list(__import__("glob").glob("/usr/lib/postgresql/*/bin/pg_dump")):
        pytest.skip("pg_dump is not installed here")
    result = CliRunner().invoke(cli, ["--db", fresh_postgres_url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"upgraded schema 0001 -> {HEAD_REVISION}; backup at " in result.stderr
    (dump,) = postgres_backup_folder().iterdir()
    assert str(dump) in result.stderr
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700
    assert dump.read_bytes()[:5] == b"PGDMP"
    restore = shutil.which("pg_restore")
    if restore:
        listing = subprocess.run([restore, "--list", str(dump)], capture_output=True, text=True, check=True)
        assert "TABLE" in listing.stdout and "ratings" in listing.stdout
    assert _revision(fresh_postgres_url) == HEAD_REVISION
    assert not list(dump.parent.glob(".*.selftrack-tmp"))


def test_without_pg_dump_the_upgrade_is_refused_unless_no_backup(fresh_postgres_url, private_home, monkeypatch):
    _old_database(fresh_postgres_url)
    monkeypatch.setenv(PG_DUMP_ENV, "/nonexistent/pg_dump")
    refused = CliRunner().invoke(cli, ["--db", fresh_postgres_url, "db", "upgrade"])
    assert refused.exit_code == 1
    assert "pg_dump was not found" in refused.stderr and "--no-backup" in refused.stderr
    assert _revision(fresh_postgres_url) == "0001"
    # every other command meets the same refusal instead of upgrading without a backup
    history = CliRunner().invoke(cli, ["--db", fresh_postgres_url, "history"])
    assert history.exit_code == 1 and "pg_dump was not found" in history.stderr
    assert _revision(fresh_postgres_url) == "0001"
    done = CliRunner().invoke(cli, ["--db", fresh_postgres_url, "db", "upgrade", "--no-backup"])
    assert done.exit_code == 0, done.output
    assert "no backup was made" in done.stderr
    assert _revision(fresh_postgres_url) == HEAD_REVISION


def test_a_failing_pg_dump_changes_nothing(fresh_postgres_url, private_home, tmp_path, monkeypatch):
    _old_database(fresh_postgres_url)
    failing = tmp_path / "pg_dump"
    failing.write_text("#!/bin/sh\necho 'pg_dump: error: server version mismatch' >&2\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setenv(PG_DUMP_ENV, str(failing))
    with pytest.raises(DatabaseError, match="pg_dump failed \\(pg_dump: error: server version mismatch\\)"):
        open_database(fresh_postgres_url)
    assert _revision(fresh_postgres_url) == "0001"
    assert not postgres_backup_folder().exists() or not list(postgres_backup_folder().iterdir())


def test_a_new_database_needs_no_backup(fresh_postgres_url, private_home, monkeypatch):
    monkeypatch.setenv(PG_DUMP_ENV, "/nonexistent/pg_dump")
    database = open_database(fresh_postgres_url)
    assert read_revision(database) == HEAD_REVISION
    database.close()
