"""The fixed words of the domain: body regions (in body order, with their names), map views,
tools, sides and session states."""

from __future__ import annotations

import enum

# regions in body order (top to bottom, back before front), with the name a person reads
REGION_NAMES: dict[str, str] = {
    "low-back": "Low back",
    "buttock": "Buttock",
    "side-of-hip": "Side of hip",
    "thigh": "Thigh",
    "calf": "Calf",
    "front": "Front (belly)",
}
REGIONS: tuple[str, ...] = tuple(REGION_NAMES)
VIEWS: tuple[str, ...] = ("back", "front", "calf")
TOOLS: tuple[str, ...] = ("ball", "cane", "roller", "hands", "elbow", "partner")
BODY_WEIGHT_TOOLS: frozenset[str] = frozenset({"ball", "roller", "elbow"})
SIDES: tuple[str, ...] = ("left", "right", "both")
STEP_SIDES: tuple[str, ...] = ("left", "right", "mid")
# a routine's version is a whole number from 1 up to this (protocol files and imports alike)
PROTOCOL_VERSION_MAX = 1_000_000


def region_name(region: str) -> str:
    """The name of a region a person reads ('Low back'); unknown ones as they are."""
    return REGION_NAMES.get(region, region)


def region_order(regions) -> list[str]:
    """Regions in body order; unknown ones after, by name."""
    present = set(regions)
    return [r for r in REGIONS if r in present] + sorted(present - set(REGIONS))


def pressed_sides(sided: bool, session_sides: str) -> tuple[str, ...]:
    """The sides a spot is pressed on in a session covering `session_sides` ('mid' if unsided)."""
    if not sided:
        return ("mid",)
    return ("left", "right") if session_sides == "both" else (session_sides,)


class SessionStatus(str, enum.Enum):
    """Where a session stands."""

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    ABANDONED = "abandoned"
