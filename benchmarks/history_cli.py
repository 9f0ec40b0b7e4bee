"""`selftrack trend` (one spot, all regions) and `selftrack history` on ten years of data.

Each command runs as a fresh process, stdout to /dev/null; the figure is the median wall time
of several runs, with its peak memory. The baseline is the same aggregate as one SQL query run
by the `sqlite3` command-line tool on the same file, in the same run, taking turns with the
command; the ratio is the median of the ratios of those pairs. Targets: <= 0.5 s each
and <= 3x the sqlite3 baseline; peak memory <= 250 MB.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _ten_years import counts, ten_year_db  # noqa: E402

RUNS = 11
SPOT = "gluteus-maximus-spot"


def run_once(args: list[str], stdin: str | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        args, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )
    if stdin:
        process.stdin.write(stdin)
        process.stdin.close()
    _pid, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}")
    return took, usage.ru_maxrss


def median_of(args: list[str], stdin: str | None = None) -> tuple[float, int]:
    runs = [run_once(args, stdin) for _ in range(RUNS)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def reference_sql() -> dict[str, str]:
    """The same aggregate as each command, written by hand for the sqlite3 tool (the texts
    side_by_side.py uses: per session rated, skipped, mean and highest; per region, side and
    session the mean; one spot's values)."""
    from side_by_side import HISTORY_SQL, REGIONS_SQL

    spot = f"""
SELECT r.side, r.started_at, avg(r.tenderness) FROM ratings r
WHERE r.spot_id = '{SPOT}' AND r.tenderness IS NOT NULL GROUP BY r.side, r.started_at;
"""
    return {"trend one spot": spot, "trend all regions": REGIONS_SQL, "history": HISTORY_SQL}


def main() -> None:
    path = ten_year_db()
    sessions, ratings = counts(path)
    print(f"database: {sessions} sessions, {ratings} ratings over 3650 days ({path})")
    cli = [sys.executable, "-m", "selftrack", "--db", str(path)]
    commands = {
        "trend one spot": cli + ["trend", SPOT],
        "trend all regions": cli + ["trend"],
        "history": cli + ["history"],
    }
    sqlite3 = shutil.which("sqlite3")
    baselines = reference_sql() if sqlite3 else {}
    for name, args in commands.items():
        if name not in baselines:
            took, memory = median_of(args)
        else:
            # the command and its baseline take turns, so a machine that speeds up or slows
            # down during the run weighs on both alike; the ratio is the median of the pairs'
            pairs = [(run_once(args), run_once([sqlite3, str(path), baselines[name]])) for _ in range(RUNS)]
            took = statistics.median(ours for (ours, _m), _b in pairs)
            memory = max(m for (_t, m), _b in pairs)
            base = statistics.median(theirs for _o, (theirs, _m) in pairs)
            ratio = statistics.median(ours / theirs for (ours, _m), (theirs, _n) in pairs)
        line = f"selftrack {' '.join(args[5:]) or ''}: {took * 1000:.0f} ms, peak {memory / 1024:.0f} MB"
        line += f" (target <= 500 ms: {'met' if took <= 0.5 else 'MISSED'})"
        if name in baselines:
            line += (
                f"; sqlite3 same aggregate {base * 1000:.0f} ms, ratio {ratio:.1f}x "
                f"(target <= 3x: {'met' if ratio <= 3 else 'MISSED'})"
            )
        print(line, flush=True)
    for name, args in (("trend --json (all regions)", cli + ["trend", "--json"]), ("history --json", cli + ["history", "--json"])):
        took, memory = median_of(args)
        print(f"selftrack {name}: {took * 1000:.0f} ms, peak {memory / 1024:.0f} MB")


if __name__ == "__main__":
    from _bytecode import compile_like_an_install

    compile_like_an_install()
    main()
