"""Shared fixtures: a private temporary data folder, a fixed clock, a tracker on each backend.

Modules marked `backends` run every test that uses `backend`, `database_url` or `tracker`
twice: on SQLite and on PostgreSQL (SELFTRACK_TEST_PG_URL; skipped with a reason when absent).
Network access is blocked for the whole run, except the PostgreSQL test server.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from selftrack.clock import Clock
from selftrack.tracker import Tracker

from netguard import NetworkGuard
from support import FIGURES, FIXED_NOW, TEST_PROTOCOLS, postgres_admin_url

_guard: NetworkGuard | None = None


def _allowed_endpoints() -> set[tuple[str, int]]:
    url = postgres_admin_url()
    if not url:
        return set()
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.host in (None, "", "localhost", "127.0.0.1", "::1"):
        port = parsed.port or 5432
        return {(parsed.host or "127.0.0.1", port), ("127.0.0.1", port), ("::1", port)}
    return set()  # never let the tests reach a server that is not on this machine


def pytest_configure(config: pytest.Config) -> None:
    global _guard
    _guard = NetworkGuard(_allowed_endpoints())
    _guard.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _guard is not None:
        _guard.uninstall()


@pytest.fixture
def network_guard() -> NetworkGuard:
    assert _guard is not None
    return _guard


@pytest.fixture(autouse=True)
def no_network_attempts():
    """Fail any test during which some code tried to reach the network (even if it was caught)."""
    assert _guard is not None
    before = len(_guard.attempts)
    yield
    tried = _guard.attempts[before:]
    del _guard.attempts[before:]
    FIGURES["tests run with the network blocked"] += 1
    assert not tried, f"network access attempted: {tried}"


def pytest_terminal_summary(terminalreporter) -> None:
    if FIGURES:
        terminalreporter.section("reliability figures")
        for name, value in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {value}")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize(
            "backend",
            ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
            indirect=True,
        )


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user folder and the database at a fresh temporary home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("TZ", "Europe/London")
    for name in ("SELFTRACK_DB", "SELFTRACK_PROTOCOLS_DIR", "SELFTRACK_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def clock() -> Clock:
    return Clock(fixed=FIXED_NOW, tz_name="Europe/London")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on: `sqlite` unless the module is marked `backends`."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server():
    """An engine on the PostgreSQL test server's admin database; skips when there is none."""
    url = postgres_admin_url()
    if not url:
        pytest.skip("no PostgreSQL server: set SELFTRACK_TEST_PG_URL (.ci/run starts one)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[postgres]')")
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        pytest.skip(f"PostgreSQL server at {url} is not reachable: {reason}")
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_postgres_url(postgres_server):
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    from sqlalchemy import text

    name = f"selftrack_test_{uuid.uuid4().hex[:16]}"
    with postgres_server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with postgres_server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def database_url(backend: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh database on the test's backend: a SQLite file path, or a PostgreSQL URL."""
    if backend == "postgres":
        return request.getfixturevalue("fresh_postgres_url")
    return str(db_path)


@pytest.fixture
def tracker(database_url: str, clock: Clock):
    with Tracker(database_url, protocols_dir=TEST_PROTOCOLS, clock=clock) as t:
        yield t
