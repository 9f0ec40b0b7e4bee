"""The rows the storage layer returns: plain values, so nothing above it needs SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from selftrack.domain.terms import SessionStatus

if TYPE_CHECKING:  # the routines' model is not imported to read history
    from selftrack.domain.model import SpotSpec


class SessionSummary(NamedTuple):
    """A session as history lists it: its counts, mean and highest tenderness, pain."""

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

    @property
    def pain_change(self) -> int | None:
        """Overall pain after minus before (negative = the session helped)."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before


@dataclass(frozen=True, slots=True)
class SpotInfo:
    """What a stored spot is called, where it is, and its region (its latest definition)."""

    spot_id: str
    name: str
    region: str
    view: str
    x: float
    y: float
    sided: bool = True

    def position(self, side: str) -> tuple[float, float]:
        """Body-map coordinates on one side (left mirrors to negative x; mid on the spine)."""
        if side == "mid":
            return (0.0, self.y)
        return (-self.x if side == "left" else self.x, self.y)


class SpotValue(NamedTuple):
    """One session's tenderness at a spot on a side (the mean, if the routine had it twice)."""

    moment: datetime
    value: float


@dataclass(frozen=True, slots=True)
class SpotLevels:
    """A spot on one side over a period: how many sessions rated it, its first and last values
    (up to three each, in time order), and its mean per equal slice of the period."""

    spot_id: str
    side: str
    sessions: int
    first: tuple[float, ...]
    last: tuple[float, ...]
    slices: tuple[float | None, ...] = ()


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

    def position(self, side: str | None = None) -> tuple[float, float]:
        """Body-map coordinates on this cell's side (left mirrors to negative x)."""
        side = side or self.side
        if side == "mid":
            return (0.0, self.y)
        return (-self.x if side == "left" else self.x, self.y)


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
    referred_to: tuple[tuple[str, int], ...] = ()  # where it spread, and how often


@dataclass(frozen=True, slots=True)
class RecentRating:
    """The parts of a rating the focus and rest rules look at."""

    moment: datetime
    tenderness: int
    recognised: bool = False
    nerve: bool = False


@dataclass(frozen=True, slots=True)
class Note:
    """A note written in a session or on a spot, with when and where."""

    moment: datetime
    text: str
    spot_name: str = ""
    side: str = ""


# -- what the exports read and the importer writes ---------------------------------------------

# A stored moment: an aware datetime, or on SQLite the stored UTC text, which exports format
# without building a datetime (ten years of ratings are ~440,000 of them).
Moment = datetime | str


class RatingRecord(NamedTuple):
    """One rating as exported; the same fields for rows read from the database or a file."""

    step_index: int
    route_id: str
    spot_id: str
    side: str
    tenderness: int | None
    skipped: bool  # flags may be SQLite's 0/1: test them for truth
    recognised: bool
    referred: bool
    referred_to: str
    nerve: bool
    note: str
    rated_at: Moment
    edited_at: Moment | None
    # the dose (format version 2): hold-timer seconds, the tool if not the session's, pressure
    hold_seconds: int | None = None
    tool: str | None = None
    pressure: str | None = None


@dataclass(frozen=True, slots=True)
class SpotDefinition:
    """One stored version of a spot: its definition and the digest that names it."""

    spec: SpotSpec
    digest: str


@dataclass(slots=True)
class SessionRecord:
    """A session with its plan, the spot definitions it used, and its ratings in walk order."""

    id: str
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    protocol_name: str
    sides: str
    tool: str
    status: str
    started_at: Moment
    ended_at: Moment | None
    pain_before: int | None
    pain_after: int | None
    notes: str
    edited_at: Moment | None
    routes: dict[str, str]
    steps: list[tuple[str, str, str]]
    spots: dict[str, SpotDefinition]
    ratings: list[RatingRecord] = field(default_factory=list)
    hold_guidance: int | None = None  # the routine's hold guidance in seconds, when it had one
