"""The Tracker: the one façade both front ends call, for one profile in one database.

It checks what it is asked, opens one transaction per user action on its Store, and calls
down: selftrack.storage for reads and writes, selftrack.analysis (through tracker.review and
tracker.overview) for what the numbers amount to, selftrack.exports for files. Nothing below
it is handed the Tracker.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selftrack import paths
from selftrack.clock import Clock
from selftrack.domain.terms import SIDES, TOOLS, SessionStatus
from selftrack.domain.text import NOTE_MAX, REFERRED_TO_MAX, TextError, check_text
from selftrack.errors import SelftrackError
from selftrack.storage.store import Store

if TYPE_CHECKING:
    from selftrack.analysis.summary import SessionReport
    from selftrack.domain.model import ProfileSummary, ProtocolSpec, Rating, Session
    from selftrack.protocols import LoadResult
    from selftrack.session.walk import Walk


OPEN_TRIES = 3  # a walk opened while another program holds the database is tried again
OPEN_PAUSE = 0.5  # seconds between tries (each waits the busy timeout first)


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
        profile: str = paths.DEFAULT_PROFILE,
    ) -> None:
        _check_profile(profile)
        self.store = Store(paths.resolve_db(db), profile, clock or Clock())
        self._protocols_dir = protocols_dir
        self._loaded: LoadResult | None = None
        self._plans: dict[str, list[tuple[str, str, str, int]]] = {}

    # -- plumbing -------------------------------------------------------------------------

    @property
    def clock(self) -> Clock:
        return self.store.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.store.clock = clock

    @property
    def profile(self) -> str:
        return self.store.profile

    @property
    def db_location(self) -> str:
        return self.store.location

    @property
    def database(self):
        """The open database (opened, created and upgraded on first use)."""
        return self.store.database

    def open_database(self, *, create: bool):
        """The open database; with `create=False` a missing SQLite file is an error, not made."""
        return self.store.open(create=create)

    @functools.cached_property
    def protocol_folders(self) -> list[Path]:
        """Where protocols are read from, found on first use (history and trends never need it)."""
        return paths.protocol_folders(self._protocols_dir)

    def close(self) -> None:
        """Release the database connection."""
        self.store.close()

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
        focus = self.focus_protocol() if self._has_history() else None
        if focus is not None and focus.id not in self.load().specs:
            specs.append(focus)
        return specs

    def protocol(self, protocol_id: str) -> ProtocolSpec:
        """The protocol with this id, or a TrackerError naming the ones there are."""
        from selftrack.analysis.focus import FOCUS_ID

        specs = self.load().specs
        if protocol_id == FOCUS_ID and protocol_id not in specs:
            focus = self.focus_protocol() if self._has_history() else None
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

    def check_protocol_files(self, paths: list[Path]) -> list:
        """Problems in protocol files or folders (`file:line: message` each), checked against
        the catalogues of the protocol folders."""
        from selftrack.protocols import check_paths

        return check_paths(paths, self.protocol_folders)

    def focus_protocol(self) -> ProtocolSpec | None:
        """The `focus` routine built from recent history (see selftrack.analysis.focus)."""
        from selftrack.tracker import review

        return review.focus_protocol(self.store)

    def _has_history(self) -> bool:
        """Whether a database exists to read history from (listing routines never creates one)."""
        if self.store.is_open or "://" in self.store.location:
            return True
        return Path(self.store.location).expanduser().exists()

    # -- sessions -------------------------------------------------------------------------

    def start_session(
        self,
        protocol: str | ProtocolSpec,
        sides: str = "both",
        *,
        tool: str = "",
        pain_before: int | None = None,
        order: str = "",
    ) -> Session:
        """Begin a session; its plan and spot definitions are stored with it.

        `order` is how both sides are walked (domain.model.WALK_ORDERS; by default one side's
        routes, then the other's).
        """
        from selftrack.domain.model import ProtocolSpec
        from selftrack.storage import queries, writes

        spec = protocol if isinstance(protocol, ProtocolSpec) else self.protocol(protocol)
        spec = self._adapted(spec)
        if sides not in SIDES:
            raise TrackerError(f"sides must be one of {', '.join(SIDES)}, not {sides!r}")
        _check_scale("pain before", pain_before)
        if tool not in ("", *TOOLS):
            raise TrackerError(f"tool must be one of {', '.join(TOOLS)}, not {tool!r}")
        from selftrack.domain.model import WALK_ORDERS

        if order and order not in WALK_ORDERS:
            raise TrackerError(f"order must be one of {', '.join(WALK_ORDERS)}, not {order!r}")
        steps = spec.steps(sides, order)
        if not steps:
            raise TrackerError(f"protocol {spec.id!r} has no spots for sides={sides}")
        session_id = str(uuid.uuid4())
        with self.store.writing() as scope:
            def_ids = writes.store_definitions(scope.conn, spec.spots.values())
            by_spot = {spot.id: def_ids[spot.digest] for spot in spec.spots.values()}
            plan = writes.encode_plan(steps, {r.id: r.name for r in spec.routes}, by_spot)
            writes.insert_sessions(
                scope.conn,
                [
                    dict(
                        id=session_id, profile_id=scope.profile, protocol_id=spec.id,
                        protocol_version=spec.version, protocol_hash=spec.content_hash,
                        protocol_name=spec.name, sides=sides, tool=tool, pain_before=pain_before,
                        pain_after=None, notes="", started_at=self.clock.now(), ended_at=None,
                        status=SessionStatus.IN_PROGRESS.value, plan=plan, origin="app",
                        edited_at=None, hold_guidance=_hold_guidance(spec.minutes),
                    )  # fmt: skip
                ],
            )
            session = queries.session(scope, session_id)
        self._plans[session_id] = queries.plan_steps(plan)
        return session

    def _adapted(self, spec: ProtocolSpec) -> ProtocolSpec:
        """The routine as this person may walk it: refused while a red flag stands, adapted to
        their conditions (spots left out, tools taken away, cautions added)."""
        from selftrack.domain.conditions import adapt_protocol
        from selftrack.tracker import care

        blocked, profile = care.gate(self.store)
        if blocked:
            raise TrackerError(
                "a red-flag answer stands in the way: sessions stay closed until a new screen "
                "says it is safe (your history and exports are still there)"
            )
        if not profile.active():
            return spec
        adapted = adapt_protocol(spec, profile)
        if not adapted.walkable:
            reasons = "; ".join(adapted.routine_skipped) or "no spot of it suits your conditions"
            raise TrackerError(f"{spec.name} is left out for you: {reasons}")
        return adapted.spec

    def session(self, session_id: str) -> Session:
        """One session of this profile, with its plan."""
        from selftrack.storage import queries

        with self.store.reading() as scope:
            found = queries.session(scope, session_id)
        if found is None:
            raise TrackerError(f"no session {session_id!r}")
        return found

    def ratings(self, session_id: str) -> list[Rating]:
        """The ratings of a session, in walk order."""
        from selftrack.storage import queries

        with self.store.reading() as scope:
            self._require(scope, session_id)
            return queries.session_ratings(scope, session_id)

    def open_walk(self, session_id: str) -> Walk:
        """Everything a guided session shows, read once: the session, its ratings so far, last
        time's rating and any nerve warning for each of its spots."""
        from selftrack.session.walk import Walk
        from selftrack.storage import queries
        from selftrack.storage.engine import DatabaseError
        from selftrack.tracker import care

        for attempt in range(OPEN_TRIES):
            try:
                with self.store.reading() as scope:
                    row = queries.session_row(scope, session_id)
                    if row is None:
                        raise TrackerError(f"no session {session_id!r}")
                    session = queries.to_session(scope.conn, row)
                    ratings = queries.session_ratings(scope, session_id)
                    pairs = {(s.spot_id, s.side) for s in session.steps}
                    previous = queries.latest_ratings(scope, pairs, session.started_at)
                    warnings = queries.nerve_flags(scope, pairs, session.started_at)
                dose = care.dose(self.store, pairs, session.started_at)
                break
            except DatabaseError as error:
                if not error.busy:
                    raise
                if attempt + 1 == OPEN_TRIES:
                    raise TrackerError(
                        "the database stayed busy (another selftrack program is writing to it, "
                        "an import perhaps): the session is kept, open it again in a moment"
                    ) from None
                time.sleep(OPEN_PAUSE)
        self._plans[session_id] = queries.plan_steps(row[14])
        return Walk.begin(session, ratings, previous, warnings, dose.resting, dose.lighter)

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
        hold_seconds: int | None = None,
        tool: str | None = None,
        pressure: str | None = None,
    ) -> Rating:
        """Store one rating (or a skip) durably; returns only once it is committed to disk.

        The dose, each optional: `hold_seconds` on the hold timer, the `tool` used on this spot
        when it is not the session's (None: the session's), the `pressure` (light, medium or
        firm). One statement stores it, on the condition that the session is this profile's
        and in progress; the session's plan is read once per session, not per rating.
        """
        from selftrack.domain.model import Rating
        from selftrack.storage import writes

        _check_rating(tenderness, skipped)
        _text("referred to", referred_to, REFERRED_TO_MAX)
        _text("note", note, NOTE_MAX)
        _check_dose(hold_seconds, tool, pressure)
        plan = self._plan(session_id)
        if not 0 <= step_index < len(plan):
            raise TrackerError(f"step {step_index} is outside this session (0–{len(plan) - 1})")
        route, spot, side, definition = plan[step_index]
        values = dict(
            tenderness=None if skipped else tenderness,
            skipped=skipped,
            recognised=recognised,
            referred=referred or bool(referred_to),
            referred_to=referred_to,
            nerve=nerve,
            note=note,
            rated_at=self.clock.now(),
            hold_seconds=hold_seconds,
            tool=tool,
            pressure=pressure,
        )
        with self.store.writing() as scope:
            if not writes.record_rating(scope, session_id, (step_index, route, spot, side, definition), values):
                self._require(scope, session_id, in_progress=True)
        return Rating(session_id, step_index, route, spot, side, **values)

    def _plan(self, session_id: str) -> list[tuple[str, str, str, int]]:
        """A session's steps with their stored definitions, read once and then remembered."""
        from selftrack.storage import queries

        plan = self._plans.get(session_id)
        if plan is None:
            with self.store.reading() as scope:
                row = queries.session_row(scope, session_id)
            if row is None:
                raise TrackerError(f"no session {session_id!r}")
            plan = self._plans[session_id] = queries.plan_steps(row[14])
        return plan

    def _require(self, scope, session_id: str, *, in_progress: bool = False) -> None:
        """Refuse a session that is not this profile's (or not in progress when it must be)."""
        from selftrack.storage import queries

        status = queries.session_status(scope, session_id)
        if status is None:
            raise TrackerError(f"no session {session_id!r}")
        if in_progress and status != SessionStatus.IN_PROGRESS.value:
            raise TrackerError(f"session {session_id} is {status.replace('_', ' ')}")

    def undo_last(self, session_id: str) -> Rating | None:
        """Remove the most recent rating of an unfinished session; returns it, or None."""
        from selftrack.storage import queries, writes

        with self.store.writing() as scope:
            self._require(scope, session_id, in_progress=True)
            rating = queries.last_entered(scope, session_id)
            if rating is not None:
                writes.delete_rating(scope, session_id, rating.step_index)
            return rating

    def finish(self, session_id: str, *, pain_after: int | None = None, notes: str = "") -> Session:
        """Close a session with the pain after and the user's notes.

        A session with nothing rated (no spot given a tenderness) is not a finished session:
        it is closed as abandoned, and counts nowhere (see `discard` to remove it instead).
        """
        _check_scale("pain after", pain_after)
        _text("session notes", notes, NOTE_MAX)
        return self._close(session_id, None, pain_after=pain_after, notes=notes)

    def discard(self, session_id: str) -> None:
        """Delete an unfinished session that has nothing rated (its skips go with it).

        A session holding any tenderness is refused: its ratings are kept (abandon it).
        """
        from selftrack.storage import queries, writes

        with self.store.writing() as scope:
            self._require(scope, session_id, in_progress=True)
            if not nothing_rated(queries.session_ratings(scope, session_id)):
                raise TrackerError("this session has ratings: it can be abandoned, not discarded")
            writes.delete_session(scope, session_id)
        self._plans.pop(session_id, None)

    def abandon(self, session_id: str) -> Session:
        """Close a session without finishing it; its ratings are kept."""
        return self._close(session_id, SessionStatus.ABANDONED)

    def _close(self, session_id: str, status: SessionStatus | None, **values) -> Session:
        """Close a session as `status` (None: finished, or abandoned when nothing was rated)."""
        from selftrack.storage import queries, writes

        with self.store.writing() as scope:
            self._require(scope, session_id, in_progress=True)
            if status is None:
                empty = nothing_rated(queries.session_ratings(scope, session_id))
                status = SessionStatus.ABANDONED if empty else SessionStatus.FINISHED
            writes.set_session_fields(
                scope, session_id, status=status.value, ended_at=self.clock.now(), **values
            )
            session = queries.session(scope, session_id)
        self._plans.pop(session_id, None)
        return session

    def sessions(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        protocol_id: str | None = None,
        statuses: Sequence[SessionStatus] = (),
        with_plan: bool = False,
    ) -> list[Session]:
        """Sessions that started in [start, end], newest first."""
        from selftrack.storage import queries

        with self.store.reading() as scope:
            return queries.sessions(
                scope, start, end, statuses=[s.value for s in statuses],
                protocol_id=protocol_id, with_plan=with_plan,
            )  # fmt: skip

    def report(self, session_id: str) -> SessionReport:
        """What a session found, beside the last session of the same routine."""
        from selftrack.analysis.summary import build_report
        from selftrack.storage import queries

        with self.store.reading() as scope:
            session = queries.session(scope, session_id)
            if session is None:
                raise TrackerError(f"no session {session_id!r}")
            ratings = queries.session_ratings(scope, session_id)
            previous = queries.previous_session(scope, session)
            before = queries.session_ratings(scope, previous.id) if previous else []
        return build_report(session, ratings, previous, before)

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
        from selftrack.storage import queries, writes

        _check_rating(tenderness, skipped)
        if note is not None:
            _text("note", note, NOTE_MAX)
        with self.store.writing() as scope:
            self._require(scope, session_id)
            old = queries.rating_at(scope, session_id, step_index)
            if old is None:
                raise TrackerError(f"session {session_id} has no rating at step {step_index}")
            values = dict(
                tenderness=None if skipped else tenderness,
                skipped=skipped,
                recognised=old.recognised if recognised is None else recognised,
                referred=old.referred if referred is None else referred,
                nerve=old.nerve if nerve is None else nerve,
                note=old.note if note is None else note,
                edited_at=self.clock.now(),
            )
            writes.update_rating(scope, session_id, step_index, values)
            return queries.rating_at(scope, session_id, step_index)

    def set_session_notes(self, session_id: str, notes: str) -> Session:
        """Replace a session's notes (any status)."""
        from selftrack.storage import queries, writes

        _text("session notes", notes, NOTE_MAX)
        with self.store.writing() as scope:
            self._require(scope, session_id)
            writes.set_session_fields(scope, session_id, notes=notes, edited_at=self.clock.now())
            return queries.session(scope, session_id)

    def delete_session(self, session_id: str) -> None:
        """Delete a session and its ratings for good (the UI asks for confirmation first)."""
        from selftrack.storage import writes

        with self.store.writing() as scope:
            self._require(scope, session_id)
            writes.delete_session(scope, session_id)
        self._plans.pop(session_id, None)

    # -- safety over time (selftrack.tracker.care) -----------------------------------------

    def care_state(self):
        """What must happen before a session starts: the red-flag screen when due or standing in
        the way, the soreness question after a hard session, and the conditions in force."""
        from selftrack.tracker import care

        return care.care_state(self.store)

    def resting_now(self):
        """The spots a session started now would pass over by default, each with why
        (a list of selftrack.tracker.care.RestingSpot)."""
        from selftrack.tracker import care

        return care.resting_now(self.store)

    def answer_screening(self, answers, trigger: str = "asked"):
        """Store the red-flag screen's answers (question id -> no, yes or cleared), dated."""
        from selftrack.tracker import care

        try:
            return care.answer_screening(self.store, answers, trigger)
        except ValueError as exc:
            raise TrackerError(str(exc)) from None

    def set_conditions(self, profile) -> None:
        """Store the conditions (a ConditionProfile) that adapt the routines from now on."""
        from selftrack.tracker import care

        care.set_conditions(self.store, profile)

    def answer_soreness(self, session_id: str, answer: str) -> None:
        """Store how the person felt after a session (none, mild, sore-48h, bruised)."""
        from selftrack.storage import queries
        from selftrack.tracker import care

        with self.store.reading() as scope:
            if queries.session_status(scope, session_id) is None:
                raise TrackerError(f"no session {session_id!r}")
        try:
            care.answer_soreness(self.store, session_id, answer)
        except ValueError as exc:
            raise TrackerError(str(exc)) from None

    # -- reviewing history (selftrack.tracker.review) -------------------------------------

    def overview(self):
        """The home screen's figures (see selftrack.tracker.overview)."""
        from selftrack.tracker.overview import build_overview

        return build_overview(self.store)

    def session_summaries(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        protocol_id: str | None = None,
        limit: int | None = None,
    ):
        """Sessions in [start, end] newest first, with counts and mean/highest tenderness."""
        from selftrack.tracker import review

        return review.session_summaries(self.store, start, end, protocol_id=protocol_id, limit=limit)

    @contextmanager
    def streamed_history(self, start: datetime | None = None, end: datetime | None = None) -> Iterator:
        """The same rows as `session_summaries`, read as they are used inside the block."""
        from selftrack.tracker import review

        with review.streamed_summaries(self.store, start, end) as rows:
            yield rows

    def count_sessions(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        protocol_id: str | None = None,
        statuses: Sequence[SessionStatus] = (),
    ) -> int:
        """How many sessions started in [start, end] (of one routine, of these statuses, if given)."""
        from selftrack.storage import queries

        with self.store.reading() as scope:
            return queries.count_sessions(
                scope, start, end, protocol_id=protocol_id, statuses=[s.value for s in statuses]
            )

    def trends(self, subjects: Sequence = (), start: datetime | None = None, end: datetime | None = None):
        """Trends for spots, regions or `pain` (default: every region and side, then pain)."""
        from selftrack.analysis.trends import SubjectError
        from selftrack.tracker import review

        try:
            return review.trends(self.store, subjects, start, end)
        except SubjectError:
            pass  # perhaps a spot of a routine that has never been rated: look in the routines
        known = {
            spot_id: set(spot.sides_for("both"))
            for spec in self.load().specs.values()
            for spot_id, spot in spec.spots.items()
        }
        try:
            return review.trends(self.store, subjects, start, end, known_spots=known)
        except SubjectError as exc:
            raise TrackerError(str(exc)) from None

    def spot_trends(self, start: datetime | None = None, end: datetime | None = None, *, slices: int = 0):
        """A trend for every spot and side rated in the period, most tender now first; with
        `slices`, each has its mean in that many equal parts of the period (a sparkline)."""
        from selftrack.tracker import review

        return review.spot_trends(self.store, start, end, slices=slices)

    def spot_places(self, spot_ids):
        """Name, region, view and body-map place of stored spots."""
        from selftrack.tracker import review

        return review.spot_places(self.store, spot_ids)

    def asymmetries(self, start: datetime | None = None, end: datetime | None = None):
        """Left against right per region, over the last sessions that rated both sides."""
        from selftrack.tracker import review

        return review.asymmetries(self.store, start, end)

    def flagged_spots(self, start: datetime | None = None, end: datetime | None = None):
        """Spots flagged nerve, recognised or referred in the period, with how often."""
        from selftrack.tracker import review

        return review.flagged_spots(self.store, start, end)

    def notes(self, start: datetime | None = None, end: datetime | None = None):
        """Session notes and notes on spots in the period, oldest first."""
        from selftrack.tracker import review

        return review.notes(self.store, start, end)

    def heat_map(self, start: datetime | None = None, end: datetime | None = None):
        """Mean tenderness per spot and side in the period."""
        from selftrack.tracker import review

        return review.heat_map(self.store, start, end)

    def adherence(self, start: datetime | None = None, end: datetime | None = None):
        """Sessions per week and the current streak."""
        from selftrack.tracker import review

        return review.adherence(self.store, start, end)

    # -- outcomes (selftrack.tracker.outcomes) -----------------------------------------------

    def record_checkin(
        self, *, back: int, leg: int, night: int, below_knee: bool = False, soreness: str | None = None
    ):
        """Store today's morning check-in: back and leg pain now (0–10), whether the leg feeling
        goes below the knee, the night (0 terrible … 10 excellent) and, the day after a
        session, soreness from it (none, mild, sore-48h, bruised), which the over-treatment
        rules read. A second one the same day replaces the first. Returns a CheckInSaved."""
        from selftrack.tracker import outcomes

        try:
            return outcomes.record_checkin(
                self.store, back=back, leg=leg, night=night, below_knee=below_knee, soreness=soreness
            )
        except ValueError as exc:
            raise TrackerError(str(exc)) from None

    def checkins(self, start: datetime | None = None, end: datetime | None = None):
        """The morning check-ins answered in [start, end], oldest first (CheckIn values); reading
        never creates a database."""
        from selftrack.tracker import outcomes

        return outcomes.checkins(self.store, start, end) if self._has_history() else []

    def outcome_prompts(self):
        """What the home screen offers now (OutcomePrompts): the morning check-in until noon,
        the soreness question the day after a session, the weekly form once a week."""
        from selftrack.tracker import outcomes

        return outcomes.prompts(self.store)

    def psfs_activities(self, *, include_ended: bool = False):
        """The PSFS activities in force, in order (with `include_ended`, every one named)."""
        from selftrack.tracker import outcomes

        return outcomes.psfs_activities(self.store, include_ended=include_ended)

    def set_psfs_activities(self, names: Sequence[str]):
        """Name the 1 to 3 activities the PSFS rates from now on; returns them."""
        from selftrack.tracker import outcomes

        try:
            return outcomes.set_psfs_activities(self.store, names)
        except ValueError as exc:
            raise TrackerError(str(exc)) from None

    def record_weekly_form(
        self, *, peg=None, psfs=None, pgic: int | None = None, activities: Sequence[str] | None = None
    ):
        """Store a weekly form: `peg` (pain, enjoyment, activity: 0–10 each), `psfs` (activity
        id or name -> 0–10, every activity in force), `pgic` (1 very much improved … 7 very
        much worse); any may be left out, not all. `activities` (1 to 3 names) sets the PSFS
        activities first, in the same transaction. Returns the WeeklyForm."""
        from selftrack.tracker import outcomes

        try:
            return outcomes.record_weekly_form(self.store, peg=peg, psfs=psfs, pgic=pgic, activities=activities)
        except ValueError as exc:
            raise TrackerError(str(exc)) from None

    def weekly_forms(self, start: datetime | None = None, end: datetime | None = None):
        """The weekly forms answered in [start, end], oldest first (WeeklyForm values); reading
        never creates a database."""
        from selftrack.tracker import outcomes

        return outcomes.weekly_forms(self.store, start, end) if self._has_history() else []

    def insights(self, start: datetime | None = None, end: datetime | None = None):
        """What the person's own data says (selftrack.analysis.insights.Insights): next-morning
        back pain after days with a session against days without, overall, by routine, by tool;
        reading never creates a database."""
        from selftrack.analysis.insights import compare
        from selftrack.tracker import outcomes

        return outcomes.insights(self.store, start, end) if self._has_history() else compare([])

    # -- files and sample data ------------------------------------------------------------

    def export(self, request, target, *, progress=None):
        """Write an export (a `selftrack.exports.ExportRequest`) to a stream, or to a new file
        that appears only once complete."""
        from selftrack import exports

        exports.check_request(request)

        def write(out):
            if request.format != "pdf":
                spots = self.spot_trends(request.start, request.end) if request.format == "xlsx" else ()
                return exports.export_records(self.store, request, out, progress, spots=spots)
            from selftrack.exports.pdf_report import write_pdf
            from selftrack.tracker import review

            data = review.report_data(self.store, request.start, request.end, request.name)
            if progress:
                progress(1, 2)
            sessions, ratings = write_pdf(out, data)
            if progress:
                progress(2, 2)
            return exports.ExportResult(request.format, sessions, ratings)

        if isinstance(target, (str, Path)):
            return exports.write_file(Path(target), request.format, write)
        return write(target)

    def import_file(self, path: str | Path, *, progress=None):
        """Add the sessions of a JSON export to this profile, all or nothing."""
        from selftrack.exports.json_import import import_json

        return import_json(self.store, Path(path), progress=progress)

    def write_demo(
        self, *, days: int = 120, seed: int = 1, force: bool = False, busy: bool = False, progress=None
    ):
        """Write `days` days of sample sessions ending today (see selftrack.demo; `busy`: the
        benchmarks' heavier history), then the morning check-ins and weekly forms that go with
        them (selftrack.tracker.sample_outcomes)."""
        from selftrack.demo import DEMO_ROUTINES, write_demo

        specs = [self.protocol(pid) for pid in DEMO_ROUTINES if pid in self.load().specs]
        if not specs:
            raise TrackerError("no built-in protocols found to build sample data from")
        result = write_demo(self.store, specs, days=days, seed=seed, force=force, busy=busy, progress=progress)
        from dataclasses import replace

        from selftrack.tracker.sample_outcomes import write_outcomes

        written = write_outcomes(self.store, days=days, seed=seed)
        return replace(result, checkins=written.checkins, forms=written.forms)

    # -- the database itself -------------------------------------------------------------

    def database_display(self) -> str:
        """Where the database is, safe to print (no password); opens nothing."""
        from selftrack.storage.engine import locate

        return locate(self.store.location).display

    def check_database(self, *, fix: bool = False):
        """Check the database without changing it (a `selftrack.storage.maintenance.CheckReport`);
        with `fix`, remove leftovers of interrupted writes (beside it, in the data, cache and
        export folders)."""
        from selftrack.storage.maintenance import check_database

        return check_database(self.store.location, fix=fix)

    def backup_database(self, target: str | Path) -> None:
        """Copy the (SQLite) database to a new, owner-only file."""
        from selftrack.storage.maintenance import backup_to

        backup_to(self.store.location, Path(target))

    def upgrade_database(self, *, backup: bool = True) -> str:
        """Bring the schema up to date after a backup (a SQLite copy, or pg_dump on PostgreSQL,
        refused without it unless `backup` is False); says what was done and where."""
        from selftrack.storage.maintenance import upgrade_database

        self.store.close()
        return upgrade_database(self.store.location, backup=backup)

    def profiles(self) -> list[ProfileSummary]:
        """Every profile in the database with its session count (a clinic keeps several)."""
        from selftrack.storage import queries

        with self.store.database.reading() as conn:
            return queries.profile_summaries(conn)


def nothing_rated(ratings) -> bool:
    """Whether a session's ratings hold no tenderness at all (none, or only skips)."""
    return not any(r.tenderness is not None for r in ratings)


def _check_profile(name: str) -> None:
    from selftrack.storage.store import ProfileNameError, check_profile_name

    try:
        check_profile_name(name)
    except ProfileNameError as exc:
        raise TrackerError(str(exc)) from None


def _text(what: str, value, limit: int) -> None:
    try:
        check_text(what, value, limit)
    except TextError as exc:
        raise TrackerError(str(exc)) from None


def _check_rating(tenderness: int | None, skipped: bool) -> None:
    """A rating is a tenderness from 0 to 10, or a skip without one: never both, never neither."""
    if skipped and tenderness is not None:
        raise TrackerError("a skipped spot has no tenderness")
    if not skipped:
        if tenderness is None:
            raise TrackerError("give a tenderness from 0 to 10, or skip the spot")
        _check_scale("tenderness", tenderness)


def _check_dose(hold_seconds: int | None, tool: str | None, pressure: str | None) -> None:
    """Hold seconds from 0 to an hour, a known tool, light, medium or firm pressure (each may
    be left out)."""
    from selftrack.domain.outcomes import HOLD_SECONDS_MAX, PRESSURES

    if hold_seconds is not None and (
        isinstance(hold_seconds, bool) or not isinstance(hold_seconds, int) or not 0 <= hold_seconds <= HOLD_SECONDS_MAX
    ):
        raise TrackerError(f"hold seconds must be a whole number from 0 to {HOLD_SECONDS_MAX}, not {hold_seconds!r}")
    if tool is not None and tool not in TOOLS:
        raise TrackerError(f"tool must be one of {', '.join(TOOLS)}, not {tool!r}")
    if pressure is not None and pressure not in PRESSURES:
        raise TrackerError(f"pressure must be one of {', '.join(PRESSURES)}, not {pressure!r}")


def _hold_guidance(minutes: int | None) -> int | None:
    from selftrack.analysis.care import hold_guidance

    return hold_guidance(minutes)


def _check_scale(what: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise TrackerError(f"{what} must be a whole number from 0 to 10, not {value!r}")
