"""How selftrack starts: the console script's entry point, `main`.

Opening the program is what a person does most and waits for, so it does not pass through the
command line's table of commands (selftrack.cli, built with click): importing click and
building that table took about 20 ms of the 250 to 350 ms before the first screen
(benchmarks/tui_startup.py, run by run against the code that went through click). `main` opens the program itself when the arguments are only the
global options that choose the database and the profile (`opening_options`); everything else,
a command, `--help`, `--version` or anything it does not recognise, goes to click unchanged,
which answers or refuses as it always has.

Nothing here imports click, Textual or the database layer until it is used.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from selftrack.options import Options, open_program
from selftrack.paths import DEFAULT_PROFILE, PROFILE_ENV, PROTOCOLS_ENV

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

DEBUG_ENV = "SELFTRACK_DEBUG"
OPENING_OPTIONS = {"--db": "db", "--profile": "profile"}  # what `opening_options` takes itself


def opening_options(args: Sequence[str], environ: Mapping[str, str]) -> Options | None:
    """The options of a bare `selftrack` that only opens the program, or None when `args`
    hold anything else for click to read.

    Taken here: `--db` and `--profile`, each at most once, as `--db PATH` or `--db=PATH`, with
    a value that does not look like an option. Anything more (a command, help, a repeated
    option, --protocols-dir, which click checks is not a file, from the command line or from
    SELFTRACK_PROTOCOLS_DIR) is click's, so that nothing is read two ways.
    """
    if environ.get(PROTOCOLS_ENV):
        return None
    given: dict[str, str] = {}
    rest = list(args)
    while rest:
        name, equals, value = rest.pop(0).partition("=")
        if name not in OPENING_OPTIONS or OPENING_OPTIONS[name] in given:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None
        given[OPENING_OPTIONS[name]] = value
    profile = given.get("profile") or environ.get(PROFILE_ENV) or DEFAULT_PROFILE
    return Options(given.get("db"), None, profile)


def main() -> None:
    """Console-script entry point: open the program, or run the command line.

    Every refusal is already a one-line message; anything else that escapes is a fault in
    selftrack, told in one line too (SELFTRACK_DEBUG=1 shows the traceback for a report).
    """
    try:
        options = opening_options(sys.argv[1:], os.environ)
        if options is None:
            from selftrack.cli import cli

            cli(prog_name="selftrack")  # click turns refusals into a line and an exit status
        else:
            try:
                open_program(options)
            except (KeyboardInterrupt, EOFError):
                print("Aborted!", file=sys.stderr)  # as click ends a command stopped by ctrl+c
                sys.exit(1)
            finally:
                options.close()
    except Exception as fault:
        if os.environ.get(DEBUG_ENV):
            raise
        from selftrack.domain.text import printable

        reason = printable(f"{type(fault).__name__}: {fault}".splitlines()[0])
        print(
            f"selftrack: internal error ({reason}); what was saved before is kept. "
            f"Please report it (run again with {DEBUG_ENV}=1 to see where it happened)",
            file=sys.stderr,
        )
        sys.exit(2)
