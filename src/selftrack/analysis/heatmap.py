"""Mean tenderness per spot and side over a period, and how it changed between two periods."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from selftrack.analysis.stats import Change, Verdict, compare


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One spot on one side: its mean tenderness over a period (skipped ratings left out)."""

    spot_id: str
    side: str
    name: str
    region: str
    view: str
    x: float
    y: float
    mean: float
    count: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.spot_id, self.side)

    def position(self) -> tuple[float, float]:
        """Body-map coordinates on this cell's side (left mirrors to negative x)."""
        return (-self.x if self.side == "left" else self.x, self.y)


@dataclass(frozen=True)
class HeatMap:
    """The cells of one period, most tender first."""

    start: datetime | None
    end: datetime | None
    cells: tuple[HeatCell, ...]
    sessions: int = 0


@dataclass(frozen=True, slots=True)
class HeatChange:
    """A spot and side in two periods: the first period's mean is the baseline."""

    first: HeatCell
    second: HeatCell

    @property
    def comparison(self) -> Change:
        return compare(self.first.mean, self.second.mean)

    @property
    def change(self) -> float:
        return self.second.mean - self.first.mean

    @property
    def verdict(self) -> Verdict:
        return self.comparison.verdict


def build_heat_map(
    start: datetime | None, end: datetime | None, cells: Iterable[HeatCell], sessions: int = 0
) -> HeatMap:
    """A heat map with cells ordered most tender first (ties by spot and side)."""
    ordered = sorted(cells, key=lambda c: (-c.mean, c.spot_id, c.side))
    return HeatMap(start, end, tuple(ordered), sessions)


def heat_changes(first: HeatMap, second: HeatMap) -> list[HeatChange]:
    """Spots rated in both periods, biggest improvement first, then the rest by change."""
    before = {cell.key: cell for cell in first.cells}
    pairs = [HeatChange(before[cell.key], cell) for cell in second.cells if cell.key in before]
    return sorted(pairs, key=lambda p: (p.change, p.first.spot_id, p.first.side))
