"""No traceback, ever: each input of the attack run (attacks.md 10, 11) ends in one line
naming what is wrong, and exit status 1. Run through the command line as a person would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.storage.engine import open_database
from support import FIGURES, TEST_PROTOCOLS

CASES = {
    "a URL of no known kind": (["--db", "foo://x", "history"], "not 'foo'"),
    "a web address": (["--db", "http://example.org/x", "history"], "not 'http'"),
    "a MySQL URL": (["--db", "mysql://user@host/db", "history"], "not 'mysql'"),
    "an in-memory SQLite URL": (["--db", "sqlite://", "history"], "in-memory SQLite database would keep nothing"),
    "/dev/null as the database": (["--db", "/dev/null", "history"], "not a regular file"),
    "an age of a million years": (["history", "--from", "1000000y"], "too far back"),
    "an age beyond any integer": (["history", "--from", "99999999999999999999d"], "too far back"),
    "a date in year 1": (["trend", "--to", "0001-01-01"], "give a date from 1900 to 2199"),
    "a date in year 9999": (["export", "--format", "csv", "--from", "9999-12-31"], "give a date from 1900 to 2199"),
    "a date that is no date": (["history", "--from", "2026-02-30"], "cannot read '2026-02-30' as a date"),
    "a profile name with an escape": (["--profile", "\x1b]0;x\x07", "history"], "control characters"),
    "an unknown routine": (["session", "no-such-routine"], "no protocol 'no-such-routine'"),
    "an export to a missing folder": (["export", "--format", "json", "-o", "/nonexistent/x.json"], "does not exist"),
    "a backup over an existing file": (["db", "backup", "{db}"], "already exists"),
}


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "x.db"
    open_database(str(path)).close()
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_attack_inputs_end_in_one_line(case, db):
    args, words = CASES[case]
    args = [a.format(db=db) for a in args]
    result = CliRunner().invoke(cli, ["--db", str(db), "--protocols-dir", str(TEST_PROTOCOLS), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("selftrack: "), result.stderr
    assert words in lines[0] and "\x1b" not in lines[0]
    FIGURES["attack inputs answered in one line"] += 1


def test_an_unreadable_database_is_one_line(db, monkeypatch):
    """Root reads any file, so the permission answer is simulated (as in tests/storage)."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == db and mode == os.R_OK else real_access(p, mode))
    result = CliRunner().invoke(cli, ["--db", str(db), "history"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.strip() == f"selftrack: cannot read database {db}: permission denied"


def test_demo_twice_adds_nothing_the_second_time(db):
    first = CliRunner().invoke(cli, ["--db", str(db), "demo", "--days", "20"])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(cli, ["--db", str(db), "demo", "--days", "20"])
    assert second.exit_code == 1 and second.exception is None or isinstance(second.exception, SystemExit)
    assert "is in this database already" in second.stderr and "nothing was added" in second.stderr
    other = CliRunner().invoke(cli, ["--db", str(db), "demo", "--days", "20", "--seed", "2", "--force"])
    assert other.exit_code == 0, other.output


def test_a_protocol_version_beyond_the_bound_is_refused_by_the_loader(tmp_path, db):
    folder = tmp_path / "mine"
    folder.mkdir()
    text = (TEST_PROTOCOLS / "mini.protocol.toml").read_text()
    path = folder / "huge.protocol.toml"
    path.write_text(text.replace('"test-mini"', '"huge"').replace("version = 1", "version = 99999999999999999999999"))
    run = lambda *args: CliRunner().invoke(cli, ["--db", str(db), "--protocols-dir", str(folder), *args])  # noqa: E731
    checked = run("protocols", "check", str(path))
    assert checked.exit_code == 1 and f"{path}:3: version: Input should be less than or equal to 1000000" in checked.stderr
    listed = run("protocols", "list")
    assert listed.exit_code == 0 and "huge" not in listed.stdout and "version" in listed.stderr
    started = run("session", "huge")
    assert started.exit_code == 1 and "no protocol 'huge'" in started.stderr


def test_an_internal_fault_is_one_line_too(db, monkeypatch, capsys):
    """Whatever escapes the refusals (a fault in selftrack) ends in one line, not a traceback;
    SELFTRACK_DEBUG=1 shows it."""
    import selftrack.launch as command_line
    from selftrack.tracker import Tracker

    monkeypatch.setattr(Tracker, "profiles", lambda self: 1 / 0)
    monkeypatch.setattr("sys.argv", ["selftrack", "--db", str(db), "profiles"])
    with pytest.raises(SystemExit) as ended:
        command_line.main()
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("selftrack: internal error (ZeroDivisionError")
    monkeypatch.setenv("SELFTRACK_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        command_line.main()


def test_sessions_dated_outside_the_real_world_no_longer_stop_history_and_trend(db):
    """attacks.md 5: an old import let in sessions of year 9999 and 0001, after which history
    and trend crashed. Imports refuse them now; one already stored is left off the charts and
    `db check` names it."""
    import sqlite3

    assert CliRunner().invoke(cli, ["--db", str(db), "demo", "--days", "10"]).exit_code == 0
    with sqlite3.connect(db) as conn:
        first, second = [row[0] for row in conn.execute("SELECT id FROM sessions LIMIT 2")]
        for session_id, moment in ((first, "9999-12-31 23:00:00.000000"), (second, "0001-01-01 00:30:00.000000")):
            conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (moment, session_id))
            conn.execute("UPDATE ratings SET started_at = ? WHERE session_id = ?", (moment, session_id))
    for args in (["history"], ["trend"], ["trend", "pain"]):
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0 and result.exception is None, (args, result.output)
    check = CliRunner().invoke(cli, ["--db", str(db), "db", "check"])
    assert check.exit_code == 1 and "dates: 2 session(s) dated outside 1900-2199" in check.stdout
