"""Shared bits of the TUI benchmarks: a private temp home and the pseudo-terminal driver."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pty_support import TerminalProcess, plain, selftrack_command  # noqa: E402
from support import answer_safety_questions  # noqa: E402

__all__ = ["TerminalProcess", "answer_safety_questions", "plain", "selftrack_command", "private_env", "summary"]


def private_env(folder: Path) -> dict[str, str]:
    """Environment for a program run: its own home, config (safety note read) and data."""
    home = folder / "home"
    (home / ".config" / "selftrack").mkdir(parents=True, exist_ok=True)
    (home / ".config" / "selftrack" / "safety-note-read").write_text("2026-01-01T00:00:00+00:00\n")
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        TERM="xterm-256color",
        COLORTERM="truecolor",
    )
    for name in ("SELFTRACK_DB", "SELFTRACK_PROTOCOLS_DIR", "SELFTRACK_PROFILE"):
        env.pop(name, None)
    return env


def temp_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="selftrack-bench-"))


def summary(values_ms: list[float]) -> str:
    ordered = sorted(values_ms)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return (
        f"median {statistics.median(ordered):6.1f} ms  p99 {p99:6.1f} ms  "
        f"min {ordered[0]:6.1f}  max {ordered[-1]:6.1f}  (n={len(ordered)})"
    )
