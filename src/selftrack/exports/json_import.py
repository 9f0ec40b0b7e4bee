"""Import a JSON export: read as a stream, every value checked against the format
(selftrack.exports.json_schema), all or nothing.

On SQLite the checked sessions are staged in a private file beside the database and
published in one short transaction (selftrack.storage.staging), so a person rating spots in
another window waits a fraction of a second, not for the whole file. On PostgreSQL, where
writers do not lock each other out, they are written in one transaction as they are read.

Sessions already present with the same content are skipped, so importing a file twice adds
nothing; a session present with different content is left alone and reported. The outcome
records (check-ins, weekly forms, PSFS activities, red-flag screens, condition profiles and,
from version 3, the soreness answers given before a session) are written in the same
transaction as the sessions, after them, each once in the same way
(selftrack.storage.outcome_reads). A version 1 file still imports: its ratings carry no dose,
and it has no outcome records. A file with any
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
from selftrack.exports.json_reader import ImportRefused, Reader, Span, walk
from selftrack.exports.json_schema import (
    FORMAT_NAME,
    FORMAT_VERSION,
    OUTCOME_KEYS,
    OUTCOME_SINCE,
    READ_VERSIONS,
    Bad,
    Checked,
    activity_refs,
    after_export,
    check_header,
    check_outcomes,
    check_session,
    dotted,
    latest_moment,
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
    added_checkins: int = 0
    added_forms: int = 0
    added_other: int = 0  # red-flag screens, condition profiles, soreness answers
    unchanged_outcomes: int = 0


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
            sink.finish(result, importer.outcome_records())
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
    version = FORMAT_VERSION

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
        self.outcomes: dict[str, list[dict]] = {}  # checked outcome lists, by key
        self.outcome_lines: dict[str, int] = {}  # the line each list starts on
        self.pending_refs: list[tuple[int, str, int]] = []  # (line, where, activity id) of forms
        self.checked_against_export: set[str] = set()  # lists whose moments met exported_at

    def refuse(self, line: int | None, message: str) -> ImportRefused:
        where = f":{line}" if line else ""
        return ImportRefused(f"{self.path}{where}: {message}; nothing was imported")

    # -- the header ---------------------------------------------------------------------------

    def header_value(self, key: str, value, span: Span) -> None:
        if key == "format" and value != FORMAT_NAME:
            raise self.refuse(
                span.line_of(()), f"not a selftrack export (format is {value!r}, expected {FORMAT_NAME!r})"
            )
        if key == "version" and (type(value) is not int or value not in READ_VERSIONS):
            raise self.refuse(
                span.line_of(()),
                f"format version {value!r} is not supported (this selftrack reads versions "
                f"{', '.join(map(str, READ_VERSIONS))}; it writes {FORMAT_VERSION})",
            )
        if key in OUTCOME_KEYS:
            self.outcome_value(key, value, span)
            return
        try:
            checked = check_header({key: value})
        except Bad as bad:
            inside = bad.loc[1:]
            shown = f"[{inside[0]!r}]{dotted(inside[1:])}" if key == "spot_definitions" and inside else dotted(inside)
            raise self.refuse(span.line_of(inside), f"{key}{shown}: {bad.message}") from None
        self.header.update(checked)

    def outcome_value(self, key: str, value, span: Span) -> None:
        """Check an outcome list as it is read; what depends on keys that may come later in
        the file (the version, exported_at, the PSFS activities) is checked in `finish_outcomes`
        with the lines noted here."""
        exported_at = self.header.get("exported_at")
        try:
            items = check_outcomes(key, value, exported_at)
        except Bad as bad:
            raise self.refuse(span.line_of(bad.loc), f"{key}{dotted(bad.loc)}: {bad.message}") from None
        self.outcomes[key] = items
        self.outcome_lines[key] = span.first_line()
        if exported_at is not None:
            self.checked_against_export.add(key)
        if key == "weekly_forms":
            self.pending_refs = [
                (span.line_of(loc), f"{key}{dotted(loc)}", aid) for loc, aid in activity_refs(items)
            ]

    def finish_outcomes(self) -> None:
        """The checks an outcome list waits for until the whole file is read."""
        version = self.header.get("version")
        for key in self.outcomes:
            if version is not None and version < OUTCOME_SINCE[key]:
                raise self.refuse(self.outcome_lines[key], f'unexpected key "{key}": a version {version} file has no {key}')
        exported_at = self.header.get("exported_at")
        for key, items in self.outcomes.items():
            if exported_at is None or key in self.checked_against_export:
                continue
            latest = latest_moment(key, items)
            if latest is not None and after_export(latest[1], exported_at):
                raise self.refuse(self.outcome_lines[key], f"{key}{dotted(latest[0])}: is after the file was exported")
        known = {a["id"] for a in self.outcomes.get("psfs_activities", ())}
        for line, where, aid in self.pending_refs:
            if aid not in known:
                raise self.refuse(line, f"{where}: {aid} is not the id of an activity in psfs_activities")

    def outcome_records(self):
        """The checked outcome lists as the records storage adds."""
        from datetime import date

        from selftrack.domain.outcomes import (
            CheckIn, ConditionsSet, OutcomeRecords, Peg, PsfsActivity, PsfsRating, Screening, SorenessAnswer,
            WeeklyForm,
        )  # fmt: skip

        def at(text):
            return None if text is None else stored_datetime(text)

        found = self.outcomes
        activities = tuple(
            PsfsActivity(a["id"], a["name"], a["position"], at(a["since"]), at(a["until"]))
            for a in found.get("psfs_activities", ())
        )
        names = {a.id: a.name for a in activities}
        return OutcomeRecords(
            checkins=tuple(
                CheckIn(
                    date.fromisoformat(c["day"]), at(c["answered_at"]), c["back_pain"], c["leg_pain"],
                    c["below_knee"], c["night"],
                    None if c["soreness"] is None else c["soreness"]["answer"],
                    None if c["soreness"] is None else c["soreness"]["session"],
                    at(c["edited_at"]), "import",
                )  # fmt: skip
                for c in found.get("checkins", ())
            ),
            activities=activities,
            forms=tuple(
                WeeklyForm(
                    0, at(f["answered_at"]), None if f["peg"] is None else Peg(**f["peg"]),
                    tuple(PsfsRating(r["activity_id"], names[r["activity_id"]], r["score"]) for r in f["psfs"]),
                    f["pgic"], "import",
                )  # fmt: skip
                for f in found.get("weekly_forms", ())
            ),
            screenings=tuple(
                Screening(at(s["answered_at"]), s["trigger"], dict(s["answers"]), s["outcome"])
                for s in found.get("screenings", ())
            ),
            conditions=tuple(
                ConditionsSet(at(c["updated_at"]), tuple(c["conditions"]), c["pregnancy_weeks"])
                for c in found.get("conditions", ())
            ),
            soreness=tuple(
                SorenessAnswer(o["session"], at(o["answered_at"]), o["answer"])
                for o in found.get("soreness_answers", ())
            ),
        )

    def ready(self) -> bool:
        return all(k in self.header for k in ("format", "version", "spot_definitions"))

    def require_header(self) -> None:
        if not self.ready():
            missing = [k for k in ("format", "version", "spot_definitions") if k not in self.header]
            raise self.refuse(None, f"not a selftrack export: no {', '.join(repr(m) for m in missing)}")
        self.finish_outcomes()

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
            checked = check_session(value, definitions, self.header.get("exported_at"), self.header["version"])
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
        self.sink.version = self.header["version"]
        self.sink.add(batch, self.header["spot_definitions"], self.result)


# -- sinks: where checked sessions go -------------------------------------------------------------


class _Sink:
    """Classifies each batch against the database (new, unchanged, in conflict) and writes the
    new sessions."""

    version = FORMAT_VERSION  # of the file: a version 1 session is compared without the dose it cannot hold

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
            elif session_text(_comparable(stored[sid], self.version)) == session_text(to_record(checked, definitions)):
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

    def finish(self, result: ImportResult, outcomes) -> None:
        raise NotImplementedError


def _comparable(stored, version: int):
    """A stored session as a file of `version` can hold it (version 1: no dose)."""
    if version >= 2:
        return stored
    import dataclasses

    ratings = [r._replace(hold_seconds=None, tool=None, pressure=None) for r in stored.ratings]
    return dataclasses.replace(stored, ratings=ratings, hold_guidance=None)


def _add_outcomes(scope, outcomes, result: ImportResult) -> None:
    """Write an import's outcome records in the sessions' transaction, and count them."""
    from selftrack.storage import outcome_reads

    for kind, done in (
        ("checkins", outcome_reads.add_checkins(scope, outcomes.checkins)),
        ("forms", outcome_reads.add_weekly_forms(scope, outcomes.activities, outcomes.forms)),
        ("other", outcome_reads.add_screenings(scope, outcomes.screenings)),
        ("other", outcome_reads.add_condition_profiles(scope, outcomes.conditions)),
        ("other", outcome_reads.add_soreness_answers(scope, outcomes.soreness)),
    ):
        setattr(result, f"added_{kind}", getattr(result, f"added_{kind}") + done.added)
        result.unchanged_outcomes += done.unchanged
        result.conflicts += done.conflicts


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
        checked.ended_at, data["status"], plan, "import", checked.edited_at, data["hold_guidance"],
        checked.rated, checked.skipped, checked.total, checked.highest,
    )  # fmt: skip  (STAGED_SESSION_FIELDS)
    ratings = [
        (sid, started, r["step"], steps[r["step"]][0], r["spot"], by_spot[r["spot"]], r["side"],
         r["tenderness"], r["skipped"], r["recognised"], r["referred"], r["referred_to"], r["nerve"],
         r["note"], r["rated_at"], r["edited_at"], r["hold_seconds"], r["tool"], r["pressure"])  # fmt: skip  (STAGED_RATING_FIELDS)
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

    def finish(self, result: ImportResult, outcomes) -> None:
        tried: list[ImportResult] = []

        def then(scope) -> None:  # may run more than once: only the last, committed try counts
            counted = ImportResult(result.path)
            _add_outcomes(scope, outcomes, counted)
            tried.append(counted)

        added, rated, raced = self.staging.publish(then)
        if tried:
            last = tried[-1]
            result.added_checkins += last.added_checkins
            result.added_forms += last.added_forms
            result.added_other += last.added_other
            result.unchanged_outcomes += last.unchanged_outcomes
            result.conflicts += last.conflicts
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
                {name: _moment(name, values.get(name))
                 for name in writes.SESSION_FIELDS + writes.SESSION_OPTIONAL if name != "profile_id"}  # fmt: skip
                | {"profile_id": profile}
            )
            for row in rows:
                values = dict(zip(STAGED_RATING_FIELDS, row))
                ratings.append({name: _moment(name, v) for name, v in values.items()} | {"profile_id": profile})
        writes.insert_sessions(self.scope.conn, sessions, ratings)
        self.added = getattr(self, "added", (0, 0))
        self.added = (self.added[0] + len(sessions), self.added[1] + len(ratings))

    def finish(self, result: ImportResult, outcomes) -> None:
        added = getattr(self, "added", (0, 0))
        _add_outcomes(self.scope, outcomes, result)
        self._done = True
        self._stack.close()  # commits
        result.added_sessions += added[0]
        result.added_ratings += added[1]


_MOMENTS = frozenset({"started_at", "ended_at", "rated_at", "edited_at"})


def _moment(name: str, value):
    return stored_datetime(value) if name in _MOMENTS and isinstance(value, str) else value
