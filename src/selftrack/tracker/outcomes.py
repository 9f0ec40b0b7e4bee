"""Outcomes, as use cases: the morning check-in, the weekly form, what is due on the home
screen, the outcome series trends draw, and what the person's own data says.

- The morning check-in is offered once a day until noon, local time. One per local day: a
  second one the same day corrects the first (its numbers replace the morning's; a soreness
  answer given replaces the earlier one, leaving it out keeps it).
- Its soreness answer is about the latest session of the last three days before today (a
  hard one first) and is stored in the soreness table, where the over-treatment rules read
  it (selftrack.tracker.care); a leg feeling below the knee asks the red-flag screen again.
- The weekly form (PEG, PSFS, PGIC) is offered when none was answered in the last 7 days.
The rules are in selftrack.analysis (stats, insights, care); this module reads and writes
through the Store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from selftrack.analysis import care
from selftrack.analysis.insights import Insights, build_days, compare
from selftrack.domain.instruments import PSFS_MAX_ACTIVITIES, PSFS_NAME_MAX
from selftrack.domain.outcomes import CheckIn, CheckInSaved, OutcomePrompts, Peg, PsfsActivity, WeeklyForm
from selftrack.domain.text import TextError, check_text
from selftrack.errors import SelftrackError
from selftrack.storage import care as care_store
from selftrack.storage import outcomes as stored
from selftrack.storage.store import Scope, Store

CHECKIN_UNTIL_HOUR = 12  # the morning check-in is offered until noon, local time
SORENESS_DAYS = 3  # a soreness answer is about a session of the last three days before today
WEEKLY_EVERY_DAYS = 7
PGIC_RANGE = range(1, 8)


class OutcomeError(SelftrackError, ValueError):
    """An answer the core refuses, explained in one line."""


# -- the morning check-in ----------------------------------------------------------------------


def record_checkin(
    store: Store,
    *,
    back: int,
    leg: int,
    night: int,
    below_knee: bool = False,
    soreness: str | None = None,
) -> CheckInSaved:
    """Store today's morning check-in (replacing an earlier one of today); returns it and
    the one it replaced. Nothing is stored when any answer is refused."""
    for what, value in (("back pain", back), ("leg pain", leg), ("night", night)):
        _check_scale(what, value)
    if not isinstance(below_knee, bool):
        raise OutcomeError(f"below the knee is yes or no, not {below_knee!r}")
    if soreness is not None and soreness not in care.SORENESS:
        raise OutcomeError(f"soreness is one of {', '.join(care.SORENESS)}, not {soreness!r}")
    now = store.clock.now()
    tz = store.clock.tz
    today = now.astimezone(tz).date()
    values = {"back_pain": back, "leg_pain": leg, "below_knee": below_knee, "night": night}
    with store.writing() as scope:
        replaced = stored.checkin_on(scope, today)
        about = None
        if soreness is not None:
            target = soreness_target(scope, now, tz)
            if target is None:
                raise OutcomeError(
                    f"no session in the {SORENESS_DAYS} days before today to say soreness about"
                )
            about = (target[0], soreness)
        stored.save_checkin(scope, today, now, values, about)
        saved = stored.checkin_on(scope, today)
    assert saved is not None
    return CheckInSaved(saved, replaced)


def checkins(store: Store, start: datetime | None = None, end: datetime | None = None) -> list[CheckIn]:
    """The check-ins answered in [start, end], oldest first."""
    with store.reading() as scope:
        return stored.checkins(scope, start, end)


def soreness_target(scope: Scope, now: datetime, tz) -> tuple[str, datetime] | None:
    """(id, start) of the session a morning's soreness answer is about: among the sessions of
    the last day before today that had one (no further back than three days), the latest
    hard one (a spot at 8 or more, or over the hold guidance), else the latest; None when
    there was none."""
    today_start = _local_midnight(now, tz)
    since = today_start - timedelta(days=SORENESS_DAYS)
    latest = stored.last_session_before(scope, today_start, since)
    if latest is None:
        return None
    day = latest[1].astimezone(tz).date()
    doses = [care.SessionDose(*row) for row in care_store.session_doses(scope, since)]
    same_day = [d for d in doses if d.started < today_start and d.started.astimezone(tz).date() == day]
    hard = care.latest_hard(same_day)
    return (hard.session_id, hard.started) if hard is not None else latest


def _local_midnight(now: datetime, tz) -> datetime:
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


# -- what is due -------------------------------------------------------------------------------


def prompts(store: Store) -> OutcomePrompts:
    """What the home screen offers now: the morning check-in (once a day until noon), the
    soreness question the day after a session, the weekly form once a week."""
    now = store.clock.now()
    tz = store.clock.tz
    local = now.astimezone(tz)
    today = local.date()
    with store.reading() as scope:
        done = stored.checkin_on(scope, today)
        target = soreness_target(scope, now, tz)
        if target is not None:
            yesterday = target[1].astimezone(tz).date() == today - timedelta(days=1)
            if not yesterday or stored.soreness_answered(scope, target[0]):
                target = None
        last_weekly = stored.last_weekly_form_at(scope)
        activities = tuple(stored.psfs_activities(scope, current_only=True))
        first = stored.first_moment(scope)
    weekly_due = last_weekly is None or (today - last_weekly.astimezone(tz).date()).days >= WEEKLY_EVERY_DAYS
    return OutcomePrompts(
        checkin_due=done is None and local.hour < CHECKIN_UNTIL_HOUR,
        today=done,
        soreness_about=target,
        weekly_due=weekly_due,
        last_weekly=last_weekly,
        psfs_activities=activities,
        ask_pgic=last_weekly is not None,
        started_on=None if first is None else first.astimezone(tz).date(),
    )


# -- the weekly form ---------------------------------------------------------------------------


def psfs_activities(store: Store, *, include_ended: bool = False) -> list[PsfsActivity]:
    """The PSFS activities in force (with `include_ended`, every one ever named), in order."""
    with store.reading() as scope:
        return stored.psfs_activities(scope, current_only=not include_ended)


def set_psfs_activities(store: Store, names: Sequence[str]) -> list[PsfsActivity]:
    """Name the activities the PSFS rates from now on (1 to 3); the earlier ones are kept,
    ended. Naming the same ones again changes nothing."""
    cleaned = _activity_names(names)
    with store.writing() as scope:
        current = stored.psfs_activities(scope, current_only=True)
        if [a.name for a in current] != cleaned:
            stored.set_psfs_activities(scope, cleaned, store.clock.now())
        return stored.psfs_activities(scope, current_only=True)


def record_weekly_form(
    store: Store,
    *,
    peg: Peg | Sequence[int] | None = None,
    psfs: Mapping[int | str, int] | None = None,
    pgic: int | None = None,
    activities: Sequence[str] | None = None,
) -> WeeklyForm:
    """Store a weekly form: the PEG (pain, enjoyment, activity, each 0–10), the PSFS ratings
    of every activity in force (activity id or name -> 0–10) and the PGIC (1–7); any part
    may be left out, not all of them. `activities` names the PSFS activities first (as
    `set_psfs_activities`, in the same transaction). Nothing is stored when an answer is
    refused."""
    peg = _peg(peg)
    if pgic is not None and (isinstance(pgic, bool) or not isinstance(pgic, int) or pgic not in PGIC_RANGE):
        raise OutcomeError(f"the global impression of change is a whole number from 1 to 7, not {pgic!r}")
    if peg is None and not psfs and pgic is None:
        raise OutcomeError("a weekly form needs the PEG, the PSFS or the global impression of change")
    for activity, score in (psfs or {}).items():
        _check_scale(f"the PSFS rating of {activity}", score)
    names = None if activities is None else _activity_names(activities)
    now = store.clock.now()
    with store.writing() as scope:
        if names is not None and [a.name for a in stored.psfs_activities(scope, current_only=True)] != names:
            stored.set_psfs_activities(scope, names, now)
        scores = _resolve(stored.psfs_activities(scope, current_only=True), psfs or {})
        form_id = stored.add_weekly_form(scope, now, peg, pgic, scores)
        (form,) = [f for f in stored.weekly_forms(scope, now, now) if f.id == form_id]
    return form


def _resolve(current: Sequence[PsfsActivity], psfs: Mapping[int | str, int]) -> dict[int, int]:
    """PSFS ratings by activity id, from ids or names; every activity in force must be rated."""
    if not psfs:
        return {}
    if not current:
        raise OutcomeError("name the PSFS activities first (up to three)")
    by_id = {a.id: a for a in current}
    by_name = {a.name.casefold(): a.id for a in current}
    scores: dict[int, int] = {}
    for key, score in psfs.items():
        found = key if isinstance(key, int) and key in by_id else None
        if isinstance(key, str):
            found = by_name.get(" ".join(key.split()).casefold())
        if found is None:
            listed = ", ".join(a.name for a in current)
            raise OutcomeError(f"no PSFS activity {key!r} in force (they are: {listed})")
        scores[found] = score
    missing = [a.name for a in current if a.id not in scores]
    if missing:
        raise OutcomeError(f"rate every PSFS activity: {', '.join(missing)} is missing")
    return scores


def weekly_forms(store: Store, start: datetime | None = None, end: datetime | None = None) -> list[WeeklyForm]:
    """The weekly forms answered in [start, end], oldest first."""
    with store.reading() as scope:
        return stored.weekly_forms(scope, start, end)


def _peg(peg) -> Peg | None:
    if peg is None or isinstance(peg, Peg):
        values = None if peg is None else (peg.pain, peg.enjoyment, peg.activity)
    else:
        values = tuple(peg)
        if len(values) != 3:
            raise OutcomeError(f"the PEG has three answers (pain, enjoyment, activity), not {len(values)}")
    if values is None:
        return None
    for what, value in zip(("PEG pain", "PEG enjoyment", "PEG activity"), values):
        _check_scale(what, value)
    return Peg(*values)


def _activity_names(names: Sequence[str]) -> list[str]:
    if isinstance(names, str):
        names = [names]
    cleaned = []
    for name in names:
        try:
            check_text("a PSFS activity", name, PSFS_NAME_MAX, label=True)
        except TextError as exc:
            raise OutcomeError(str(exc)) from None
        if not name.strip():
            raise OutcomeError("a PSFS activity needs a name")
        cleaned.append(" ".join(name.split()))
    if not 1 <= len(cleaned) <= PSFS_MAX_ACTIVITIES:
        raise OutcomeError(f"name 1 to {PSFS_MAX_ACTIVITIES} PSFS activities, not {len(cleaned)}")
    folded = [name.casefold() for name in cleaned]
    if len(set(folded)) != len(folded):
        raise OutcomeError("each PSFS activity once")
    return cleaned


# -- what the person's own data says -----------------------------------------------------------


def insights(store: Store, start: datetime | None = None, end: datetime | None = None) -> Insights:
    """Next-morning back pain after days with a session against days without, overall, by
    routine and by tool (selftrack.analysis.insights), over the check-ins in [start, end]."""
    tz = store.clock.tz
    with store.reading() as scope:
        mornings = {c.day: c.back_pain for c in stored.checkins(scope, start, end)}
        since = None if start is None else start - timedelta(days=2)
        sessions = stored.session_doses(scope, since, end)
    days = [(at.astimezone(tz).date(), routine, tools) for at, routine, _name, tools in sessions]
    names = {routine: name for _at, routine, name, _tools in sessions}
    return compare(build_days(days, mornings), names)


def _check_scale(what: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise OutcomeError(f"{what} must be a whole number from 0 to 10, not {value!r}")
