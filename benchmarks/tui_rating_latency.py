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

from _common import TerminalProcess, answer_safety_questions, private_env, selftrack_command, summary, temp_folder

SESSIONS = 3
PROTOCOL = "low-back-lines"
BARE_APP = '''
from textual.app import App
from textual.widgets import Static

class Bare(App):
    count = 1
    def compose(self):
        yield Static("Bare 1 of 50", id="s")
    def on_key(self, event):
        self.count += 1
        self.query_one("#s", Static).update(f"Bare {self.count} of 50")

Bare().run()
'''


def bare_keys(script: str, env: dict, rng: random.Random) -> list[float]:
    """The same measurement on a bare Textual app whose key only updates one Static."""
    import sys

    program = TerminalProcess([sys.executable, script], env=env)
    timings: list[float] = []
    try:
        program.read_until(b"Bare 1 of 50")
        for number in range(2, 51):
            time.sleep(rng.uniform(0.02, 0.06))
            program.drain()
            program.type("3")
            sent = time.perf_counter()
            shown = program.read_until(f"Bare {number} of 50".encode())
            timings.append((shown - sent) * 1000)
    finally:
        program.close()
    return timings


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
    rng = random.Random(3)
    bare_script = folder / "bare_keys.py"
    bare_script.write_text(BARE_APP)
    timings: list[float] = []
    bare: list[float] = []
    stored = 0
    for number in range(SESSIONS):
        # a database each: the random ratings press spots hard (8+), and a spot pressed hard
        # rests the next day, so a second session on the same data would start further on
        db = str(folder / f"latency-{number}.db")
        answer_safety_questions(db)  # as a person who has answered them: the walk opens at once
        bare += bare_keys(str(bare_script), env, rng)
        timings += one_session(db, env, rng)
        with sqlite3.connect(db) as conn:
            stored += conn.execute("SELECT count(*) FROM ratings").fetchone()[0]
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    print(f"rating key -> next spot drawn, incl. durable commit ({PROTOCOL}, both sides, {SESSIONS} sessions)")
    print(f"  selftrack   {summary(timings)}   target p99 <= 50 ms")
    print(f"  bare app    {summary(bare)}   (a key that only updates one Static, same run)")
    slow = sum(1 for value in timings if value > 50)
    print(f"  selftrack keys over 50 ms: {slow} of {len(timings)}")
    print(f"  ratings stored: {stored} (journal {mode}, synchronous=FULL)")


if __name__ == "__main__":
    from _bytecode import compile_like_an_install

    compile_like_an_install()
    main()
