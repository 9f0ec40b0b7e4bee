"""The global options (--db, --protocols-dir, --profile), the Tracker they make, and how the
program is opened over them: once, for both ways in (selftrack.launch for a bare `selftrack`,
selftrack.cli for the rest). Nothing here imports click, Textual or the database layer until it
is used.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selftrack.tracker import Tracker


class Options:
    """The global options (--db, --protocols-dir, --profile) and the Tracker they make,
    built when first used."""

    def __init__(self, db: str | None, protocols_dir: str | None, profile: str) -> None:
        self.db = db
        self.protocols_dir = protocols_dir
        self.profile = profile
        self._tracker: Tracker | None = None

    @property
    def tracker(self) -> Tracker:
        if self._tracker is None:
            from selftrack.tracker import Tracker

            self._tracker = Tracker(self.db, protocols_dir=self.protocols_dir, profile=self.profile)
        return self._tracker

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()


def open_program(options: Options, **start) -> None:
    """Open the terminal program over `options`; a non-zero exit status ends the process.

    `start` (protocol, side) opens it at the start of a session. The home screen's figures are
    read by a child process meanwhile (selftrack.tui.prefetch).
    """
    from selftrack.tui import prefetch

    command = command_name()
    figures = prefetch.start(
        options.db, protocols_dir=options.protocols_dir, profile=options.profile, command=command
    )
    from selftrack.tui.app import run_app

    code = run_app(lambda: options.tracker, command=command, prefetch=figures, **start)
    if code:
        sys.exit(code)


def command_name() -> str:
    """How this person runs selftrack, for the examples the program shows: `selftrack` when
    that name on the PATH is this program, else the path it was started by (e.g.
    `.venv/bin/selftrack` after the README's install)."""
    import shlex
    import shutil

    started = sys.argv[0] if sys.argv else ""
    if os.path.basename(started) != "selftrack":
        return "selftrack" if not started.endswith("__main__.py") else f"{shlex.quote(sys.executable)} -m selftrack"
    found = shutil.which("selftrack")
    try:
        if found and os.path.samefile(found, started):
            return "selftrack"
    except OSError:
        pass
    return shlex.quote(started)
