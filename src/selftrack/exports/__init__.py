"""Exports for a therapist (PDF, CSV, JSON, FHIR R4) and importing JSON back.

One module per format, each writing to a stream it is given. The data formats read the
records through the Store (selftrack.storage.export_reads); the PDF is handed its figures,
gathered by the Tracker. `write_file` writes any of them to a new owner-only file that
appears only once complete. Nothing heavy is imported here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from selftrack.errors import SelftrackError

FORMATS: tuple[str, ...] = ("pdf", "csv", "json", "fhir")
FORMAT_LABELS = {
    "pdf": "PDF report (to print)",
    "csv": "CSV (spreadsheets)",
    "json": "JSON (complete, re-importable)",
    "fhir": "FHIR R4 (clinic systems)",
}
SUFFIXES = {"pdf": ".pdf", "csv": ".csv", "json": ".json", "fhir": ".fhir.json"}
BINARY_FORMATS = frozenset({"pdf"})
Progress = Callable[[int, int], None]


class ExportError(SelftrackError, ValueError):
    """An export that cannot be written, explained in one line."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export: a format, sessions that started in [start, end], and who they are about."""

    format: str
    start: datetime | None = None
    end: datetime | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written, and where (None for a stream)."""

    format: str
    sessions: int
    ratings: int
    path: Path | None = None


def default_filename(fmt: str, today: date) -> str:
    """A file name for an export made today, e.g. `selftrack-2026-11-20.pdf`."""
    return f"selftrack-{today.isoformat()}{SUFFIXES[fmt]}"


def default_folder(home: Path | None = None) -> Path:
    """Where exports go unless the user says otherwise: ~/Documents when it exists, else ~."""
    from selftrack.paths import export_folder

    return export_folder(home)


def check_request(request: ExportRequest) -> None:
    """Refuse an unknown format or a range that ends before it starts."""
    if request.format not in FORMATS:
        raise ExportError(f"unknown format {request.format!r} (choose {', '.join(FORMATS)})")
    if request.start and request.end and request.start > request.end:
        raise ExportError("the start of the range is after its end")


def export_records(store, request: ExportRequest, out: IO, progress: Progress | None = None) -> ExportResult:
    """Write a data export (csv, json, fhir) of the store's profile to the text stream `out`
    (opened with newline="")."""
    from selftrack.exports.times import LocalTime
    from selftrack.storage import export_reads

    check_request(request)
    local = LocalTime(store.clock.tz)
    now = store.clock.now()
    with store.reading() as scope:
        ids = export_reads.session_ids(scope, request.start, request.end)
        if request.format == "csv":
            from selftrack.exports.csv_export import write_csv

            total = export_reads.count_ratings(scope, request.start, request.end) if progress else 0
            rows = export_reads.csv_ratings(scope, request.start, request.end)
            sessions = export_reads.csv_sessions(scope, request.start, request.end)
            definitions = export_reads.csv_definitions(scope.conn)
            ratings = write_csv(out, sessions, definitions, rows, local, total=total, progress=progress)
            return ExportResult(request.format, len(ids), ratings)
        records = export_reads.iter_sessions(scope.conn, ids, progress=progress)
        if request.format == "json":
            from selftrack.exports.json_export import write_json

            definitions = export_reads.used_definitions(scope.conn, ids)
            sessions, ratings = write_json(
                out, records, definitions, exported_at=now, start=request.start, end=request.end
            )
        elif request.format == "fhir":
            from selftrack.exports.fhir_export import write_fhir

            sessions, ratings = write_fhir(out, records, local, exported_at=now, subject=request.name)
        else:
            raise ExportError(f"{request.format} is not a data export")
    return ExportResult(request.format, sessions, ratings)


def write_file(
    path: Path, fmt: str, write: Callable[[IO], ExportResult]
) -> ExportResult:
    """Run `write` on a new owner-only file and give it the name `path` only once complete.

    The file is written under an unpredictable temporary name in the same folder (created
    with O_EXCL: a planted file or symlink is never followed) and renamed at the end.
    """
    from selftrack.paths import private_temp

    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        handle, partial = private_temp(path.parent, path.name)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    if fmt in BINARY_FORMATS:
        stream = os.fdopen(handle, "wb")
    else:
        stream = os.fdopen(handle, "w", encoding="utf-8", newline="")
    renamed = False
    try:
        try:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
            # renamed while still open (and locked): never taken for a leftover meanwhile
            os.replace(partial, path)
            renamed = True
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        try:
            stream.close()
        except OSError:
            pass  # only when writing failed already: that error is the one to report
        if not renamed:
            partial.unlink(missing_ok=True)
    return ExportResult(result.format, result.sessions, result.ratings, path)
