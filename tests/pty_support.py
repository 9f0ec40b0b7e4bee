"""Run the real program in a pseudo-terminal (for kill tests and benchmarks)."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time


_ESCAPE = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def plain(data: bytes) -> bytes:
    """Terminal output with the escape sequences (colours, cursor moves) taken out."""
    return _ESCAPE.sub(b"", data)


class TerminalProcess:
    """A process attached to a pseudo-terminal of a given size; read its output, type keys."""

    def __init__(self, args: list[str], *, size: tuple[int, int] = (120, 40), env: dict | None = None):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        environment = dict(os.environ if env is None else env)
        environment.setdefault("TERM", "xterm-256color")
        environment.setdefault("COLORTERM", "truecolor")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=environment, start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()

    def read_until(self, marker: bytes, timeout: float = 20.0) -> float:
        """Read output until `marker` appears (escape codes ignored); returns when (perf_counter)."""
        deadline = time.perf_counter() + timeout
        start = len(self.output)
        while marker not in plain(bytes(self.output[start:])):
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or self.process.poll() is not None:
                tail = bytes(self.output[-2000:]).decode(errors="replace")
                raise TimeoutError(f"{marker!r} not seen; exit={self.process.poll()} tail={tail!r}")
            ready, _, _ = select.select([self.master], [], [], min(remaining, 0.5))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                self.output += chunk
        return time.perf_counter()

    def drain(self) -> None:
        """Read whatever output is waiting, without blocking."""
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self, signal_number: int) -> int:
        os.kill(self.process.pid, signal_number)
        code = self.process.wait(timeout=10)
        os.close(self.master)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        try:
            os.close(self.master)
        except OSError:
            pass


def selftrack_command(*args: str) -> list[str]:
    """`python -m selftrack ARGS` with this interpreter."""
    return [sys.executable, "-m", "selftrack", *args]
