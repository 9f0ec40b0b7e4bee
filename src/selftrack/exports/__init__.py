"""Exports for a therapist (PDF, CSV, Excel, JSON, FHIR R4) and importing JSON back.

One module per format, each writing to a stream it is given; this module picks the format,
opens the one read transaction, and writes files owner-only. Nothing heavy is imported here.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from selftrack.errors import SelftrackError

FORMATS: tuple[str, ...] = ("pdf", "xlsx", "csv", "json", "fhir", "fhir-ndjson")
FORMAT_LABELS = {
    "pdf": "PDF report (to print)",
    "xlsx": "Excel workbook (spreadsheets)",
    "csv": "CSV (scripts, data tools)",
    "json": "JSON (complete, re-importable)",
    "fhir": "FHIR R4 (clinic systems)",
    "fhir-ndjson": "FHIR R4 NDJSON (years of data)",
}
SUFFIXES = {
    "pdf": ".pdf",
    "xlsx": ".xlsx",
    "csv": ".csv",
    "json": ".json",
    "fhir": ".fhir.json",
    "fhir-ndjson": ".fhir.ndjson",
}
BINARY_FORMATS = frozenset({"pdf", "xlsx"})
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
    # format options (docs/export-formats.md)
    bundle: str = "collection"  # fhir: "collection" or "transaction"
    patient: str = ""  # fhir, fhir-ndjson: "Patient/ID" or "SYSTEM|VALUE"
    excel: bool = False  # csv: start with a UTF-8 byte-order mark


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written, and where (None for a stream)."""

    format: str
    sessions: int
    ratings: int
    path: Path | None = None
    resources: int = 0  # FHIR resources written (fhir, fhir-ndjson)


def default_filename(fmt: str, today: date) -> str:
    """A file name for an export made today, e.g. `selftrack-2026-11-20.pdf`."""
    return f"selftrack-{today.isoformat()}{SUFFIXES[fmt]}"


def default_folder(home: Path | None = None) -> Path:
    """Where exports go unless the user says otherwise: ~/Documents when it exists, else ~."""
    home = home or Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


def export(tracker, request: ExportRequest, out: IO, progress: Progress | None = None) -> ExportResult:
    """Write the export to `out`: a binary stream for pdf and xlsx, else text (newline="")."""
    from selftrack.exports import source

    if request.format not in FORMATS:
        raise ExportError(f"unknown format {request.format!r} (choose {', '.join(FORMATS)})")
    if request.start and request.end and request.start > request.end:
        raise ExportError("the start of the range is after its end")
    if request.excel and request.format != "csv":
        raise ExportError("--excel is for --format csv only")
    if request.bundle != "collection" and request.format != "fhir":
        raise ExportError("--bundle is for --format fhir only")
    if request.patient and request.format not in ("fhir", "fhir-ndjson"):
        raise ExportError("--patient is for --format fhir or fhir-ndjson only")
    if request.format == "pdf":
        from selftrack.exports.pdf_report import write_pdf

        sessions, ratings = write_pdf(out, tracker, request, progress=progress)
        return ExportResult(request.format, sessions, ratings)
    if request.format in ("fhir", "fhir-ndjson"):
        from selftrack.exports import fhir_export

        return fhir_export.export_fhir(tracker, request, out, progress)
    spot_levels = None
    if request.format == "xlsx":
        from selftrack.exports.spot_levels import spot_levels as levels

        spot_levels = levels(tracker, request.start, request.end)
    selection = source.Selection(request.start, request.end)
    local = source.LocalTime(tracker.clock.tz)
    now = tracker.clock.now()
    with tracker.database.reading() as db:
        profile = tracker._profile(db)
        ids = source.session_ids(db, profile, selection)
        if request.format == "csv":
            from selftrack.exports.csv_export import write_csv

            total = source.count_ratings(db, profile, selection) if progress else 0
            if request.excel:
                out.write("\ufeff")
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
                from selftrack.exports.xlsx_export import XlsxContext, write_xlsx

                context = XlsxContext(
                    zone=local.zone, exported_at=now, start=request.start, end=request.end
                )
                sessions, ratings = write_xlsx(out, records, spot_levels, local, context)
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
    return dataclasses.replace(result, path=path)
