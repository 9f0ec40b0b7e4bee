"""Import a JSON export: read as a stream, checked as it goes, written in one transaction.

Sessions already present with the same content are skipped, so importing a file twice adds
nothing; a session present with different content is left alone and reported. A file with any
problem is refused with the first problem and where it is, and the database is not changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from selftrack.domain.records import RatingRecord, SessionRecord
from selftrack.exports.json_export import session_text
from selftrack.exports.json_reader import ImportRefused, Reader, walk
from selftrack.exports.json_schema import Bad, session_record

__all__ = ["ImportRefused", "ImportResult", "import_json"]

BATCH_SESSIONS = 200


@dataclass
class ImportResult:
    """What an import did."""

    path: Path
    added_sessions: int = 0
    added_ratings: int = 0
    unchanged_sessions: int = 0
    conflicts: list[str] = field(default_factory=list)


# -- writing -----------------------------------------------------------------------------------


class _Importer:
    """Collects checked sessions and writes them in batches inside one transaction."""

    def __init__(self, scope, path: Path, header: dict, result: ImportResult) -> None:
        self.scope = scope
        self.path = path
        self.header = header
        self.result = result
        self.pending: list[SessionRecord] = []
        self.pending_ids: set[str] = set()
        self.def_ids: dict[str, int] = {}

    def session(self, data, index: int, line: int) -> None:
        try:
            record = session_record(data, self.header["_definitions"])
        except Bad as bad:
            ident = data.get("id") if isinstance(data, dict) else None
            named = f" (id {ident})" if isinstance(ident, str) else ""
            raise ImportRefused(
                f"{self.path}:{line}: sessions[{index}]{named}{bad.where}: {bad.message}; "
                "nothing was imported"
            ) from None
        if record.id in self.pending_ids:
            self.flush()  # the same id twice in the file: compare with the first copy
        self.pending.append(record)
        self.pending_ids.add(record.id)
        if len(self.pending) >= BATCH_SESSIONS:
            self.flush()

    def flush(self) -> None:
        from selftrack.storage import export_reads, writes

        if not self.pending:
            return
        batch, self.pending, self.pending_ids = self.pending, [], set()
        conn, profile = self.scope.conn, self.scope.profile
        owners = export_reads.owners(conn, [s.id for s in batch])
        mine = [s.id for s in batch if owners.get(s.id) == profile]
        stored = {s.id: s for s in export_reads.iter_sessions(conn, mine)} if mine else {}
        session_rows: list[dict] = []
        rating_rows: list[dict] = []
        for record in batch:
            if record.id in owners:
                if owners[record.id] != profile:
                    self.result.conflicts.append(
                        f"session {record.id} belongs to another profile in this database: not imported"
                    )
                elif session_text(stored[record.id]) == session_text(record):
                    self.result.unchanged_sessions += 1
                else:
                    self.result.conflicts.append(
                        f"session {record.id} ({record.started_at:%Y-%m-%d}) is already present with "
                        "different content: kept the database's version"
                    )
                continue
            missing = [d.spec for d in record.spots.values() if d.digest not in self.def_ids]
            if missing:
                self.def_ids |= writes.store_definitions(conn, missing)
            by_spot = {spot_id: self.def_ids[d.digest] for spot_id, d in record.spots.items()}
            session_rows.append(_session_row(record, profile, by_spot))
            rating_rows += [_rating_row(record, profile, r, by_spot) for r in record.ratings]
            self.result.added_sessions += 1
            self.result.added_ratings += len(record.ratings)
        writes.insert_sessions(conn, session_rows, rating_rows)


def _session_row(record: SessionRecord, profile: int, by_spot: dict[str, int]) -> dict:
    from selftrack.domain.model import Step
    from selftrack.storage.writes import encode_plan

    steps = [Step(i, r, s, side) for i, (r, s, side) in enumerate(record.steps)]
    return dict(
        id=record.id,
        profile_id=profile,
        protocol_id=record.protocol_id,
        protocol_version=record.protocol_version,
        protocol_hash=record.protocol_hash,
        protocol_name=record.protocol_name,
        sides=record.sides,
        tool=record.tool,
        pain_before=record.pain_before,
        pain_after=record.pain_after,
        notes=record.notes,
        started_at=record.started_at,
        ended_at=record.ended_at,
        status=record.status,
        plan=encode_plan(steps, record.routes, by_spot),
        origin="import",
        edited_at=record.edited_at,
    )


def _rating_row(record: SessionRecord, profile: int, r: RatingRecord, by_spot: dict[str, int]) -> dict:
    from selftrack.storage.writes import rating_row

    step = (r.step_index, r.route_id, r.spot_id, r.side, by_spot[r.spot_id])
    values = {k: v for k, v in r._asdict().items() if k not in ("step_index", "route_id", "spot_id", "side")}
    return rating_row(record.id, profile, record.started_at, step, **values)


def import_json(store, path: Path, *, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import the JSON export at `path` into the store's profile, all or nothing."""
    path = Path(path)
    try:
        size = path.stat().st_size
        handle = open(path, "rb")
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    result = ImportResult(path)
    header: dict = {}
    report = (lambda done: progress(done, size)) if progress else None
    with handle, store.writing() as scope:
        importer = _Importer(scope, path, header, result)
        complete = walk(Reader(handle, path, report), header, importer.session)
        if not complete:
            handle.seek(0)
            walk(Reader(handle, path, report), {**header}, importer.session)
        importer.flush()
    return result
