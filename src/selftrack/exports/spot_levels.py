"""Per spot and side: baseline, latest, change and verdict, as the one change rule judges them.

The spreadsheet's Spots sheet shows them; they come from the spot trends the Tracker gives
(selftrack.analysis.stats has the rule, selftrack.render.words its words).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from selftrack.render.words import verdict_words


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


def spot_levels(trends: Iterable) -> list[SpotLevel]:
    """One row per spot trend (selftrack.analysis.trends.Trend), in the order given."""
    return [
        SpotLevel(
            trend.subject.key,
            trend.subject.side,
            trend.name,
            trend.region,
            trend.summary.sessions,
            trend.summary.baseline,
            trend.summary.latest,
            trend.summary.change,
            verdict_words(trend.summary),
        )
        for trend in trends
    ]
