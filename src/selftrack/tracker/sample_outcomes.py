"""Sample outcomes to go with the sample sessions (selftrack.demo): morning check-ins and
weekly forms.

Written after the sample sessions (selftrack.demo), from the days those sessions fell on, so
the schedule of sessions can change without touching this. The sample person's back pain
eases slowly over months, flares now and then, and is about one point lower on the morning
after a day with a session (a planted effect, so the insights view has something to find);
they answer the check-in on most mornings, the soreness question on about half the mornings
after a session, and the weekly form every Sunday evening.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from selftrack.storage.store import Store

SESSION_EFFECT = 1.0  # points lower the morning after a day with a session
CHECKIN_RATE = 0.92
SORENESS_RATE = 0.5
PSFS_ACTIVITIES = ("Walking for 30 minutes", "Sitting through a film", "Lifting the shopping")
_BATCH_DAYS = 400


@dataclass(frozen=True)
class OutcomesWritten:
    checkins: int
    forms: int


def write_outcomes(store: Store, *, days: int, seed: int = 1) -> OutcomesWritten:
    """Write `days` days of sample check-ins and weekly forms ending today (days that already
    have a check-in, or a weekly form, keep theirs)."""
    from selftrack.domain.outcomes import Peg
    from selftrack.storage import care as care_store
    from selftrack.storage import outcomes as stored

    rng = random.Random(f"outcomes:{seed}")
    clock = store.clock
    now = clock.now()
    tz = clock.tz
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    with store.reading() as scope:
        sessions = care_store.session_doses(scope, _local(first - timedelta(days=1), 0, tz))
    by_day: dict[date, list[str]] = {}  # each day's sessions, oldest first
    for sid, at, *_dose in reversed(sessions):
        by_day.setdefault(at.astimezone(tz).date(), []).append(sid)
    model = _Model(rng, days)
    checkins = forms = 0
    day_numbers = list(range(days))
    for chunk in range(0, days, _BATCH_DAYS):
        with store.writing() as scope:
            existing = stored.checkin_days(scope, [first + timedelta(days=n) for n in day_numbers[chunk : chunk + _BATCH_DAYS]])
            if chunk == 0 and not stored.psfs_activities(scope, current_only=True):
                stored.set_psfs_activities(scope, PSFS_ACTIVITIES, _local(first, 6, tz))
            activities = [a.id for a in stored.psfs_activities(scope, current_only=True)]
            form_days = {f.answered_at.astimezone(tz).date() for f in stored.weekly_forms(scope)}
            for n in day_numbers[chunk : chunk + _BATCH_DAYS]:
                day = first + timedelta(days=n)
                yesterday = by_day.get(day - timedelta(days=1), [])
                back = model.back_pain(n, bool(yesterday))
                answered = _local(day, 7, tz) + timedelta(minutes=rng.randint(0, 90))
                if day not in existing and answered <= now and rng.random() < CHECKIN_RATE:
                    leg = max(0, min(10, round(back * 0.45 + rng.gauss(0, 0.9))))
                    soreness = None
                    if yesterday and rng.random() < SORENESS_RATE:
                        answer = rng.choices(("none", "mild", "sore-48h"), weights=(60, 38, 2))[0]
                        soreness = (yesterday[-1], answer)
                    values = {
                        "back_pain": back,
                        "leg_pain": leg,
                        "below_knee": leg >= 4 and rng.random() < 0.05,
                        "night": max(0, min(10, round(7.5 - 0.5 * back + rng.gauss(0, 1.2)))),
                    }
                    stored.save_checkin(scope, day, answered, values, soreness, origin="demo")
                    checkins += 1
                evening = _local(day, 19, tz) + timedelta(minutes=rng.randint(0, 60))
                if day.weekday() == 6 and evening <= now and day not in form_days:
                    week = n / 7
                    pain = model.week_level(n)
                    peg = Peg(*(max(0, min(10, round(pain + shift + rng.gauss(0, 0.6)))) for shift in (0.3, -0.3, 0.0)))
                    able = 3.5 + 4.0 * (1 - math.exp(-week / 10))
                    scores = {aid: max(0, min(10, round(able + rng.gauss(0, 0.8)))) for aid in activities}
                    pgic = _pgic(model.week_level(0) - pain, rng) if forms or form_days else None
                    stored.add_weekly_form(scope, evening, peg, pgic, scores, origin="demo")
                    forms += 1
    return OutcomesWritten(checkins, forms)


def _pgic(improvement: float, rng: random.Random) -> int:
    """A global impression of change that follows the improvement loosely."""
    value = 4 - improvement + rng.gauss(0, 0.5)
    return max(1, min(7, round(value)))


def _local(day: date, hour: int, tz) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz).astimezone(timezone.utc)


class _Model:
    """The sample person's back pain: a level that eases over months, flares, day-to-day noise,
    and about a point less the morning after a session."""

    def __init__(self, rng: random.Random, days: int) -> None:
        self.rng = rng
        self.start = rng.uniform(5.0, 6.5)
        self.floor = rng.uniform(2.0, 3.0)
        self.pace = rng.uniform(120, 240)
        self.flares = [0.0] * (days + 7)
        for begin in rng.sample(range(days), k=min(days, max(1, days // 50))):
            for offset in range(5):
                if begin + offset < len(self.flares):
                    self.flares[begin + offset] = max(self.flares[begin + offset], 2.0 * (1 - offset / 5))

    def level(self, day: int) -> float:
        return self.floor + (self.start - self.floor) * math.exp(-day / self.pace) + self.flares[day]

    def week_level(self, day: int) -> float:
        """The average level over the week ending on `day`."""
        days = [d for d in range(day - 6, day + 1) if d >= 0] or [0]
        return sum(self.level(d) for d in days) / len(days)

    def back_pain(self, day: int, after_session: bool) -> int:
        value = self.level(day) - (SESSION_EFFECT if after_session else 0.0) + self.rng.gauss(0, 1.0)
        return max(0, min(10, round(value)))
