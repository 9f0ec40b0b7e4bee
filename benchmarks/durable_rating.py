"""Durable rating: 1,000 ratings recorded through the core one by one (median and p99).

Baseline in the same run: one durable one-row INSERT + COMMIT through plain sqlite3 with the
same pragmas (WAL, synchronous=FULL), the floor for any durable write on this disk.
Target: p99 <= 5 ms per rating.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from selftrack.tracker import Tracker  # noqa: E402

COUNT = 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def floor_sqlite(folder: Path) -> list[float]:
    conn = sqlite3.connect(folder / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, at TEXT)")
    times = []
    for n in range(COUNT):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v, at) VALUES (?, datetime('now'))", (n % 11,))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def through_core(folder: Path) -> list[float]:
    times = []
    with Tracker(str(folder / "core.db")) as tracker:
        session = tracker.start_session("low-back-lines", "both")
        steps = len(session.steps)
        for n in range(COUNT):
            if n and n % steps == 0:
                tracker.finish(session.id)
                session = tracker.start_session("low-back-lines", "both")
            start = time.perf_counter()
            tracker.record_rating(session.id, n % steps, n % 11)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = floor_sqlite(folder)
        core = through_core(folder)
    ms = lambda v: v * 1000  # noqa: E731
    print(f"durable rating through the core, {COUNT} ratings one by one")
    print(f"  core:  median {ms(statistics.median(core)):.2f} ms   p99 {ms(percentile(core, 0.99)):.2f} ms")
    print(f"  floor: median {ms(statistics.median(floor)):.2f} ms   p99 {ms(percentile(floor, 0.99)):.2f} ms (plain sqlite3 insert+commit)")
    print(f"  ratio core/floor (median): {statistics.median(core) / statistics.median(floor):.1f}x")
    verdict = "met" if percentile(core, 0.99) <= 0.005 else "MISSED"
    print(f"  target p99 <= 5 ms: {verdict}")


if __name__ == "__main__":
    main()
