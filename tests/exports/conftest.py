"""A small fixed history, logged through the core with a moving fixed clock, for export tests."""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from selftrack.clock import Clock
from selftrack.domain.model import ALTERNATING
from selftrack.tracker import Tracker
from support import DATA, FIXED_NOW

EXPORT_PROTOCOLS = DATA / "export_protocols"
GOLDEN = DATA / "golden"
REGENERATE_ENV = "SELFTRACK_REGENERATE_GOLDEN"
ZONE = "Europe/London"

# Steps of `export-test` on both sides: 0 spine L, 1 dimple L, 2 hip L, 3 sacrum (mid),
# 4 spine R, 5 dimple R, 6 hip R, 7 calf L, 8 calf R. None means skipped.
SESSIONS: list[dict] = [
    dict(day=0, tool="ball", before=6, after=4, t=[7, 6, 3, 4, 6, 5, 2, 3, 2]),
    dict(day=3, tool="ball", before=6, after=5, t=[8, 6, 3, 4, 6, 5, 2, None, 2]),
    dict(day=9, tool="cane", before=5, after=4, t=[7, 7, 2, 5, 5, 4, 3, 2, 2]),
    dict(day=16, tool="ball", before=5, after=3, t=[6, 6, 3, 4, 5, 5, 4, 2, 1]),
    dict(day=30, tool="hands", before=4, after=3, t=[5, 6, 2, 3, 4, 4, 4, 2, 2]),
    dict(day=44, tool="ball", before=4, after=2, t=[4, 7, 3, 3, 4, 5, 5, 1, 1]),
    dict(day=58, tool="ball", before=3, after=2, t=[3, 6, 2, 3, 3, 4, 6, 2, 1]),
    dict(day=70, tool="roller", before=3, after=None, t=[3, 6, 2, 2], status="abandoned"),
    dict(day=78, tool="ball", before=3, after=1, t=[3, 6, 2, 3, 3, 5, 6, 1, 1]),
]
FIRST_SESSION = datetime(2026, 9, 1, 6, 30, tzinfo=timezone.utc)  # British Summer Time then
NOTES = {
    0: "=HYPERLINK(\"http://example.invalid\", \"click\")",
    4: "Stiff after a long drive, then looser",
    8: "-3 after the walk; \"much\" easier,\nslept well",
}
RATING_EXTRAS = {
    (0, 1): dict(recognised=True, note="+ the familiar ache"),
    (2, 6): dict(nerve=True, note="@ tingling, moved off"),
    (5, 0): dict(referred_to="down the back of the thigh"),
    (6, 6): dict(recognised=True, referred=True, note="\tfelt it in the groin"),
    (8, 5): dict(recognised=True, note="Größer, aber weicher – gut"),
}
# the dose on some ratings: hold-timer seconds, the tool when not the session's, pressure
RATING_DOSES = {
    (0, 0): dict(hold_seconds=45, pressure="firm"),
    (0, 1): dict(hold_seconds=30),
    (3, 2): dict(hold_seconds=20, tool="hands", pressure="light"),
    (8, 1): dict(hold_seconds=60, tool="cane", pressure="medium"),
}
# morning check-ins: (day after FIRST_SESSION, back, leg, night, below knee, soreness)
CHECKINS = [
    (1, 6, 3, 4, True, "mild"),
    (4, 6, 2, 5, False, "none"),
    (10, 5, 2, 5, False, None),
    (31, 4, 1, 6, False, None),
    (59, 3, 1, 7, False, None),
    (79, 2, 0, 8, False, "none"),
]
SORENESS_BEFORE_SESSION = "sore-48h"  # about the last session, answered before the next
PSFS_ACTIVITIES = ("Sitting through a film", "Lifting my daughter", "Gardening")
# weekly forms: (day, PEG pain/enjoyment/activity, PSFS scores, PGIC)
WEEKLY_FORMS = [
    (0, (6, 5, 6), (3, 4, 2), None),
    (28, (5, 4, 4), (5, 5, 4), 3),
    (77, (3, 2, 3), (7, 6, 6), 2),
]


def set_clock(tracker: Tracker, moment: datetime) -> None:
    tracker.clock = Clock(fixed=moment, tz_name=ZONE)


def log_history(tracker: Tracker) -> list[str]:
    """Log SESSIONS through the core, with the outcome records around them (a red-flag screen
    first, check-ins, weekly forms, a condition profile last); returns the session ids."""
    from selftrack import safety
    from selftrack.domain.conditions import ConditionProfile

    set_clock(tracker, FIRST_SESSION - timedelta(minutes=20))
    tracker.answer_screening({q.id: "no" for q in safety.RED_FLAG_SCREEN}, "first")
    forms = {day: form for day, *form in WEEKLY_FORMS}
    mornings = {day: checkin for day, *checkin in CHECKINS}
    ids = []
    for number, plan in enumerate(SESSIONS):
        for day in [d for d in forms if d <= plan["day"]]:
            peg, scores, pgic = forms.pop(day)
            set_clock(tracker, FIRST_SESSION + timedelta(days=day, minutes=-10))
            tracker.record_weekly_form(
                peg=peg, psfs=dict(zip(PSFS_ACTIVITIES, scores)), pgic=pgic,
                activities=PSFS_ACTIVITIES if day == 0 else None,
            )  # fmt: skip
        for day in [d for d in mornings if d <= plan["day"]]:
            back, leg, night, below, soreness = mornings.pop(day)
            set_clock(tracker, FIRST_SESSION + timedelta(days=day, minutes=-25))
            tracker.record_checkin(back=back, leg=leg, night=night, below_knee=below, soreness=soreness)
        moment = FIRST_SESSION + timedelta(days=plan["day"], minutes=7 * number)
        set_clock(tracker, moment)
        session = tracker.start_session(
            "export-test", "both", tool=plan["tool"], pain_before=plan["before"],
            order=ALTERNATING,  # the walk order the golden files were made with
        )
        for step, value in enumerate(plan["t"]):
            moment += timedelta(seconds=25 + 5 * step)
            set_clock(tracker, moment)
            extras = RATING_EXTRAS.get((number, step), {}) | RATING_DOSES.get((number, step), {})
            if value is None:
                tracker.record_rating(session.id, step, skipped=True, **extras)
            else:
                tracker.record_rating(session.id, step, value, **extras)
        set_clock(tracker, moment + timedelta(seconds=40))
        if plan.get("status") == "abandoned":
            tracker.abandon(session.id)
        else:
            tracker.finish(session.id, pain_after=plan["after"], notes=NOTES.get(number, ""))
        ids.append(session.id)
    for day, (back, leg, night, below, soreness) in mornings.items():
        set_clock(tracker, FIRST_SESSION + timedelta(days=day, minutes=-25))
        tracker.record_checkin(back=back, leg=leg, night=night, below_knee=below, soreness=soreness)
    set_clock(tracker, FIXED_NOW - timedelta(days=2))
    tracker.set_conditions(ConditionProfile.of("osteoporosis"))
    # the soreness question asked before a session, about the last one (not in a check-in)
    set_clock(tracker, FIXED_NOW - timedelta(hours=20))
    tracker.answer_soreness(ids[-1], SORENESS_BEFORE_SESSION)
    set_clock(tracker, FIXED_NOW)
    return ids


@pytest.fixture
def history(database_url: str, monkeypatch: pytest.MonkeyPatch):
    """A tracker on a fresh database holding SESSIONS, its clock back at FIXED_NOW.

    Session ids are made predictable, so the golden files do not change from run to run.
    """
    counter = iter(range(1, 10_000))
    monkeypatch.setattr(
        "selftrack.tracker.facade.uuid.uuid4", lambda: uuid.UUID(int=0xE0 << 120 | next(counter), version=4)
    )
    with Tracker(
        database_url,
        protocols_dir=EXPORT_PROTOCOLS,
        clock=Clock(fixed=FIXED_NOW, tz_name=ZONE),
    ) as tracker:
        log_history(tracker)
        yield tracker


@pytest.fixture
def empty_tracker(new_database_url):
    """A tracker on another, empty database (same backend), with the same clock."""
    with Tracker(
        new_database_url("empty"),
        protocols_dir=EXPORT_PROTOCOLS,
        clock=Clock(fixed=FIXED_NOW, tz_name=ZONE),
    ) as tracker:
        yield tracker


def check_golden(name: str, produced: bytes) -> None:
    """Compare with tests/data/golden/NAME; with SELFTRACK_REGENERATE_GOLDEN=1, rewrite it."""
    path = GOLDEN / name
    if os.environ.get(REGENERATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced)
        pytest.skip(f"regenerated {path}")
    assert path.exists(), f"no golden file {path}: run with {REGENERATE_ENV}=1 once, then review it"
    expected = path.read_bytes()
    if produced != expected:
        for number, (got, want) in enumerate(
            zip(produced.splitlines(), expected.splitlines()), start=1
        ):
            assert got == want, f"{name} line {number} changed"
        assert produced == expected, f"{name} changed length"
