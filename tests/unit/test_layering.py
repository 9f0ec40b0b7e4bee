"""Start-up hygiene: the CLI's help and data commands, and every core module, never load Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import selftrack
from selftrack.tracker import Tracker

CORE_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(selftrack.__path__, "selftrack.")
    if ".tui" not in m.name and not m.name.endswith("__main__") and ".migrations" not in m.name
)


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return set(out.split())


def test_there_are_core_modules():
    assert "selftrack.tracker" in CORE_MODULES and "selftrack.cli" in CORE_MODULES


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    loaded = _loaded_after(f"import {module}")
    assert "textual" not in loaded


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["protocols", "list"],
        ["protocols", "show", "quick-check"],
        ["db", "path"],
        ["db", "check"],
        ["demo", "--days", "2"],
        ["history"],
        ["trend"],
        ["export", "--format", "csv"],
        ["profiles"],
    ],
)
def test_commands_do_not_import_textual(args, tmp_path):
    db = tmp_path / "x.db"
    Tracker(str(db)).database.close()  # `db check` looks at an existing database only
    code = (
        "import sys\n"
        "from selftrack.cli import cli\n"
        f"try:\n    cli({['--db', str(db), *args]!r}, prog_name='selftrack')\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
    )
    loaded = _loaded_after(code)
    assert "textual" not in loaded


def test_help_does_not_import_the_database_layer():
    loaded = _loaded_after(
        "from selftrack.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='selftrack')\nexcept SystemExit:\n    pass\n"
    )
    assert not {"sqlalchemy", "pydantic", "textual", "pendulum"} & loaded


def test_importing_the_package_does_nothing():
    loaded = _loaded_after("import selftrack")
    assert not {"sqlalchemy", "textual", "click", "platformdirs"} & loaded


def _two_sessions(tmp_path, clock):
    """A SQLite file holding two finished sessions of the test routine, a day apart."""
    from history_support import add_session, at
    from support import TEST_PROTOCOLS

    db = tmp_path / "x.db"
    with Tracker(str(db), protocols_dir=TEST_PROTOCOLS, clock=clock) as tracker:
        add_session(tracker, at(2), [3, 4, 2, 5, 6, 7], pain_before=5, pain_after=3)
        add_session(tracker, at(1), [2, 3, 2, 4, 5, 6], pain_before=4, pain_after=2)
    return db


@pytest.mark.parametrize("args", [["history"], ["trend"], ["trend", "test-dimple-spot:left"]])
def test_history_and_trends_of_a_sqlite_file_read_it_without_the_heavy_layers(args, tmp_path, clock):
    """On a SQLite file at the current schema these commands need neither SQLAlchemy, the
    protocol files (pydantic), pendulum nor the routines' model (selftrack.domain.model)."""
    db = _two_sessions(tmp_path, clock)
    code = (
        "from selftrack.cli import cli\n"
        f"try:\n    cli({['--db', str(db), *args]!r}, prog_name='selftrack')\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
    )
    loaded = _loaded_after(code)
    assert "selftrack.storage.history" in loaded
    heavy = {"sqlalchemy", "pydantic", "pendulum", "textual", "selftrack.domain.model"}
    assert not heavy & loaded


def test_the_home_screens_figures_are_read_and_drawn_without_textual(tmp_path, clock):
    """What the prefetch child does (selftrack.tui.prefetch) while the program imports
    Textual: if it loaded Textual itself, the figures would come after the first frame."""
    from support import TEST_PROTOCOLS

    db = _two_sessions(tmp_path, clock)
    code = (
        "import pickle\n"
        "from selftrack.tracker import Tracker\n"
        "from selftrack.tui import prefetch\n"
        "from selftrack.tui.home_view import load_home\n"
        f"with Tracker({str(db)!r}, protocols_dir={str(TEST_PROTOCOLS)!r}) as tracker:\n"
        "    data = load_home(tracker)\n"
        "assert data.view.figures is not None\n"
        "pickle.dumps((data.view, data))\n"
    )
    loaded = _loaded_after(code)
    assert "selftrack.tui.home_view" in loaded and "selftrack.tui.prefetch" in loaded
    assert "textual" not in loaded
