"""The home screen's figures, read by a second process while the program imports Textual.

Importing Textual and putting up the first frame takes the program about 200 ms; opening the
database and reading the figures takes about 100 ms more, and in one process it can only come
after (both want the same interpreter). A child started at once (`start`) reads them on the
other core meanwhile, draws them (selftrack.tui.home_view, no Textual) and sends them back
through a pipe: the drawing first, so that the first frame carries the person's figures
(`HomeScreen` asks for it with `view`), then the whole HomeData, taken after that frame
(`data`). Measured in benchmarks/tui_startup.py.

The child is a new interpreter (`python -m selftrack.tui.prefetch`), not a fork: after a fork
the program pays for a copy of every page of memory it then writes to while importing
Textual, which put its first frame about 25 ms later than a new interpreter does. It is told which
database, profile and routines folder through its standard input (never its command line,
where others could read a password), and nothing of it reaches the terminal.

The child only reads, as any selftrack command that reads does (opening a database for the
first time creates it; the last connection to close folds the write-ahead log into the file).
It sends nothing when anything fails, so the program then reads the figures itself, as it
does where there is no child (only Linux is measured, so only Linux starts one). The pipe is
the program's own, so what comes through it is trusted and unpickled.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from selftrack.paths import DEFAULT_PROFILE

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

    from selftrack.clock import Clock
    from selftrack.tui.home_view import HomeData, HomeView

FIRST_FRAME_WAIT = 0.1  # seconds the first frame waits for the figures, at most
_LENGTH = struct.Struct("!Q")


class Prefetch:
    """The figures on their way from the `child` process through the pipe `fd`."""

    def __init__(self, child: subprocess.Popen, fd: int) -> None:
        self.child = child
        self.fd = fd
        self._view: HomeView | None = None
        self._done = False

    @property
    def pid(self) -> int:
        return self.child.pid

    def view(self, timeout: float = FIRST_FRAME_WAIT) -> HomeView | None:
        """The figures drawn, if they come within `timeout` seconds (else None, for now)."""
        waiting = self._view is None and not self._done
        if waiting and select.select([self.fd], [], [], timeout)[0]:
            payload = self._message()
            if payload is None:
                self._finish()
            else:
                self._view = pickle.loads(payload)
        return self._view

    def data(self) -> HomeData | None:
        """Everything the home screen shows, waiting for the child; None if it read nothing."""
        if self._done:
            return None
        try:
            if self._view is None and self.view(timeout=None) is None:
                return None
            payload = self._message()
            if payload is None:
                return None
            # with the very drawing `view` gave, so that a screen showing it need not draw it again
            return replace(pickle.loads(payload), view=self._view)
        finally:
            self._finish()

    def _message(self) -> bytes | None:
        header = self._read(_LENGTH.size)
        if header is None:
            return None
        return self._read(_LENGTH.unpack(header)[0])

    def _read(self, size: int) -> bytes | None:
        chunks, left = [], size
        while left:
            chunk = os.read(self.fd, left)
            if not chunk:
                return None  # the child ended without sending it all
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _finish(self) -> None:
        if not self._done:
            self._done = True
            os.close(self.fd)
            self.child.wait()


def start(
    db: str | None,
    *,
    protocols_dir: str | Path | None = None,
    profile: str = DEFAULT_PROFILE,
    command: str = "selftrack",
    clock: Clock | None = None,
) -> Prefetch | None:
    """Start a child that reads and draws the home screen's figures of the Tracker these
    arguments make; None where there is none (the program then reads them itself)."""
    if not sys.platform.startswith("linux") or not sys.executable:
        return None
    import subprocess

    try:
        answers, write_end = os.pipe()
    except OSError:
        return None
    try:
        child = subprocess.Popen(
            # -P: the program's own selftrack, never a folder of that name where it was started
            [sys.executable, "-P", "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,  # nothing of the child ever reaches the terminal
            stderr=subprocess.DEVNULL,
            pass_fds=(write_end,),
        )
    except OSError:  # no process to spare: the program reads the figures itself
        os.close(answers)
        return None
    finally:
        os.close(write_end)  # the child's now: the parent sees the end of the answers when it ends
    request = {
        "db": db, "protocols_dir": protocols_dir, "profile": profile, "command": command, "clock": clock,
        "fd": write_end,  # the same number in the child (pass_fds)
    }  # fmt: skip
    try:
        with child.stdin:
            child.stdin.write(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # the child ended already: it sends nothing
    return Prefetch(child, answers)


def _child() -> None:
    """The child's work: read the request, read and draw the figures, send them."""
    try:
        request = pickle.load(sys.stdin.buffer)
        from selftrack.tracker import Tracker
        from selftrack.tui.home_view import load_home

        tracker = Tracker(
            request["db"], protocols_dir=request["protocols_dir"], profile=request["profile"],
            clock=request["clock"],
        )  # fmt: skip
        with tracker:
            data = load_home(tracker, request["command"])
        with os.fdopen(request["fd"], "wb") as pipe:
            for part in (data.view, data):
                payload = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(_LENGTH.pack(len(payload)) + payload)
                pipe.flush()
    except BaseException:  # noqa: BLE001, S110 - nothing sent: the program reads the figures itself
        pass


if __name__ == "__main__":
    _child()
