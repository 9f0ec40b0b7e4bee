"""What the exports read of the outcomes and the dose, and what an import writes back.

One function each, scoped to the profile, like selftrack.storage.export_reads:
- `checkins_in`, `weekly_forms_in`, `psfs_activities_all`: the outcome records of a range;
- `rating_doses`, `hold_guidance`: the dose stored with ratings and sessions;
- `outcome_records`: all of these at once, with the red-flag screens, condition profiles and
  the soreness answers given before a session;
- `add_checkins`, `add_weekly_forms`, `add_screenings`, `add_condition_profiles`,
  `add_soreness_answers`: an import's records, each added once (importing the same file twice
  adds nothing; a record present with other values is left alone and reported).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from selftrack.domain.outcomes import (
    CheckIn, ConditionsSet, OutcomeRecords, PsfsActivity, Screening, SorenessAnswer, WeeklyForm,
)  # fmt: skip
from selftrack.storage import care
from selftrack.storage import outcomes as stored
from selftrack.storage.connection import period, placeholders
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


def outcome_records(scope: Scope, start: datetime | None = None, end: datetime | None = None) -> OutcomeRecords:
    """The check-ins and weekly forms answered in [start, end], and every PSFS activity, red-flag
    screen and condition profile of the profile (the forms refer to the activities; the screens
    and conditions say what was in force, whenever they were answered)."""
    return OutcomeRecords(
        checkins=tuple(stored.checkins(scope, start, end)),
        activities=tuple(stored.psfs_activities(scope)),
        forms=tuple(stored.weekly_forms(scope, start, end)),
        screenings=tuple(Screening(*row) for row in care.screenings(scope)),
        conditions=tuple(ConditionsSet(at, tuple(ids), weeks) for at, ids, weeks in care.condition_profiles(scope)),
        soreness=tuple(SorenessAnswer(*row) for row in care.soreness_answers(scope, start, end)),
    )


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
        stored.save_checkin(
            scope, checkin.day, checkin.answered_at, values, soreness, origin="import", edited_at=checkin.edited_at
        )
        result.added += 1
    return result


def _same_checkin(stored_one: CheckIn, imported: CheckIn) -> bool:
    """The same answers (a soreness answer counts when both have one: it is not kept when the
    session it is about is not this person's)."""
    fields = ("answered_at", "back_pain", "leg_pain", "below_knee", "night", "edited_at")
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


def add_screenings(scope: Scope, screenings: Iterable[Screening]) -> Added:
    """Add imported red-flag screens, matched by when they were answered: each is added once; one
    present with other answers is left alone and reported."""
    result = Added()
    present = {Screening(*row).answered_at: Screening(*row) for row in care.screenings(scope)}
    for screen in screenings:
        found = present.get(screen.answered_at)
        if found is not None:
            if found == screen:
                result.unchanged += 1
            else:
                result.conflicts.append(f"safety screen of {screen.answered_at.isoformat()}: a different one is stored")
            continue
        care.add_screening(scope, screen.answered_at, screen.trigger, dict(screen.answers), screen.outcome)
        present[screen.answered_at] = screen
        result.added += 1
    return result


def add_condition_profiles(scope: Scope, profiles: Iterable[ConditionsSet]) -> Added:
    """Add imported condition profiles, matched by when they were set, each once; one present
    with other conditions is left alone and reported."""
    result = Added()
    present = {at: ConditionsSet(at, tuple(ids), weeks) for at, ids, weeks in care.condition_profiles(scope)}
    for profile in profiles:
        found = present.get(profile.updated_at)
        if found is not None:
            if (sorted(found.conditions), found.pregnancy_weeks) == (sorted(profile.conditions), profile.pregnancy_weeks):
                result.unchanged += 1
            else:
                result.conflicts.append(f"conditions of {profile.updated_at.isoformat()}: different ones are stored")
            continue
        care.set_conditions(scope, profile.updated_at, profile.conditions, profile.pregnancy_weeks)
        present[profile.updated_at] = profile
        result.added += 1
    return result


def add_soreness_answers(scope: Scope, answers: Iterable[SorenessAnswer]) -> Added:
    """Add imported soreness answers, matched by their session and when they were answered,
    each once; one present with another answer is left alone and reported, and so is one
    about a session that is not this person's (it cannot be kept without it)."""
    result = Added()
    conn = scope.conn
    for answer in answers:
        owner = conn.scalar(
            "SELECT count(*) FROM sessions WHERE id = :id AND profile_id = :profile",
            {"id": answer.session_id, "profile": scope.profile},
        )
        when = answer.answered_at.isoformat()
        if not owner:
            result.conflicts.append(f"soreness answer of {when}: its session {answer.session_id} is not in this profile")
            continue
        found = conn.scalar(
            "SELECT answer FROM soreness WHERE profile_id = :profile AND session_id = :session AND answered_at = :at",
            {"profile": scope.profile, "session": answer.session_id, "at": conn.moment_param(answer.answered_at)},
        )
        if found is None:
            care.add_soreness(scope, answer.session_id, answer.answered_at, answer.answer)
            result.added += 1
        elif found == answer.answer:
            result.unchanged += 1
        else:
            result.conflicts.append(f"soreness answer of {when}: a different one is stored")
    return result
