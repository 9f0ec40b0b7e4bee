"""A ten-year sample database shared by the history benchmarks (built once, then reused).

It is the heavy history of `_demo.busy_demo` (~12,600 sessions), not `selftrack demo`'s
person of about one session a day, so the figures stay comparable with earlier runs.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

DAYS = 3650
FOLDER = Path(os.environ.get("SELFTRACK_BENCH_DIR", Path(tempfile.gettempdir()) / "selftrack-bench"))


def ten_year_db() -> Path:
    """The path of a ten-year heavy sample database (`_demo.busy_demo`) at the current schema."""
    from _demo import busy_demo

    FOLDER.mkdir(mode=0o700, exist_ok=True)
    path = FOLDER / f"busy-demo-{DAYS}.db"
    if not path.exists():
        for stale in FOLDER.glob(f"busy-demo-{DAYS}.db*"):
            stale.unlink()
        busy_demo(path, DAYS, quiet=False)
    # bring an older benchmark database up to the current schema (no-op when it is)
    subprocess.run(
        [sys.executable, "-m", "selftrack", "--db", str(path), "db", "upgrade"],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return path


def counts(path: Path) -> tuple[int, int]:
    """(sessions, ratings) in the database."""
    with sqlite3.connect(path) as conn:
        sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
        ratings = conn.execute("SELECT count(*) FROM ratings").fetchone()[0]
    return sessions, ratings
