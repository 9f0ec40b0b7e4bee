"""Exports for a therapist (PDF, CSV, Excel, JSON, FHIR R4) and importing JSON back.

One module per format, each writing to a stream it is given. The data formats read the
records through the Store (selftrack.storage.export_reads); the PDF is handed its figures,
gathered by the Tracker. `write_file` writes any of them to a new owner-only file that
appears only once complete. Nothing heavy is imported here.
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
# A FHIR Bundle with more resources than this is "large": a server takes a transaction whole,
# in one request and one database transaction; ten years of demo data are ~415,000 resources.
LARGE_BUNDLE = 10_000
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
    from selftrack.paths import export_folder

    return export_folder(home)


def check_request(request: ExportRequest) -> None:
    """Refuse an unknown format, a range that ends before it starts, or an option the format
    does not take (docs/export-formats.md)."""
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


def export_records(
    store, request: ExportRequest, out: IO, progress: Progress | None = None, *, spots=()
) -> ExportResult:
    """Write a data export (every format but pdf) of the store's profile to `out`: a binary
    stream for xlsx, else text opened with newline="". `spots` are the spot trends of the
    period, for the workbook's Spots sheet."""
    from selftrack.exports.times import LocalTime
    from selftrack.storage import export_reads, outcome_reads

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
            if request.excel:
                out.write("\ufeff")
            ratings = write_csv(out, sessions, definitions, rows, local, total=total, progress=progress)
            return ExportResult(request.format, len(ids), ratings)
        records = export_reads.iter_sessions(scope.conn, ids, progress=progress)
        outcomes = outcome_reads.outcome_records(scope, request.start, request.end)
        if request.format == "json":
            from selftrack.exports.json_export import write_json

            definitions = export_reads.used_definitions(scope.conn, ids)
            sessions, ratings = write_json(
                out, records, definitions, exported_at=now, start=request.start, end=request.end,
                outcomes=outcomes,
            )  # fmt: skip
        elif request.format in ("fhir", "fhir-ndjson"):
            from selftrack.exports import fhir_export
            from selftrack.exports.fhir_resources import parse_patient

            patient = parse_patient(request.patient)
            if request.format == "fhir":
                counts = fhir_export.write_fhir(
                    out, records, local, exported_at=now, subject=request.name,
                    bundle=fhir_export.check_bundle_type(request.bundle), patient=patient, outcomes=outcomes,
                )  # fmt: skip
            else:
                counts = fhir_export.write_fhir_ndjson(
                    out, records, local, subject=request.name, patient=patient, outcomes=outcomes
                )
            return ExportResult(request.format, counts.sessions, counts.ratings, resources=counts.resources)
        elif request.format == "xlsx":
            from selftrack.exports.spot_levels import spot_levels
            from selftrack.exports.xlsx_export import XlsxContext, write_xlsx

            context = XlsxContext(zone=local.zone, exported_at=now, start=request.start, end=request.end)
            sessions, ratings = write_xlsx(out, records, spot_levels(spots), local, context, outcomes)
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
    return dataclasses.replace(result, path=path)
