"""This program against another installation of selftrack (an older commit), run by run.

    python benchmarks/side_by_side.py BEFORE_PYTHON [--runs N] [--only NAME ...]

BEFORE_PYTHON is the interpreter of another installation, e.g. a git worktree of the commit
before a change with its own virtual environment:

    git worktree add /tmp/before fb864ec
    python -m venv /tmp/before/.venv && /tmp/before/.venv/bin/pip install -e /tmp/before
    python benchmarks/side_by_side.py /tmp/before/.venv/bin/python

What is measured is what a person waits for: a command run as a fresh process from its start
until it has written everything (its output to a file), ten years of the benchmarks' heavy
sample history (~12,600 sessions, ~400,000 ratings). The history is written once by the
older program; this program reads a copy it has upgraded to its own schema, so both read the
same sessions. Runs alternate (before, after, then the reference where there is one), so a
machine that speeds up or slows down weighs on all alike; each ratio is the median of the
per-run ratios. Wall time is the figure; CPU time (user + system) is printed beside it
because a busy machine stretches wall time more than CPU time.

The reference for `history` and `trend` is the `sqlite3` command-line tool computing the same
aggregate from the ratings on the same file (per session: rated, skipped, mean and highest
tenderness; per region, side and session: the mean tenderness). Target (issue 17): the
program faster than that reference (ratio < 1.0), and no figure more than 10 % worse than
before.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _ten_years import DAYS, FOLDER  # noqa: E402

HISTORY_SQL = """
SELECT s.id, s.started_at, s.protocol_id, s.status, s.pain_before, s.pain_after,
       count(r.tenderness), sum(r.skipped), avg(r.tenderness), max(r.tenderness)
FROM sessions s LEFT JOIN ratings r ON r.session_id = s.id
GROUP BY s.id ORDER BY s.started_at DESC;
"""
REGIONS_SQL = """
SELECT d.region, r.side, r.started_at, avg(r.tenderness)
FROM ratings r JOIN spot_definitions d ON d.id = r.spot_def_id
WHERE r.tenderness IS NOT NULL
GROUP BY d.region, r.side, r.started_at;
"""
SPOT = "gluteus-maximus-spot"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


@dataclass
class Figure:
    name: str
    before: list[str] | None
    after: list[str]
    reference: list[str] | None = None
    output: str = ""  # a file argument the command writes (a fresh path each run)
    runs: int | None = None
    seen: dict[str, list[Run]] = field(default_factory=dict)


def run_once(args: list[str], folder: Path) -> Run:
    """One process to its end, its standard output to a file; wall and CPU seconds, peak MB."""
    out = folder / "stdout"
    with open(out, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{errors}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def with_output(args: list[str], output: str, folder: Path, index: int) -> list[str]:
    if not output:
        return args
    target = folder / f"{index}-{output}"
    target.unlink(missing_ok=True)
    return [*args, "-o", str(target)]


def databases(before_python: str) -> tuple[Path, Path]:
    """(the older program's ten years, this program's upgraded copy), built once."""
    FOLDER.mkdir(mode=0o700, exist_ok=True)
    older = FOLDER / f"side-by-side-before-{DAYS}.db"
    newer = FOLDER / f"side-by-side-after-{DAYS}.db"
    if not older.exists():
        print(f"writing {DAYS} days with the older program (once) ...", flush=True)
        subprocess.run([before_python, "-m", "selftrack", "--db", str(older), "demo", "--days", str(DAYS)], check=True)
    if not newer.exists() or newer.stat().st_mtime < older.stat().st_mtime:
        for stale in FOLDER.glob(newer.name + "*"):
            stale.unlink()
        shutil.copyfile(older, newer)
        os.chmod(newer, 0o600)
    subprocess.run(
        [sys.executable, "-m", "selftrack", "--db", str(newer), "db", "upgrade"],
        check=True, stdout=subprocess.DEVNULL,
    )
    for stale in FOLDER.glob(newer.name + ".before-*"):
        stale.unlink()
    return older, newer


def figures(before_python: str, older: Path, newer: Path) -> list[Figure]:
    sqlite3 = shutil.which("sqlite3")
    old = [before_python, "-m", "selftrack", "--db", str(older)]
    new = [sys.executable, "-m", "selftrack", "--db", str(newer)]

    def reference(sql: str) -> list[str] | None:
        return [sqlite3, str(newer), sql] if sqlite3 else None

    return [
        Figure("start-up (selftrack --help)", [*old, "--help"], [*new, "--help"]),
        Figure("history", [*old, "history"], [*new, "history"], reference(HISTORY_SQL)),
        Figure("history --json", [*old, "history", "--json"], [*new, "history", "--json"]),
        Figure("trend (all regions)", [*old, "trend"], [*new, "trend"], reference(REGIONS_SQL)),
        Figure("trend --json (all regions)", [*old, "trend", "--json"], [*new, "trend", "--json"]),
        Figure(f"trend {SPOT}", [*old, "trend", SPOT], [*new, "trend", SPOT]),
        Figure("export csv", [*old, "export", "--format", "csv"], [*new, "export", "--format", "csv"], runs=3),
        Figure("export json", [*old, "export", "--format", "json"], [*new, "export", "--format", "json"], runs=3),
        Figure(
            "export pdf (all ten years)",
            [*old, "export", "--format", "pdf"], [*new, "export", "--format", "pdf"],
            output="report.pdf", runs=3,
        ),
        Figure(
            "export fhir (all ten years)",
            [*old, "export", "--format", "fhir"], [*new, "export", "--format", "fhir"], runs=3,
        ),
    ]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms" if seconds < 10 else f"{seconds:7.1f} s "


def report(figure: Figure) -> None:
    print(f"{figure.name}")
    after = figure.seen["after"]
    for side in ("before", "after", "reference"):
        runs = figure.seen.get(side)
        if not runs:
            continue
        label = {"before": "before", "after": "now", "reference": "sqlite3 same aggregate"}[side]
        line = (
            f"  {label:<24}{ms(statistics.median(r.wall for r in runs))} wall, "
            f"{ms(statistics.median(r.cpu for r in runs))} CPU, peak {max(r.peak_mb for r in runs):4.0f} MB"
        )
        if side != "after":
            wall = statistics.median(a.wall / b.wall for a, b in zip(after, runs))
            cpu = statistics.median(a.cpu / b.cpu for a, b in zip(after, runs))
            line += f"   now / {label.split()[0]}: {wall:.2f} wall, {cpu:.2f} CPU"
            if side == "before":
                line += "  (target <= 1.10: " + ("met" if wall <= 1.10 else "MISSED") + ")"
            else:
                line += "  (target < 1.0: " + ("met" if wall < 1.0 else "MISSED") + ")"
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before_python", help="the interpreter of the other installation")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (exports: at most 3)")
    parser.add_argument("--only", nargs="*", default=None, help="names (or their first words) to run")
    args = parser.parse_args()
    older, newer = databases(args.before_python)
    for python in (args.before_python, sys.executable):  # bytecode as an installed copy has it
        subprocess.run([python, "-c", "import compileall, selftrack, os; compileall.compile_dir(os.path.dirname(selftrack.__file__), quiet=1)"], check=True)
    print(f"before: {args.before_python}\nnow:    {sys.executable}\ndata:   {older.name} (and its upgraded copy), {DAYS} days\n")
    folder = Path(tempfile.mkdtemp(prefix="selftrack-side-by-side-"))
    try:
        for figure in figures(args.before_python, older, newer):
            if args.only and not any(figure.name.startswith(word) for word in args.only):
                continue
            runs = min(args.runs, figure.runs or args.runs)
            for index in range(runs):
                for side, command in (("before", figure.before), ("after", figure.after), ("reference", figure.reference)):
                    if command is None:
                        continue
                    if side != "reference":
                        command = with_output(command, figure.output, folder, index)
                    figure.seen.setdefault(side, []).append(run_once(command, folder))
            report(figure)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
