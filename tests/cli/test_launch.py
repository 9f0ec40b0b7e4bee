"""Opening the program without the command line's table (selftrack.launch): the options it
takes itself mean what click would make of them, everything else goes to click, and a bare
`selftrack` never imports click."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from selftrack.cli import cli
from selftrack.launch import opening_options

OPENED = [
    [],
    ["--db", "/tmp/x.db"],
    ["--db=/tmp/x.db"],
    ["--db=a=b.db"],
    ["--profile", "mum"],
    ["--profile=mum", "--db", "postgresql+psycopg://me@localhost/selftrack"],
    ["--db", "x.db", "--profile", "Ana María"],
]
FOR_CLICK = [
    ["history"],
    ["--db", "x.db", "history"],
    ["--db", "x.db", "session"],
    ["--help"],
    ["-h"],
    ["--version"],
    ["--db"],  # a missing value: click says so
    ["--db="],
    ["--db", "--profile", "mum"],  # click would take "--profile" as the file's name
    ["--db", "a.db", "--db", "b.db"],
    ["--profile", "-x"],
    ["--protocols-dir", "/tmp"],
    ["--dbx", "a"],
    ["--", "--db", "a"],
    ["x.db"],
]


@pytest.mark.parametrize("args", OPENED)
@pytest.mark.parametrize("profile_env", [None, "dad"])
def test_the_options_it_takes_mean_what_click_makes_of_them(args, profile_env, monkeypatch):
    for name in ("SELFTRACK_DB", "SELFTRACK_PROFILE", "SELFTRACK_PROTOCOLS_DIR"):
        monkeypatch.delenv(name, raising=False)
    if profile_env:
        monkeypatch.setenv("SELFTRACK_PROFILE", profile_env)
    options = opening_options(args, os.environ)
    assert options is not None
    with cli.make_context("selftrack", list(args)) as ctx:
        assert (options.db, options.protocols_dir, options.profile) == (
            ctx.params["db"], ctx.params["protocols_dir"], ctx.params["profile"],
        )


@pytest.mark.parametrize("args", FOR_CLICK)
def test_anything_else_goes_to_click(args):
    assert opening_options(args, {}) is None


def test_a_protocols_folder_from_the_environment_goes_to_click():
    """click checks that --protocols-dir is no file, from the command line or the environment."""
    assert opening_options([], {"SELFTRACK_PROTOCOLS_DIR": "/tmp"}) is None
    assert opening_options([], {"SELFTRACK_PROTOCOLS_DIR": ""}) is not None


def _main(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    """selftrack.launch.main with `args`, the program's opening replaced by a line naming its
    options and whether click was imported."""
    code = (
        "import sys\n"
        "import selftrack.launch as launch\n"
        "def opened(options, **start):\n"
        "    print('opened', options.db, options.profile, 'click' in sys.modules)\n"
        "launch.open_program = opened\n"
        f"sys.argv = ['selftrack', *{args!r}]\n"
        "launch.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELFTRACK_")}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path
    )


def test_a_bare_selftrack_opens_the_program_without_importing_click(tmp_path):
    db = tmp_path / "x.db"
    ran = _main(["--db", str(db), "--profile", "mum"], tmp_path)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, f"opened {db} mum False\n", "")
    assert not db.exists()  # opening is the program's; nothing was read on the way


def test_a_command_still_goes_through_click(tmp_path):
    db = tmp_path / "x.db"
    ran = _main(["--db", str(db), "db", "path"], tmp_path)
    assert ran.returncode == 0 and "opened" not in ran.stdout
    assert ran.stdout.strip() == str(db)
    refused = _main(["--db"], tmp_path)
    assert refused.returncode == 2 and "Option '--db' requires an argument" in refused.stderr


@pytest.mark.parametrize(
    "fault, status, said",
    [
        ("RuntimeError('boom\\nsecond line')", 2, "selftrack: internal error (RuntimeError: boom)"),
        ("KeyboardInterrupt()", 1, "Aborted!"),  # ctrl+c before the program has the terminal
    ],
)
def test_a_fault_while_opening_is_one_line(fault, status, said, tmp_path):
    code = (
        "import sys\n"
        "import selftrack.launch as launch\n"
        "def opened(options, **start):\n"
        f"    raise {fault}\n"
        "launch.open_program = opened\n"
        "sys.argv = ['selftrack']\n"
        "launch.main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELFTRACK_")}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert ran.returncode == status
    assert ran.stderr.count("\n") == 1 and ran.stderr.startswith(said)
