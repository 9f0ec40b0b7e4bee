"""Heavy sample data for the benchmarks, written through the core.

`selftrack demo` writes a believable person (about one session a day). The benchmarks keep
measuring on the heavier history they always used (about 3.4 sessions a day, each route on
both sides before the next): `Tracker.write_demo(busy=True)`, the same rows the demo command
wrote before, so their figures stay comparable.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = (
    "import sys\n"
    "from selftrack.tracker import Tracker\n"
    "with Tracker(sys.argv[1]) as tracker:\n"
    "    result = tracker.write_demo(days=int(sys.argv[2]), busy=True)\n"
    "print(f'{result.sessions} sessions, {result.ratings} ratings', file=sys.stderr)\n"
)


def busy_demo(db: Path | str, days: int, *, env: dict | None = None, quiet: bool = True) -> None:
    """Write `days` days of the benchmarks' heavy sample history into the database `db`."""
    subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), str(days)],
        env=env,
        check=True,
        stderr=subprocess.DEVNULL if quiet else None,
    )
