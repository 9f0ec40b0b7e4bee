"""Import a JSON export: read as a stream, every value checked against the format
(selftrack.exports.json_schema), all or nothing.

On SQLite the checked sessions are staged in a private file beside the database and
published in one short transaction (selftrack.storage.staging), so a person rating spots in
another window waits a fraction of a second, not for the whole file. On PostgreSQL, where
writers do not lock each other out, they are written in one transaction as they are read.

Sessions already present with the same content are skipped, so importing a file twice adds
nothing; a session present with different content is left alone and reported. A file with any
problem is refused with the first problem and the line of the bad value, and the database is
not changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from selftrack.domain.records import SpotDefinition
from selftrack.exports.json_reader import HEADER_KEYS, ImportRefused, Reader, Span, walk
from selftrack.exports.json_schema import (
    FORMAT_NAME,
    FORMAT_VERSION,
    Bad,
    Checked,
    check_header,
    check_session,
    dotted,
    stored_datetime,
    to_record,
)

__all__ = ["ImportRefused", "ImportResult", "check_json", "import_json"]

BATCH_SESSIONS = 200
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass
class ImportResult:
    """What an import did."""

    path: Path
    added_sessions: int = 0
    added_ratings: int = 0
    unchanged_sessions: int = 0
    conflicts: list[str] = field(default_factory=list)


def import_json(store, path: Path, *, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import the JSON export at `path` into the store's profile, all or nothing."""
    from selftrack.exports.json_reader import IMPORT_MAX_BYTES
    from selftrack.paths import open_regular

    path = Path(path)
    try:
        descriptor = open_regular(path)
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}; nothing was imported") from None
    handle = os.fdopen(descriptor, "rb")
    with handle:
        size = os.fstat(descriptor).st_size
        reader = Reader(handle, path, (lambda done: progress(done, size)) if progress else None)
        if size > IMPORT_MAX_BYTES:
            raise reader.too_big()
        result = ImportResult(path)
        sink = _StagedSink(store) if store.database.is_sqlite else _DirectSink(store)
        with sink:
            importer = _Importer(path, result, sink)
            walk(reader, importer.header_value, importer.session)
            importer.require_header()
            if importer.deferred:  # sessions came before the header: read them again
                handle.seek(0)
                importer.second_pass()
                walk(Reader(handle, path, None), lambda *_: None, importer.session)
            importer.flush()
            sink.finish(result)
    return result


def check_json(path: Path) -> tuple[int, int]:
    """Check a JSON export against the format without a database; returns its (sessions,
    ratings), or an ImportRefused naming the first problem."""
    from selftrack.paths import open_regular

    path = Path(path)
    try:
        descriptor = open_regular(path)
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}; nothing was imported") from None
    with os.fdopen(descriptor, "rb") as handle:
        counted = _Counted()
        importer = _Importer(path, ImportResult(path), counted)
        walk(Reader(handle, path, None), importer.header_value, importer.session)
        importer.require_header()
        if importer.deferred:
            handle.seek(0)
            importer.second_pass()
            walk(Reader(handle, path, None), lambda *_: None, importer.session)
        importer.flush()
    return counted.sessions, counted.ratings


class _Counted:
    """A sink that only counts what it is given."""

    sessions = ratings = 0

    def add(self, batch, _definitions, _result) -> None:
        self.sessions += len(batch)
        self.ratings += sum(len(c.data["ratings"]) for c in batch)


class _Importer:
    """Checks header values and sessions as the reader finds them, and hands sessions to a
    sink in batches."""

    def __init__(self, path: Path, result: ImportResult, sink) -> None:
        self.path = path
        self.result = result
        self.sink = sink
        self.header: dict = {}
        self.deferred = False
        self.seen: dict[str, int] = {}  # session id -> the line it was first seen on
        self.pending: list[Checked] = []

    def refuse(self, line: int | None, message: str) -> ImportRefused:
        where = f":{line}" if line else ""
        return ImportRefused(f"{self.path}{where}: {message}; nothing was imported")

    # -- the header ---------------------------------------------------------------------------

    def header_value(self, key: str, value, span: Span) -> None:
        if key == "format" and value != FORMAT_NAME:
            raise self.refuse(
                span.line_of(()), f"not a selftrack export (format is {value!r}, expected {FORMAT_NAME!r})"
            )
        if key == "version" and (type(value) is not int or value != FORMAT_VERSION):
            raise self.refuse(
                span.line_of(()),
                f"format version {value!r} is not supported (this selftrack reads version {FORMAT_VERSION})",
            )
        try:
            checked = check_header({key: value})
        except Bad as bad:
            inside = bad.loc[1:]
            shown = f"[{inside[0]!r}]{dotted(inside[1:])}" if key == "spot_definitions" and inside else dotted(inside)
            raise self.refuse(span.line_of(inside), f"{key}{shown}: {bad.message}") from None
        self.header.update(checked)

    def ready(self) -> bool:
        return all(k in self.header for k in ("format", "version", "spot_definitions"))

    def require_header(self) -> None:
        if not self.ready():
            missing = [k for k in ("format", "version", "spot_definitions") if k not in self.header]
            raise self.refuse(None, f"not a selftrack export: no {', '.join(repr(m) for m in missing)}")

    def second_pass(self) -> None:
        self.deferred = False
        self.seen.clear()

    # -- sessions -----------------------------------------------------------------------------

    def session(self, value, index: int, span: Span) -> None:
        if not self.ready():
            self.deferred = True  # checked once the header is known (a second pass)
            return
        definitions = self.header["spot_definitions"]
        try:
            checked = check_session(value, definitions, self.header.get("exported_at"))
        except Bad as bad:
            raise self.refuse(span.line_of(bad.loc), f"{self._named(value, index)}{bad.where}: {bad.message}") from None
        data = checked.data
        first = self.seen.get(data["id"])
        if first is not None:
            raise self.refuse(
                span.line_of(("id",)),
                f"{self._named(value, index)}: the session starting on line {first} has the same id",
            )
        self.seen[data["id"]] = span.first_line()
        self.pending.append(checked)
        if len(self.pending) >= BATCH_SESSIONS:
            self.flush()

    @staticmethod
    def _named(value, index: int) -> str:
        """`sessions[3] (id 6f1c…)`, naming the id when it is one."""
        ident = value.get("id") if isinstance(value, dict) else None
        if isinstance(ident, str) and _UUID.match(ident):
            return f"sessions[{index}] (id {ident})"
        return f"sessions[{index}]"

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.sink.add(batch, self.header["spot_definitions"], self.result)


# -- sinks: where checked sessions go -------------------------------------------------------------


class _Sink:
    """Classifies each batch against the database (new, unchanged, in conflict) and writes the
    new sessions."""

    def __init__(self, store) -> None:
        self.store = store

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def add(self, batch: list[Checked], definitions: dict[str, SpotDefinition], result: ImportResult) -> None:
        from selftrack.exports.json_export import session_text
        from selftrack.storage import export_reads

        ids = [c.data["id"] for c in batch]
        with self.reading() as scope:
            owners = export_reads.owners(scope.conn, ids)
            mine = [sid for sid in ids if owners.get(sid) == scope.profile]
            stored = {s.id: s for s in export_reads.iter_sessions(scope.conn, mine)} if mine else {}
            profile = scope.profile
        new: list[Checked] = []
        for checked in batch:
            sid = checked.data["id"]
            if sid not in owners:
                new.append(checked)
            elif owners[sid] != profile:
                result.conflicts.append(f"session {sid} belongs to another profile in this database: not imported")
            elif session_text(stored[sid]) == session_text(to_record(checked, definitions)):
                result.unchanged_sessions += 1
            else:
                result.conflicts.append(
                    f"session {sid} ({checked.started_at[:10]}) is already present with "
                    "different content: kept the database's version"
                )
        if new:
            used = {definitions[key].digest: definitions[key].spec
                    for c in new for key in c.data["spot_definitions"].values()}  # fmt: skip
            def_ids = self.definition_ids(used.values())
            self.write(new, definitions, def_ids)

    def reading(self):
        raise NotImplementedError

    def definition_ids(self, specs) -> dict[str, int]:
        raise NotImplementedError

    def write(self, new: list[Checked], definitions, def_ids: dict[str, int]) -> None:
        raise NotImplementedError

    def finish(self, result: ImportResult) -> None:
        raise NotImplementedError


def _rows(checked: Checked, definitions: dict[str, SpotDefinition], def_ids: dict[str, int]):
    """(session row, rating rows) of a new session, in staging order (moments as stored text)."""
    data = checked.data
    by_spot = {spot_id: def_ids[definitions[key].digest] for spot_id, key in data["spot_definitions"].items()}
    steps = data["steps"]
    plan = json.dumps(
        {"routes": data["routes"], "steps": [[r, s, side, by_spot[s]] for r, s, side in steps]},
        separators=(",", ":"),
    )
    protocol = data["protocol"]
    sid, started = data["id"], checked.started_at
    session = (
        sid, protocol["id"], protocol["version"], protocol["hash"], protocol["name"], data["sides"],
        data["tool"], data["pain_before"], data["pain_after"], data["notes"], started,
        checked.ended_at, data["status"], plan, "import", checked.edited_at,
        checked.rated, checked.skipped, checked.total, checked.highest,
    )  # fmt: skip  (STAGED_SESSION_FIELDS)
    ratings = [
        (sid, started, r["step"], steps[r["step"]][0], r["spot"], by_spot[r["spot"]], r["side"],
         r["tenderness"], r["skipped"], r["recognised"], r["referred"], r["referred_to"], r["nerve"],
         r["note"], r["rated_at"], r["edited_at"])  # fmt: skip  (STAGED_RATING_FIELDS)
        for r in data["ratings"]
    ]
    return session, ratings


class _StagedSink(_Sink):
    """SQLite: stage beside the database, publish at the end in one short transaction."""

    def __init__(self, store) -> None:
        from selftrack.storage.staging import Staging

        super().__init__(store)
        self.staging = Staging(store)

    def close(self) -> None:
        self.staging.close()

    def reading(self):
        return self.store.reading()

    def definition_ids(self, specs) -> dict[str, int]:
        return self.staging.definition_ids(specs)

    def write(self, new, definitions, def_ids) -> None:
        sessions, ratings = [], []
        for checked in new:
            session, rows = _rows(checked, definitions, def_ids)
            sessions.append(session)
            ratings += rows
        self.staging.add(sessions, ratings)

    def finish(self, result: ImportResult) -> None:
        added, rated, raced = self.staging.publish()
        result.added_sessions += added
        result.added_ratings += rated
        result.unchanged_sessions += len(raced)  # another program added them meanwhile


class _DirectSink(_Sink):
    """PostgreSQL (writers do not lock each other out): one transaction from first to last."""

    def __init__(self, store) -> None:
        super().__init__(store)
        self._stack = contextlib.ExitStack()
        self.scope = self._stack.enter_context(store.writing())
        self._done = False

    def __exit__(self, kind, error, trace) -> None:
        if not self._done:
            self._stack.__exit__(kind or ImportRefused, error or ImportRefused("stopped"), trace)

    @contextlib.contextmanager
    def reading(self):
        yield self.scope

    def definition_ids(self, specs) -> dict[str, int]:
        from selftrack.storage import writes

        return writes.store_definitions(self.scope.conn, specs)

    def write(self, new, definitions, def_ids) -> None:
        from selftrack.storage import writes
        from selftrack.storage.staging import STAGED_RATING_FIELDS, STAGED_SESSION_FIELDS

        sessions, ratings = [], []
        profile = self.scope.profile
        for checked in new:
            session, rows = _rows(checked, definitions, def_ids)
            values = dict(zip(STAGED_SESSION_FIELDS, session))
            sessions.append(
                {name: _moment(name, values.get(name)) for name in writes.SESSION_FIELDS if name != "profile_id"}
                | {"profile_id": profile}
            )
            for row in rows:
                values = dict(zip(STAGED_RATING_FIELDS, row))
                ratings.append({name: _moment(name, v) for name, v in values.items()} | {"profile_id": profile})
        writes.insert_sessions(self.scope.conn, sessions, ratings)
        self.added = getattr(self, "added", (0, 0))
        self.added = (self.added[0] + len(sessions), self.added[1] + len(ratings))

    def finish(self, result: ImportResult) -> None:
        added = getattr(self, "added", (0, 0))
        self._done = True
        self._stack.close()  # commits
        result.added_sessions += added[0]
        result.added_ratings += added[1]


_MOMENTS = frozenset({"started_at", "ended_at", "rated_at", "edited_at"})


def _moment(name: str, value):
    return stored_datetime(value) if name in _MOMENTS and isinstance(value, str) else value


_ = HEADER_KEYS  # the keys a document may hold (documented in docs/export-formats.md)
