"""Frozen dataclasses for protocols, spots, sessions and ratings.

Coordinates use the body-map frame of the product brief: seen from behind, x = 0 on the
spine and +x toward the person's right; y = 0 at the lowest ribs, y = 1 at the gluteal fold.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

from selftrack.domain.terms import REGIONS, SIDES, TOOLS, VIEWS, SessionStatus  # noqa: F401 (re-exported)
from selftrack.domain.terms import pressed_sides

Side = Literal["left", "right", "mid"]
RouteKind = Literal["line", "arc", "set"]

ONE_SIDE_FIRST = "one-side-first"
ALTERNATING = "alternating"
# how a walk of both sides goes, and in words
WALK_ORDERS: dict[str, str] = {
    ONE_SIDE_FIRST: "one side, then the other",
    ALTERNATING: "each route on both sides",
}


@dataclass(frozen=True, slots=True)
class SpotSpec:
    """One place to press, defined once for both sides; x, y are for the person's right."""

    id: str
    name: str
    region: str
    x: float
    y: float
    view: str = "back"
    muscles: tuple[str, ...] = ()
    find: str = ""
    feel: str = ""
    refers: str = ""
    cautions: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    pressure: str = ""
    sided: bool = True

    def position(self, side: str) -> tuple[float, float]:
        """Map coordinates of this spot on one side (left mirrors to negative x)."""
        return (-self.x if side == "left" else self.x, self.y)

    def sides_for(self, session_sides: str) -> tuple[str, ...]:
        """The step sides this spot is pressed on when a session covers `session_sides`."""
        return pressed_sides(self.sided, session_sides)

    def to_dict(self) -> dict:
        """A JSON-ready definition (lists, not tuples)."""
        data = asdict(self)
        for key in ("muscles", "cautions", "tools"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> SpotSpec:
        """Rebuild a spot from `to_dict` output."""
        values = dict(data)
        for key in ("muscles", "cautions", "tools"):
            values[key] = tuple(values.get(key) or ())
        return cls(**values)

    @property
    def digest(self) -> str:
        """A stable hash of the definition, to store each version of a spot once."""
        import hashlib  # only where definitions are stored (reading history needs none)

        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """An ordered path of spots: a line, an arc, or a set of named spots."""

    id: str
    name: str
    kind: RouteKind
    spot_ids: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One (spot, side) stop in a session's walk, in order."""

    index: int
    route_id: str
    spot_id: str
    side: str


@dataclass(frozen=True, slots=True)
class ProtocolSpec:
    """A routine: routes of spots, plus where it came from."""

    id: str
    version: int
    name: str
    summary: str
    routes: tuple[RouteSpec, ...]
    spots: Mapping[str, SpotSpec]
    about: str = ""
    minutes: int | None = None
    cautions: tuple[str, ...] = ()
    source: str = ""
    builtin: bool = False
    content_hash: str = ""
    # `adapt` rules (selftrack.domain.conditions.Adaptation): the routine's, and per spot id
    adaptations: tuple = ()
    spot_adaptations: Mapping[str, tuple] = field(default_factory=dict)

    def adapted(self, conditions) -> ProtocolSpec:
        """This routine for a person with `conditions` (a ConditionProfile or condition ids).

        Spots and tools their conditions rule out are gone, cautions added, texts replaced;
        `selftrack.domain.conditions.adapt_protocol` also says what was left out and why.
        """
        from selftrack.domain.conditions import adapt_protocol

        return adapt_protocol(self, conditions).spec

    def steps(self, sides: str, order: str = "") -> tuple[Step, ...]:
        """The walk for `sides`, in `order` (WALK_ORDERS; default ONE_SIDE_FIRST).

        With both sides, ONE_SIDE_FIRST walks every route on the left, then every route on
        the right (a ball user changes sides once); ALTERNATING walks each route on the left,
        then on the right, before the next route. A spot on the midline is walked once, with
        the first side.
        """
        order = order or ONE_SIDE_FIRST
        if order not in WALK_ORDERS:
            raise ValueError(f"order must be one of {', '.join(WALK_ORDERS)}, not {order!r}")
        route_sides = ("left", "right") if sides == "both" else (sides,)
        if order == ALTERNATING:
            passes = [(route, side) for route in self.routes for side in route_sides]
        else:
            passes = [(route, side) for side in route_sides for route in self.routes]
        out: list[Step] = []
        for route, side in passes:
            for spot_id in route.spot_ids:
                spot = self.spots[spot_id]
                if not spot.sided:
                    if side != route_sides[0]:
                        continue
                    step_side = "mid"
                else:
                    step_side = side
                out.append(Step(len(out), route.id, spot_id, step_side))
        return tuple(out)

    def minutes_for(self, sides: str) -> int | None:
        """About how long a walk of `sides` takes: `minutes` is for both sides (None: unknown)."""
        if not self.minutes:
            return None
        both = len(self.steps("both"))
        if sides == "both" or not both:
            return self.minutes
        return max(1, round(self.minutes * len(self.steps(sides)) / both))

    @property
    def spot_count(self) -> int:
        """Distinct spots in the routine (each counted once for both sides)."""
        return len({sid for route in self.routes for sid in route.spot_ids})

    def route(self, route_id: str) -> RouteSpec:
        """The route with this id."""
        return next(r for r in self.routes if r.id == route_id)


@dataclass(frozen=True, slots=True)
class Rating:
    """One spot on one side in one session: tenderness 0-10, or skipped (never the same as 0)."""

    session_id: str
    step_index: int
    route_id: str
    spot_id: str
    side: str
    tenderness: int | None
    skipped: bool
    rated_at: datetime
    recognised: bool = False
    referred: bool = False
    referred_to: str = ""
    nerve: bool = False
    note: str = ""
    # the dose: seconds on the hold timer, the tool when not the session's, the pressure
    hold_seconds: int | None = None
    tool: str | None = None
    pressure: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """One sitting, with the plan (steps) and the spot definitions it used."""

    id: str
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    protocol_name: str
    sides: str
    started_at: datetime
    status: SessionStatus
    steps: tuple[Step, ...] = ()
    spots: Mapping[str, SpotSpec] = field(default_factory=dict)
    route_names: Mapping[str, str] = field(default_factory=dict)
    tool: str = ""
    pain_before: int | None = None
    pain_after: int | None = None
    notes: str = ""
    ended_at: datetime | None = None
    origin: str = "app"


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    """One person in the database: their profile name and how many sessions they have."""

    name: str
    sessions: int
    created_at: datetime
    last_session_at: datetime | None = None


def walk_order_of(steps: tuple[Step, ...] | list[Step]) -> str:
    """The order a stored plan was walked in: ALTERNATING when it changes sides more than once."""
    sides = [step.side for step in steps if step.side != "mid"]
    changes = sum(1 for a, b in zip(sides, sides[1:]) if a != b)
    return ALTERNATING if changes > 1 else ONE_SIDE_FIRST
