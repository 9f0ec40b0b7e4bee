"""What the exports read of the outcomes and the dose, and what an import writes back.

One function each, scoped to the profile, like selftrack.storage.export_reads:
- `checkins_in`, `weekly_forms_in`, `psfs_activities_all`: the outcome records of a range;
- `rating_doses`, `hold_guidance`: the dose stored with ratings and sessions;
- `add_checkins`, `add_weekly_forms`: an import's records, each added once (importing the same
  file twice adds nothing; a record present with other values is left alone and reported).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from selftrack.domain.outcomes import CheckIn, PsfsActivity, WeeklyForm
from selftrack.storage import outcomes as stored
from selftrack.storage.connection import placeholders
from selftrack.storage.queries import period
from selftrack.storage.store import Scope


def checkins_in(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> list[CheckIn]:
    """The morning check-ins answered in [start, end], oldest first, with their soreness answer."""
    return stored.checkins(scope, start, end)


def weekly_forms_in(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> list[WeeklyForm]:
    """The weekly forms answered in [start, end], oldest first, with their PSFS ratings."""
    return stored.weekly_forms(scope, start, end)


def psfs_activities_all(scope: Scope) -> list[PsfsActivity]:
    """Every PSFS activity the person named, with when it was in force."""
    return stored.psfs_activities(scope)


def rating_doses(
    scope: Scope, start: datetime | None = None, end: datetime | None = None
) -> Iterator[list[tuple]]:
    """(session id, step index, hold seconds, tool, pressure) of every rating in the range that
    carries any dose, in session then walk order, in batches (the tool is None when it was the
    session's)."""
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT r.session_id, r.step_index, r.hold_seconds, r.tool, r.pressure FROM ratings r "
        "JOIN sessions s ON s.id = r.session_id WHERE s.profile_id = :profile "
        "AND (r.hold_seconds IS NOT NULL OR r.tool IS NOT NULL OR r.pressure IS NOT NULL)"
        f"{period(scope.conn, start, end, params, 's.started_at')} ORDER BY s.started_at, s.id, r.step_index"
    )
    return scope.conn.stream(sql, params, size=5000)


def hold_guidance(scope: Scope, session_ids: Sequence[str]) -> dict[str, int]:
    """The hold guidance (seconds) of each of these sessions that has one."""
    params: dict = {"profile": scope.profile}
    sql = (
        "SELECT id, hold_guidance FROM sessions WHERE profile_id = :profile AND hold_guidance IS NOT NULL "
        f"AND id IN ({placeholders('id', session_ids, params)})"
    )
    return dict(scope.conn.rows(sql, params))


@dataclass
class Added:
    """What an import of outcome records did."""

    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


def add_checkins(scope: Scope, checkins: Iterable[CheckIn]) -> Added:
    """Add imported check-ins: a day without one gets it (with its soreness answer, when the
    session it is about is this person's); a day with the same one is unchanged; a day with
    other answers keeps its own and is reported."""
    result = Added()
    for checkin in checkins:
        found = stored.checkin_on(scope, checkin.day)
        if found is not None:
            if _same_checkin(found, checkin):
                result.unchanged += 1
            else:
                result.conflicts.append(f"check-in of {checkin.day.isoformat()}: a different one is stored")
            continue
        soreness = None
        if checkin.soreness is not None and checkin.soreness_session is not None:
            owner = scope.conn.scalar(
                "SELECT count(*) FROM sessions WHERE id = :id AND profile_id = :profile",
                {"id": checkin.soreness_session, "profile": scope.profile},
            )
            if owner:
                soreness = (checkin.soreness_session, checkin.soreness)
        values = {
            "back_pain": checkin.back_pain, "leg_pain": checkin.leg_pain,
            "below_knee": checkin.below_knee, "night": checkin.night,
        }  # fmt: skip
        stored.save_checkin(scope, checkin.day, checkin.answered_at, values, soreness, origin="import")
        result.added += 1
    return result


def _same_checkin(stored_one: CheckIn, imported: CheckIn) -> bool:
    """The same answers (a soreness answer counts when both have one: it is not kept when the
    session it is about is not this person's)."""
    fields = ("answered_at", "back_pain", "leg_pain", "below_knee", "night")
    same = all(getattr(stored_one, name) == getattr(imported, name) for name in fields)
    if stored_one.soreness is not None and imported.soreness is not None:
        same = same and stored_one.soreness == imported.soreness
    return same


def add_weekly_forms(scope: Scope, activities: Iterable[PsfsActivity], forms: Iterable[WeeklyForm]) -> Added:
    """Add imported PSFS activities (matched by name and start) and weekly forms (matched by
    when they were answered): each is added once; a form present with other answers is left
    alone and reported. Activity ids in `forms` refer to the ids in `activities`."""
    conn = scope.conn
    mine = {(a.name, a.since): a.id for a in stored.psfs_activities(scope)}
    ids: dict[int, int] = {}
    for activity in activities:
        key = (activity.name, activity.since)
        if key not in mine:
            conn.execute(
                "INSERT INTO psfs_activities (profile_id, name, position, since, until) "
                "VALUES (:profile, :name, :position, :since, :until)",
                {"profile": scope.profile, "name": activity.name, "position": activity.position,
                 "since": conn.moment_param(activity.since),
                 "until": None if activity.until is None else conn.moment_param(activity.until)},
            )  # fmt: skip
            mine[key] = conn.scalar(
                "SELECT max(id) FROM psfs_activities WHERE profile_id = :profile AND name = :name",
                {"profile": scope.profile, "name": activity.name},
            )
        ids[activity.id] = mine[key]
    result = Added()
    present = {f.answered_at: f for f in stored.weekly_forms(scope)}
    for form in forms:
        scores = {ids[r.activity_id]: r.score for r in form.psfs}
        found = present.get(form.answered_at)
        if found is not None:
            same = (found.peg, found.pgic, {r.activity_id: r.score for r in found.psfs}) == (form.peg, form.pgic, scores)
            if same:
                result.unchanged += 1
            else:
                result.conflicts.append(f"weekly form of {form.answered_at.isoformat()}: a different one is stored")
            continue
        stored.add_weekly_form(scope, form.answered_at, form.peg, form.pgic, scores, origin="import")
        result.added += 1
    return result
