"""The whole-history PDF's reads on ten years, against the `sqlite3` tool's aggregates.

What is timed: everything the PDF report reads for all ten years of the benchmarks' heavy
history (`review.report_data`: the sessions, heat, regions with their lines, the overall
pain, every spot's trend, flags, notes, the care summary), in one process after a first
run (the imports and the first connection are the start-up benchmark's business). The
reference is the `sqlite3` command-line tool computing, on the same file, the two aggregates
the report's figures rest on (side_by_side.HISTORY_SQL and REGIONS_SQL), as one fresh
process. The two take turns, run by run; the ratio is the median of the per-run ratios.
Target (issue 17): < 1.0.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _ten_years import ten_year_db  # noqa: E402
from side_by_side import HISTORY_SQL, REGIONS_SQL  # noqa: E402

RUNS = 9


def main() -> None:
    sqlite3 = shutil.which("sqlite3")
    if sqlite3 is None:
        raise SystemExit("the sqlite3 command-line tool is needed for the reference")
    from selftrack.tracker import Tracker
    from selftrack.tracker.review import report_data

    db = ten_year_db()
    with Tracker(str(db)) as tracker:
        report_data(tracker.store, None, None)  # imports, first connection
        program, reference = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            report_data(tracker.store, None, None)
            program.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([sqlite3, str(db), HISTORY_SQL + REGIONS_SQL], check=True, stdout=subprocess.DEVNULL)
            reference.append(time.perf_counter() - start)
    ratio = statistics.median(p / r for p, r in zip(program, reference))
    print("the whole-history PDF's reads, ten years (median of", RUNS, "runs, alternating)")
    print(f"  selftrack report_data             {statistics.median(program) * 1000:6.0f} ms")
    print(f"  sqlite3, both aggregates          {statistics.median(reference) * 1000:6.0f} ms")
    print(f"  ratio {ratio:.2f}  (target < 1.0: {'met' if ratio < 1.0 else 'MISSED'})")


if __name__ == "__main__":
    main()
