"""Process start to the home screen, against a bare Textual app of one static widget.

Both run in a 120x40 pseudo-terminal in the same run, alternating; the time is from spawning
the process to the marker text appearing in its output. The home screen is timed three ways:
painted (its title, in the first frame), and filled with the person's figures ("Most tender
lately") on 180 days and on ten years of the benchmarks' heavy history. Target (issue 17): the
figures shown at <= 1.25x the bare app, whatever the length of the history. (The figures are
read by a second process while the program imports Textual, selftrack.tui.prefetch, so they
are usually in the first frame; a bare `selftrack --db PATH` opens without importing click,
selftrack.launch.)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from _demo import busy_demo
from _common import TerminalProcess, private_env, selftrack_command, summary, temp_folder
from _ten_years import ten_year_db

BARE_APP = '''
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app ready")

Bare().run()
'''
RUNS = 31


def measure(args: list[str], marker: bytes, env: dict, later: bytes | None = None) -> tuple[float, float | None]:
    program = TerminalProcess(args, env=env)
    try:
        first = program.read_until(marker) - program.started
        ready = program.read_until(later) - program.started if later else None
        return first * 1000, None if ready is None else ready * 1000
    finally:
        children = _children(program.process.pid)
        program.close()
        _wait_for_end(children)


def _children(pid: int) -> list[int]:
    """The processes `pid` started (selftrack's prefetch child), from /proc (Linux)."""
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wait_for_end(pids: list[int], timeout: float = 5.0) -> None:
    """Wait until `pids` have ended, so that no run's leftover work falls on the next run."""
    deadline = time.perf_counter() + timeout
    for pid in pids:
        while time.perf_counter() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                break  # gone
            if state == "Z":
                break  # ended, waiting to be reaped
            time.sleep(0.005)


def main() -> None:
    folder = temp_folder()
    env = private_env(folder)
    bare_script = folder / "bare_app.py"
    bare_script.write_text(BARE_APP)
    demo_db = folder / "demo.db"
    busy_demo(demo_db, 180, env=env)  # the heavy history it always measured with
    long_db = ten_year_db()
    bare, painted, keys, filled, filled_long = [], [], [], [], []
    for _ in range(RUNS):
        bare.append(measure([sys.executable, str(bare_script)], b"bare app ready", env)[0])
        # home screen painted: its title is in the first frame, figures or not
        first, footer = measure(
            selftrack_command("--db", str(demo_db)), b"tenderness at named spots", env, b"Quit"
        )
        painted.append(first)
        keys.append(footer or 0.0)
        filled.append(
            measure(selftrack_command("--db", str(demo_db)), b"Most tender lately", env)[0]
        )
        filled_long.append(
            measure(selftrack_command("--db", str(long_db)), b"Most tender lately", env)[0]
        )
    base = statistics.median(bare)

    def ratio(values: list[float]) -> str:
        return f"ratio {statistics.median(values) / base:.2f}"

    print("start-up (pseudo-terminal 120x40; process start to the marker text in the output)")
    print(f"  bare Textual app, one Static       {summary(bare)}")
    print(f"  selftrack home screen painted      {summary(painted)}  {ratio(painted)}  (target <= 1.25)")
    print(f"  ... footer keys shown              {summary(keys)}  {ratio(keys)}")
    print(f"  ... figures of 180 days filled in  {summary(filled)}  {ratio(filled)}  (target <= 1.25)")
    print(f"  ... figures of ten years filled in {summary(filled_long)}  {ratio(filled_long)}  (target <= 1.25)")


if __name__ == "__main__":
    from _bytecode import compile_like_an_install

    compile_like_an_install()
    main()
