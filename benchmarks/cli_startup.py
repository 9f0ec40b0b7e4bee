"""Start-up: `selftrack --help` and `selftrack protocols list` against `python -c pass`.

Each command runs as a fresh process; the figure is the median wall time of several runs,
with the interpreter's bare start measured in the same run. Target: within 80 ms of it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15


def wall(args: list[str], env: dict) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SELFTRACK_DB=str(Path(tmp) / "bench.db"), HOME=tmp)
        base = wall([sys.executable, "-c", "pass"], env)
        cases = {
            "selftrack --help": [sys.executable, "-m", "selftrack", "--help"],
            "selftrack protocols list": [sys.executable, "-m", "selftrack", "protocols", "list"],
        }
        print(f"python -c pass: {base * 1000:.0f} ms (median of {RUNS})")
        for name, args in cases.items():
            took = wall(args, env)
            extra = (took - base) * 1000
            verdict = "met" if extra <= 80 else "MISSED"
            print(f"{name}: {took * 1000:.0f} ms, {extra:+.0f} ms over python (target <= 80 ms: {verdict})")


if __name__ == "__main__":
    from _bytecode import compile_like_an_install

    compile_like_an_install()
    main()
