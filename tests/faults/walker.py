"""A pre-warmed process that forks walkers: each records ratings until it is killed.

Run as `python walker.py DATABASE PROTOCOL SIDES`. For every `go SEED` line on stdin it forks a
child, prints `P PID`, and after the child ends prints `X PID STATUS`. A child resumes the
unfinished session (or starts one) and, after each `record_rating` returns, prints
`R SESSION STEP VALUE`; a session it completes is finished (`F SESSION`) and a new one begun.
Every line is one write() on the pipe, so lines never interleave or tear.
"""

from __future__ import annotations

import os
import random
import sys
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


def walk(location: str, protocol: str, sides: str, seed: int) -> None:
    rng = random.Random(seed)
    with Tracker(location) as tracker:
        while True:
            session = unfinished(tracker) or tracker.start_session(protocol, sides)
            walk = tracker.open_walk(session.id)  # as the program resumes: at the first gap
            # every step in order (spots the program would let rest included)
            while (step := next((i for i in range(walk.total) if i not in walk.ratings), None)) is not None:
                value = value_for(session.id, step)
                if rng.random() < 0.05:
                    rating = tracker.record_rating(session.id, step, skipped=True)
                    value = -1
                else:
                    rating = tracker.record_rating(session.id, step, value, note=f"n{step}")
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
        command, seed = line.split()
        assert command == "go"
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                walk(location, protocol, sides, int(seed))
            except BaseException as exc:  # tell the test, which fails on any E line
                say(f"E {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            finally:
                os._exit(code)
        say(f"P {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"X {pid} {status}")


if __name__ == "__main__":
    main()
