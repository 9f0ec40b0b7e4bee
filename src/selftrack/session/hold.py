"""The hold timer of a walk: seconds on the current spot, stopped while the walk is paused.

Pure state over a clock function (time.monotonic in the program, a fake in tests).
"""

from __future__ import annotations

import time
from collections.abc import Callable

HOLD_SECONDS = 30


class HoldTimer:
    """Counts the seconds spent on a spot; `pause` stops the count and `resume` goes on."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._since = clock()
        self._banked = 0.0
        self._paused_at: float | None = None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def seconds(self) -> int:
        """Whole seconds counted on this spot so far (not the time spent paused)."""
        running = 0.0 if self.paused else self._clock() - self._since
        return int(self._banked + running)

    def restart(self) -> None:
        """A new spot: count from zero (still paused if the walk is paused)."""
        now = self._clock()
        self._since, self._banked = now, 0.0
        if self._paused_at is not None:
            self._paused_at = now

    def pause(self) -> None:
        if self._paused_at is None:
            now = self._clock()
            self._banked += now - self._since
            self._paused_at = now

    def resume(self) -> None:
        if self._paused_at is not None:
            self._since = self._clock()
            self._paused_at = None

    def bar(self, width: int = 20, hold: int = HOLD_SECONDS) -> str:
        """'Hold: 12 s  ████████░░░░  30 s', or the line that says the hold is done."""
        seconds = self.seconds
        state = " (paused)" if self.paused else ""
        if seconds >= hold:
            return f"Hold: {seconds} s — {hold} s done, rate when ready{state}"
        filled = seconds * width // hold
        return f"Hold: {seconds:2d} s  {'█' * filled}{'░' * (width - filled)}  {hold} s{state}"
