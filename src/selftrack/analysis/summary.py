"""What one session found: the hottest spots, change against the last time, what was flagged."""

from __future__ import annotations

from dataclasses import dataclass, field

from selftrack.domain import Rating, Session, SessionStatus

MEANINGFUL_POINTS = 2
MEANINGFUL_FRACTION = 0.30


def is_meaningful(before: float, after: float) -> bool:
    """A change of at least 2 points and at least 30 % of the starting value."""
    change = abs(after - before)
    return change >= MEANINGFUL_POINTS and (before == 0 or change >= MEANINGFUL_FRACTION * before)


@dataclass(frozen=True, slots=True)
class SpotResult:
    """One rated spot of the session, with its name and the previous session's value."""

    step_index: int
    spot_id: str
    side: str
    name: str
    tenderness: int | None
    skipped: bool
    before: int | None = None
    flags: tuple[str, ...] = ()

    @property
    def change(self) -> int | None:
        if self.tenderness is None or self.before is None:
            return None
        return self.tenderness - self.before

    @property
    def meaningful(self) -> bool:
        if self.tenderness is None or self.before is None:
            return False
        return is_meaningful(self.before, self.tenderness)

    @property
    def label(self) -> str:
        return self.name if self.side == "mid" else f"{self.name} ({self.side})"


@dataclass(frozen=True)
class SessionSummary:
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

    def changes(self) -> list[SpotResult]:
        """Spots rated both times, biggest change first."""
        both = [r for r in self.rated if r.change is not None]
        return sorted(both, key=lambda r: (-abs(r.change or 0), r.step_index))

    def flagged(self) -> list[SpotResult]:
        return [r for r in self.results if r.flags]

    @property
    def mean(self) -> float | None:
        values = [r.tenderness for r in self.rated if r.tenderness is not None]
        return sum(values) / len(values) if values else None

    @property
    def mean_before_same_spots(self) -> tuple[float, float] | None:
        """Mean now and mean last time, over the spots rated both times."""
        both = [r for r in self.rated if r.before is not None]
        if not both:
            return None
        now = sum(r.tenderness or 0 for r in both) / len(both)
        before = sum(r.before or 0 for r in both) / len(both)
        return now, before


def _flag_words(rating: Rating) -> tuple[str, ...]:
    words = []
    if rating.nerve:
        words.append("nerve")
    if rating.recognised:
        words.append("recognised")
    if rating.referred:
        words.append(f"refers to {rating.referred_to}" if rating.referred_to else "refers")
    if rating.note:
        words.append(f"note: {rating.note}")
    return tuple(words)


def build_summary(tracker, session_id: str) -> SessionSummary:
    """Summarise a session against the latest earlier session of the same routine."""
    session = tracker.session(session_id)
    ratings = tracker.ratings(session_id)
    earlier = [
        s
        for s in tracker.sessions(
            protocol_id=session.protocol_id,
            statuses=[SessionStatus.FINISHED, SessionStatus.IN_PROGRESS],
            end=session.started_at,
        )
        if s.id != session.id and s.started_at < session.started_at
    ]
    previous = earlier[0] if earlier else None
    before: dict[tuple[str, str], int] = {}
    if previous is not None:
        for rating in tracker.ratings(previous.id):
            if rating.tenderness is not None:
                before[(rating.spot_id, rating.side)] = rating.tenderness
    results = [
        SpotResult(
            step_index=r.step_index,
            spot_id=r.spot_id,
            side=r.side,
            name=session.spots[r.spot_id].name if r.spot_id in session.spots else r.spot_id,
            tenderness=r.tenderness,
            skipped=r.skipped,
            before=before.get((r.spot_id, r.side)),
            flags=_flag_words(r),
        )
        for r in ratings
    ]
    return SessionSummary(session, len(session.steps), results, previous)
