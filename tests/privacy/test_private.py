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

import selftrack
from netguard import NetworkBlocked
from selftrack.storage.engine import migrate, open_database
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


def _every_path_below(top: Path) -> list[Path]:
    found = []
    for folder, folders, files in os.walk(top):
        found += [Path(folder) / name for name in folders + files]
    return found


SCRIPTED_RUN = """
import sys
from selftrack import safety
from selftrack.clock import Clock
from selftrack.tracker import Tracker

safety.acknowledge(Clock().now())  # what the terminal program writes after the safety note
with Tracker(None) as tracker:
    session = tracker.start_session("quick-check", "left")
    tracker.record_rating(session.id, 0, 3)
    database = tracker.database.path
    companions = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
    print(" ".join(oct(p.stat().st_mode & 0o777) for p in companions if p.exists()))
"""


@pytest.mark.parametrize("xdg", ["plain HOME", "XDG folders inside HOME"])
def test_everything_written_is_owner_only_under_umask_000(xdg, tmp_path):
    """Real processes under umask 000 in an empty home: every folder selftrack creates, parents
    included (~/.local, ~/.local/share, ~/.cache, ~/.config), and every file is owner-only
    (attacks.md 8). The whole home is walked: nothing in it was there before."""
    home = tmp_path / "h"
    home.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SELFTRACK_"))}
    env["HOME"] = str(home)
    if xdg != "plain HOME":
        env |= {"XDG_DATA_HOME": str(home / "d" / "share"), "XDG_CACHE_HOME": str(home / "c" / "cache"),
                "XDG_CONFIG_HOME": str(home / "k" / "config")}  # fmt: skip

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120,
            preexec_fn=lambda: os.umask(0),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("-m", "selftrack", "demo", "--days", "3")
    open_companions = run("-c", SCRIPTED_RUN).split()
    run("-m", "selftrack", "protocols", "list")
    run("-m", "selftrack", "export", "--format", "json", "-o", str(home / "export.json"))
    run("-m", "selftrack", "db", "backup", str(home / "copy.db"))
    created = _every_path_below(home)
    assert len([p for p in created if p.is_dir()]) >= 5
    assert open_companions == ["0o600", "0o600"]  # -wal and -shm, looked at while open
    for path in created:
        expected = 0o700 if path.is_dir() else 0o600
        assert _mode(path) == expected, f"{path.relative_to(home)} is {oct(_mode(path))}"
        FIGURES["files and folders checked owner-only"] += 1
    data = Path(run("-m", "selftrack", "db", "path").strip()).parent
    # The README's "delete everything" recipe: rm "$(selftrack db path)"* catches every file
    # in the data folder, and nothing is left behind by these runs (no .*.selftrack-tmp)
    database = data / "selftrack.db"
    assert all(p.name.startswith(database.name) for p in data.iterdir())
    assert not [p for p in created if p.name.endswith(".selftrack-tmp")]


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
    """Real `selftrack` processes with the guard installed at start-up (sitecustomize).

    Each process leaves a mark once the guard is in place, so a run whose guard did not load
    cannot pass unnoticed; and a process that does try to connect is caught the same way.
    """
    guard_dir = tmp_path / "site"
    guard_dir.mkdir()
    marks = tmp_path / "marks"
    marks.mkdir()
    tests = Path(__file__).parents[1]
    (guard_dir / "sitecustomize.py").write_text(
        f"import sys\nsys.path.insert(0, {str(tests)!r})\n"
        "from netguard import NetworkGuard\n"
        "import atexit, os\n"
        "guard = NetworkGuard(set())\nguard.install()\n"
        f"open(os.path.join({str(marks)!r}, str(os.getpid())), 'w').close()\n"
        "atexit.register(lambda: guard.attempts and os.write(2, b'NETWORK ATTEMPTED\\n'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(guard_dir), "HOME": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120)

    trying = run("-c", "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
                       "except Exception:\n    pass\n")  # fmt: skip
    assert "NETWORK ATTEMPTED" in trying.stderr, "the guard did not catch a connection in a fresh process"
    assert len(list(marks.iterdir())) == 1
    db = str(tmp_path / "x.db")
    commands = (["demo", "--days", "5"], ["protocols", "list"], ["profiles"], ["db", "check"],
                ["export", "--format", "fhir"], ["history"], ["trend"])  # fmt: skip
    for number, args in enumerate(commands, start=2):
        done = run("-m", "selftrack", "--db", db, *args)
        assert done.returncode == 0, done.stderr
        assert "NETWORK ATTEMPTED" not in done.stderr
        assert len(list(marks.iterdir())) == number, f"the guard was not installed for {args}"
        FIGURES["command-line processes run with the network blocked"] += 1
