"""Health data stays private: every file selftrack writes is owner-only, even under umask 000,
and no code path reaches the network (the whole suite runs with sockets blocked)."""

from __future__ import annotations

import ast
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import selftrack
from netguard import NetworkBlocked
from selftrack.cli import cli
from selftrack.storage.engine import migrate, open_database, to_url
from selftrack.tracker import Tracker
from support import FIGURES, TEST_PROTOCOLS

SOURCE = Path(selftrack.__file__).parent


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The most careless umask a user could have: everything world-readable by default."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _assert_private(paths: list[Path]) -> None:
    assert paths
    for path in paths:
        expected = 0o700 if path.is_dir() else 0o600
        assert _mode(path) == expected, f"{path} is {oct(_mode(path))}"
        FIGURES["files and folders checked owner-only"] += 1


def test_everything_written_is_owner_only_under_umask_000(open_umask, private_home, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["demo", "--days", "3"]).exit_code == 0  # default location
    data = private_home / ".local" / "share" / "selftrack"
    database = data / "selftrack.db"
    with Tracker(None) as tracker:
        session = tracker.start_session("quick-check", "left")
        tracker.record_rating(session.id, 0, 3)
        companions = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)  # checked while the database is open
        _assert_private([data, database, *companions])
    backup = tmp_path / "copy.db"
    assert runner.invoke(cli, ["db", "backup", str(backup)]).exit_code == 0
    cache = list((private_home / ".cache" / "selftrack").iterdir())
    _assert_private([backup, private_home / ".cache" / "selftrack", *cache])
    # The README's "delete everything" recipe, rm "$(selftrack db path)"*, catches every file
    # in the data folder.
    assert all(p.name.startswith(database.name) for p in data.iterdir())
    assert [p.name for p in cache] == ["protocols.json"]


def test_automatic_backup_before_an_upgrade_is_owner_only(open_umask, tmp_path):
    path = tmp_path / "old.db"
    path.touch(mode=0o600)
    migrate(str(path), None, target="0001")
    os.chmod(path, 0o600)
    open_database(str(path)).close()
    (backup,) = tmp_path.glob("old.db.before-*.bak")
    _assert_private([path, backup])


def test_a_new_database_in_a_chosen_folder_is_owner_only(open_umask, tmp_path):
    path = tmp_path / "chosen.db"
    with Tracker(str(path), protocols_dir=TEST_PROTOCOLS) as tracker:
        tracker.start_session("test-mini", "left")
    _assert_private([path])


def test_the_network_guard_is_on(network_guard):
    """Proves the suite-wide guard works: any outside connection fails and is recorded."""
    attempts = len(network_guard.attempts)
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.org", 443)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with pytest.raises(NetworkBlocked):
        udp.sendto(b"x", ("192.0.2.1", 53))
    udp.close()
    assert len(network_guard.attempts) == attempts + 3
    del network_guard.attempts[attempts:]  # expected here; any other test recording one fails
    left, right = socket.socketpair()  # local (AF_UNIX) sockets stay usable
    left.close()
    right.close()


NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib", "ftplib", "smtplib", "poplib", "imaplib", "telnetlib",
    "xmlrpc", "socketserver", "asyncio.streams", "requests", "httpx", "aiohttp", "urllib3",
    "webbrowser",
}


def test_no_module_imports_a_network_library():
    found = []
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                if name in NETWORK_MODULES or name.split(".")[0] in NETWORK_MODULES:
                    found.append(f"{path.relative_to(SOURCE)}: {name}")
    assert found == []


def test_the_command_line_in_a_fresh_process_never_connects(tmp_path):
    """Real `selftrack` processes with the guard installed at start-up (sitecustomize)."""
    guard_dir = tmp_path / "site"
    guard_dir.mkdir()
    tests = Path(__file__).parents[1]
    (guard_dir / "sitecustomize.py").write_text(
        f"import sys\nsys.path.insert(0, {str(tests)!r})\n"
        "from netguard import NetworkGuard\n"
        "import atexit, os\n"
        "guard = NetworkGuard(set())\nguard.install()\n"
        "atexit.register(lambda: guard.attempts and os.write(2, b'NETWORK ATTEMPTED\\n'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(guard_dir), "HOME": str(tmp_path)}
    db = str(tmp_path / "x.db")
    for args in (["demo", "--days", "5"], ["protocols", "list"], ["profiles"], ["db", "check"]):
        done = subprocess.run(
            [sys.executable, "-m", "selftrack", "--db", db, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "NETWORK ATTEMPTED" not in done.stderr
        FIGURES["command-line processes run with the network blocked"] += 1
