"""Time from a rating key to the next spot shown, including the durable commit.

The real program runs in a 120x40 pseudo-terminal on a SQLite file (WAL, synchronous=FULL).
For each key the clock runs from writing the key to the terminal until the next spot's
"Spot N of M" text has been drawn; the rating is committed before the screen moves on.
Target: p99 <= 50 ms.
"""

from __future__ import annotations

import random
import sqlite3
import time

from _common import TerminalProcess, private_env, selftrack_command, summary, temp_folder

SESSIONS = 3
PROTOCOL = "low-back-lines"


def one_session(db: str, env: dict, rng: random.Random) -> list[float]:
    program = TerminalProcess(
        selftrack_command("--db", db, "session", PROTOCOL, "--side", "both"), env=env
    )
    timings: list[float] = []
    try:
        program.read_until(b"Ready:")
        program.type("4")
        program.read_until(b"pain now 4")
        program.type("\r")
        program.read_until(b"Spot 1 of ")
        total = int(_after(program, b"Spot 1 of "))
        for spot in range(2, total + 1):
            time.sleep(rng.uniform(0.02, 0.06))  # a person's pace, so keys do not queue
            program.drain()
            program.type(rng.choice("0123456789t"))
            sent = time.perf_counter()
            shown = program.read_until(f"Spot {spot} of {total}".encode())
            timings.append((shown - sent) * 1000)
        program.type("9")  # the last spot: the summary follows
        program.read_until(b"Save and finish")
        program.type("2")  # pain after, then enter in the notes: finished, back home
        time.sleep(0.2)
        program.type("\r")
        program.read_until(b"Last session")
    finally:
        program.close()
    return timings


def _after(program: TerminalProcess, marker: bytes) -> bytes:
    from _common import plain

    text = plain(bytes(program.output))
    tail = text[text.rindex(marker) + len(marker) :]
    return tail[: len(tail) - len(tail.lstrip(b"0123456789"))] or tail[:2]


def main() -> None:
    folder = temp_folder()
    env = private_env(folder)
    db = str(folder / "latency.db")
    rng = random.Random(3)
    timings: list[float] = []
    for _ in range(SESSIONS):
        timings += one_session(db, env, rng)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM ratings").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    print(f"rating key -> next spot drawn, incl. durable commit ({PROTOCOL}, both sides, {SESSIONS} sessions)")
    print(f"  {summary(timings)}   target p99 <= 50 ms")
    print(f"  ratings stored: {stored} (journal {mode}, synchronous=FULL)")


if __name__ == "__main__":
    main()
