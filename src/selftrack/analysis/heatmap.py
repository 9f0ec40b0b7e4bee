"""Mean tenderness per spot and side over a period, most tender first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from selftrack.domain.records import HeatCell


@dataclass(frozen=True)
class HeatMap:
    """The cells of one period, most tender first."""

    start: datetime | None
    end: datetime | None
    cells: tuple[HeatCell, ...]
    sessions: int = 0


def build_heat_map(
    start: datetime | None, end: datetime | None, cells: Iterable[HeatCell], sessions: int = 0
) -> HeatMap:
    """A heat map with cells ordered most tender first (ties by spot and side)."""
    ordered = sorted(cells, key=lambda c: (-c.mean, c.spot_id, c.side))
    return HeatMap(start, end, tuple(ordered), sessions)
