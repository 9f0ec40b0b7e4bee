"""Compile selftrack's modules to bytecode before timing, as an installed copy has them.

`pip install .` (the README's first line) writes bytecode for every module. An editable
install in an environment with PYTHONDONTWRITEBYTECODE set (as on the machines these figures
come from) has none, so each timed process would compile every module it imports first: some
30 ms that no user pays. compileall writes the files whatever that variable says.
"""

from __future__ import annotations

import compileall
from pathlib import Path

import selftrack


def compile_like_an_install() -> None:
    folder = Path(selftrack.__file__).parent
    if not compileall.compile_dir(folder, quiet=1):
        raise SystemExit(f"could not compile {folder}")
    print(f"(timing with bytecode compiled, as `pip install .` leaves it: {folder})")
