"""Safety over time, as use cases: the red-flag screen (asked, dated, asked again), the
conditions that adapt routines, and the soreness question after hard sessions.

The rules are selftrack.analysis.care's; this module reads what they need from the Store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from selftrack.analysis import care
from selftrack.analysis.stats import Measure, Verdict, summarize
from selftrack.domain.conditions import ConditionProfile
from selftrack.storage import care as stored
from selftrack.storage import history, queries
from selftrack.storage import outcomes as outcome_store
from selftrack.storage.store import Store

SORENESS_LOOKBACK_DAYS = 14
RESTING_LOOKBACK_DAYS = 90  # a spot can rest only if it was pressed hard in this time


@dataclass(frozen=True)
class CareState:
    """What must happen before a session can start, and what adapts it."""

    screening: care.Screening | None
    due: str | None  # why the red-flag screen must be answered now (care.TRIGGER_WORDS)
    conditions: ConditionProfile
    conditions_updated: datetime | None
    soreness_about: tuple[str, datetime] | None  # (session id, start) to ask about, if due

    @property
    def blocked(self) -> bool:
        """A red flag answered yes stops sessions from starting."""
        return self.screening is not None and self.screening.blocks

    @property
    def ready(self) -> bool:
        """Nothing to ask and nothing stopping a session."""
        return not self.blocked and self.due is None and self.soreness_about is None


def care_state(store: Store) -> CareState:
    """Read the latest screen, the conditions and the soreness answers, and apply the rules."""
    now = store.clock.now()
    tz = store.clock.tz
    with store.reading() as scope:
        found = stored.latest_screening(scope)
        screening = None if found is None else care.Screening(*found)
        pain_worse = nerve_repeats = below_knee = False
        if screening is not None:
            since = screening.answered_at
            pain = [float(before) for _at, before, _after in history.pain_series(scope, since) if before is not None]
            pain_worse = summarize(pain, Measure.PAIN).verdict is Verdict.WORSE
            nerve_repeats = care.nerve_in_a_row(stored.nerve_by_session(scope, since))
            below_knee = care.mentions_below_knee(stored.texts_since(scope, since)) or _below_knee(scope, since)
        conditions = stored.latest_conditions(scope)
        doses = stored.session_doses(scope, now - timedelta(days=SORENESS_LOOKBACK_DAYS))
        found_hard = care.latest_hard([care.SessionDose(*row) for row in doses])
        hard = None if found_hard is None else (found_hard.session_id, found_hard.started)
        soreness = _soreness(scope, stored.latest_soreness(scope))
    due = care.screening_due(
        screening, now, pain_worse=pain_worse, nerve_repeats=nerve_repeats, below_knee=below_knee
    )
    profile, updated = _profile(conditions, now)
    about = None
    if care.soreness_question_due(hard[1] if hard else None, soreness, now, tz):
        lasting = soreness is not None and soreness.answer in care.LASTING
        about = (soreness.session_id, soreness.session_started) if lasting else hard
    return CareState(screening, due, profile, updated, about)


def _below_knee(scope, since: datetime) -> bool:
    """A morning check-in since the screen says the leg feeling goes below the knee, and it
    did not at the check-in before."""
    flags, first_is_before = outcome_store.below_knee_since(scope, since)
    return care.below_knee_began(flags, first_is_before=first_is_before)


def _profile(found, now: datetime) -> tuple[ConditionProfile, datetime | None]:
    """The conditions in force now (a pregnancy's weeks counted on from when they were given)."""
    if found is None:
        return ConditionProfile(), None
    updated, ids, weeks = found
    if weeks is not None:
        weeks += (now - updated).days // 7
    return ConditionProfile(frozenset(ids), weeks), updated


def gate(store: Store) -> tuple[bool, ConditionProfile]:
    """(whether a red flag stands in the way of starting, the conditions in force)."""
    with store.reading() as scope:
        screening = stored.latest_screening(scope)
        conditions = stored.latest_conditions(scope)
    blocked = screening is not None and screening[3] != care.CLEAR
    return blocked, _profile(conditions, store.clock.now())[0]


def _soreness(scope, found) -> care.Soreness | None:
    if found is None:
        return None
    session_id, started, answered, answer = found
    guidance, held, steps = stored.session_hold(scope, session_id)
    # over the routine's hold guidance: the spots held longer than their share were pressed hard too
    share = care.spot_hold_share(guidance, steps) if care.over_hold_guidance(held, guidance) else None
    return care.Soreness(session_id, started, answered, answer, stored.hard_spots(scope, session_id, share))


def answer_screening(store: Store, answers: Mapping[str, str], trigger: str) -> care.Screening:
    """Store a red-flag screen's answers with the moment; returns it with its outcome."""
    if trigger not in care.TRIGGER_WORDS:
        raise ValueError(f"unknown reason for the screen: {trigger!r}")
    outcome = care.screening_outcome(answers)
    now = store.clock.now()
    with store.writing() as scope:
        stored.add_screening(scope, now, trigger, dict(answers), outcome)
    return care.Screening(now, trigger, dict(answers), outcome)


def set_conditions(store: Store, profile: ConditionProfile) -> None:
    """Store the conditions in force from now on."""
    with store.writing() as scope:
        stored.set_conditions(scope, store.clock.now(), profile.conditions, profile.pregnancy_weeks)


def answer_soreness(store: Store, session_id: str, answer: str) -> None:
    """Store how the person felt after a session."""
    if answer not in care.SORENESS:
        raise ValueError(f"soreness is one of {', '.join(care.SORENESS)}, not {answer!r}")
    with store.writing() as scope:
        stored.add_soreness(scope, session_id, store.clock.now(), answer)


def dose(store: Store, pairs: Iterable[tuple[str, str]], before: datetime) -> care.Dose:
    """Which of these spots rest, and which get lighter pressure, in a session started `before`."""
    with store.reading() as scope:
        latest = {
            (spot, side): queries.recent_values(scope, spot, side, before, care.HARD_RUN)
            for spot, side in sorted(set(pairs))
        }
        soreness = _soreness(scope, stored.latest_soreness(scope))
    if soreness is not None and soreness.answer not in care.LASTING:
        soreness = None
    return care.dose(latest, soreness, before, store.clock.tz)


@dataclass(frozen=True)
class RestingSpot:
    """A spot that rests in a session started now, and why (for the home screen)."""

    spot_id: str
    side: str
    name: str
    reason: str


def resting_now(store: Store) -> list[RestingSpot]:
    """The spots a session started now passes over by default, with the reason, by name.

    Only a spot pressed hard (8 or more) can rest, so the spots rated 8 or more in the last
    90 days (and those of a bruising session) are the ones looked at; the walk applies the
    same rule to its own spots (`dose`).
    """
    now = store.clock.now()
    with store.reading() as scope:
        pairs = stored.hard_pairs_since(scope, now - timedelta(days=RESTING_LOOKBACK_DAYS))
        soreness = _soreness(scope, stored.latest_soreness(scope))
        if soreness is not None:
            pairs |= soreness.hard_spots
        names = {spot: info.name for spot, info in history.spot_infos(scope.conn, {s for s, _ in pairs}).items()}
    found = dose(store, pairs, now).resting
    return [
        RestingSpot(spot, side, names.get(spot, spot), reason)
        for (spot, side), reason in sorted(found.items(), key=lambda item: (names.get(item[0][0], ""), item[0][1]))
    ]
