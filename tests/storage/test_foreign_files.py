"""Files that are not selftrack's are never touched: every command, `db upgrade` included,
leaves their bytes (sha256) and the folder around them exactly as they were (attacks.md 3);
and `db check` only reads, even a selftrack database that is behind (attacks.md 11)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.storage.engine import APPLICATION_ID, HEAD_REVISION, DatabaseError, migrate, open_database
from support import DATA, FIGURES

VALID_IMPORT = DATA / "golden" / "export.json"


def _sqlite(path: Path, statements: list[str], *, wal: bool = False) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _other_program(path: Path) -> None:
    _sqlite(path, ["CREATE TABLE accounts (id INTEGER, owner TEXT)", "INSERT INTO accounts VALUES (1, 'x')"])


def _other_program_in_wal_mode(path: Path) -> None:
    _sqlite(path, ["CREATE TABLE t (x)", "INSERT INTO t VALUES (1)"], wal=True)


def _other_id_with_our_table_names(path: Path) -> None:
    _sqlite(path, ["PRAGMA application_id = 1234", "CREATE TABLE profiles (id INTEGER)",
                   "CREATE TABLE sessions (id TEXT)", "CREATE TABLE ratings (id INTEGER)",
                   "CREATE TABLE alembic_version (version_num TEXT)",
                   "INSERT INTO alembic_version VALUES ('0001')"])  # fmt: skip


def _other_alembic_program(path: Path) -> None:
    _sqlite(path, ["CREATE TABLE alembic_version (version_num TEXT)",
                   "INSERT INTO alembic_version VALUES ('ae1027a6acf')", "CREATE TABLE profiles (id INTEGER)"])  # fmt: skip


def _ours_with_a_table_more(path: Path) -> None:
    open_database(str(path)).close()
    _sqlite(path, ["PRAGMA application_id = 0", "CREATE TABLE their_notes (x)"])


def _text_file(path: Path) -> None:
    path.write_text("these are my notes, not a database\n" * 40)


FOREIGN = {
    "another program's SQLite file": _other_program,
    "another program's SQLite file in WAL mode": _other_program_in_wal_mode,
    "another application id, selftrack's table names": _other_id_with_our_table_names,
    "another Alembic program's file": _other_alembic_program,
    "selftrack's tables and one of someone else's": _ours_with_a_table_more,
    "a text file": _text_file,
}

COMMANDS = [
    ["history"],
    ["trend"],
    ["profiles"],
    ["export", "--format", "json"],
    ["export", "--format", "csv", "-o", "{out}/x.csv"],
    ["export", "--format", "pdf", "-o", "{out}/x.pdf"],
    ["import", str(VALID_IMPORT)],
    ["demo", "--days", "2"],
    ["demo", "--days", "2", "--force"],
    ["db", "check"],
    ["db", "check", "--fix"],
    ["db", "backup", "{out}/copy.db"],
    ["db", "upgrade"],
    ["db", "upgrade", "--no-backup"],
]


def _state(folder: Path) -> dict[str, str]:
    """Every file in the folder and the sha256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_no_command_changes_a_file_that_is_not_ours(kind, tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    path = folder / "their.db"
    FOREIGN[kind](path)
    before = _state(folder)
    for args in COMMANDS:
        args = [a.format(out=out) for a in args]
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("selftrack: ") and "refusing" in lines[0] or (
            "not a selftrack database" in lines[0] or "newer selftrack" in lines[0]
        ), (args, result.stderr)
        assert _state(folder) == before, f"{' '.join(args)} changed the folder of {kind}"
        FIGURES["commands run on files that are not selftrack's, bytes unchanged"] += 1
    assert list(out.iterdir()) == []


def test_the_core_never_opens_a_file_that_is_not_ours(tmp_path):
    folder = tmp_path / "theirs"
    folder.mkdir()
    for number, (kind, make) in enumerate(FOREIGN.items()):
        path = folder / f"{number}.db"
        make(path)
        before = _state(folder)
        with pytest.raises(DatabaseError):
            open_database(str(path))
        assert _state(folder) == before, kind


def test_db_check_only_reads_and_says_what_to_run(tmp_path):
    """A database a schema behind: `db check` reports it and the command to run, and changes
    not a byte (the automatic upgrade is for the commands that use the data)."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "old.db"
    path.touch(mode=0o600)
    migrate(str(path), None, target="0001")
    _sqlite(path, ["PRAGMA journal_mode = DELETE"])
    before = _state(folder)
    result = CliRunner().invoke(cli, ["--db", str(path), "db", "check"])
    assert result.exit_code == 1
    assert f"schema: 0001, behind this selftrack's {HEAD_REVISION}: run `selftrack db upgrade`" in result.stdout
    assert _state(folder) == before
    assert not list(folder.glob("*.bak"))
    upgraded = CliRunner().invoke(cli, ["--db", str(path), "db", "upgrade"])
    assert upgraded.exit_code == 0 and "backup at" in upgraded.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)


def test_db_check_on_a_current_database_leaves_its_bytes(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "current.db"
    open_database(str(path)).close()
    _sqlite(path, ["PRAGMA journal_mode = DELETE"])
    before = _state(folder)
    result = CliRunner().invoke(cli, ["--db", str(path), "db", "check"])
    assert result.exit_code == 0, result.output
    assert _state(folder) == before


SPECIAL = {
    "a pipe": lambda p: os.mkfifo(p),
    "a folder": lambda p: p.mkdir(),
    "a device": lambda p: p.symlink_to("/dev/zero"),
    "/dev/null": lambda p: p.symlink_to("/dev/null"),
}


WHERE = ("database", "import file", "protocol file", "protocol folder entry", "backup target")


def _special_args(where: str, special: Path, db: Path, folder: Path) -> list[str]:
    return {
        "database": ["--db", str(special), "history"],
        "import file": ["--db", str(db), "import", str(special)],
        "protocol file": ["--db", str(db), "protocols", "check", str(special)],
        "protocol folder entry": ["--db", str(db), "--protocols-dir", str(folder), "protocols", "list"],
        "backup target": ["--db", str(db), "db", "backup", str(special)],
    }[where]


def test_special_files_are_refused_in_one_line_at_once(tmp_path):
    """A pipe, a device or a folder where a regular file belongs is refused at once. Pipes
    used to hang every command, so those run as real processes, each of which must end
    within seconds; the rest run in this process."""
    db = tmp_path / "real.db"
    open_database(str(db)).close()
    for number, (kind, make) in enumerate(sorted(SPECIAL.items())):
        for where in WHERE:
            folder = tmp_path / f"case{number}-{where.replace(' ', '-')}"
            folder.mkdir()
            special = folder / ("thing.protocol.toml" if "protocol" in where else "thing")
            make(special)
            args = _special_args(where, special, db, folder)
            if kind == "a pipe":
                done = subprocess.run(
                    [sys.executable, "-m", "selftrack", *args], capture_output=True, text=True, timeout=30
                )
                code, err = done.returncode, done.stderr
            else:
                result = CliRunner().invoke(cli, args)
                assert result.exception is None or isinstance(result.exception, SystemExit), (kind, where)
                code, err = result.exit_code, result.stderr
            assert "Traceback" not in err and "internal error" not in err, (kind, where, err)
            problems = [line for line in err.splitlines() if "thing" in line]
            assert problems and all(len(line) < 300 for line in problems), (kind, where, err)
            if where != "protocol folder entry":
                assert code in (1, 2), (kind, where, err)  # 2: the option parser refused a folder
            FIGURES["special files refused at once"] += 1


def test_a_file_selftrack_made_before_it_set_its_id_is_still_ours_at_every_revision(tmp_path):
    """Files made by selftrack before it set an application id hold the tables of their
    revision, whichever migration made them: each is opened and upgraded, none taken for
    someone else's."""
    from selftrack.storage import models
    from selftrack.storage.engine import SELFTRACK_TABLES
    from selftrack.storage.migrations import KNOWN_REVISIONS

    assert SELFTRACK_TABLES == {*models.Base.metadata.tables, "alembic_version"}
    for revision in ("0001", "0004", "0005", "0006", "0007"):
        assert any(known.startswith(revision) for known in KNOWN_REVISIONS), revision
        path = tmp_path / f"{revision}.db"
        path.touch(mode=0o600)
        migrate(str(path), None, target=revision)
        _sqlite(path, ["PRAGMA application_id = 0"])  # as files made before the id was set
        database = open_database(str(path))  # a foreign file would be refused here
        database.close()
        if not HEAD_REVISION.startswith(revision):  # upgraded: and marked as ours on the way
            with sqlite3.connect(path) as conn:
                assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,), revision
