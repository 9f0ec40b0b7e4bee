"""Frozen dataclasses for protocols, spots, sessions and ratings.

Coordinates use the body-map frame of the product brief: seen from behind, x = 0 on the
spine and +x toward the person's right; y = 0 at the lowest ribs, y = 1 at the gluteal fold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

from selftrack.domain.terms import REGIONS, SIDES, TOOLS, VIEWS, SessionStatus  # noqa: F401 (re-exported)
from selftrack.domain.terms import pressed_sides

Side = Literal["left", "right", "mid"]
RouteKind = Literal["line", "arc", "set"]


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

    def steps(self, sides: str) -> tuple[Step, ...]:
        """The walk for `sides`: route by route, each route on the left, then on the right."""
        out: list[Step] = []
        for route in self.routes:
            route_sides = ("left", "right") if sides == "both" else (sides,)
            for side in route_sides:
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
