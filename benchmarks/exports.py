"""Export and import on ten years of sample data (`selftrack demo --days 3650`, ~400,000 ratings).

Each command runs as a fresh process, as a user would run it; figures are medians of RUNS
runs, with peak memory (max RSS) of the slowest-memory run. The CSV export is compared with
the sqlite3 command-line tool writing the same rows as CSV in the same run.

Targets (issue 6): CSV <= 3 s and <= 3x sqlite3; JSON export <= 5 s; JSON import into an
empty database <= 30 s; PDF of the last 90 days <= 2 s; peak memory <= 250 MB; (issue 15) PDF
of all ten years <= 20 s in at most 12 pages. The FHIR
(Bundle and NDJSON) and Excel exports are timed too; they have no time target, but stream
(issue 15), so the memory target holds for them.
Set SELFTRACK_BENCH_DB to an existing database to skip building one; `exports.py pdf` times
the PDF alone.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3
MB = 1024 * 1024
# Run a command and print its peak memory (KiB on Linux) to stderr's last line.
_LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
SQLITE_CSV = """
SELECT r.session_id, s.started_at, s.protocol_id, s.protocol_version, r.route_id, r.spot_id,
       d.name, r.side, d.region, r.tenderness, r.skipped, r.recognised, r.referred, r.nerve,
       r.note, r.rated_at, s.tool, s.pain_before, s.pain_after, r.referred_to, s.status
FROM sessions s JOIN ratings r ON r.session_id = s.id
JOIN spot_definitions d ON d.id = r.spot_def_id
ORDER BY s.started_at, s.id, r.step_index
"""


def selftrack(*args: str) -> list[str]:
    return [sys.executable, "-m", "selftrack", *args]


def measure(args: list[str], *, before=None, runs: int = RUNS, stdout_to: Path | None = None):
    """(median seconds, peak MB) over `runs` fresh processes; `before` runs untimed each time."""
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        if stdout_to is not None:
            with open(stdout_to, "wb") as out:
                start = time.perf_counter()
                subprocess.run(args, stdout=out, check=True)
                times.append(time.perf_counter() - start)
            continue
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *args], stderr=subprocess.PIPE, text=True
        )
        times.append(time.perf_counter() - start)
        if done.returncode:
            raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr}")
        peaks.append(int(done.stderr.strip().splitlines()[-1]) * 1024 / MB)
    return statistics.median(times), max(peaks) if peaks else None


def pdf_pages(path: Path) -> int:
    """The pages of a PDF reportlab wrote (its page objects: `/Type /Page`, not `/Pages`)."""
    return len(re.findall(rb"/Type /Page\b(?!s)", path.read_bytes()))


def pdf_figures(db: Path, tmp: Path) -> tuple[float, float]:
    """Time the PDF of the last 90 days and of everything; returns their peak memory (MB)."""
    pdf_file = tmp / "90d.pdf"
    pdf_time, pdf_peak = measure(
        selftrack("--db", str(db), "export", "--format", "pdf", "--from", "90d", "-o", str(pdf_file))
    )
    print(
        f"PDF, last 90 days: {pdf_time:.2f} s (target <= 2 s: {verdict(pdf_time <= 2)}); "
        f"{pdf_pages(pdf_file)} pages; peak {pdf_peak:.0f} MB"
    )
    all_file = tmp / "all.pdf"
    all_time, all_peak = measure(selftrack("--db", str(db), "export", "--format", "pdf", "-o", str(all_file)))
    pages = pdf_pages(all_file)
    print(
        f"PDF, everything: {all_time:.2f} s (target <= 20 s: {verdict(all_time <= 20)}); {pages} pages "
        f"(target <= 12: {verdict(pages <= 12)}); peak {all_peak:.0f} MB (target <= 250 MB: "
        f"{verdict(all_peak <= 250)})"
    )
    return pdf_peak, all_peak


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env_db = os.environ.get("SELFTRACK_BENCH_DB")
        db = tmp / "ten-years.db"
        if env_db:
            shutil.copy(env_db, db)
        else:
            start = time.perf_counter()
            subprocess.run(selftrack("--db", str(db), "demo", "--days", "3650"), check=True, stderr=subprocess.DEVNULL)
            print(f"built ten years of sample data in {time.perf_counter() - start:.1f} s")
        import sqlite3

        with sqlite3.connect(db) as conn:
            sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
            ratings = conn.execute("SELECT count(*) FROM ratings").fetchone()[0]
        print(f"database: {sessions} sessions, {ratings} ratings")
        # warm the file cache and bring the schema up to date before timing
        subprocess.run(selftrack("--db", str(db), "db", "check"), check=True, stdout=subprocess.DEVNULL)
        if sys.argv[1:] == ["pdf"]:  # `python benchmarks/exports.py pdf`: the PDF figures alone
            pdf_figures(db, tmp)
            return

        csv_file = tmp / "all.csv"
        csv_time, csv_peak = measure(selftrack("--db", str(db), "export", "--format", "csv", "-o", str(csv_file)))
        sqlite_bin = shutil.which("sqlite3")
        if sqlite_bin:
            cli_time, _ = measure([sqlite_bin, "-csv", "-header", str(db), SQLITE_CSV], stdout_to=tmp / "cli.csv")
            ratio = csv_time / cli_time
            print(
                f"CSV export, everything: {csv_time:.2f} s (target <= 3 s: {verdict(csv_time <= 3)}); "
                f"sqlite3 CLI same rows: {cli_time:.2f} s; ratio {ratio:.2f}x "
                f"(target <= 3x: {verdict(ratio <= 3)}); peak {csv_peak:.0f} MB"
            )
        else:
            print(f"CSV export, everything: {csv_time:.2f} s; sqlite3 CLI not installed, no ratio")

        json_file = tmp / "all.json"
        json_time, json_peak = measure(selftrack("--db", str(db), "export", "--format", "json", "-o", str(json_file)))
        size = json_file.stat().st_size / MB
        print(
            f"JSON export, everything: {json_time:.2f} s, {size:.0f} MB "
            f"(target <= 5 s: {verdict(json_time <= 5)}); peak {json_peak:.0f} MB"
        )

        fhir_file = tmp / "all.fhir.json"
        fhir_time, fhir_peak = measure(selftrack("--db", str(db), "export", "--format", "fhir", "-o", str(fhir_file)))
        size = fhir_file.stat().st_size / MB
        print(f"FHIR Bundle export, everything: {fhir_time:.2f} s, {size:.0f} MB; peak {fhir_peak:.0f} MB")
        ndjson_file = tmp / "all.fhir.ndjson"
        ndjson_time, ndjson_peak = measure(
            selftrack("--db", str(db), "export", "--format", "fhir-ndjson", "-o", str(ndjson_file))
        )
        size = ndjson_file.stat().st_size / MB
        print(f"FHIR NDJSON export, everything: {ndjson_time:.2f} s, {size:.0f} MB; peak {ndjson_peak:.0f} MB")
        xlsx_file = tmp / "all.xlsx"
        xlsx_time, xlsx_peak = measure(selftrack("--db", str(db), "export", "--format", "xlsx", "-o", str(xlsx_file)))
        size = xlsx_file.stat().st_size / MB
        print(f"Excel export, everything: {xlsx_time:.2f} s, {size:.0f} MB; peak {xlsx_peak:.0f} MB")

        empty = tmp / "empty.db"

        def fresh() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{empty}{suffix}").unlink(missing_ok=True)
            # an empty database at the current schema, so the import is timed alone
            subprocess.run(selftrack("--db", str(empty), "profiles"), check=True, capture_output=True)

        import_time, import_peak = measure(selftrack("--db", str(empty), "import", str(json_file)), before=fresh, runs=1)
        print(
            f"JSON import into an empty database: {import_time:.2f} s "
            f"(target <= 30 s: {verdict(import_time <= 30)}); peak {import_peak:.0f} MB"
        )
        again_time, again_peak = measure(selftrack("--db", str(empty), "import", str(json_file)), runs=1)
        print(f"JSON import again (everything already present): {again_time:.2f} s; peak {again_peak:.0f} MB")

        pdf_peak, all_peak = pdf_figures(db, tmp)
        peak = max(p for p in (csv_peak, json_peak, fhir_peak, ndjson_peak, xlsx_peak, import_peak, again_peak, pdf_peak, all_peak) if p)
        print(f"peak memory of any export or import: {peak:.0f} MB (target <= 250 MB: {verdict(peak <= 250)})")


if __name__ == "__main__":
    from _bytecode import compile_like_an_install

    compile_like_an_install()
    main()
