"""The fixed words of the domain: body regions, map views, tools, sides and session states.

Kept apart from the domain dataclasses so that commands which only need these words (history
and trends) do not build those classes at start-up.
"""

from __future__ import annotations

import enum

REGIONS: tuple[str, ...] = ("low-back", "buttock", "side-of-hip", "thigh", "calf", "front")
VIEWS: tuple[str, ...] = ("back", "front", "calf")
TOOLS: tuple[str, ...] = ("ball", "cane", "roller", "hands", "elbow", "partner")
SIDES: tuple[str, ...] = ("left", "right", "both")


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
