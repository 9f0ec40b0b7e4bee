"""One line per session for the history list: what was done and how tender it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from selftrack.terms import SessionStatus


class SessionSummary(NamedTuple):
    """A session with its counts: rated spots, skipped spots, mean and highest tenderness.

    A named tuple rather than a frozen dataclass: ten years of history make ~13,000 of
    these per listing, and a tuple is made five times faster.
    """

    id: str
    started_at: datetime
    protocol_id: str
    protocol_name: str
    status: SessionStatus
    sides: str
    tool: str
    pain_before: int | None
    pain_after: int | None
    rated: int
    skipped: int
    mean: float | None
    highest: int | None
    notes: str = ""

    @property
    def pain_change(self) -> int | None:
        """Overall pain after minus before (negative = the session helped)."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before


@dataclass(frozen=True, slots=True)
class FlaggedSpot:
    """A spot on one side and how often its ratings in a period carried each flag."""

    spot_id: str
    side: str
    name: str
    ratings: int
    nerve: int
    recognised: int
    referred: int
