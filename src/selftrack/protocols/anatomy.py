"""The rule that keeps body weight off nerves and large vessels, for every spot of every file.

Within BODY_WEIGHT_DISTANCE (0.06 map units, about 1.5 cm) of a structure at risk a spot may not
offer a body-weight tool (ball, roller, elbow), and within CAUTION_DISTANCE (0.12, about 3 cm)
one of its cautions must name the structure. Nerves and vessels get the same rule: body weight
on the aorta, the iliac or femoral artery is no safer than on a nerve. Distances are measured on
the spot's own view only (docs/protocol-format.md, "Structures at risk").
"""

from __future__ import annotations

from dataclasses import dataclass

from selftrack import bodymap
from selftrack.domain.model import SpotSpec


@dataclass(frozen=True, slots=True)
class Nearby:
    """A structure within the caution distance of a spot, and how far it is."""

    structure: bodymap.Structure
    distance: float


def nearby_structures(spot: SpotSpec) -> list[Nearby]:
    """Structures of the spot's view within CAUTION_DISTANCE of it, nearest first."""
    side = "right" if spot.sided else "mid"
    found = []
    for structure in bodymap.structures_in(spot.view):
        distance = bodymap.distance_to(structure, spot.x, spot.y, side)
        if distance <= bodymap.CAUTION_DISTANCE:
            found.append(Nearby(structure, distance))
    return sorted(found, key=lambda n: n.distance)


def rule_breaches(spot: SpotSpec) -> list[tuple[str, str]]:
    """(field, message) for each way `spot` breaks the rule; field is `tools` or `cautions`."""
    breaches: list[tuple[str, str]] = []
    for near in nearby_structures(spot):
        where = f"spot {spot.id!r} is {near.distance:.3f} map units from the {near.structure.name}"
        heavy = [t for t in spot.tools if t in bodymap.BODY_WEIGHT_TOOLS]
        if near.distance <= bodymap.BODY_WEIGHT_DISTANCE and heavy:
            breaches.append(
                (
                    "tools",
                    f"{where}: within {bodymap.BODY_WEIGHT_DISTANCE} it may not offer body "
                    f"weight ({', '.join(heavy)}); offer hands, a cane or a partner, lightly",
                )
            )
        if not any(near.structure.named_in(c) for c in spot.cautions):
            words = " or ".join(repr(w) for w in near.structure.words)
            breaches.append(
                (
                    "cautions",
                    f"{where}: within {bodymap.CAUTION_DISTANCE} one of its cautions must name "
                    f"it ({words}) and say why",
                )
            )
    return breaches
