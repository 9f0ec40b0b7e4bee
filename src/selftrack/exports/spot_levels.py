"""Per spot and side: baseline, latest, change and verdict, as the analysis judges them now.

The one place an export asks the analysis for numbers (the spreadsheet's Spots sheet); when
the rule for change is rewritten, this call is where the export follows it.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class SpotLevel(NamedTuple):
    """One spot on one side over the exported period."""

    spot_id: str
    side: str
    name: str
    region: str
    sessions: int
    baseline: float | None
    latest: float | None
    change: float | None
    verdict: str


def spot_levels(tracker, start: datetime | None, end: datetime | None) -> list[SpotLevel]:
    """Every spot and side rated in the period (sessions that started in [start, end])."""
    levels = []
    for trend in tracker.spot_trends(start, end):
        summary = trend.summary
        levels.append(
            SpotLevel(
                trend.subject.key,
                trend.subject.side,
                trend.name,
                trend.region,
                summary.count,
                summary.baseline,
                summary.latest,
                summary.change,
                summary.verdict.value,
            )
        )
    return levels
