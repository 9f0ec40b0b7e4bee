"""Import a JSON export: read as a stream, checked as it goes, written in one transaction.

Sessions already present with the same content are skipped, so importing a file twice adds
nothing; a session present with different content is left alone and reported. A file with any
problem is refused with the first problem and where it is, and the database is not changed.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from selftrack.domain import REGIONS, SIDES, VIEWS, SessionStatus, SpotSpec
from selftrack.exports.json_export import FORMAT_NAME, FORMAT_VERSION, session_text
from selftrack.exports.source import RatingRecord, SessionRecord, SpotDefinition
from selftrack.errors import SelftrackError

CHUNK_BYTES = 1 << 20
BATCH_SESSIONS = 200
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_IDENT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # as in protocol files
_HEADER_KEYS = ("format", "version", "exported_at", "selection", "spot_definitions", "sessions")
_STATUSES = tuple(s.value for s in SessionStatus)
_STEP_SIDES = ("left", "right", "mid")
_SPOT_TEXT = ("find", "feel", "refers", "pressure")
_SPOT_LISTS = ("muscles", "cautions", "tools")


class ImportRefused(SelftrackError, ValueError):
    """A file that cannot be imported; the message names the first problem and where it is."""


@dataclass
class ImportResult:
    """What an import did."""

    path: Path
    added_sessions: int = 0
    added_ratings: int = 0
    unchanged_sessions: int = 0
    conflicts: list[str] = field(default_factory=list)


class _Bad(Exception):
    """A problem inside one value; `where` is a path such as `ratings[3].tenderness`."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


class _Reader:
    """Reads one JSON document piece by piece, keeping line numbers for messages."""

    def __init__(self, handle, path: Path, progress: Callable[[int], None] | None) -> None:
        self.handle = handle
        self.path = path
        self.progress = progress
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.dropped = 0  # characters dropped from the front of buf so far
        self.counted_pos = 0  # newlines are counted up to here in buf ...
        self.counted_lines = 0  # ... and there were this many before it in the file
        self.bytes_read = 0
        self.eof = False

    def more(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the file."""
        if self.eof:
            return False
        data = self.handle.read(CHUNK_BYTES)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            where = self.bytes_read + exc.start
            raise ImportRefused(f"{self.path}: not UTF-8 text (byte {where}); nothing was imported") from None
        self.bytes_read += len(data)
        self.eof = not data
        if self.pos:
            self.line_of(self.pos)
            self.counted_pos -= self.pos
            self.dropped += self.pos
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += text
        if self.progress:
            self.progress(self.bytes_read)
        return True

    def line_of(self, pos: int) -> int:
        """The line (from 1) of a buffer position; positions are asked for in order, mostly."""
        if pos < self.counted_pos:
            self.counted_lines -= self.buf.count("\n", pos, self.counted_pos)
        else:
            self.counted_lines += self.buf.count("\n", self.counted_pos, pos)
        self.counted_pos = pos
        return self.counted_lines + 1

    def where(self, pos: int | None = None) -> tuple[int, int]:
        """(line, column), both from 1, of a buffer position."""
        pos = self.pos if pos is None else pos
        column = pos - (self.buf.rfind("\n", 0, pos) + 1) + 1
        return self.line_of(pos), column

    def refuse(self, message: str, pos: int | None = None) -> ImportRefused:
        line, column = self.where(pos)
        return ImportRefused(
            f"{self.path}:{line}:{column}: not valid JSON: {message}; nothing was imported"
        )

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, allowed: str, what: str) -> str:
        char = self.peek()
        if not char:
            raise self.refuse("the file ends in the middle (is it complete?)")
        if char not in allowed:
            raise self.refuse(f"expected {what}")
        self.pos += 1
        return char

    def value(self):
        """Decode the next complete JSON value."""
        self.peek()
        last = None
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                seen = (exc.msg, self.dropped + exc.pos)
                unterminated = exc.msg.startswith("Unterminated string")
                if self.eof or (seen == last and not unterminated) or not self.more():
                    if not self.buf[exc.pos :].strip() or unterminated:
                        raise self.refuse("the file ends in the middle (is it complete?)", exc.pos) from None
                    raise self.refuse(exc.msg[0].lower() + exc.msg[1:], exc.pos) from None
                last = seen
                continue
            except ValueError as exc:
                raise self.refuse(str(exc)) from None
            if end == len(self.buf) and not self.eof and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value


def _walk(reader: _Reader, header: dict, on_session) -> bool:
    """Read the document; header values go into `header`, each session to `on_session`.

    Returns False when the sessions came before the header was complete (they were only
    checked as JSON then, and need a second pass).
    """
    if reader.peek() != "{":
        raise ImportRefused(
            f"{reader.path}: not a selftrack export: the file is not a JSON object; nothing was imported"
        )
    reader.expect("{", "{")
    processed = True
    seen: set[str] = set()
    if reader.peek() == "}":
        reader.pos += 1
    else:
        while True:
            if reader.peek() != '"':
                raise reader.refuse("expected a key in double quotes")
            key_pos = reader.pos
            key = reader.value()
            if key in seen:
                raise reader.refuse(f'the key "{key}" appears twice', key_pos)
            seen.add(key)
            if key not in _HEADER_KEYS:
                line, _col = reader.where(key_pos)
                raise ImportRefused(
                    f'{reader.path}:{line}: unexpected key "{key}" at the top level '
                    f"(expected {', '.join(_HEADER_KEYS)}); nothing was imported"
                )
            reader.expect(":", "':'")
            if key == "sessions":
                ready = _header_ready(header, reader.path)
                processed = ready
                _sessions(reader, on_session if ready else None)
            else:
                header[key] = reader.value()
                _check_header_value(key, header[key], reader.path)
            if reader.expect(",}", "',' or '}'") == "}":
                break
    if reader.peek():
        raise reader.refuse("extra data after the end of the document")
    if "sessions" not in seen:
        raise ImportRefused(f'{reader.path}: no "sessions" list; nothing was imported')
    if not _header_ready(header, reader.path):
        missing = [k for k in ("format", "version", "spot_definitions") if k not in header]
        raise ImportRefused(
            f"{reader.path}: not a selftrack export: no {', '.join(repr(m) for m in missing)}; "
            "nothing was imported"
        )
    return processed


def _sessions(reader: _Reader, on_session) -> None:
    reader.expect("[", "'[' to start the sessions list")
    if reader.peek() == "]":
        reader.pos += 1
        return
    index = 0
    while True:
        reader.peek()
        line, _col = reader.where()
        value = reader.value()
        if on_session is not None:
            on_session(value, index, line)
        index += 1
        if reader.expect(",]", "',' or ']'") == "]":
            return


def _check_header_value(key: str, value, path: Path) -> None:
    if key == "format" and value != FORMAT_NAME:
        raise ImportRefused(
            f"{path}: not a selftrack export (format is {value!r}, expected {FORMAT_NAME!r}); "
            "nothing was imported"
        )
    if key == "version" and (type(value) is not int or value != FORMAT_VERSION):
        raise ImportRefused(
            f"{path}: format version {value!r} is not supported (this selftrack reads version "
            f"{FORMAT_VERSION}); nothing was imported"
        )
    if key == "spot_definitions" and not isinstance(value, dict):
        raise ImportRefused(f"{path}: spot_definitions must be an object; nothing was imported")


def _header_ready(header: dict, path: Path) -> bool:
    """True once format, version and spot definitions are known (and checked)."""
    if not all(k in header for k in ("format", "version", "spot_definitions")):
        return False
    if "_definitions" not in header:
        definitions: dict[str, SpotDefinition] = {}
        for key, data in header["spot_definitions"].items():
            try:
                spec = _spot(data)
            except _Bad as bad:
                raise ImportRefused(
                    f"{path}: spot_definitions[{key!r}]{bad.where}: {bad.message}; nothing was imported"
                ) from None
            definitions[key] = SpotDefinition(spec, spec.digest)
        header["_definitions"] = definitions
    return True


# -- checking values ---------------------------------------------------------------------------


def _text(data: dict, key: str, where: str, *, limit: int | None = None, empty: bool = True) -> str:
    if key not in data:
        raise _Bad(f"{where}", f'"{key}" is missing')
    value = data[key]
    if not isinstance(value, str):
        raise _Bad(f"{where}.{key}", f"expected text, found {_kind(value)}")
    if not empty and not value:
        raise _Bad(f"{where}.{key}", "must not be empty")
    if limit is not None and len(value) > limit:
        raise _Bad(f"{where}.{key}", f"longer than {limit} characters")
    return value


def _ident(data: dict, key: str, where: str) -> str:
    value = _text(data, key, where, limit=64, empty=False)
    if not _IDENT.match(value):
        raise _Bad(f"{where}.{key}", f"{value!r} is not an id (lower-case letters, digits, hyphens)")
    return value


def _choice(data: dict, key: str, where: str, allowed: tuple[str, ...]) -> str:
    value = _text(data, key, where)
    if value not in allowed:
        raise _Bad(f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _flag(data: dict, key: str, where: str) -> bool:
    if key not in data:
        raise _Bad(where, f'"{key}" is missing')
    value = data[key]
    if type(value) is not bool:
        raise _Bad(f"{where}.{key}", f"expected true or false, found {_kind(value)}")
    return value


def _scale(data: dict, key: str, where: str, *, nullable: bool = True) -> int | None:
    if key not in data:
        raise _Bad(where, f'"{key}" is missing')
    value = data[key]
    if value is None and nullable:
        return None
    if type(value) is not int or not 0 <= value <= 10:
        raise _Bad(f"{where}.{key}", f"{value!r} is not a whole number from 0 to 10")
    return value


def _moment(data: dict, key: str, where: str, *, nullable: bool = False) -> datetime | None:
    if key not in data:
        raise _Bad(where, f'"{key}" is missing')
    value = data[key]
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{where}.{key}", f"expected an ISO 8601 time, found {_kind(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{where}.{key}", f"{value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _Bad(f"{where}.{key}", f"{value!r} has no UTC offset")
    return moment.astimezone(timezone.utc)


def _object(value, where: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise _Bad(where, f"expected an object, found {_kind(value)}")
    for key in value:
        if key not in allowed:
            raise _Bad(where, f'unexpected key "{key}"')
    return value


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


_SPOT_KEYS = ("id", "name", "region", "x", "y", "view", "sided", *_SPOT_TEXT, *_SPOT_LISTS)


def _spot(data) -> SpotSpec:
    data = _object(data, "", _SPOT_KEYS)
    values: dict = {
        "id": _ident(data, "id", ""),
        "name": _text(data, "name", "", limit=200, empty=False),
        "region": _choice(data, "region", "", REGIONS),
    }
    for key in ("x", "y"):
        number = data.get(key)
        if type(number) not in (int, float) or not math.isfinite(number):
            raise _Bad(f".{key}", f"expected a number, found {_kind(number)}")
        if not -1.5 <= number <= 3.0:
            raise _Bad(f".{key}", f"{number} is off the body map (-1.5 to 3.0)")
        values[key] = float(number)
    if "view" in data:
        values["view"] = _choice(data, "view", "", VIEWS)
    if "sided" in data:
        values["sided"] = _flag(data, "sided", "")
    for key in _SPOT_TEXT:
        if key in data:
            values[key] = _text(data, key, "")
    for key in _SPOT_LISTS:
        if key in data:
            items = data[key]
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise _Bad(f".{key}", "expected a list of texts")
            values[key] = tuple(items)
    return SpotSpec(**values)


_SESSION_KEYS = (
    "id", "protocol", "sides", "tool", "status", "started_at", "ended_at", "pain_before",
    "pain_after", "notes", "edited_at", "routes", "spot_definitions", "steps", "ratings",
)  # fmt: skip
_RATING_KEYS = (
    "step", "spot", "side", "tenderness", "skipped", "recognised", "referred", "referred_to",
    "nerve", "note", "rated_at", "edited_at",
)  # fmt: skip


def _session(data, definitions: dict[str, SpotDefinition]) -> SessionRecord:
    """A checked session from its JSON object, or _Bad naming the first problem."""
    data = _object(data, "", _SESSION_KEYS)
    session_id = _text(data, "id", "", limit=36, empty=False)
    if "protocol" not in data:
        raise _Bad("", '"protocol" is missing')
    protocol = _object(data["protocol"], ".protocol", ("id", "version", "hash", "name"))
    version = protocol.get("version")
    if type(version) is not int:
        raise _Bad(".protocol.version", f"expected a whole number, found {_kind(version)}")
    routes = data.get("routes")
    if not isinstance(routes, dict) or not all(
        _IDENT.match(k) and len(k) <= 64 and isinstance(v, str) for k, v in routes.items()
    ):
        raise _Bad(".routes", "expected an object of route ids and names")
    used = data.get("spot_definitions")
    if not isinstance(used, dict):
        raise _Bad(".spot_definitions", "expected an object of spot ids and definition keys")
    spots: dict[str, SpotDefinition] = {}
    for spot_id, key in used.items():
        if key not in definitions:
            raise _Bad(
                f".spot_definitions.{spot_id}", f"unknown spot: no definition {key!r} in the file"
            )
        if definitions[key].spec.id != spot_id:
            raise _Bad(
                f".spot_definitions.{spot_id}",
                f"definition {key!r} is for spot {definitions[key].spec.id!r}",
            )
        spots[spot_id] = definitions[key]
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list):
        raise _Bad(".steps", f"expected a list, found {_kind(raw_steps)}")
    steps: list[tuple[str, str, str]] = []
    for i, step in enumerate(raw_steps):
        if not (isinstance(step, list) and len(step) == 3 and all(isinstance(p, str) for p in step)):
            raise _Bad(f".steps[{i}]", "expected [route, spot, side]")
        route_id, spot_id, side = step
        if route_id not in routes:
            raise _Bad(f".steps[{i}]", f"route {route_id!r} is not in routes")
        if spot_id not in spots:
            raise _Bad(f".steps[{i}]", f"unknown spot {spot_id!r}: it has no definition")
        if side not in _STEP_SIDES:
            raise _Bad(f".steps[{i}]", f"side {side!r} is not one of {', '.join(_STEP_SIDES)}")
        steps.append((route_id, spot_id, side))
    raw_ratings = data.get("ratings")
    if not isinstance(raw_ratings, list):
        raise _Bad(".ratings", f"expected a list, found {_kind(raw_ratings)}")
    ratings: dict[int, RatingRecord] = {}
    for i, item in enumerate(raw_ratings):
        rating = _rating(item, f".ratings[{i}]", steps)
        if rating.step_index in ratings:
            raise _Bad(f".ratings[{i}].step", f"step {rating.step_index} is rated twice")
        ratings[rating.step_index] = rating
    return SessionRecord(
        id=session_id,
        protocol_id=_ident(protocol, "id", ".protocol"),
        protocol_version=version,
        protocol_hash=_text(protocol, "hash", ".protocol", limit=64),
        protocol_name=_text(protocol, "name", ".protocol", limit=200),
        sides=_choice(data, "sides", "", SIDES),
        tool=_text(data, "tool", "", limit=32),
        status=_choice(data, "status", "", _STATUSES),
        started_at=_moment(data, "started_at", ""),
        ended_at=_moment(data, "ended_at", "", nullable=True),
        pain_before=_scale(data, "pain_before", ""),
        pain_after=_scale(data, "pain_after", ""),
        notes=_text(data, "notes", ""),
        edited_at=_moment(data, "edited_at", "", nullable=True),
        routes=routes,
        steps=steps,
        spots={spot_id: spots[spot_id] for _r, spot_id, _s in steps},
        ratings=[ratings[k] for k in sorted(ratings)],
    )


def _rating(data, where: str, steps: list[tuple[str, str, str]]) -> RatingRecord:
    data = _object(data, where, _RATING_KEYS)
    index = data.get("step")
    if type(index) is not int or not 0 <= index < len(steps):
        raise _Bad(f"{where}.step", f"{index!r} is not a step of this session (0–{len(steps) - 1})")
    route_id, spot_id, side = steps[index]
    if data.get("spot") != spot_id or data.get("side") != side:
        raise _Bad(where, f"step {index} is {spot_id} ({side}), not {data.get('spot')} ({data.get('side')})")
    skipped = _flag(data, "skipped", where)
    tenderness = _scale(data, "tenderness", where)
    if skipped and tenderness is not None:
        raise _Bad(f"{where}.tenderness", "a skipped spot has no tenderness (use null)")
    if not skipped and tenderness is None:
        raise _Bad(f"{where}.tenderness", "missing: give 0 to 10, or mark the spot skipped")
    return RatingRecord(
        step_index=index,
        route_id=route_id,
        spot_id=spot_id,
        side=side,
        tenderness=tenderness,
        skipped=skipped,
        recognised=_flag(data, "recognised", where),
        referred=_flag(data, "referred", where),
        referred_to=_text(data, "referred_to", where, limit=200),
        nerve=_flag(data, "nerve", where),
        note=_text(data, "note", where),
        rated_at=_moment(data, "rated_at", where),
        edited_at=_moment(data, "edited_at", where, nullable=True),
    )


# -- writing -----------------------------------------------------------------------------------


class _Importer:
    """Collects checked sessions and writes them in batches inside one transaction."""

    def __init__(self, db, profile: int, path: Path, header: dict, result: ImportResult) -> None:
        self.db = db
        self.profile = profile
        self.path = path
        self.header = header
        self.result = result
        self.pending: list[SessionRecord] = []
        self.pending_ids: set[str] = set()
        self.def_ids: dict[str, int] = {}

    def session(self, data, index: int, line: int) -> None:
        try:
            record = _session(data, self.header["_definitions"])
        except _Bad as bad:
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
        from sqlalchemy import insert, select

        from selftrack.exports.source import iter_sessions
        from selftrack.storage import repo
        from selftrack.storage.models import RatingRow, SessionRow

        if not self.pending:
            return
        batch, self.pending, self.pending_ids = self.pending, [], set()
        owners = dict(
            self.db.execute(
                select(SessionRow.id, SessionRow.profile_id).where(
                    SessionRow.id.in_([s.id for s in batch])
                )
            ).all()
        )
        mine = [s.id for s in batch if owners.get(s.id) == self.profile]
        stored = {s.id: s for s in iter_sessions(self.db, mine)} if mine else {}
        session_rows: list[dict] = []
        rating_rows: list[dict] = []
        for record in batch:
            if record.id in owners:
                if owners[record.id] != self.profile:
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
                self.def_ids |= repo.store_spot_definitions_by_digest(self.db, missing)
            by_spot = {spot_id: self.def_ids[d.digest] for spot_id, d in record.spots.items()}
            session_rows.append(_session_row(record, self.profile, by_spot))
            rating_rows += [_rating_row(record.id, r, by_spot) for r in record.ratings]
            self.result.added_sessions += 1
            self.result.added_ratings += len(record.ratings)
        connection = self.db.connection()  # Core inserts: the ORM's bulk path is slower
        if session_rows:
            connection.execute(insert(SessionRow.__table__), session_rows)
        if rating_rows:
            connection.execute(insert(RatingRow.__table__), rating_rows)


def _session_row(record: SessionRecord, profile: int, by_spot: dict[str, int]) -> dict:
    from selftrack.domain import Step
    from selftrack.storage.repo import encode_plan

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


def _rating_row(session_id: str, r: RatingRecord, by_spot: dict[str, int]) -> dict:
    values = r._asdict()
    values["session_id"] = session_id
    values["spot_def_id"] = by_spot[r.spot_id]
    return values


def import_json(tracker, path: Path, *, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import the JSON export at `path` into the tracker's profile, all or nothing."""
    path = Path(path)
    try:
        size = path.stat().st_size
        handle = open(path, "rb")
    except OSError as exc:
        raise ImportRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    result = ImportResult(path)
    header: dict = {}
    report = (lambda done: progress(done, size)) if progress else None
    with handle, tracker.database.writing() as db:
        importer = _Importer(db, tracker._profile(db), path, header, result)
        complete = _walk(_Reader(handle, path, report), header, importer.session)
        if not complete:
            handle.seek(0)
            _walk(_Reader(handle, path, report), {**header}, importer.session)
        importer.flush()
    return result
