"""Exports for a therapist (PDF, CSV, JSON, FHIR R4) and importing JSON back.

One module per format, each writing to a stream it is given; this module picks the format,
opens the one read transaction, and writes files owner-only. Nothing heavy is imported here.
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
    home = home or Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


def export(tracker, request: ExportRequest, out: IO, progress: Progress | None = None) -> ExportResult:
    """Write the export to `out`: a text stream (newline="") for csv/json/fhir, binary for pdf."""
    from selftrack.exports import source

    if request.format not in FORMATS:
        raise ExportError(f"unknown format {request.format!r} (choose {', '.join(FORMATS)})")
    if request.start and request.end and request.start > request.end:
        raise ExportError("the start of the range is after its end")
    if request.format == "pdf":
        from selftrack.exports.pdf_report import write_pdf

        sessions, ratings = write_pdf(out, tracker, request, progress=progress)
        return ExportResult(request.format, sessions, ratings)
    selection = source.Selection(request.start, request.end)
    local = source.LocalTime(tracker.clock.tz)
    now = tracker.clock.now()
    with tracker.database.reading() as db:
        profile = tracker._profile(db)
        ids = source.session_ids(db, profile, selection)
        if request.format == "csv":
            from selftrack.exports.csv_export import write_csv

            total = source.count_ratings(db, profile, selection) if progress else 0
            ratings = write_csv(db, profile, selection, out, local, total=total, progress=progress)
            sessions = len(ids)
        else:
            records = source.iter_sessions(db, ids, progress=progress)
            if request.format == "json":
                from selftrack.exports.json_export import write_json

                definitions = source.used_definitions(db, ids)
                sessions, ratings = write_json(
                    out, records, definitions, exported_at=now, start=request.start, end=request.end
                )
            else:
                from selftrack.exports.fhir_export import write_fhir

                sessions, ratings = write_fhir(
                    out, records, local, exported_at=now, subject=request.name
                )
    return ExportResult(request.format, sessions, ratings)


def export_to_file(
    tracker, request: ExportRequest, path: Path, progress: Progress | None = None
) -> ExportResult:
    """Write the export to a new owner-only file at `path`, replacing it only once complete."""
    from selftrack.paths import open_private

    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    binary = request.format in BINARY_FORMATS
    try:
        try:
            handle = (
                open_private(partial, "wb")
                if binary
                else open_private(partial, "w", encoding="utf-8", newline="")
            )
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
        with handle:
            result = export(tracker, request, handle, progress)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(result.format, result.sessions, result.ratings, path)
