"""Plain, frozen domain objects shared by every layer."""

from selftrack.domain.model import (
    REGIONS,
    SIDES,
    TOOLS,
    VIEWS,
    ProfileSummary,
    ProtocolSpec,
    Rating,
    RouteSpec,
    Session,
    SessionStatus,
    SpotSpec,
    Step,
)

__all__ = [
    "REGIONS",
    "SIDES",
    "TOOLS",
    "VIEWS",
    "ProfileSummary",
    "ProtocolSpec",
    "Rating",
    "RouteSpec",
    "Session",
    "SessionStatus",
    "SpotSpec",
    "Step",
]
