"""Backups that never look finished before they are: a SQLite copy, or a PostgreSQL `pg_dump`.

Each is written under an unpredictable temporary name (selftrack.paths.private_temp: owner-
only, O_EXCL, locked while written), checked, and only then linked to its name, which is
never an existing file. A backup interrupted at any moment leaves at most a `.*.selftrack-tmp`
leftover, which `selftrack db check` reports and `db check --fix` removes.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from selftrack.paths import make_private_dir, private_temp
from selftrack.storage.engine import (
    _SQLITE_TABLES,
    DatabaseError,
    _plain,
    read_only_connection,
    to_url,
)

PG_DUMP_ENV = "SELFTRACK_PG_DUMP"  # the pg_dump program to use, when not the one on PATH
PG_BACKUP_FOLDER = "postgresql-backups"  # inside the user data folder
_NEEDED_TABLES = frozenset({"alembic_version", "sessions", "ratings"})


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database to `target` (a new, owner-only file) with SQLite's backup API.

    The copy is written under a temporary name, checked (integrity and selftrack's tables),
    and only then given its name, so a backup that was interrupted never looks finished.
    """
    try:
        handle, partial = private_temp(target.parent, target.name)
    except OSError as exc:
        raise DatabaseError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        try:
            src = read_only_connection(source)
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                integrity = [row[0] for row in dst.execute("PRAGMA integrity_check")]
                tables = {row[0] for row in dst.execute(_SQLITE_TABLES)}
            finally:
                dst.close()
                src.close()
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot back up {source} to {target}: {_backup_reason(exc)}") from None
        if integrity != ["ok"] or not _NEEDED_TABLES <= tables:
            raise DatabaseError(f"the copy of {source} did not check out; no backup was made")
        _publish(partial, target)
    finally:
        os.close(handle)
        partial.unlink(missing_ok=True)


def _backup_reason(exc: sqlite3.Error) -> str:
    reason = _plain(exc)
    return "the disk is full; no backup was made" if "disk is full" in reason else reason


def _publish(partial: Path, target: Path) -> None:
    """Give the checked temporary file its name, never replacing an existing file."""
    try:
        _fsync(partial)
        try:
            os.link(partial, target)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
                raise
            # a file system without hard links: a rename, after looking (a small race only)
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "exists") from None
            os.rename(partial, target)
    except FileExistsError:
        raise DatabaseError(f"{target} already exists; choose a new file name") from None
    except OSError as exc:
        raise DatabaseError(f"cannot write {target}: {exc.strerror or exc}") from None


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# -- PostgreSQL ------------------------------------------------------------------------------


def find_pg_dump() -> str | None:
    """The pg_dump program: SELFTRACK_PG_DUMP, the one on PATH, or Debian's newest."""
    chosen = os.environ.get(PG_DUMP_ENV)
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    found = shutil.which("pg_dump")
    if found:
        return found
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_dump"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p)],
    )
    return versions[-1] if versions else None


def postgres_backup_folder() -> Path:
    """Where `pg_dump` backups go: a private folder in the user data folder."""
    from selftrack.paths import data_dir

    return data_dir() / PG_BACKUP_FOLDER


def backup_postgres(location: str, target_revision: str) -> Path:
    """Dump the selftrack schema of a PostgreSQL database with `pg_dump` (custom format) to a
    new owner-only file in `postgres_backup_folder()`; returns its path.

    Refuses, with what to do, when pg_dump is missing or fails: nothing is changed then.
    """
    program = find_pg_dump()
    if program is None:
        raise DatabaseError(
            "no backup could be made: pg_dump was not found (install the PostgreSQL client "
            f"tools, or set {PG_DUMP_ENV}); back the database up yourself, then run "
            "`selftrack db upgrade --no-backup`. Nothing was changed"
        )
    url = to_url(location)
    schema = _current_schema(url)
    folder = postgres_backup_folder()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{url.database or 'postgres'}-{schema}")
    target = folder / f"{name}-before-{target_revision}-{stamp}.dump"
    try:
        make_private_dir(folder)
        handle, partial = private_temp(folder, target.name)
    except OSError as exc:
        raise DatabaseError(f"cannot write a backup in {folder}: {exc.strerror or exc}") from None
    try:
        command = [program, "--format=custom", f"--schema={schema}", f"--file={partial}",
                   f"--dbname={_libpq_uri(url)}"]  # fmt: skip
        env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
        if url.password:
            env["PGPASSWORD"] = str(url.password)  # never on the command line (ps shows it)
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DatabaseError(f"no backup could be made: pg_dump did not run ({exc}); nothing was changed") from None
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            raise DatabaseError(
                f"no backup could be made: pg_dump failed ({reason}); nothing was changed "
                "(back the database up yourself, then run `selftrack db upgrade --no-backup`)"
            )
        with open(partial, "rb") as written:
            if written.read(5) != b"PGDMP":
                raise DatabaseError("no backup could be made: pg_dump wrote no dump; nothing was changed")
        _publish(partial, target)
    finally:
        os.close(handle)
        partial.unlink(missing_ok=True)
    return target


def _current_schema(url) -> str:
    from sqlalchemy import text

    from selftrack.storage.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT current_schema()")).scalar_one()
    except Exception as exc:
        raise DatabaseError(f"cannot open database for a backup: {_plain(exc)}") from None
    finally:
        engine.dispose()


def _libpq_uri(url) -> str:
    """The URL as libpq reads it, without the driver name and without the password."""
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False)
