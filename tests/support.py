"""Constants and helpers shared by the tests (importable: tests/ is on the path)."""

from __future__ import annotations

import os
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

DATA = Path(__file__).parent / "data"
TEST_PROTOCOLS = DATA / "protocols"
FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)

PG_URL_ENV = "SELFTRACK_TEST_PG_URL"

# Figures the reliability tests count as they run; printed at the end of the test session.
FIGURES: Counter[str] = Counter()


def postgres_admin_url() -> str | None:
    """The PostgreSQL server the tests may use (a URL to a database we may create others from)."""
    return os.environ.get(PG_URL_ENV) or None


def unfinished(tracker):
    """The most recent session still in progress, with its plan, or None."""
    from selftrack.domain.terms import SessionStatus

    found = tracker.sessions(statuses=[SessionStatus.IN_PROGRESS], with_plan=True)
    return found[0] if found else None


def next_step(tracker, session_id: str) -> int | None:
    """The first step without a rating, or None when every step has one."""
    session = tracker.session(session_id)
    rated = {r.step_index for r in tracker.ratings(session_id)}
    return next((s.index for s in session.steps if s.index not in rated), None)


def answer_safety(tracker) -> None:
    """Answer the safety questions (all no) and give no conditions, as a person who has been
    through them would: the walk opens straight after (tests/tui/test_care.py covers the rest)."""
    from selftrack import safety
    from selftrack.domain.conditions import ConditionProfile

    tracker.answer_screening({q.id: "no" for q in safety.RED_FLAG_SCREEN}, "first")
    tracker.set_conditions(ConditionProfile())


def answer_safety_questions(database: str) -> None:
    """`answer_safety` on the database at `database` (for programs run in their own process)."""
    from selftrack.tracker import Tracker

    with Tracker(database, protocols_dir=TEST_PROTOCOLS) as tracker:
        answer_safety(tracker)
