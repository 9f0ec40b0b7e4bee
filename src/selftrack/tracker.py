"""The use cases of selftrack: one façade that both the terminal UI and the CLI call."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selftrack import paths
from selftrack.clock import Clock
from selftrack.domain import SIDES, ProtocolSpec, Rating, Session, SessionStatus, Step

if TYPE_CHECKING:
    from selftrack.protocols import LoadResult


class TrackerError(ValueError):
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
        self.protocol_folders = paths.protocol_folders(protocols_dir)
        self.clock = clock or Clock()
        self.profile = profile
        self._database = None
        self._profile_id: int | None = None
        self._loaded: LoadResult | None = None

    # -- plumbing -------------------------------------------------------------------------

    @property
    def database(self):
        """The open database (opened, created and upgraded on first use)."""
        if self._database is None:
            from selftrack.storage.engine import open_database

            self._database = open_database(self.db_location)
        return self._database

    def _profile(self, db) -> int:
        from selftrack.storage import repo

        if self._profile_id is not None:
            return self._profile_id
        found = repo.profile_id(db, self.profile, self.clock.now(), create=False)
        if found is None and db.info.get("writing"):
            # created inside the caller's transaction: not cached, it may yet roll back
            return repo.profile_id(db, self.profile, self.clock.now())
        if found is None:
            # a reading session rolls back, so the profile is created in a commit of its own
            with self.database.writing() as writer:
                found = repo.profile_id(writer, self.profile, self.clock.now())
        self._profile_id = found
        return found

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

            self._loaded = load_protocols(self.protocol_folders)
        return self._loaded

    def protocols(self) -> list[ProtocolSpec]:
        """Loaded protocols, built-in ones first, then by name."""
        return list(self.load().specs.values())

    def protocol(self, protocol_id: str) -> ProtocolSpec:
        """The protocol with this id, or a TrackerError naming the ones there are."""
        specs = self.load().specs
        if protocol_id not in specs:
            known = ", ".join(sorted(specs)) or "none"
            raise TrackerError(f"no protocol {protocol_id!r} (known: {known})")
        return specs[protocol_id]

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
        from selftrack.storage import repo
        from selftrack.storage.models import SessionRow

        spec = protocol if isinstance(protocol, ProtocolSpec) else self.protocol(protocol)
        if sides not in SIDES:
            raise TrackerError(f"sides must be one of {', '.join(SIDES)}, not {sides!r}")
        _check_scale("pain before", pain_before)
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

        from selftrack.storage import repo

        if skipped and tenderness is not None:
            raise TrackerError("a skipped spot has no tenderness")
        if not skipped:
            if tenderness is None:
                raise TrackerError("give a tenderness from 0 to 10, or skip the spot")
            _check_scale("tenderness", tenderness)
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


def _check_scale(what: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise TrackerError(f"{what} must be a whole number from 0 to 10, not {value!r}")
