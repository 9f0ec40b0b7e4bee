"""Shared fixtures: a private temporary data folder, a fixed clock, a tracker."""

from __future__ import annotations

from pathlib import Path

import pytest

from selftrack.clock import Clock
from selftrack.tracker import Tracker

from support import FIXED_NOW, TEST_PROTOCOLS


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user folder and the database at a fresh temporary home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
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
def tracker(db_path: Path, clock: Clock):
    with Tracker(str(db_path), protocols_dir=TEST_PROTOCOLS, clock=clock) as t:
        yield t
