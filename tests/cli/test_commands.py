"""The command line: data on stdout, one-line reasons on stderr, exit codes."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from selftrack.cli import cli
from selftrack.tracker import Tracker
from support import DATA, TEST_PROTOCOLS


@pytest.fixture
def run(db_path):
    def invoke(*args: str, db: bool = True):
        prefix = ["--db", str(db_path)] if db else []
        return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


def test_protocols_list_text_and_json(run):
    text = run("protocols", "list")
    assert text.exit_code == 0
    assert "low-back-lines" in text.stdout and "quick-check" in text.stdout
    data = json.loads(run("protocols", "list", "--json").stdout)
    by_id = {p["id"]: p for p in data}
    assert by_id["low-back-lines"]["spots"] >= 25
    assert by_id["quick-check"]["minutes"] <= 5
    assert all(len(p["content_hash"]) == 16 for p in data)


def test_protocols_list_warns_about_bad_user_files_but_lists_the_rest(run, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "bad.protocol.toml").write_text('id = "x"\n')
    result = run("--protocols-dir", str(folder), "protocols", "list")
    assert result.exit_code == 0
    assert "glute-arcs" in result.stdout
    assert "bad.protocol.toml:1:" in result.stderr


def test_protocols_show_has_routes_spots_and_map(run):
    result = run("protocols", "show", "glute-arcs")
    assert result.exit_code == 0
    assert "Glute arcs" in result.stdout
    assert "sitting-bone" in result.stdout
    assert "Body map" in result.stdout
    assert any("\u2800" <= ch <= "\u28ff" for ch in result.stdout)  # braille outline


def test_protocols_show_unknown_is_one_line_exit_1(run):
    result = run("protocols", "show", "nope")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no protocol 'nope'" in result.stderr


def test_protocols_check(run):
    ok = run("protocols", "check", str(TEST_PROTOCOLS / "mini.protocol.toml"))
    assert ok.exit_code == 0
    bad = run("protocols", "check", str(DATA / "bad_protocols"))
    assert bad.exit_code == 1
    lines = bad.stderr.strip().splitlines()
    assert len(lines) >= 8
    assert all(":" in line for line in lines)


def test_db_path_default_and_override(run, private_home, db_path):
    assert run("db", "path").stdout.strip() == str(db_path)
    default = run("db", "path", db=False).stdout.strip()
    assert default.startswith(str(private_home)) and default.endswith("selftrack.db")


def test_db_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SELFTRACK_DB", str(tmp_path / "env.db"))
    result = CliRunner().invoke(cli, ["db", "path"])
    assert result.stdout.strip() == str(tmp_path / "env.db")


def test_db_check_backup_upgrade(run, tmp_path, db_path):
    assert run("demo", "--days", "5").exit_code == 0
    check = run("db", "check")
    assert check.exit_code == 0 and "integrity: ok" in check.stdout
    target = tmp_path / "copy.db"
    assert run("db", "backup", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] > 0
    again = run("db", "backup", str(target))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert "already up to date" in run("db", "upgrade").stderr


@pytest.mark.parametrize("command", [["db", "check"], ["db", "backup", "copy.db"], ["db", "upgrade"]])
def test_db_commands_never_create_a_missing_database(tmp_path, command):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "typo.db"
    if command[-1] == "copy.db":
        command = [*command[:-1], str(folder / "copy.db")]
    result = CliRunner().invoke(cli, ["--db", str(path), *command])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"selftrack: no database at {path}"
    assert sorted(folder.iterdir()) == []


def test_db_check_on_a_corrupt_file(run, db_path):
    run("demo", "--days", "3")
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db_path.stat().st_size
    assert size > 8 * 4096
    with open(db_path, "r+b") as handle:  # damage pages in the middle, keep the header
        handle.seek(size // 2)
        handle.write(b"\xff" * 8192)
    result = run("db", "check")
    assert result.exit_code == 1
    assert "selftrack:" in result.stderr


@pytest.mark.parametrize(
    "setup,message",
    [
        ("missing-folder", "does not exist"),
        ("not-a-database", "not a SQLite database"),
        ("newer", "newer selftrack"),
    ],
)
def test_bad_databases_give_one_line_and_exit_1(tmp_path, setup, message):
    if setup == "missing-folder":
        path = tmp_path / "nowhere" / "x.db"
    elif setup == "not-a-database":
        path = tmp_path / "x.db"
        path.write_text("hello")
    else:
        path = tmp_path / "x.db"
        Tracker(str(path), protocols_dir=TEST_PROTOCOLS).database.close()
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = path.read_bytes() if path.exists() else None
    command = ["demo", "--days", "1"] if setup == "missing-folder" else ["db", "check"]
    result = CliRunner().invoke(cli, ["--db", str(path), *command])
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (path.read_bytes() if path.exists() else None) == before
    assert not (tmp_path / "nowhere").exists()


def test_demo_refuses_real_sessions_unless_forced(run, db_path, clock):
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        session = tracker.start_session("test-mini", "left")
        tracker.record_rating(session.id, 0, 4)
    refused = run("demo", "--days", "3")
    assert refused.exit_code == 1 and "real session" in refused.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
    forced = run("demo", "--days", "3", "--force")
    assert forced.exit_code == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM sessions WHERE origin = 'demo'").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM ratings").fetchone()[0] > 1


def test_demo_is_realistic_and_repeatable(tmp_path):
    def build(name: str) -> list[tuple]:
        path = tmp_path / name
        assert CliRunner().invoke(cli, ["--db", str(path), "demo", "--days", "60", "--seed", "7"]).exit_code == 0
        with sqlite3.connect(path) as conn:
            return conn.execute(
                "SELECT s.protocol_id, r.spot_id, r.side, r.tenderness, r.skipped "
                "FROM ratings r JOIN sessions s ON s.id = r.session_id ORDER BY s.started_at, r.step_index"
            ).fetchall()

    first, second = build("a.db"), build("b.db")
    assert [row[1:] for row in first] == [row[1:] for row in second]
    protocols = {row[0] for row in first}
    assert {"low-back-lines", "glute-arcs", "quick-check"} <= protocols
    assert {row[2] for row in first} == {"left", "right"}
    assert any(row[4] for row in first)  # some skipped
    assert all((row[3] is None) == bool(row[4]) for row in first)
    values = [row[3] for row in first if row[3] is not None]
    assert 0 <= min(values) and max(values) <= 10 and len(set(values)) > 5


def test_bad_when_and_option_values(run):
    result = run("demo", "--days", "0")
    assert result.exit_code == 2 and "--days" in result.stderr


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "selftrack" in result.stdout


def test_demo_sessions_are_all_in_the_past(db_path, clock):
    with Tracker(str(db_path), clock=clock) as tracker:
        tracker.write_demo(days=3)
        sessions = tracker.sessions()
    assert sessions
    assert all(s.ended_at <= clock.now() for s in sessions)
