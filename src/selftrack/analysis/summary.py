"""What one session found: the hottest spots, and this session beside the last one of the same
routine as plain numbers — one session is too little to call anything better or worse."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from selftrack.domain.model import Rating, Session


@dataclass(frozen=True, slots=True)
class SpotResult:
    """One rated (or skipped) step of the session, with the last session's value there."""

    step_index: int
    spot_id: str
    side: str
    name: str
    rating: Rating
    before: int | None = None

    @property
    def tenderness(self) -> int | None:
        return self.rating.tenderness

    @property
    def skipped(self) -> bool:
        return self.rating.skipped

    @property
    def difference(self) -> int | None:
        """This session's value minus last time's, as a plain number."""
        if self.tenderness is None or self.before is None:
            return None
        return self.tenderness - self.before


@dataclass(frozen=True)
class SessionReport:
    """The figures the summary screen shows."""

    session: Session
    total_steps: int
    results: list[SpotResult] = field(default_factory=list)
    previous: Session | None = None

    @property
    def rated(self) -> list[SpotResult]:
        return [r for r in self.results if not r.skipped]

    @property
    def skipped(self) -> list[SpotResult]:
        return [r for r in self.results if r.skipped]

    @property
    def unrated_count(self) -> int:
        return self.total_steps - len(self.results)

    def hottest(self, count: int = 5) -> list[SpotResult]:
        """The most tender spots (above 0), most tender first."""
        tender = [r for r in self.rated if r.tenderness]
        return sorted(tender, key=lambda r: (-(r.tenderness or 0), r.step_index))[:count]

    def beside_last_time(self) -> list[SpotResult]:
        """Spots rated both times, the largest differences first."""
        both = [r for r in self.rated if r.difference is not None]
        return sorted(both, key=lambda r: (-abs(r.difference or 0), r.step_index))

    def flagged(self) -> list[SpotResult]:
        """Steps carrying a flag or a note."""
        return [r for r in self.results if r.rating.nerve or r.rating.recognised or r.rating.referred or r.rating.note]

    @property
    def mean(self) -> float | None:
        values = [r.tenderness for r in self.rated if r.tenderness is not None]
        return sum(values) / len(values) if values else None

    @property
    def means_of_the_same_spots(self) -> tuple[float, float] | None:
        """(mean last time, mean now) over the spots rated both times."""
        both = [r for r in self.rated if r.before is not None]
        if not both:
            return None
        now = sum(r.tenderness or 0 for r in both) / len(both)
        before = sum(r.before or 0 for r in both) / len(both)
        return before, now


def build_report(
    session: Session,
    ratings: Sequence[Rating],
    previous: Session | None = None,
    previous_ratings: Sequence[Rating] = (),
) -> SessionReport:
    """A session's report, beside the latest earlier session of the same routine."""
    before: Mapping[tuple[str, str], int] = {
        (r.spot_id, r.side): r.tenderness for r in previous_ratings if r.tenderness is not None
    }
    results = [
        SpotResult(
            step_index=r.step_index,
            spot_id=r.spot_id,
            side=r.side,
            name=session.spots[r.spot_id].name if r.spot_id in session.spots else r.spot_id,
            rating=r,
            before=before.get((r.spot_id, r.side)),
        )
        for r in ratings
    ]
    return SessionReport(session, len(session.steps), results, previous)
