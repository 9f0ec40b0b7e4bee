"""Conditions that change a routine, and how a protocol's `adapt` rules apply them.

A protocol file says, per spot or for the whole routine, which conditions skip a spot, take
tools away, add a caution or replace the pressure or finding text (docs/protocol-format.md,
"Adapting to the person"). `adapt_protocol` applies a person's conditions to a ProtocolSpec and
returns the routine they should walk. Pure: no storage, no screen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selftrack.domain.model import ProtocolSpec

PREGNANCY_LATE_WEEKS = 20


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition a person can report: stable id, plain name, and a line on why it matters."""

    id: str
    name: str
    why: str
    derived: bool = False  # worked out from another answer, never asked directly


CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "blood-thinners",
        "Taking blood thinners (medicine that stops the blood clotting)",
        "Bruises and bleeding come easily: no belly spots, no elbow, ball or body weight.",
    ),
    Condition(
        "osteoporosis",
        "Osteoporosis (thin, fragile bones)",
        "No body weight on the spine, the lowest ribs or the sacrum.",
    ),
    Condition(
        "pregnancy",
        "Pregnant (say how many weeks)",
        "No belly spots; after about 20 weeks no lying flat on the back, and care with the calf.",
    ),
    Condition(
        "pregnancy-after-20-weeks",
        "Pregnant for 20 weeks or more",
        "Lying flat on the back can press on the large veins: other positions instead.",
        derived=True,
    ),
    Condition(
        "reduced-sensation",
        "Reduced feeling in the skin or feet (for example from diabetes, alcohol, or strong "
        "painkillers such as opioids)",
        "You may not feel when pressure is too much: light pressure and short holds only.",
    ),
    Condition(
        "implanted-device",
        "An implanted stimulator or pump (for example a spinal cord stimulator or a pain pump)",
        "Never press over or near the device, its leads or its tubing.",
    ),
    Condition(
        "recent-spine-surgery",
        "Spine surgery in the last 6 months",
        "Leave the low back alone until your surgeon says you may press there.",
    ),
    Condition(
        "recent-hip-surgery",
        "Hip surgery in the last 6 months",
        "Leave the buttock and hip alone until your surgeon says you may press there.",
    ),
    Condition(
        "hip-replacement",
        "A hip replacement (at any time)",
        "No pressure on the side or back of the hip without your surgeon's agreement.",
    ),
    Condition(
        "recent-injection",
        "An injection into the back, buttock or hip in the last 7 days",
        "Let it settle: ask the clinician who gave it before pressing anywhere near it.",
    ),
)
CONDITION_IDS: tuple[str, ...] = tuple(c.id for c in CONDITIONS)
ASKED_CONDITIONS: tuple[Condition, ...] = tuple(c for c in CONDITIONS if not c.derived)


def condition(condition_id: str) -> Condition:
    """The condition with this id (KeyError when there is none)."""
    for item in CONDITIONS:
        if item.id == condition_id:
            return item
    raise KeyError(condition_id)


@dataclass(frozen=True, slots=True)
class ConditionProfile:
    """What a person reported: condition ids, and the weeks of a pregnancy when known."""

    conditions: frozenset[str] = frozenset()
    pregnancy_weeks: int | None = None

    @classmethod
    def of(cls, *conditions: str, pregnancy_weeks: int | None = None) -> ConditionProfile:
        """A profile from condition ids (unknown ids are a ValueError)."""
        unknown = sorted(set(conditions) - set(CONDITION_IDS))
        if unknown:
            raise ValueError(f"unknown condition id(s): {', '.join(unknown)}")
        return cls(frozenset(conditions), pregnancy_weeks)

    def active(self) -> frozenset[str]:
        """Every condition id that applies, derived ones included.

        Pregnancy with unknown weeks counts as 20 weeks or more: the cautious reading.
        """
        found = set(self.conditions)
        if self.pregnancy_weeks is not None:
            found.add("pregnancy")
        if "pregnancy" in found and (
            self.pregnancy_weeks is None or self.pregnancy_weeks >= PREGNANCY_LATE_WEEKS
        ):
            found.add("pregnancy-after-20-weeks")
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class Adaptation:
    """One `adapt` rule: when any of `when` applies, skip, drop tools, warn, or reword.

    On a spot it changes that spot; on a routine it changes every spot in `regions` (all when
    empty), and `skip` there leaves the whole routine out.
    """

    when: tuple[str, ...]
    skip: bool = False
    remove_tools: tuple[str, ...] = ()
    caution: str = ""
    pressure: str = ""
    find: str = ""
    regions: tuple[str, ...] = ()

    def applies(self, active: Iterable[str]) -> bool:
        """Whether any of this rule's conditions is among `active`."""
        return not set(self.when).isdisjoint(active)

    def to_dict(self) -> dict:
        """A JSON-ready form (lists, not tuples)."""
        return {
            "when": list(self.when),
            "skip": self.skip,
            "remove_tools": list(self.remove_tools),
            "caution": self.caution,
            "pressure": self.pressure,
            "find": self.find,
            "regions": list(self.regions),
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Adaptation:
        """Rebuild a rule from `to_dict` output."""
        return cls(
            when=tuple(data["when"]),
            skip=bool(data.get("skip", False)),
            remove_tools=tuple(data.get("remove_tools") or ()),
            caution=data.get("caution", ""),
            pressure=data.get("pressure", ""),
            find=data.get("find", ""),
            regions=tuple(data.get("regions") or ()),
        )


@dataclass(frozen=True, slots=True)
class AdaptedProtocol:
    """A routine adapted to a person: what to walk, and what was left out and why."""

    spec: ProtocolSpec
    conditions: frozenset[str]
    skipped_spots: Mapping[str, str] = field(default_factory=dict)  # spot id -> why
    routine_skipped: tuple[str, ...] = ()  # why the whole routine is left out, if it is

    @property
    def walkable(self) -> bool:
        """Whether anything is left to walk."""
        return not self.routine_skipped and bool(self.spec.routes)


NO_TOOL_LEFT = "None of this spot's tools suits your conditions: it is left out."


def adapt_protocol(spec: ProtocolSpec, profile: ConditionProfile | Iterable[str]) -> AdaptedProtocol:
    """`spec` with the `adapt` rules for a person's conditions applied.

    Rules on a spot come first, then the routine's, in file order; any `skip` wins, removed
    tools add up, cautions are put before the spot's own, and a replaced text is the last one
    given. A spot left with no tool (it had some) is left out. Routes left empty are dropped.
    Unchanged when no rule applies.
    """
    active = profile.active() if isinstance(profile, ConditionProfile) else frozenset(profile)
    routine_rules = [a for a in spec.adaptations if a.applies(active)]
    spot_rules = {
        sid: [a for a in rules if a.applies(active)] for sid, rules in spec.spot_adaptations.items()
    }
    if not routine_rules and not any(spot_rules.values()):
        return AdaptedProtocol(spec, active)
    reasons = tuple(a.caution for a in routine_rules if a.skip and not a.regions)
    routine_cautions = _unique(a.caution for a in routine_rules if a.caution and not a.regions)
    new_spots = {}
    skipped: dict[str, str] = {}
    for sid, spot in spec.spots.items():
        rules = spot_rules.get(sid, []) + [
            a for a in routine_rules if a.regions and spot.region in a.regions
        ]
        removed = {t for a in routine_rules if not a.regions for t in a.remove_tools}
        removed |= {t for a in rules for t in a.remove_tools}
        skip = next((a for a in rules if a.skip), None)
        if skip is not None:
            skipped[sid] = skip.caution
            continue
        tools = tuple(t for t in spot.tools if t not in removed)
        if spot.tools and not tools:
            skipped[sid] = NO_TOOL_LEFT
            continue
        cautions = _unique([*(a.caution for a in rules if a.caution), *spot.cautions])
        pressure = next((a.pressure for a in reversed(rules) if a.pressure), spot.pressure)
        find = next((a.find for a in reversed(rules) if a.find), spot.find)
        new_spots[sid] = replace(
            spot, tools=tools, cautions=tuple(cautions), pressure=pressure, find=find
        )
    routes = []
    if not reasons:
        for route in spec.routes:
            kept = tuple(sid for sid in route.spot_ids if sid in new_spots)
            if kept:
                routes.append(replace(route, spot_ids=kept))
    used = {sid for route in routes for sid in route.spot_ids}
    tag = ",".join(sorted(active))
    digest = hashlib.sha256(f"{spec.content_hash}|{tag}".encode()).hexdigest()[:16]
    adapted = replace(
        spec,
        routes=tuple(routes),
        spots={sid: s for sid, s in new_spots.items() if sid in used},
        cautions=tuple(_unique([*reasons, *routine_cautions, *spec.cautions])),
        adaptations=(),
        spot_adaptations={},
        content_hash=digest,
    )
    return AdaptedProtocol(adapted, active, skipped, reasons)


def _unique(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        seen.setdefault(text, None)
    return list(seen)
