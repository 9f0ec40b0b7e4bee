"""A pre-warmed process that forks walkers: each records ratings until it is killed.

Run as `python walker.py DATABASE PROTOCOL SIDES`. For every `go SEED MODE` line on stdin it
forks a child, prints `P PID`, and after the child ends prints `X PID STATUS`. A child resumes
the unfinished session (or starts one), prints `A SESSION STEP VALUE` before each
`record_rating` and `R SESSION STEP VALUE` after it returns; a session it completes is finished
(`F SESSION`) and a new one begun. MODE `outside`: the test kills the child. MODE `commit`
(SQLite): after a few ratings the child kills itself from a timer started the moment a
rating's COMMIT begins (`K SESSION STEP` first), so the kill lands inside that commit or soon
after it; `slow` does the same with a rating carrying a 20,000-character note, a longer commit.
Every line is one write() on the pipe, so lines never interleave or tear.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the network guard

from netguard import NetworkGuard  # noqa: E402
from support import unfinished  # noqa: E402
from selftrack.tracker import Tracker  # noqa: E402


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def value_for(session_id: str, step: int) -> int:
    """The tenderness a walker gives a step: known to the test without asking the walker."""
    return (sum(map(ord, session_id)) + 3 * step) % 11


class Killer:
    """Kills this process from another thread a moment after a rating's COMMIT begins."""

    def __init__(self, rng: random.Random, after: int) -> None:
        self.rng = rng
        self.after = after  # ratings acknowledged before the kill is armed
        self.current: str | None = None  # "SESSION STEP" of the rating being recorded

    def commit_begins(self) -> None:
        if self.current is None or self.after > 0:
            return
        # seconds: often under a millisecond, else up to 8 or 100 ms (a commit with its fsync
        # takes one to several milliseconds, longer on a busy disk)
        delay = self.rng.choice(
            (min(self.rng.expovariate(1 / 0.0006), 0.004), self.rng.uniform(0, 0.008), self.rng.uniform(0, 0.1))
        )
        say(f"K {self.current}")
        threading.Thread(target=self._kill, args=(time.perf_counter() + delay,), daemon=True).start()
        self.current = None

    @staticmethod
    def _kill(deadline: float) -> None:
        while time.perf_counter() < deadline:
            pass
        os.kill(os.getpid(), signal.SIGKILL)


def install(killer: Killer) -> None:
    """Every new SQLite connection tells the killer when a COMMIT begins."""
    real_connect = sqlite3.connect

    class Traced(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql == "COMMIT":
                killer.commit_begins()
            return super().execute(sql, *args)

    sqlite3.connect = lambda *args, **kwargs: real_connect(*args, factory=Traced, **kwargs)


def walk(location: str, protocol: str, sides: str, seed: int, mode: str) -> None:
    rng = random.Random(seed)
    killer = None
    if mode in ("commit", "slow"):
        sys.setswitchinterval(0.0001)  # the killer thread gets its turn at once
        killer = Killer(rng, rng.randint(0, 3))
        install(killer)
    note = "x" * 20_000 if mode == "slow" else None
    with Tracker(location) as tracker:
        while True:
            session = unfinished(tracker) or tracker.start_session(protocol, sides)
            walk = tracker.open_walk(session.id)  # as the program resumes: at the first gap
            # every step in order (spots the program would let rest included)
            while (step := next((i for i in range(walk.total) if i not in walk.ratings), None)) is not None:
                value = value_for(session.id, step)
                skip = rng.random() < 0.05
                say(f"A {session.id} {step} {-1 if skip else value}")
                if killer is not None:
                    killer.current = f"{session.id} {step}"
                if skip:
                    rating = tracker.record_rating(session.id, step, skipped=True)
                    value = -1
                else:
                    rating = tracker.record_rating(session.id, step, value, note=note or f"n{step}")
                if killer is not None:
                    killer.current = None
                    killer.after -= 1
                say(f"R {session.id} {step} {value}")
                walk.ratings[step] = rating
            tracker.finish(session.id, pain_after=rng.randint(0, 10))
            say(f"F {session.id}")


def main() -> None:
    location, protocol, sides = sys.argv[1:4]
    NetworkGuard(set()).install()
    # Warm up before forking: the protocol cache, and every module a walker needs (loading the
    # database layer costs ~0.3 s; paid once here, not in every short-lived walker).
    Tracker(location).load()
    from selftrack.storage import engine, queries, writes  # noqa: F401

    engine.open_database(location).close()
    for line in sys.stdin:
        command, seed, mode = line.split()
        assert command == "go"
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                walk(location, protocol, sides, int(seed), mode)
            except BaseException as exc:  # tell the test, which fails on any E line
                say(f"E {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            finally:
                os._exit(code)
        say(f"P {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"X {pid} {status}")


if __name__ == "__main__":
    main()
