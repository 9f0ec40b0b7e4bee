"""The home screen's figures, read by a second process while the program imports Textual.

Importing Textual and putting up the first frame takes the program about 200 ms; opening the
database and reading the figures takes about 100 ms more, and in one process it can only come
after (both want the same interpreter). A child forked at start (`start`) reads them on the
other core meanwhile, draws them (selftrack.tui.home_view, no Textual) and sends them back
through a pipe: the drawing first, so that the first frame carries the person's figures
(`HomeScreen` asks for it with `view`), then the whole HomeData, taken after that frame
(`data`). Measured in benchmarks/tui_startup.py.

The child only reads, as any selftrack command that reads does (opening a database for the
first time creates it; the last connection to close folds the write-ahead log into the file).
It makes its own Tracker, never the parent's, and sends nothing when anything fails, so the
program then reads the figures itself, as it does where there is no fork (only Linux is
measured, so only Linux forks). The pipe is the parent's own, so what comes through it is
trusted and unpickled.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from selftrack.tracker import Tracker
    from selftrack.tui.home_view import HomeData, HomeView

FIRST_FRAME_WAIT = 0.1  # seconds the first frame waits for the figures, at most
_LENGTH = struct.Struct("!Q")


class Prefetch:
    """The figures on their way from the child process `pid` through the pipe `fd`."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self._view: HomeView | None = None
        self._done = False

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
            return None if payload is None else pickle.loads(payload)
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
            os.waitpid(self.pid, 0)


def start(make_tracker: Callable[[], Tracker], command: str) -> Prefetch | None:
    """Fork a child that reads and draws the home screen's figures; None where there is no
    fork (the program then reads them itself)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:  # no process to spare: the program reads the figures itself
        os.close(read_end)
        os.close(write_end)
        return None
    if pid:
        os.close(write_end)
        return Prefetch(pid, read_end)
    os.close(read_end)
    try:
        _child(make_tracker, command, write_end)
    finally:
        os._exit(0)  # never the parent's clean-up: its files and terminal are not this one's


def _child(make_tracker: Callable[[], Tracker], command: str, fd: int) -> None:
    quiet = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(quiet, stream)  # nothing of this process ever reaches the terminal
    sys.stdin = sys.stdout = sys.stderr = open(os.devnull, "r+")  # noqa: SIM115 - until os._exit
    try:
        from selftrack.tui.home_view import load_home

        with make_tracker() as tracker:
            data = load_home(tracker, command)
        with os.fdopen(fd, "wb") as pipe:
            for part in (data.view, data):
                payload = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(_LENGTH.pack(len(payload)) + payload)
                pipe.flush()
    except BaseException:  # noqa: BLE001, S110 - nothing sent: the program reads the figures itself
        pass
