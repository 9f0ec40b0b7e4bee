"""The use cases of selftrack: one façade that both the terminal UI and the CLI call."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selftrack import paths
from selftrack.clock import Clock
from selftrack.errors import SelftrackError
from selftrack.terms import SIDES, SessionStatus

if TYPE_CHECKING:
    from selftrack.domain import ProfileSummary, ProtocolSpec, Rating, Session, Step
    from selftrack.protocols import LoadResult


class TrackerError(SelftrackError, ValueError):
    """A request the core refuses, explained in one line."""


class Tracker:
    """Protocols, sessions and ratings for one profile in one database.

    Nothing is opened until first needed; each call is one database transaction.
    """

    def __init__(
        self,
        db: str | None = None,
        *,
        protocols_dir: str | Path | None = None,
        clock: Clock | None = None,
        profile: str = "default",
    ) -> None:
        self.db_location = paths.resolve_db(db)
        self._protocols_dir = protocols_dir
        self.clock = clock or Clock()
        self.profile = profile
        self._database = None
        self._profile_id: int | None = None
        self._loaded: LoadResult | None = None
        self.fast_reads = True  # history and trends read SQLite files through plain sqlite3

    # -- plumbing -------------------------------------------------------------------------

    @functools.cached_property
    def protocol_folders(self) -> list[Path]:
        """Where protocols are read from, found on first use (history and trends never need it)."""
        return paths.protocol_folders(self._protocols_dir)

    @property
    def database(self):
        """The open database (opened, created and upgraded on first use)."""
        return self.open_database(create=True)

    def open_database(self, *, create: bool):
        """The open database; with `create=False` a missing SQLite file is an error, not made."""
        if self._database is None:
            from selftrack.storage.engine import open_database

            self._database = open_database(self.db_location, create=create)
        return self._database

    @contextmanager
    def reading_rows(self):
        """A read-only RowReader for the aggregating queries (see selftrack.storage.reader)."""
        from selftrack.storage.reader import SessionRowReader, open_fast_sqlite

        fast = None
        if self.fast_reads and (self._database is None or self._database.is_sqlite):
            fast = open_fast_sqlite(self.db_location)
        if fast is not None:
            try:
                yield fast
            finally:
                fast.close()
            return
        with self.database.reading() as db:
            yield SessionRowReader(db)

    def _profile(self, db) -> int:
        """This tracker's profile id; created in a writing session, -1 (matches nothing) before.

        A profile created in this transaction is not remembered until it is read back
        committed, so a transaction that rolls back cannot leave a dangling id behind.
        """
        from selftrack.storage import repo

        if self._profile_id is None:
            check_profile_name(self.profile)
            found = repo.profile_id(db, self.profile, self.clock.now(), create=False)
            if found is not None:
                self._profile_id = found
            elif db.info.get("writer", False):
                return repo.profile_id(db, self.profile, self.clock.now(), create=True)
            else:
                return -1
        return self._profile_id

    def close(self) -> None:
        """Release the database connection."""
        if self._database is not None:
            self._database.close()
            self._database = None

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- protocols ------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """All protocols (built-in, the user's, --protocols-dir) and the problems found."""
        if self._loaded is None:
            from selftrack.protocols import load_protocols

            cache = paths.cache_dir() / "protocols.json"
            self._loaded = load_protocols(self.protocol_folders, cache=cache)
        return self._loaded

    def protocols(self) -> list[ProtocolSpec]:
        """Loaded protocols, built-in ones first, then by name; then `focus` when history has one."""
        specs = list(self.load().specs.values())
        focus = self.focus_protocol() if self._has_history_store() else None
        if focus is not None and focus.id not in self.load().specs:
            specs.append(focus)
        return specs

    def protocol(self, protocol_id: str) -> ProtocolSpec:
        """The protocol with this id, or a TrackerError naming the ones there are."""
        from selftrack.analysis.focus import FOCUS_ID

        specs = self.load().specs
        if protocol_id == FOCUS_ID and protocol_id not in specs:
            focus = self.focus_protocol()
            if focus is None:
                raise TrackerError(
                    "the focus routine is empty: no spot was rated 4 or more, or recognised, "
                    "in the last 14 days"
                )
            return focus
        if protocol_id not in specs:
            known = ", ".join(sorted(specs)) or "none"
            raise TrackerError(f"no protocol {protocol_id!r} (known: {known})")
        return specs[protocol_id]

    def focus_protocol(self) -> ProtocolSpec | None:
        """The `focus` routine built from recent history (see selftrack.analysis.focus)."""
        from selftrack.analysis.review import focus_protocol

        return focus_protocol(self)

    def _has_history_store(self) -> bool:
        """Whether a database exists to read history from (listing routines never creates one)."""
        if self._database is not None or "://" in self.db_location:
            return True
        return Path(self.db_location).expanduser().exists()

    # -- sessions -------------------------------------------------------------------------

    def start_session(
        self,
        protocol: str | ProtocolSpec,
        sides: str = "both",
        *,
        tool: str = "",
        pain_before: int | None = None,
    ) -> Session:
        """Begin a session; its plan and spot definitions are stored with it."""
        from selftrack.domain import ProtocolSpec
        from selftrack.storage import repo
        from selftrack.storage.models import SessionRow

        spec = protocol if isinstance(protocol, ProtocolSpec) else self.protocol(protocol)
        if sides not in SIDES:
            raise TrackerError(f"sides must be one of {', '.join(SIDES)}, not {sides!r}")
        _check_scale("pain before", pain_before)
        _check_text("tool", tool, TOOL_MAX)
        steps = spec.steps(sides)
        if not steps:
            raise TrackerError(f"protocol {spec.id!r} has no spots for sides={sides}")
        with self.database.writing() as db:
            profile = self._profile(db)
            def_ids = repo.store_spot_definitions(db, spec.spots.values())
            row = SessionRow(
                id=str(uuid.uuid4()),
                profile_id=profile,
                protocol_id=spec.id,
                protocol_version=spec.version,
                protocol_hash=spec.content_hash,
                protocol_name=spec.name,
                sides=sides,
                tool=tool,
                pain_before=pain_before,
                pain_after=None,
                notes="",
                started_at=self.clock.now(),
                ended_at=None,
                status=SessionStatus.IN_PROGRESS.value,
                plan=repo.encode_plan(steps, {r.id: r.name for r in spec.routes}, def_ids),
                origin="app",
            )
            repo.insert_session(db, row)
            return repo.to_session(row, db)

    def session(self, session_id: str) -> Session:
        """One session of this profile, with its plan."""
        with self.database.reading() as db:
            return self._session(db, session_id)

    def _session(self, db, session_id: str) -> Session:
        from selftrack.storage import repo

        row = repo.session_row(db, session_id, self._profile(db))
        if row is None:
            raise TrackerError(f"no session {session_id!r}")
        return repo.to_session(row, db)

    def ratings(self, session_id: str) -> list[Rating]:
        """The ratings of a session, in walk order."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            self._session_row(db, session_id)
            return repo.session_ratings(db, session_id)

    def _session_row(self, db, session_id: str, *, in_progress: bool = False):
        from selftrack.storage import repo

        row = repo.session_row(db, session_id, self._profile(db))
        if row is None:
            raise TrackerError(f"no session {session_id!r}")
        if in_progress and row.status != SessionStatus.IN_PROGRESS.value:
            raise TrackerError(f"session {session_id} is {row.status.replace('_', ' ')}")
        return row

    def record_rating(
        self,
        session_id: str,
        step_index: int,
        tenderness: int | None = None,
        *,
        skipped: bool = False,
        recognised: bool = False,
        referred: bool = False,
        referred_to: str = "",
        nerve: bool = False,
        note: str = "",
    ) -> Rating:
        """Store one rating (or a skip) durably; returns only once it is committed to disk."""
        import json

        from selftrack.domain import Rating
        from selftrack.storage import repo

        _check_rating(tenderness, skipped)
        _check_text("referred to", referred_to, REFERRED_TO_MAX)
        _check_text("note", note, NOTE_MAX)
        with self.database.writing() as db:
            row = self._session_row(db, session_id, in_progress=True)
            steps = json.loads(row.plan)["steps"]
            if not 0 <= step_index < len(steps):
                raise TrackerError(f"step {step_index} is outside this session (0–{len(steps) - 1})")
            route_id, spot_id, side, def_id = steps[step_index]
            values = dict(
                session_id=session_id,
                step_index=step_index,
                route_id=route_id,
                spot_id=spot_id,
                spot_def_id=def_id,
                side=side,
                tenderness=None if skipped else tenderness,
                skipped=skipped,
                recognised=recognised,
                referred=referred or bool(referred_to),
                referred_to=referred_to,
                nerve=nerve,
                note=note,
                rated_at=self.clock.now(),
            )
            repo.upsert_rating(db, values)
        return Rating(**_rating_values(values))

    def warm_up(self, session_id: str) -> None:
        """Run a rating's statements once in a transaction that is rolled back.

        SQLAlchemy compiles a statement on first use (tens of milliseconds); doing it before
        the walk starts keeps the first keystroke as quick as the rest. Nothing is stored.
        """
        import json

        from selftrack.storage import repo

        with self.database.reading() as db:
            row = self._session_row(db, session_id, in_progress=True)
            steps = json.loads(row.plan)["steps"]
            if not steps:
                return
            route_id, spot_id, side, def_id = steps[0]
            repo.upsert_rating(
                db,
                dict(
                    session_id=session_id, step_index=0, route_id=route_id, spot_id=spot_id,
                    spot_def_id=def_id, side=side, tenderness=0, skipped=False,
                    recognised=False, referred=False, referred_to="", nerve=False, note="",
                    rated_at=self.clock.now(),
                ),
            )
            db.rollback()

    def undo_last(self, session_id: str) -> Rating | None:
        """Remove the most recent rating of an unfinished session; returns it, or None."""
        from selftrack.storage import repo

        with self.database.writing() as db:
            self._session_row(db, session_id, in_progress=True)
            return repo.delete_last_rating(db, session_id)

    def next_step(self, session_id: str) -> int | None:
        """The first step without a rating, or None when every step is rated."""
        session = self.session(session_id)
        rated = {r.step_index for r in self.ratings(session_id)}
        return next((s.index for s in session.steps if s.index not in rated), None)

    def unfinished_session(self) -> Session | None:
        """The most recent session still in progress, if any (offered for resumption)."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            rows = repo.list_sessions(
                db, self._profile(db), statuses=[SessionStatus.IN_PROGRESS.value], limit=1
            )
            return repo.to_session(rows[0], db) if rows else None

    def finish(self, session_id: str, *, pain_after: int | None = None, notes: str = "") -> Session:
        """Close a session with the pain after and the user's notes."""
        _check_scale("pain after", pain_after)
        _check_text("session notes", notes, NOTE_MAX)
        return self._close(session_id, SessionStatus.FINISHED, pain_after=pain_after, notes=notes)

    def abandon(self, session_id: str) -> Session:
        """Close a session without finishing it; its ratings are kept."""
        return self._close(session_id, SessionStatus.ABANDONED)

    def _close(self, session_id: str, status: SessionStatus, **values) -> Session:
        from selftrack.storage import repo

        with self.database.writing() as db:
            self._session_row(db, session_id, in_progress=True)
            repo.set_session_fields(
                db, session_id, status=status.value, ended_at=self.clock.now(), **values
            )
            return self._session(db, session_id)

    def sessions(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        protocol_id: str | None = None,
        statuses: Sequence[SessionStatus] | None = None,
        with_plan: bool = False,
    ) -> list[Session]:
        """Sessions that started in [start, end], newest first."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            rows = repo.list_sessions(
                db,
                self._profile(db),
                start,
                end,
                statuses=[s.value for s in statuses] if statuses else None,
                protocol_id=protocol_id,
            )
            return [repo.to_session(row, db, with_plan=with_plan) for row in rows]

    def ratings_between(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[Rating]:
        """Every rating entered in [start, end], oldest first."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            return repo.ratings_between(db, self._profile(db), start, end)

    def previous_ratings(self, session_id: str) -> dict[tuple[str, str], Rating]:
        """For each (spot, side) of a session, its latest rating from an earlier session."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            session = self._session(db, session_id)
            pairs = {(s.spot_id, s.side) for s in session.steps}
            return repo.latest_ratings(db, self._profile(db), pairs, session_id)

    def nerve_warnings(self, session_id: str) -> dict[tuple[str, str], datetime]:
        """For each (spot, side) of a session, when an earlier session flagged a nerve there."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            session = self._session(db, session_id)
            pairs = {(s.spot_id, s.side) for s in session.steps}
            return repo.nerve_flags(db, self._profile(db), pairs, session_id)

    def summary(self, session_id: str):
        """What a session found, against the last session of the same routine."""
        from selftrack.analysis.summary import build_summary

        return build_summary(self, session_id)

    def overview(self):
        """The home screen's figures (see selftrack.analysis.overview)."""
        from selftrack.analysis.overview import build_overview

        return build_overview(self)

    # -- history and trends (selftrack.analysis.review) ------------------------------------

    def session_summaries(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        protocol_id: str | None = None,
        limit: int | None = None,
    ):
        """Sessions in [start, end] newest first, with counts and mean/highest tenderness."""
        from selftrack.analysis.review import session_summaries

        return session_summaries(self, start, end, protocol_id=protocol_id, limit=limit)

    def count_sessions_between(
        self, start: datetime | None = None, end: datetime | None = None, *, protocol_id: str | None = None
    ) -> int:
        """How many sessions started in [start, end] (of one routine, if given)."""
        from selftrack.analysis.review import count_sessions

        return count_sessions(self, start, end, protocol_id=protocol_id)

    def trends(self, subjects: Sequence = (), start: datetime | None = None, end: datetime | None = None):
        """Trends for spots, regions or `pain` (default: every region and side, then pain)."""
        from selftrack.analysis.review import trends
        from selftrack.analysis.trends import SubjectError

        try:
            return trends(self, subjects, start, end)
        except SubjectError as exc:
            raise TrackerError(str(exc)) from None

    def spot_trends(self, start: datetime | None = None, end: datetime | None = None):
        """A trend for every spot and side rated in the period, most tender now first."""
        from selftrack.analysis.review import spot_trends

        return spot_trends(self, start, end)

    def flagged_spots(self, start: datetime | None = None, end: datetime | None = None):
        """Spots flagged nerve, recognised or referred in the period, with how often."""
        from selftrack.analysis.review import flagged_spots

        return flagged_spots(self, start, end)

    def asymmetry(self, start: datetime | None = None, end: datetime | None = None):
        """Left against right per region."""
        from selftrack.analysis.review import region_asymmetry

        return region_asymmetry(self, start, end)

    def heat_map(self, start: datetime | None = None, end: datetime | None = None):
        """Mean tenderness per spot and side in the period."""
        from selftrack.analysis.review import heat_map

        return heat_map(self, start, end)

    def heat_change(self, first: tuple, second: tuple):
        """(first map, second map, changes) between two (start, end) periods."""
        from selftrack.analysis.review import heat_change

        return heat_change(self, first, second)

    def first_and_last_month(self, start: datetime | None = None, end: datetime | None = None):
        """The first and the last 30 days of history in the period, as two (start, end) pairs."""
        from selftrack.analysis.review import first_and_last_month

        return first_and_last_month(self, start, end)

    def adherence(self, start: datetime | None = None, end: datetime | None = None):
        """Sessions per week and the current streak."""
        from selftrack.analysis.review import adherence

        return adherence(self, start, end)

    def correct_rating(
        self,
        session_id: str,
        step_index: int,
        tenderness: int | None = None,
        *,
        skipped: bool = False,
        recognised: bool | None = None,
        referred: bool | None = None,
        nerve: bool | None = None,
        note: str | None = None,
    ) -> Rating:
        """Change a rating of any session afterwards; flags left as None keep their value."""
        from selftrack.storage import repo

        _check_rating(tenderness, skipped)
        if note is not None:
            _check_text("note", note, NOTE_MAX)
        with self.database.writing() as db:
            self._session_row(db, session_id)
            current = {r.step_index: r for r in repo.session_ratings(db, session_id)}
            if step_index not in current:
                raise TrackerError(f"session {session_id} has no rating at step {step_index}")
            old = current[step_index]
            values = dict(
                tenderness=None if skipped else tenderness,
                skipped=skipped,
                recognised=old.recognised if recognised is None else recognised,
                referred=old.referred if referred is None else referred,
                nerve=old.nerve if nerve is None else nerve,
                note=old.note if note is None else note,
                edited_at=self.clock.now(),
            )
            repo.update_rating(db, session_id, step_index, values)
            return repo.session_ratings_at(db, session_id, step_index)

    def set_session_notes(self, session_id: str, notes: str) -> Session:
        """Replace a session's notes (any status)."""
        from selftrack.storage import repo

        _check_text("session notes", notes, NOTE_MAX)
        with self.database.writing() as db:
            self._session_row(db, session_id)
            repo.set_session_fields(db, session_id, notes=notes, edited_at=self.clock.now())
            return self._session(db, session_id)

    def delete_session(self, session_id: str) -> None:
        """Delete a session and its ratings for good (the UI asks for confirmation first)."""
        from selftrack.storage import repo

        with self.database.writing() as db:
            self._session_row(db, session_id)
            repo.delete_session(db, session_id)

    def export(self, request, target, *, progress=None):
        """Write an export (a `selftrack.exports.ExportRequest`) to a stream, or to a new file."""
        from selftrack import exports

        if isinstance(target, (str, Path)):
            return exports.export_to_file(self, request, Path(target), progress)
        return exports.export(self, request, target, progress)

    def import_file(self, path: str | Path, *, progress=None):
        """Add the sessions of a JSON export to this profile, all or nothing."""
        from selftrack.exports.json_import import import_json

        return import_json(self, Path(path), progress=progress)

    def profiles(self) -> list[ProfileSummary]:
        """Every profile in the database with its session count (a clinic keeps several)."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            return repo.profile_summaries(db)

    def count_sessions(self) -> int:
        """How many sessions this profile has."""
        from selftrack.storage import repo

        with self.database.reading() as db:
            return repo.count_sessions(db, self._profile(db))


def steps_left(session: Session, ratings: Sequence[Rating]) -> list[Step]:
    """Steps of `session` with no rating yet, in walk order."""
    rated = {r.step_index for r in ratings}
    return [s for s in session.steps if s.index not in rated]


def _rating_values(values: dict) -> dict:
    return {k: v for k, v in values.items() if k != "spot_def_id"}


PROFILE_NAME_MAX = 80
NOTE_MAX = 20_000  # characters: some pages of text; the columns themselves have no limit
REFERRED_TO_MAX = 200
TOOL_MAX = 32


def check_profile_name(name: str) -> None:
    """Refuse profile names that are empty, too long or hold control characters."""
    if not name or not name.strip():
        raise TrackerError("a profile name cannot be empty")
    if len(name) > PROFILE_NAME_MAX:
        raise TrackerError(f"a profile name has at most {PROFILE_NAME_MAX} characters")
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in name):
        raise TrackerError(f"a profile name cannot hold control characters: {name!r}")


def _check_text(what: str, value: str, limit: int) -> None:
    """Refuse text that is not a string, longer than `limit`, or holds NUL (PostgreSQL can't)."""
    if not isinstance(value, str):
        raise TrackerError(f"{what}: must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise TrackerError(f"{what}: {len(value):,} characters, at most {limit:,} fit")
    if "\x00" in value:
        raise TrackerError(f"{what}: holds a NUL character, which cannot be stored")


def _check_rating(tenderness: int | None, skipped: bool) -> None:
    """A rating is a tenderness from 0 to 10, or a skip without one: never both, never neither."""
    if skipped and tenderness is not None:
        raise TrackerError("a skipped spot has no tenderness")
    if not skipped:
        if tenderness is None:
            raise TrackerError("give a tenderness from 0 to 10, or skip the spot")
        _check_scale("tenderness", tenderness)


def _check_scale(what: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise TrackerError(f"{what} must be a whole number from 0 to 10, not {value!r}")
