"""Begin → the first spot on screen, on ten years of history against an empty database.

The real program runs in a 120x40 pseudo-terminal: `selftrack session quick-check --side both`
opens its start screen; once "Ready:" is shown, ctrl+b begins, and the figure is the time until
"Spot 1 of" appears (the walk painted with its first spot, last time's rating and warnings
read). The empty database and the ten-year one (`_ten_years`, ~12,600 sessions) take turns run
by run, each run on a fresh copy (a killed walk leaves its session unfinished); the safety
questions are answered in both beforehand. Target (issue 17): opening a
session does not grow with the length of the history (ratio ten years / empty about 1).
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from _common import TerminalProcess, answer_safety_questions, private_env, selftrack_command, summary, temp_folder
from _ten_years import ten_year_db

RUNS = 9


def begin(db: str, env: dict) -> float:
    program = TerminalProcess(selftrack_command("--db", db, "session", "quick-check", "--side", "both"), env=env)
    try:
        program.read_until(b"Ready:")
        time.sleep(0.3)  # the start screen settled: only the walk's opening is timed
        program.drain()
        program.type("\x02")  # ctrl+b: begin
        sent = time.perf_counter()
        shown = program.read_until(b"Spot 1 of")
        return (shown - sent) * 1000
    finally:
        program.close()


def fresh_copy(template: str, run: Path) -> None:
    """The template database and its write-ahead log as they are, in place of the last run's."""
    for stale in run.parent.glob(run.name + "*"):
        stale.unlink()
    for suffix in ("", "-wal"):
        if Path(template + suffix).exists():
            shutil.copyfile(template + suffix, str(run) + suffix)


def main() -> None:
    folder = temp_folder()
    env = private_env(folder)
    empty = str(folder / "empty.db")
    answer_safety_questions(empty)
    long = folder / "ten-years.db"
    shutil.copyfile(ten_year_db(), long)
    answer_safety_questions(str(long))
    on_empty, on_long = [], []
    run = folder / "run.db"
    for _ in range(RUNS):
        for template, figures in ((empty, on_empty), (str(long), on_long)):
            fresh_copy(template, run)
            figures.append(begin(str(run), env))
    print("begin -> first spot painted (pseudo-terminal 120x40, quick-check on both sides)")
    print(f"  empty database      {summary(on_empty)}")
    print(f"  ten years           {summary(on_long)}  "
          f"ratio {statistics.median(on_long) / statistics.median(on_empty):.2f} (target about 1)")


if __name__ == "__main__":
    from _bytecode import compile_like_an_install

    compile_like_an_install()
    main()
